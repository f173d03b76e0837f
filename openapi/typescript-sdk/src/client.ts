import { randomUUID } from 'node:crypto';
import { ActionSchemas, type ActionSchemaOptions } from './action-schemas.js';
import { DurableBuffer, type BufferOptions } from './buffer.js';
import { Delivery } from './delivery.js';
import { VeritrailDeliveryError, VeritrailError, VeritrailValidationError, type FailedEvent } from './errors.js';
import { EventsApi, feed, IntegrityApi, ViewerTokensApi, type FeedOptions } from './reads.js';
import { Transport, type FetchLike, type RetryPolicy } from './transport.js';
import type { AuditEvent, ClientStats, FeedPage, Queued } from './types.js';
import { EVENT_LIMITS, eventErrors } from './validate.js';
import { verifyWebhook } from './webhooks.js';

export interface VeritrailOptions {
  /** An API key (`vt_…`) with `events:write` to send events, `events:read` to read. */
  apiKey: string;
  /** Where the API is, e.g. `https://audit.example.com`. */
  baseUrl: string;
  /** Events per request, 1–1000. Default 500. */
  batchSize?: number;
  /** A batch is sent at the latest this long after its oldest event was handed over. Default 200 ms. */
  flushIntervalMs?: number;
  /** Request body limit per batch. Default 4 MiB (the API takes 5 MB). */
  maxBatchBytes?: number;
  /** Batches in flight at once. Default 2. */
  concurrency?: number;
  /** Without a buffer: events held in memory beyond which event() fails with `queue_full`. Default 100 000. */
  maxQueuedEvents?: number;
  /** Per HTTP request. Default 30 000 ms. */
  timeoutMs?: number;
  /**
   * Backoff for delivery. Default: initial 100 ms, cap 30 s, attempts unlimited. With a buffer
   * attempts are always unlimited (the events wait on disk).
   */
  retry?: Partial<RetryPolicy>;
  /** Validate events locally before queueing (default true). */
  validate?: boolean;
  /**
   * Also validate each event's metadata locally with its action's schema
   * (`PUT /v1/actions/{action}/schema`), fetched from `GET /v1/actions/{action}/schema` and
   * cached, with the server's verdict: an event the server would refuse (enforce mode, unknown
   * `schema_version`) rejects at once with a VeritrailValidationError (`schema_mismatch` per
   * failing path). Needs the key to hold `events:read` as well, and the optional peer
   * dependencies `ajv`, `ajv-formats` and `re2js`. Default off. Ignored with `validate: false`.
   */
  actionSchemas?: boolean | ActionSchemaOptions;
  /** Durable local buffer: events are on disk before event() resolves. */
  buffer?: BufferOptions;
  /**
   * Called when events are refused by the API for good (or run out of retries), and for buffer
   * I/O problems. Default: a process warning with the error code and count (never event content).
   */
  onError?: (error: VeritrailError, events: FailedEvent[]) => void;
  /** A fetch implementation (proxies, instrumentation). Default: the global fetch. */
  fetch?: FetchLike;
}

const READ_RETRY: RetryPolicy = { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 5_000 };

/**
 * The Veritrail client.
 *
 *   const audit = new Veritrail({ apiKey, baseUrl });
 *   await audit.event({ action: 'user.login', actor: { type: 'user', id: 'u_1' } });
 *   await audit.close(); // on shutdown: delivers what is queued
 */
export class Veritrail {
  /** Webhook signature verification (Standard Webhooks), no client needed. */
  static readonly webhooks = { verify: verifyWebhook };

  readonly events: EventsApi;
  readonly viewerTokens: ViewerTokensApi;
  readonly integrity: IntegrityApi;

  readonly #transport: Transport;
  readonly #validate: boolean;
  readonly #schemas: ActionSchemas | undefined;
  readonly #maxQueued: number;
  readonly #readRetry: RetryPolicy;
  #delivery!: Delivery;
  #buffer: DurableBuffer | undefined;
  readonly #ready: Promise<void>;
  #closed = false;

