import { isRetryableStatus, VeritrailApiError, VeritrailError, VeritrailNetworkError, type ErrorDetail } from './errors.js';
import { SDK_VERSION } from './version.js';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface RetryPolicy {
  /** Attempts in total, the first included. Default: unlimited for event delivery, 4 for reads. */
  maxAttempts: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, initialDelayMs · 2^n)] ("full jitter"). */
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: FetchLike;
  /** Per request, connection included. */
  timeoutMs: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Pre-serialised JSON body (the batcher builds it once). */
  rawBody?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * HTTP to the Veritrail API with Node's built-in fetch. Maps every failure to a typed
 * VeritrailError; the API key lives in a private field and is scrubbed from any message.
 */
export class Transport {
  readonly #apiKey: string;
  readonly #fetch: FetchLike;
  readonly baseUrl: string;
  readonly timeoutMs: number;

  constructor(options: TransportOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.length === 0) throw new VeritrailError('invalid_configuration', 'apiKey is required.');
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new VeritrailError('invalid_configuration', 'baseUrl must be an absolute http(s) URL.');
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new VeritrailError('invalid_configuration', 'baseUrl must be an absolute http(s) URL.');
    if (base.username || base.password) throw new VeritrailError('invalid_configuration', 'baseUrl must not carry credentials; pass apiKey.');
    this.baseUrl = base.toString().replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs;
  }

  /** Removes the API key from text that could reach a log (defence in depth: the server never echoes it). */
  redact(text: string): string {
    return text.split(this.#apiKey).join('[redacted]');
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#apiKey}`,
      accept: 'application/json',
      'user-agent': `veritrail-sdk-typescript/${SDK_VERSION} node/${process.versions.node}`,
      ...options.headers,
    };
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';

    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(url, { method, headers, body, signal });
      text = await res.text();
    } catch (err) {
      if (options.signal?.aborted) throw new VeritrailError('aborted', 'The request was aborted.', { cause: options.signal.reason });
      if (timeout.aborted) throw new VeritrailNetworkError('timeout', `No answer from ${url.origin} within ${this.timeoutMs} ms.`);
      throw new VeritrailNetworkError('network_error', `Could not reach ${url.origin}: ${this.redact(describe(err))}.`, err);
    }
    const requestId = res.headers.get('x-request-id') ?? undefined;
    let parsed: unknown = undefined;
    if (text.length > 0 && (res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, body: parsed as T };
    throw this.toError(res.status, res.headers, parsed, requestId);
  }

  private toError(status: number, headers: Headers, body: unknown, requestId: string | undefined): VeritrailApiError {
    const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown; request_id?: unknown } } | undefined)?.error;
    const code = typeof e?.code === 'string' ? e.code : `http_${status}`;
    const message = typeof e?.message === 'string' ? this.redact(e.message) : `The server answered ${status}.`;
    const details = Array.isArray(e?.details) ? (e.details as ErrorDetail[]).map((d) => ({ ...d, message: this.redact(String(d.message ?? '')) })) : [];
    return new VeritrailApiError(code, message, {
      status,
      requestId: typeof e?.request_id === 'string' ? e.request_id : requestId,
      details,
      retryable: isRetryableStatus(status, code),
      retryAfterMs: parseRetryAfter(headers.get('retry-after')),
    });
  }

  /** For idempotent reads: retries retryable failures with backoff, honouring Retry-After. */
  async requestWithRetry<T>(method: string, path: string, options: RequestOptions, policy: RetryPolicy): Promise<ApiResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request<T>(method, path, options);
      } catch (err) {
        if (!(err instanceof VeritrailError) || !err.retryable || attempt + 1 >= policy.maxAttempts) throw err;
        await sleep(retryDelay(attempt, policy, err), options.signal);
      }
    }
  }
}

/** Full-jitter exponential backoff, at least Retry-After when the server sent one. */
export function retryDelay(attempt: number, policy: RetryPolicy, err?: VeritrailError, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt, 30));
  const backoff = Math.floor(random() * ceiling);
  return Math.max(backoff, err?.retryAfterMs ?? 0);
}

/** `Retry-After` in seconds or as an HTTP date → milliseconds (capped at an hour). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, 3_600_000);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new VeritrailError('aborted', 'Aborted.', { cause: signal.reason }));
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(t);
      reject(new VeritrailError('aborted', 'Aborted.', { cause: signal!.reason }));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
