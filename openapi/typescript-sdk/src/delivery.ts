import { createHash } from 'node:crypto';
import type { DurableBuffer, Location } from './buffer.js';
import { VeritrailApiError, VeritrailDeliveryError, VeritrailError, type ErrorDetail, type FailedEvent } from './errors.js';
import { retryDelay, sleep, type RetryPolicy, type Transport } from './transport.js';
import type { ClientStats } from './types.js';

/** One event on its way to the API. */
export interface Item {
  seq: number;
  key: string;
  action: string;
  /** The event as JSON, exactly as it is sent (and buffered). */
  json: string;
  bytes: number;
  enqueuedAt: number;
  location?: Location;
}

export interface DeliveryOptions {
  batchSize: number;
  flushIntervalMs: number;
  maxBatchBytes: number;
  concurrency: number;
  retry: RetryPolicy;
  buffer?: DurableBuffer;
  onError: (error: VeritrailError, events: FailedEvent[]) => void;
}

interface Waiter {
  target: number;
  resolve: () => void;
  reject: (e: unknown) => void;
  timer?: ReturnType<typeof setTimeout>;
}

/** Envelope bytes of `{"events":[…]}` around the events. */
const ENVELOPE = '{"events":[]}'.length;
const MAX_KEPT_FAILURES = 10_000;
/** Answers that may be about one event of the batch: split the batch to find it. */
const SPLITTABLE = new Set([400, 413, 422]);

/**
 * Batches events to `POST /v1/events/batch` by size or age, with an `Idempotency-Key` per
 * batch (derived from its events' keys) on top of each event's own `idempotency_key`, so any
 * retry — of the same batch, or of the same event in another batch after a restart — is
 * stored once. Retries network errors, 408, 429 (after Retry-After), 5xx and
 * `409 idempotency_key_in_use` with full-jitter exponential backoff; never other 4xx. A batch
 * refused for some of its events fails those events and sends the others again.
 */
export class Delivery {
  private queue: Item[] = [];
  private head = 0;
  private forced: Item[][] = [];
  private inFlight = 0;
  private inFlightEvents = 0;
  private readonly inFlightKeys = new Map<string, number>();
  /** Unsettled events by seq; a Map iterates in insertion (= seq) order. */
  private readonly outstanding = new Map<number, Item>();
  private failures: (FailedEvent & { seq: number })[] = [];
  private waiters: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = 0;
  private flushTarget = 0;
  private nextSeq = 1;
  private closing = false;
  private readonly abort = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private counters = { delivered: 0, failed: 0, requests: 0, retries: 0 };

  constructor(
    private readonly transport: Transport,
    private readonly options: DeliveryOptions,
  ) {}

  get size(): number {
    return this.outstanding.size;
  }

  enqueue(item: Omit<Item, 'seq' | 'enqueuedAt'>): void {
    const full: Item = { ...item, seq: this.nextSeq++, enqueuedAt: Date.now() };
    this.outstanding.set(full.seq, full);
    this.queue.push(full);
    this.pump();
  }

  stats(): Omit<ClientStats, 'buffered_bytes'> {
    return { pending: this.outstanding.size, in_flight: this.inFlightEvents, ...this.counters };
  }

