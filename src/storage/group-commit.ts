import { OverloadedError, StorageUnavailableError, AppError } from '../common/errors.js';

export interface GroupCommitOptions<T> {
  name: string;
  /** Writes one batch; must throw if anything in it may not be durable. */
  flush: (items: T[]) => Promise<void>;
  /**
   * Instead of {@link flush}: writes the batch `take()` returns, calling it once, at the last
   * moment before the write starts (e.g. once the engine grants the writer its turn). Callers that
   * arrive while the flush waits for its turn join it instead of waiting for the next flush.
   */
  flushWhenReady?: (take: () => T[]) => Promise<void>;
  /** Flush once this many items are waiting. */
  maxBatchSize: number;
  /** Flush at most this long after the first waiting item arrived. 0 = next tick. */
  lingerMs: number;
  /** Items waiting (not yet in a flush) beyond this are refused with {@link OverloadedError}. */
  maxQueueSize: number;
  /** Flushes allowed in flight at once. */
  maxConcurrentFlushes: number;
  observe?: (o: { items: number; waitMs: number; flushMs: number; ok: boolean }) => void;
  onError?: (err: unknown, items: number) => void;
}

interface Pending<T> {
  items: T[];
  enqueuedAt: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: callers' items are gathered for a few milliseconds and written together in one
 * flush (one INSERT), and every caller is answered only after that flush returned — so a
 * caller's acknowledgement always means "durably written". One caller's items are never split
 * across flushes. A failed flush fails every caller in it (nothing acknowledged). When the
 * queue is full new writes are refused at once (back-pressure) instead of growing memory.
 * On shutdown {@link drain} flushes what is queued and waits for flushes in flight.
 */
export class GroupCommitWriter<T> {
  private queue: Pending<T>[] = [];
  private queuedItems = 0;
  private inFlight = 0;
  /** A started flush that has not taken its batch yet (it will take whatever is queued then). */
  private waitingToTake = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: GroupCommitOptions<T>) {}

  /** Resolves once the items are durably written; rejects if they were not. */
  write(items: T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new StorageUnavailableError('The service is shutting down; nothing was stored. Retry later.'));
    if (this.queuedItems + items.length > this.opts.maxQueueSize && this.queuedItems > 0) {
      return Promise.reject(new OverloadedError());
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ items, enqueuedAt: performance.now(), resolve, reject });
      this.queuedItems += items.length;
      this.schedule();
    });
  }

  /** Items waiting for a flush. */
  get depth(): number {
    return this.queuedItems;
  }

  get flushesInFlight(): number {
    return this.inFlight;
  }

  /** Stops accepting writes, flushes everything queued and waits for flushes in flight. */
  async drain(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /**
   * Writes what is queued now, without waiting for the linger, and resolves once the queue is
   * empty and no flush is in flight. Writes keep being accepted (tests use it to know that every
   * background entry of the requests they made is committed, instead of sleeping).
   */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0 || this.inFlight > 0) {
      if (this.queue.length > 0 && this.inFlight < this.opts.maxConcurrentFlushes && !this.waitingToTake) {
        void this.flushNext();
        continue;
      }
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private schedule(): void {
    if (this.inFlight >= this.opts.maxConcurrentFlushes) return; // a finishing flush picks the queue up
    if (this.waitingToTake) return; // a flush about to take the queue picks it up
    if (this.queuedItems >= this.opts.maxBatchSize) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      void this.flushNext();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flushNext();
      }, this.opts.lingerMs);
    }
  }

  private async flushNext(): Promise<void> {
    if (this.queue.length === 0 || this.waitingToTake) return;
    this.inFlight++;
    let batch: Pending<T>[] | undefined;
    let count = 0;
    let started = performance.now();
    const late = this.opts.flushWhenReady !== undefined;
    // Take whole callers until the batch is full (a single oversized caller goes alone).
    const take = (): T[] => {
      if (batch) throw new Error(`group commit ${this.opts.name}: a flush took its batch twice`);
      if (late) this.waitingToTake = false;
      batch = [];
      while (this.queue.length > 0) {
        const next = this.queue[0]!;
        if (count > 0 && count + next.items.length > this.opts.maxBatchSize) break;
        batch.push(this.queue.shift()!);
        count += next.items.length;
      }
      this.queuedItems -= count;
      started = performance.now();
      // What the batch could not hold may start its own flush if more may run at once.
      if (late && this.queue.length > 0) this.schedule();
      return batch.length === 1 ? batch[0]!.items : batch.flatMap((p) => p.items);
    };
    if (late) this.waitingToTake = true;
    let ok = true;
    let failure: unknown;
    try {
      if (late) await this.opts.flushWhenReady!(take);
      else await this.opts.flush(take());
      // A flush that never took its batch wrote none of it.
      if (!batch) throw new Error(`group commit ${this.opts.name}: the flush did not take its batch`);
    } catch (err) {
      ok = false;
      failure = err;
    } finally {
      if (!batch) take(); // the flush failed before its turn: the callers it would have taken fail
      this.inFlight--;
    }
    const taken = batch!;
    if (!ok) {
      safely(() => this.opts.onError?.(failure, count));
      const e = failure instanceof AppError ? failure : new StorageUnavailableError(undefined, failure);
      for (const p of taken) p.reject(e);
    }
    const flushMs = performance.now() - started;
    if (taken.length > 0) safely(() => this.opts.observe?.({ items: count, waitMs: started - taken[0]!.enqueuedAt, flushMs, ok }));
    if (ok) for (const p of taken) p.resolve();
    // Whatever arrived during this flush has already waited: write it now.
    if (this.queue.length > 0) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      void this.flushNext();
    }
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

/** Observers must never be able to strand callers waiting for their acknowledgement. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // metrics or logging failed; the write outcome is what matters
  }
}
