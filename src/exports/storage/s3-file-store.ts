import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Config } from '../../config/config.js';
import type { ExportFileStore } from './file-store.js';

/** S3's smallest allowed part (except the last one) and its largest number of parts per upload. */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
/** Parts in flight at once: memory use is about PART_QUEUE_SIZE × part size, whatever the file size. */
const PART_QUEUE_SIZE = 4;

/** Export files in an S3-compatible bucket, under `config.prefix`. */
export class S3ExportFileStore implements ExportFileStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly config: S3Config) {
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      // No explicit keys: the SDK's default chain (environment, shared profile, web identity, instance role).
      credentials:
        config.accessKeyId !== undefined && config.secretAccessKey !== undefined
          ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
          : undefined,
      // The SDK's default CRC32 checksums (with their multipart variant) are rejected or mishandled by
      // several S3-compatible services; AWS S3 keeps them. Each request body's SHA-256 is still signed.
      requestChecksumCalculation: config.endpoint === undefined ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED',
      // Without timeouts an unreachable or stalled endpoint hangs an export or a download forever.
      requestHandler: {
        connectionTimeout: 5_000,
        // From the start of a request to its response headers, which includes sending one upload part.
        requestTimeout: 120_000,
        throwOnRequestTimeout: true,
        // No bytes either way for this long (also while a download's body is being read).
        socketTimeout: 60_000,
      },
    });
  }

  async publish(key: string, localPath: string, contentType: string): Promise<void> {
    const { size } = await stat(localPath);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: this.objectKey(key), Body: createReadStream(localPath), ContentType: contentType },
      // Files of several GB would exceed S3's part limit with the minimum part size: grow parts instead.
      partSize: Math.max(MIN_PART_SIZE, Math.ceil(size / MAX_PARTS)),
      queueSize: PART_QUEUE_SIZE,
      // A failed multipart upload is aborted, so no invisible (but billed) parts stay behind.
      leavePartsOnError: false,
    });
    await upload.done();
    // Only after the upload succeeded: on failure the caller still has the file to retry or clean up.
    await unlink(localPath);
  }

  async open(key: string): Promise<Readable | undefined> {
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
      if (!(Body instanceof Readable)) throw new Error(`S3 GetObject returned no readable body for ${this.objectKey(key)}`);
      return Body;
    } catch (err) {
      if (isMissingObject(err)) return undefined;
      throw err;
    }
  }

  async remove(key: string): Promise<void> {
    try {
      // S3 answers 204 for a key that does not exist; some compatible services answer 404.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
    } catch (err) {
      if (!isMissingObject(err)) throw err;
    }
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }));
    } catch (err) {
      throw new Error(`S3 bucket "${this.config.bucket}" at ${this.describeEndpoint()} is not usable: ${this.describeError(err)}`);
    }
  }

  /** What went wrong, in words an operator can act on (S3 error messages carry no secrets). */
  private describeError(err: unknown): string {
    if (!(err instanceof S3ServiceException)) return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const status = err.$metadata.httpStatusCode;
    if (status === 404) return 'the bucket does not exist (HTTP 404)';
    if (status === 403) return 'access denied (HTTP 403): check the credentials and the bucket policy';
    if (status === 301) {
      const actual = err.$response?.headers['x-amz-bucket-region'];
      return `the bucket is ${actual ? `in region ${actual}` : 'in another region'}, not ${this.config.region} (HTTP 301): check S3_REGION`;
    }
    // HEAD answers have no body, so the SDK may only know the status (name "Unknown" or the status text).
    return `${err.name} (HTTP ${status ?? 'no response'})${err.message && err.message !== err.name ? `: ${err.message}` : ''}`;
  }

  private objectKey(key: string): string {
    return this.config.prefix + key;
  }

  /** The endpoint for messages, without any user info someone may have put in the URL. */
  private describeEndpoint(): string {
    if (this.config.endpoint === undefined) return `AWS S3 (region ${this.config.region})`;
    const url = new URL(this.config.endpoint);
    url.username = '';
    url.password = '';
    return url.toString();
  }
}

/**
 * A missing object: NoSuchKey, or a bare 404 (HEAD-style answers carry no error code). A missing
 * bucket is a configuration error and must not look like a missing file.
 */
function isMissingObject(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  if (err.name === 'NoSuchKey') return true;
  return err.$metadata.httpStatusCode === 404 && err.name !== 'NoSuchBucket';
}