  /** Sends everything handed over so far; settles when each of those events is delivered or failed. */
  flush(timeoutMs?: number): Promise<void> {
    const target = this.nextSeq - 1;
    this.flushTarget = Math.max(this.flushTarget, target);
    this.pump();
    if (this.minOutstanding() > target) return this.collect(target);
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { target, resolve, reject };
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
        w.timer = setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          const undelivered = [...this.outstanding.keys()].filter((s) => s <= target).length;
          reject(new VeritrailDeliveryError('flush_timeout', `${undelivered} events were not delivered within ${timeoutMs} ms.`, this.takeFailures(target), undelivered));
        }, timeoutMs);
      }
      this.waiters.push(w);
    });
  }

  /** Flushes, then stops: requests still running are aborted (their events stay buffered, if there is a buffer). */
  async close(timeoutMs: number): Promise<{ undelivered: number; error?: unknown }> {
    this.closing = true;
    let error: unknown;
    try {
      await this.flush(timeoutMs);
    } catch (err) {
      error = err;
    }
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.running]);
    return { undelivered: this.outstanding.size, error };
  }

  private minOutstanding(): number {
    for (const seq of this.outstanding.keys()) return seq;
    return Infinity;
  }

  private collect(target: number): Promise<void> {
    const failed = this.takeFailures(target);
    if (failed.length === 0) return Promise.resolve();
    return Promise.reject(new VeritrailDeliveryError('delivery_failed', `${failed.length} events were refused by the API or ran out of retries.`, failed));
  }

  private takeFailures(target: number): FailedEvent[] {
    const mine = this.failures.filter((f) => f.seq <= target);
    if (mine.length === 0) return [];
    this.failures = this.failures.filter((f) => f.seq > target);
    return mine.map(({ seq: _seq, ...f }) => f);
  }

  private checkWaiters(): void {
    if (this.waiters.length === 0) return;
    const min = this.minOutstanding();
    const done = this.waiters.filter((w) => w.target < min);
    if (done.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.target >= min);
    for (const w of done) {
      if (w.timer) clearTimeout(w.timer);
      this.collect(w.target).then(w.resolve, w.reject);
    }
  }

  private pump(): void {
    if (this.abort.signal.aborted) return;
    while (this.inFlight < this.options.concurrency) {
      let items = this.forced.shift();
      if (!items) {
        if (!this.eligible()) break;
        items = this.form();
        if (items.length === 0) break;
      }
      this.start(items);
    }
    this.armTimer();
  }

  private eligible(): boolean {
    const first = this.queue[this.head];
    if (!first) return false;
    return (
      this.closing ||
      first.seq <= this.flushTarget ||
      this.queue.length - this.head >= this.options.batchSize ||
      Date.now() - first.enqueuedAt >= this.options.flushIntervalMs
    );
  }

  private armTimer(): void {
    const first = this.queue[this.head];
    if (!first || this.inFlight >= this.options.concurrency) return;
    const at = first.enqueuedAt + this.options.flushIntervalMs;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, at - Date.now()),
    );
  }

  /** The next batch: oldest first, within the count and byte limits, no key twice and none in flight. */
  private form(): Item[] {
    const batch: Item[] = [];
    const keys = new Set<string>();
    const skipped: Item[] = [];
    let bytes = ENVELOPE;
    while (this.head < this.queue.length && batch.length < this.options.batchSize) {
      const it = this.queue[this.head]!;
      if (keys.has(it.key) || this.inFlightKeys.has(it.key)) {
        skipped.push(it);
        this.head++;
        if (skipped.length >= this.options.batchSize) break;
        continue;
      }
      if (batch.length > 0 && bytes + it.bytes + 1 > this.options.maxBatchBytes) break;
      batch.push(it);
      keys.add(it.key);
      bytes += it.bytes + 1;
      this.head++;
    }
    for (let i = skipped.length - 1; i >= 0; i--) this.queue[--this.head] = skipped[i]!;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  private start(items: Item[]): void {
    this.inFlight++;
    this.inFlightEvents += items.length;
    for (const it of items) this.inFlightKeys.set(it.key, (this.inFlightKeys.get(it.key) ?? 0) + 1);
    const run = this.send(items)
      .catch((err: unknown) => this.report(err instanceof VeritrailError ? err : new VeritrailError('internal_error', String(err)), []))
      .finally(() => {
        this.inFlight--;
        this.inFlightEvents -= items.length;
        for (const it of items) {
          const n = (this.inFlightKeys.get(it.key) ?? 1) - 1;
          if (n <= 0) this.inFlightKeys.delete(it.key);
          else this.inFlightKeys.set(it.key, n);
        }
        this.running.delete(run);
        this.pump();
      });
    this.running.add(run);
  }

  private async send(items: Item[]): Promise<void> {
    const body = `{"events":[${items.map((i) => i.json).join(',')}]}`;
    const idempotencyKey = batchKey(items);
    const unlimited = this.options.buffer !== undefined;
    for (let attempt = 0; ; attempt++) {
      if (this.abort.signal.aborted) return;
      try {
        this.counters.requests++;
        await this.transport.request('POST', '/v1/events/batch', { rawBody: body, headers: { 'idempotency-key': idempotencyKey }, signal: this.abort.signal });
        await this.delivered(items);
        return;
      } catch (err) {
        if (this.abort.signal.aborted) return; // closing: the events stay outstanding (and buffered)
        const e = err instanceof VeritrailError ? err : new VeritrailError('internal_error', String(err));
        if (!e.retryable) return this.refused(items, e);
        if (!unlimited && attempt + 1 >= this.options.retry.maxAttempts) return this.fail(items, () => e);
        this.counters.retries++;
        try {
          await sleep(retryDelay(attempt, this.options.retry, e), this.abort.signal);
        } catch {
          return;
        }
      }
    }
  }

  /** A permanent refusal: fail the events it names, send the others again, split when it names none. */
  private async refused(items: Item[], err: VeritrailError): Promise<void> {
    const named = new Map<number, ErrorDetail[]>();
    if (err.status === 400) {
      for (const d of err.details) {
        const index = d.index ?? indexFromField(d.field);
        if (index === undefined || index < 0 || index >= items.length) continue;
        const list = named.get(index) ?? [];
        list.push({ ...d, index: undefined, field: stripBatchPrefix(d.field) });
        named.set(index, list);
      }
    }
    if (named.size > 0) {
      const bad = items.filter((_, i) => named.has(i));
      const good = items.filter((_, i) => !named.has(i));
      await this.fail(bad, (it) => {
        const details = named.get(items.indexOf(it))!.map(({ index: _index, ...d }) => d);
        return new VeritrailApiError(err.code, err.message, { status: err.status!, requestId: err.requestId, details });
      });
      if (good.length > 0) this.forced.push(good);
      return;
    }
    if (items.length > 1 && err.status !== undefined && SPLITTABLE.has(err.status)) {
      const half = Math.ceil(items.length / 2);
      this.forced.push(items.slice(0, half), items.slice(half));
      return;
    }
    await this.fail(items, () => err);
  }

  private async delivered(items: Item[]): Promise<void> {
    if (this.options.buffer) {
      try {
        await this.options.buffer.settle(items.map((i) => i.location!));
      } catch (err) {
        // Delivered all the same; the events would be sent again after a restart (idempotent).
        this.report(new VeritrailError('buffer_io', 'Delivered events could not be marked in the buffer.', { cause: err }), []);
      }
    }
    for (const it of items) this.outstanding.delete(it.seq);
    this.counters.delivered += items.length;
    this.checkWaiters();
  }

  private async fail(items: Item[], errorOf: (it: Item) => VeritrailError): Promise<void> {
    const failed = items.map((it) => ({ seq: it.seq, idempotency_key: it.key, action: it.action, error: errorOf(it) }));
    if (this.options.buffer) {
      // Kept in rejected.ndjson with the reason; grouped by error to keep each its own reason.
      const byError = new Map<VeritrailError, Item[]>();
      failed.forEach((f, i) => byError.set(f.error, [...(byError.get(f.error) ?? []), items[i]!]));
      for (const [error, group] of byError) {
        try {
          await this.options.buffer.reject(
            group.map((g) => ({ json: g.json, location: g.location! })),
            error,
          );
        } catch (err) {
          this.report(new VeritrailError('buffer_io', 'Refused events could not be moved to rejected.ndjson; they stay buffered.', { cause: err }), []);
        }
      }
    }
    for (const it of items) this.outstanding.delete(it.seq);
    this.counters.failed += items.length;
    this.failures.push(...failed);
    if (this.failures.length > MAX_KEPT_FAILURES) this.failures = this.failures.slice(-MAX_KEPT_FAILURES);
    const byError = new Map<VeritrailError, FailedEvent[]>();
    for (const { seq: _seq, ...f } of failed) byError.set(f.error, [...(byError.get(f.error) ?? []), f]);
    for (const [error, events] of byError) this.report(error, events);
    this.checkWaiters();
  }

  private report(error: VeritrailError, events: FailedEvent[]): void {
    try {
      this.options.onError(error, events);
    } catch {
      // a throwing handler must not stop delivery
    }
  }
}

/** The batch's Idempotency-Key: the same events in the same order give the same key. */
export function batchKey(items: readonly { key: string }[]): string {
  return `sdk_${createHash('sha256')
    .update(items.map((i) => i.key).join('\n'))
    .digest('base64url')}`;
}

function indexFromField(field: string | undefined): number | undefined {
  const m = field ? /^events\[(\d+)\]/.exec(field) : null;
  return m ? Number(m[1]) : undefined;
}

function stripBatchPrefix(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  return field.replace(/^events\[\d+\]\.?/, '');
}
