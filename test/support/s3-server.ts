import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of s3rver's API used here (the package ships no type declarations). */
interface S3rverOptions {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: S3rverOptions) => S3rverInstance;

export interface TestS3Server {
  /** http://127.0.0.1:<port>: needs path-style addressing (forcePathStyle). */
  endpoint: string;
  /** An empty bucket that exists. */
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

/**
 * A real S3-compatible HTTP server for tests: s3rver (a devDependency), in this process, on a
 * random loopback port, storing objects in a temp directory. It speaks the S3 REST protocol
 * (path-style, multipart uploads included) to the unmodified AWS SDK. Limitation: it checks that a
 * request is signed with its access key id but does not verify SigV4 signatures, so it cannot
 * catch wrong secrets.
 */
export async function startS3Server(): Promise<TestS3Server> {
  // s3rver is CommonJS with `module.exports = class`.
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(join(tmpdir(), 'vt-s3rver-'));
  const bucket = 'veritrail-test';
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (err) {
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    // The only key pair s3rver accepts.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
