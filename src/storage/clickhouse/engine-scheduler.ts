import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Lanes: who a ClickHouse statement runs for. Each tenant's requests have their own lane; the
 * ingest writer (it batches many tenants' rows into one INSERT) and background jobs have one each;
 * anything else (start-up, health checks, operator requests) shares the system lane.
 */
export const INGEST_LANE = 'ingest';
export const BACKGROUND_LANE = 'background';
export const SYSTEM_LANE = 'system';

export function tenantLane(tenantId: string): string {
  return `tenant:${tenantId}`;
}

/** A tenant's requests (as opposed to ingest, jobs and the system lane). */
export function isTenantLane(lane: string): boolean {
  return lane.startsWith('tenant:');
}

const lanes = new AsyncLocalStorage<string>();

/**
 * Runs `fn` with every ClickHouse statement it issues (directly or through any service it calls)
 * scheduled in `lane`. Set once per request (the tenant's lane), per job run and per ingest flush,
 * so repositories need not pass it along.
 */
export function runInLane<T>(lane: string, fn: () => T): T {
  return lanes.run(lane, fn);
}

export function currentLane(): string {
  return lanes.getStore() ?? SYSTEM_LANE;
}

export interface DispatchEvent {
  lane: string;
  /** Time the statement waited in its lane before it was started. */
  waitMs: number;
}

interface Waiter {
  start: () => void;
  enqueuedAt: number;
  cancel?: () => void;
}

/**
 * Fair access to the engine: at most `concurrency` statements run at once, and when more wait
 * they are started round-robin over the lanes, one statement per lane per turn. A lane with a
 * backlog therefore delays another lane's statement by at most one of its own statements per
 * round, however many it has queued: a tenant firing 16 slow reads costs another tenant's read at
 * most one of them (plus the statement already running), instead of all 16 as in the engine's own
 * first-come-first-served queue.
 *
 * Embedded chDB executes one statement at a time for the whole process (it serialises them
 * internally, in arrival order), so the embedded mode runs with concurrency 1: the order is
 * decided here rather than by whoever called first.
 */
export class EngineScheduler {
  private readonly queues = new Map<string, Waiter[]>();
  /** Lanes with waiting statements, in the order they will be served. */
  private readonly ring: string[] = [];
  private running = 0;
  private readonly listeners = new Set<(e: DispatchEvent) => void>();

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('EngineScheduler needs a concurrency of at least 1');
  }

  /** Statements started but not finished. */
  get active(): number {
    return this.running;
  }

  /** Statements waiting, per lane. */
  waiting(): Map<string, number> {
    return new Map([...this.queues].map(([lane, q]) => [lane, q.length]));
  }

  /** Called synchronously whenever a statement starts; returns an unsubscribe function. */
  onDispatch(listener: (e: DispatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `fn` once `lane` gets its turn and resolves or rejects with its outcome. A statement whose
   * `signal` aborts while it waits is dropped without running.
   */
  schedule<T>(lane: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        enqueuedAt: performance.now(),
        start: () => {
          this.running++;
          this.emit({ lane, waitMs: performance.now() - waiter.enqueuedAt });
          let result: Promise<T>;
          try {
            result = fn();
          } catch (err) {
            result = Promise.reject(err);
          }
          result
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              this.dispatch();
            });
        },
      };
      if (this.running < this.concurrency && this.ring.length === 0) {
        waiter.start();
        return;
      }
      if (signal) {
        const onAbort = () => {
          if (this.remove(lane, waiter)) reject(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.cancel = () => signal.removeEventListener('abort', onAbort);
      }
      const q = this.queues.get(lane);
      if (q) q.push(waiter);
      else {
        this.queues.set(lane, [waiter]);
        this.ring.push(lane);
      }
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.running < this.concurrency && this.ring.length > 0) {
      const lane = this.ring.shift()!;
      const q = this.queues.get(lane)!;
      const next = q.shift()!;
      if (q.length > 0) this.ring.push(lane);
      else this.queues.delete(lane);
      next.cancel?.();
      next.start();
    }
  }

  private remove(lane: string, waiter: Waiter): boolean {
    const q = this.queues.get(lane);
    const i = q ? q.indexOf(waiter) : -1;
    if (!q || i < 0) return false;
    q.splice(i, 1);
    if (q.length === 0) {
      this.queues.delete(lane);
      this.ring.splice(this.ring.indexOf(lane), 1);
    }
    return true;
  }

  private emit(e: DispatchEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // an observer must not break scheduling
      }
    }
  }
}

function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const err = new Error('The statement was cancelled before it ran');
  err.name = 'AbortError';
  return err;
}
