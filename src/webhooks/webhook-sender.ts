import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { S3Writer, type S3Destination } from './s3-destination.js';
import { isForbiddenAddress } from './ssrf.js';
import { deliverSyslog, type SyslogTarget, type SyslogTls } from './syslog-destination.js';

/** Bytes of a response body kept for the delivery log; the rest is never read. */
export const RESPONSE_BODY_CAP = 1024;

export interface SendResult {
  ok: boolean;
  status?: number;
  /** First RESPONSE_BODY_CAP bytes of the body, as text; never from an internal address. */
  body?: string;
  /** Stable reason when there is no HTTP answer: ssrf_blocked, timeout, connect_timeout, connection_failed, dns_failed (syslog also tls_failed). */
  error?: string;
  latencyMs: number;
  /** From a Retry-After header (seconds or HTTP date), in ms. */
  retryAfterMs?: number;
}

export type Resolver = (hostname: string, cb: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, cb) => dnsLookup(hostname, { all: true }, cb);

class BlockedError extends Error {
  code = 'ssrf_blocked';
}

/**
 * Sends one HTTP request to a destination, with every failure contained: connect and total
 * timeouts, at most RESPONSE_BODY_CAP bytes read, no redirects followed, and the SSRF check on
 * every address DNS returns at connect time (rebinding) unless WEBHOOKS_ALLOW_PRIVATE.
 */
@Injectable()
export class WebhookSender {
  /** Replaceable DNS resolution (tests use a stub resolver to simulate rebinding). */
  resolver: Resolver = systemResolver;
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 4 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 4 });
  private readonly s3Writers = new Map<string, S3Writer>();

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  close(): void {
    for (const w of this.s3Writers.values()) w.close();
    this.s3Writers.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /**
   * A socket lookup that resolves through `resolver` and refuses the connection when any address
   * is forbidden (unless WEBHOOKS_ALLOW_PRIVATE): the connect-time half of the SSRF guard.
   */
  guardedLookup(): LookupFunction {
    const allowPrivate = this.config.webhooks.allowPrivate;
    return (hostname, options, cb) => {
      this.resolver(hostname, (err, addresses) => {
        if (err) return cb(err, '', 4);
        const usable = allowPrivate ? addresses : addresses.filter((a) => !isForbiddenAddress(a.address));
        if (usable.length === 0 || usable.length !== addresses.length) return cb(new BlockedError(`${hostname} resolves to a forbidden address`), '', 4);
        if ((options as { all?: boolean }).all) return (cb as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        const first = usable[0]!;
        cb(null, first.address, first.family);
      });
    };
  }

  /** One S3 client per destination version (its settings are part of the cache key). */
  s3Writer(cacheKey: string, target: S3Destination): S3Writer {
    let w = this.s3Writers.get(cacheKey);
    if (!w) {
      w = new S3Writer(target, this.guardedLookup(), { connectMs: this.config.webhooks.connectTimeoutMs, totalMs: this.config.webhooks.timeoutMs });
      this.s3Writers.set(cacheKey, w);
      if (this.s3Writers.size > 1000) {
        const [oldest] = this.s3Writers.keys();
        this.s3Writers.get(oldest!)?.close();
        this.s3Writers.delete(oldest!);
      }
    }
    return w;
  }

  /** A syslog destination: framed messages over one TCP or TLS connection, under the same SSRF guard and timeouts. */
  sendSyslog(target: SyslogTarget, tls: SyslogTls, payload: Buffer): Promise<SendResult> {
    const { connectTimeoutMs, timeoutMs, allowPrivate } = this.config.webhooks;
    if (!allowPrivate && isIP(target.host) !== 0 && isForbiddenAddress(target.host)) return Promise.resolve({ ok: false, error: 'ssrf_blocked', latencyMs: 0 });
    return deliverSyslog(target, tls, payload, this.guardedLookup(), { connectMs: connectTimeoutMs, totalMs: timeoutMs });
  }

  /**
   * `internal`: the answer is read by us and never shown or stored (an OAuth token answer), so it
   * is kept whatever the address and up to `bodyCap` bytes.
   */
  send(url: URL, headers: Record<string, string>, body: Buffer, opts: { internal?: boolean; bodyCap?: number } = {}): Promise<SendResult> {
    const cap = opts.bodyCap ?? RESPONSE_BODY_CAP;
    const started = performance.now();
    const { connectTimeoutMs, timeoutMs, allowPrivate } = this.config.webhooks;
    const elapsed = () => Math.round(performance.now() - started);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && isIP(host) !== 0 && isForbiddenAddress(host)) {
      return Promise.resolve({ ok: false, error: 'ssrf_blocked', latencyMs: elapsed() });
    }
    const lookup = this.guardedLookup();
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (r: Omit<SendResult, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(total);
        resolve({ ...r, latencyMs: elapsed() });
      };
      const isHttps = url.protocol === 'https:';
      const req = (isHttps ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(body.length), 'user-agent': 'Veritrail-Webhooks/1' },
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        lookup,
      });
      const total = setTimeout(() => {
        finish({ ok: false, error: 'timeout' });
        req.destroy();
      }, timeoutMs);
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        const t = setTimeout(() => {
          finish({ ok: false, error: 'connect_timeout' });
          req.destroy();
        }, connectTimeoutMs);
        socket.once('connect', () => clearTimeout(t));
        socket.once('close', () => clearTimeout(t));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        const code = err instanceof BlockedError ? 'ssrf_blocked' : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? 'dns_failed' : 'connection_failed';
        finish({ ok: false, error: code });
      });
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
        // An internal address is reachable only with WEBHOOKS_ALLOW_PRIVATE: its answer is never
        // kept, or a destination would be a way to read internal services (status and timing only).
        const remote = res.socket?.remoteAddress;
        const keepBody = opts.internal === true || (remote !== undefined && !isForbiddenAddress(remote));
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () => {
          const text = keepBody ? responseText(Buffer.concat(chunks), cap) : undefined;
          finish({ ok: status >= 200 && status < 300, status, body: text, retryAfterMs });
        };
        res.on('data', (chunk: Buffer) => {
          if (kept < cap) {
            chunks.push(chunk);
            kept += chunk.length;
          }
          if (kept >= cap) {
            // Enough for the log: stop reading (a 1 GB answer costs nothing more).
            done();
            res.destroy();
            req.destroy();
          }
        });
        res.on('end', done);
        res.on('error', done);
        res.on('close', done);
      });
      req.end(body);
    });
  }
}

export function parseRetryAfter(v: string | string[] | undefined): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * The first `cap` bytes of a response body as text for the delivery log. NUL becomes U+FFFD:
 * PostgreSQL text cannot hold it, and a receiver answering 2xx with a NUL in its body would
 * otherwise make every record of its successes fail, and its batches be resent forever.
 */
export function responseText(body: Buffer, cap: number): string {
  return body.subarray(0, cap).toString('utf8').replaceAll('\u0000', '\uFFFD');
}
