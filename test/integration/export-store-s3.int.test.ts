import { createHash, randomBytes } from 'node:crypto';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { HeadObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { S3Config } from '../../src/config/config.js';
import { S3ExportFileStore } from '../../src/exports/storage/s3-file-store.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';

/**
 * The S3 export file store against a real S3-compatible server: the bucket named by S3_TEST_BUCKET
 * (with S3_TEST_ENDPOINT, S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY, S3_TEST_REGION; unset
 * endpoint = AWS, unset keys = the default credential chain), otherwise s3rver started here.
 */
const target = await resolveTarget();
if (typeof target === 'string') console.warn(`export-store-s3: skipped: ${target}`);
const ready = typeof target === 'string' ? undefined : target;

describe.skipIf(ready === undefined)('S3 export file store', () => {
  let config: S3Config;
  let store: S3ExportFileStore;
  /** A plain SDK client, to look at the objects the store wrote. */
  let raw: S3Client;
  let dir: string;
  const published: string[] = [];

  beforeAll(async () => {
    // A fresh prefix per run: nothing collides with (or is left among) other objects of a shared bucket.
    config = { ...ready!.config, prefix: `${ready!.config.prefix}veritrail-test-${randomBytes(6).toString('hex')}/` };
    store = new S3ExportFileStore(config);
    raw = rawClient(config);
    dir = await mkdtemp(join(tmpdir(), 'vt-s3-store-'));
  });
  afterAll(async () => {
    if (store) await Promise.all(published.map((key) => store.remove(key)));
    raw?.destroy();
    await ready?.server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Publishes `size` random bytes under `key`; returns their sha256. */
  async function publishRandom(key: string, size: number): Promise<{ sha256: string; localPath: string }> {
    const bytes = randomBytes(size);
    const localPath = join(dir, key.replaceAll('/', '_'));
    await writeFile(localPath, bytes);
    published.push(key);
    await store.publish(key, localPath, 'application/x-ndjson');
    return { sha256: sha256(bytes), localPath };
  }

  /** Whether open() finds the file; the stream is destroyed so its connection does not stay busy. */
  async function exists(key: string): Promise<boolean> {
    const stream = await store.open(key);
    stream?.destroy();
    return stream !== undefined;
  }

  it('check() passes for the existing bucket', async () => {
    await expect(store.check()).resolves.toBeUndefined();
  });

  it('publishes a file under the prefix, removes the local copy, and opens it byte for byte', async () => {
    const key = 'tenant-a/export-1.ndjson';
    const { sha256: expected, localPath } = await publishRandom(key, 5_000_000);
    await expect(access(localPath)).rejects.toMatchObject({ code: 'ENOENT' });

    const stream = await store.open(key);
    expect(stream).toBeDefined();
    expect(await streamSha256(stream!)).toBe(expected);

    // The object sits at prefix + key with the content type given, for any other S3 client.
    const head = await raw.send(new HeadObjectCommand({ Bucket: config.bucket, Key: config.prefix + key }));
    expect(head.ContentLength).toBe(5_000_000);
    expect(head.ContentType).toBe('application/x-ndjson');
  });

  it('uploads a file larger than one part as a multipart upload', async () => {
    const send = vi.spyOn(S3Client.prototype, 'send');
    try {
      const key = 'tenant-a/export-2.ndjson';
      const { sha256: expected } = await publishRandom(key, 12 * 1024 * 1024);
      // 5 MiB parts: 5 + 5 + 2.
      expect(send.mock.calls.filter(([command]) => command instanceof UploadPartCommand)).toHaveLength(3);
      expect(await streamSha256((await store.open(key))!)).toBe(expected);
    } finally {
      send.mockRestore();
    }
  });

  it('open() of a missing key is undefined', async () => {
    expect(await store.open('tenant-a/never-written.ndjson')).toBeUndefined();
  });

  it('remove() deletes the file and is a no-op for a missing one', async () => {
    const key = 'tenant-b/export-3.csv';
    await publishRandom(key, 1024);
    expect(await exists(key)).toBe(true);
    await store.remove(key);
    expect(await exists(key)).toBe(false);
    await expect(store.remove(key)).resolves.toBeUndefined();
    await expect(store.remove('tenant-b/never-written.csv')).resolves.toBeUndefined();
  });

  it('check() rejects a bucket that does not exist, naming it', async () => {
    const bucket = `${config.bucket}-missing-${randomBytes(4).toString('hex')}`;
    const error: unknown = await new S3ExportFileStore({ ...config, bucket }).check().then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
    const { message } = error as Error;
    expect(message).toContain(`S3 bucket "${bucket}"`);
    expect(message).toMatch(/does not exist/);
    if (config.secretAccessKey) expect(message).not.toContain(config.secretAccessKey);
  });
});

/** Where to run: the configured bucket, the local server (stopped by the suite), or why neither. */
async function resolveTarget(): Promise<{ config: S3Config; server?: TestS3Server } | string> {
  const env = process.env;
  if (env.S3_TEST_BUCKET) {
    const endpoint = env.S3_TEST_ENDPOINT || undefined;
    return {
      config: {
        endpoint,
        region: env.S3_TEST_REGION || 'us-east-1',
        bucket: env.S3_TEST_BUCKET,
        accessKeyId: env.S3_TEST_ACCESS_KEY_ID || undefined,
        secretAccessKey: env.S3_TEST_SECRET_ACCESS_KEY || undefined,
        forcePathStyle: endpoint !== undefined,
        prefix: 'exports/',
      },
    };
  }
  try {
    const server = await startS3Server();
    const { endpoint, bucket, accessKeyId, secretAccessKey } = server;
    return { server, config: { endpoint, region: 'us-east-1', bucket, accessKeyId, secretAccessKey, forcePathStyle: true, prefix: 'exports/' } };
  } catch (err) {
    return `S3_TEST_BUCKET is not set and the local S3 server (s3rver) did not start: ${(err as Error).message}`;
  }
}

function rawClient(config: S3Config): S3Client {
  const { endpoint, region, forcePathStyle, accessKeyId, secretAccessKey } = config;
  return new S3Client({
    endpoint,
    region,
    forcePathStyle,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  });
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function streamSha256(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
