import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SendResult } from './webhook-sender.js';

/** Where an `s3` destination writes: `url` is `s3://<bucket>/<prefix>`, the rest comes from its credentials. */
export interface S3Destination {
  bucket: string;
  prefix: string;
  region: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  /** Always the destination's own: the process's AWS identity is never used for a tenant's bucket (PEN-04). */
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3Credentials {
  access_key_id?: string;
  secret_access_key?: string;
  region?: string;
  endpoint?: string;
  force_path_style?: boolean;
}

/** True when a destination carries its own key pair (the only way an s3 destination is signed). */
export function hasOwnKeys(c: S3Credentials): c is S3Credentials & { access_key_id: string; secret_access_key: string } {
  return typeof c.access_key_id === 'string' && c.access_key_id !== '' && typeof c.secret_access_key === 'string' && c.secret_access_key !== '';
}

/** Parses `s3://bucket/prefix/`; undefined when it is not one. Bucket names per S3's rules. */
export function parseS3Url(url: string): { bucket: string; prefix: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) return undefined;
  let prefix = m[2] ?? '';
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  if (prefix.includes('..') || prefix.startsWith('/')) return undefined;
  return { bucket: m[1]!, prefix };
}

/**
 * Object key of one message: `<prefix>YYYY/MM/DD/HH/<message id>.ndjson.gz` (UTC hour of the
 * message's creation, which is encoded in its id), so a retry overwrites the same object
 * instead of adding a duplicate.
 */
export function objectKey(prefix: string, messageId: string, createdAtMs: number, suffix: string): string {
  const d = new Date(createdAtMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${prefix}${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${p(d.getUTCHours())}/${messageId}${suffix}`;
}

/**
 * Writes one object to an S3-compatible bucket with the same containment as HTTP deliveries:
 * the SSRF-guarded DNS lookup on every connection, connect and request timeouts.
 */
export class S3Writer {
  /** The AWS SDK (~20 MB) is loaded when the first S3 destination is used, not at start. */
  private readonly client: Promise<S3Client>;
  private readonly agents: [HttpAgent, HttpsAgent];

  constructor(
    readonly target: S3Destination,
    lookup: LookupFunction,
    timeouts: { connectMs: number; totalMs: number },
  ) {
    this.agents = [new HttpAgent({ keepAlive: true, maxSockets: 2, lookup }), new HttpsAgent({ keepAlive: true, maxSockets: 2, lookup })];
    this.client = import('@aws-sdk/client-s3').then(({ S3Client }) => new S3Client({
      region: target.region,
      endpoint: target.endpoint,
      forcePathStyle: target.forcePathStyle,
      // Static credentials only: with none the SDK would fall back to the default chain (the
      // server's environment, profile, instance role) and sign the tenant's request with it.
      credentials: async () => ({ accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey }),
      // Likewise the endpoint: the destination's, or AWS's for its region, never AWS_ENDPOINT_URL*
      // or endpoint_url from the server's environment or shared config files.
      ignoreConfiguredEndpointUrls: true,
      requestChecksumCalculation: target.endpoint === undefined ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED',
      maxAttempts: 1, // our own retry schedule applies
      requestHandler: {
        connectionTimeout: timeouts.connectMs,
        requestTimeout: timeouts.totalMs,
        throwOnRequestTimeout: true,
        httpAgent: this.agents[0],
        httpsAgent: this.agents[1],
      },
    }));
    this.client.catch(() => undefined); // reported by put()
  }

  async put(key: string, body: Buffer, contentType: string, contentEncoding?: string): Promise<SendResult> {
    const { PutObjectCommand, S3ServiceException } = await import('@aws-sdk/client-s3');
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    try {
      const client = await this.client;
      const out = await client.send(
        new PutObjectCommand({ Bucket: this.target.bucket, Key: key, Body: body, ContentType: contentType, ContentEncoding: contentEncoding }),
      );
      return { ok: true, status: out.$metadata.httpStatusCode ?? 200, body: key, latencyMs: latencyMs() };
    } catch (err) {
      if (err instanceof S3ServiceException) {
        return { ok: false, status: err.$metadata.httpStatusCode, body: err.name, error: `s3_${err.name}`, latencyMs: latencyMs() };
      }
      const e = err as NodeJS.ErrnoException;
      const code = e.code === 'ssrf_blocked' || /forbidden address/.test(e.message) ? 'ssrf_blocked' : e.name === 'TimeoutError' ? 'timeout' : 'connection_failed';
      return { ok: false, error: code, latencyMs: latencyMs() };
    }
  }

  close(): void {
    void this.client.then((c) => c.destroy(), () => undefined);
    for (const a of this.agents) a.destroy();
  }
}