  constructor(options: VeritrailOptions) {
    if (!options || typeof options !== 'object') throw new VeritrailError('invalid_configuration', 'Options are required: { apiKey, baseUrl }.');
    const timeoutMs = positive('timeoutMs', options.timeoutMs, 30_000);
    this.#transport = new Transport({ apiKey: options.apiKey, baseUrl: options.baseUrl, fetch: options.fetch, timeoutMs });
    this.#validate = options.validate ?? true;
    this.#maxQueued = positive('maxQueuedEvents', options.maxQueuedEvents, 100_000);
    const retry: RetryPolicy = {
      maxAttempts: positive('retry.maxAttempts', options.retry?.maxAttempts, Infinity),
      initialDelayMs: positive('retry.initialDelayMs', options.retry?.initialDelayMs, 100),
      maxDelayMs: positive('retry.maxDelayMs', options.retry?.maxDelayMs, 30_000),
    };
    this.#readRetry = { ...READ_RETRY, initialDelayMs: Math.min(READ_RETRY.initialDelayMs, retry.initialDelayMs) };
    const batchSize = positive('batchSize', options.batchSize, 500);
    if (batchSize > EVENT_LIMITS.batchEvents) throw new VeritrailError('invalid_configuration', `batchSize must be at most ${EVENT_LIMITS.batchEvents}.`);
    const deliveryOptions = {
      batchSize,
      flushIntervalMs: positive('flushIntervalMs', options.flushIntervalMs, 200, true),
      maxBatchBytes: positive('maxBatchBytes', options.maxBatchBytes, 4 * 1024 * 1024),
      concurrency: positive('concurrency', options.concurrency, 2),
      retry,
      onError: options.onError ?? defaultOnError,
    };
    const schemas = options.actionSchemas;
    this.#schemas = this.#validate && schemas ? new ActionSchemas(this.#transport, this.#readRetry, schemas === true ? {} : schemas) : undefined;
    this.events = new EventsApi(this.#transport, this.#readRetry);
    this.viewerTokens = new ViewerTokensApi(this.#transport);
    this.integrity = new IntegrityApi(this.#transport, this.#readRetry);

    if (!options.buffer) {
      this.#delivery = new Delivery(this.#transport, deliveryOptions);
      this.#ready = Promise.resolve();
    } else {
      if (typeof options.buffer.dir !== 'string' || options.buffer.dir.length === 0) throw new VeritrailError('invalid_configuration', 'buffer.dir is required.');
      this.#ready = DurableBuffer.open(options.buffer).then(({ buffer, recovered }) => {
        this.#buffer = buffer;
        this.#delivery = new Delivery(this.#transport, { ...deliveryOptions, buffer });
        // Events a previous process buffered and the API has not acknowledged: send them first.
        for (const r of recovered) {
          const key = keyOf(r.json);
          this.#delivery.enqueue({ key: key.idempotency_key, action: key.action, json: r.json, bytes: Buffer.byteLength(r.json), location: r.location });
        }
      });
      this.#ready.catch(() => undefined); // surfaced by event(), flush() and ready()
    }
  }

  /** Resolves once the durable buffer is open and recovered (event() waits for it anyway). */
  async ready(): Promise<void> {
    await this.#ready;
  }

  /**
   * Validates the event, assigns an `idempotency_key` when it has none, and queues it — on disk
   * (fsynced) first when a buffer is configured. Resolves with the key once queued; delivery
   * happens in batches in the background (see flush()). Rejects with a VeritrailValidationError
   * for an invalid event, `buffer_full` / `queue_full` when there is no room, `client_closed`
   * after close().
   */
  async event(input: AuditEvent): Promise<Queued> {
    if (this.#closed) throw new VeritrailError('client_closed', 'The client is closed.');
    const prepared = prepare(input, this.#validate);
    if (this.#schemas) {
      const problems = await this.#schemas.errors(input);
      if (problems.length > 0) throw new VeritrailValidationError(problems);
    }
    await this.#ready;
    if (this.#closed) throw new VeritrailError('client_closed', 'The client is closed.');
    if (!this.#buffer && this.#delivery.size >= this.#maxQueued) {
      throw new VeritrailError('queue_full', `${this.#delivery.size} events are waiting for the API; the event was not recorded. Configure a durable buffer or raise maxQueuedEvents.`);
    }
    const location = this.#buffer ? await this.#buffer.append(prepared.json) : undefined;
    this.#delivery.enqueue({ key: prepared.key, action: prepared.action, json: prepared.json, bytes: Buffer.byteLength(prepared.json), location });
    return { idempotency_key: prepared.key };
  }

  /**
   * Sends every event handed over so far without waiting for the interval, and resolves once
   * each is acknowledged. Rejects with a VeritrailDeliveryError (`delivery_failed`) listing the
   * events the API refused, or (`flush_timeout`) when `timeoutMs` passed first.
   */
  async flush(options: { timeoutMs?: number } = {}): Promise<void> {
    await this.#ready;
    await this.#delivery.flush(options.timeoutMs);
  }

  /**
   * Stops taking events, delivers what is queued (waiting at most `timeoutMs`, default 30 s)
   * and releases the buffer. Without a buffer, events still undelivered then are lost and
   * reported in the rejection; with one, they stay on disk for the next start.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#ready;
    } catch {
      return; // the buffer never opened: nothing was accepted
    }
    const { undelivered, error } = await this.#delivery.close(options.timeoutMs ?? 30_000);
    await this.#buffer?.close();
    if (error instanceof VeritrailDeliveryError && error.code === 'delivery_failed') throw error;
    if (!this.#buffer && undelivered > 0) {
      const failures = error instanceof VeritrailDeliveryError ? error.failures : [];
      throw new VeritrailDeliveryError('flush_timeout', `${undelivered} events could not be delivered before close() and are lost (no durable buffer).`, failures, undelivered);
    }
    if (error instanceof VeritrailDeliveryError && error.failures.length > 0) throw error;
  }

  /** Counters for monitoring. */
  stats(): ClientStats {
    const base = this.#delivery?.stats() ?? { pending: 0, in_flight: 0, delivered: 0, failed: 0, requests: 0, retries: 0 };
    return { ...base, buffered_bytes: this.#buffer?.bytes ?? 0 };
  }

  /** The SIEM feed: pages of events, each exactly once; see FeedOptions. */
  feed(options: FeedOptions = {}): AsyncGenerator<FeedPage, void, undefined> {
    return feed(this.#transport, this.#readRetry, options);
  }

  /** Keeps the API key out of console.log / util.inspect output. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Veritrail { baseUrl: '${this.#transport.baseUrl}', buffer: ${this.#buffer ? `'${this.#buffer.dir}'` : 'none'} }`;
  }

  toJSON(): Record<string, unknown> {
    return { baseUrl: this.#transport.baseUrl };
  }
}

class NonFiniteNumber extends Error {}

function prepare(input: AuditEvent, validate: boolean): { json: string; key: string; action: string } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new VeritrailValidationError([{ field: '', code: 'invalid_type', message: 'Must be object.' }]);
  }
  const event = {
    ...input,
    occurred_at: input.occurred_at ?? new Date().toISOString(),
    idempotency_key: input.idempotency_key ?? randomUUID(),
  };
  let json: string;
  try {
    // JSON.stringify writes NaN and ±Infinity as null: a silent change the server cannot see, so refused here.
    json = JSON.stringify(event, (_key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new NonFiniteNumber();
      return value;
    });
  } catch (err) {
    if (err instanceof NonFiniteNumber) {
      throw new VeritrailValidationError([{ field: '', code: 'unrepresentable_number', message: 'The event holds NaN or an infinite number, which JSON cannot carry.' }]);
    }
    // BigInt values, cycles: not JSON.
    throw new VeritrailValidationError([{ field: '', code: 'invalid_json', message: `The event cannot be serialised as JSON (${(err as Error).message}).` }]);
  }
  if (validate) {
    const errors = eventErrors(JSON.parse(json));
    if (errors.length > 0) throw new VeritrailValidationError(errors);
  }
  return { json, key: String(event.idempotency_key), action: String(input.action) };
}

function keyOf(json: string): { idempotency_key: string; action: string } {
  const e = JSON.parse(json) as { idempotency_key?: unknown; action?: unknown };
  return { idempotency_key: String(e.idempotency_key ?? ''), action: String(e.action ?? '') };
}

function positive(name: string, value: number | undefined, fallback: number, zeroOk = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < (zeroOk ? 0 : 1)) {
    throw new VeritrailError('invalid_configuration', `${name} must be a ${zeroOk ? 'non-negative' : 'positive'} number.`);
  }
  return value;
}

function defaultOnError(error: VeritrailError, events: FailedEvent[]): void {
  process.emitWarning(`Veritrail: ${events.length > 0 ? `${events.length} events not delivered` : 'delivery problem'} (${error.code}${error.status ? `, HTTP ${error.status}` : ''}${error.requestId ? `, request ${error.requestId}` : ''}).`, {
    code: 'VERITRAIL_DELIVERY',
  });
}
