import { describe, it, expect } from 'vitest';
import { AppError, ConflictError, OverloadedError, StorageUnavailableError } from '../common/errors.js';
import { GroupCommitWriter, type GroupCommitOptions } from './group-commit.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function writer<T>(opts: Partial<GroupCommitOptions<T>> & Pick<GroupCommitOptions<T>, 'flush'>): GroupCommitWriter<T> {
  return new GroupCommitWriter<T>({ name: 'test', maxBatchSize: 1000, lingerMs: 5, maxQueueSize: 10_000, maxConcurrentFlushes: 1, ...opts });
}

/** Settles a promise into a value for assertions without unhandled rejections. */
function settle(p: Promise<void>): Promise<{ ok: true } | { ok: false; err: unknown }> {
  return p.then(
    () => ({ ok: true as const }),
    (err: unknown) => ({ ok: false as const, err }),
  );
}

describe('GroupCommitWriter: group commit', () => {
  it('flushes 50 concurrent callers in one flush and resolves them only after it', async () => {
    const events: string[] = [];
    const batches: number[][] = [];
    const w = writer<number>({
      flush: async (items) => {
        events.push('flush-start');
        batches.push([...items]);
        await sleep(10);
        events.push('flush-end');
      },
    });
    const calls = Array.from({ length: 50 }, (_, i) =>
      w.write([i * 3, i * 3 + 1, i * 3 + 2]).then(() => {
        events.push(`resolved-${i}`);
      }),
    );
    expect(w.depth).toBe(150);
    await Promise.all(calls);
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch).toHaveLength(150);
    // Each caller's items are contiguous and unsplit, in the order they were written.
    for (let i = 0; i < 50; i++) {
      const at = batch.indexOf(i * 3);
      expect(batch.slice(at, at + 3)).toEqual([i * 3, i * 3 + 1, i * 3 + 2]);
    }
    expect(batch).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(events[0]).toBe('flush-start');
    expect(events[1]).toBe('flush-end');
    expect(events.slice(2).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `resolved-${i}`).sort());
    expect(w.depth).toBe(0);
  });

  it('does not resolve a caller before its flush resolved', async () => {
    const gate = deferred();
    let flushDone = false;
    const w = writer<string>({
      flush: async () => {
        await gate.promise;
        flushDone = true;
      },
    });
    let resolvedEarly = false;
    const p = w.write(['a']).then(() => {
      resolvedEarly = !flushDone;
    });
    await sleep(30);
    expect(w.flushesInFlight).toBe(1);
    gate.resolve();
    await p;
    expect(resolvedEarly).toBe(false);
  });

  it('an empty write resolves at once without a flush', async () => {
    let flushes = 0;
    const w = writer<number>({ flush: async () => void flushes++ });
    await w.write([]);
    expect(flushes).toBe(0);
  });
});

describe('GroupCommitWriter: maxBatchSize', () => {
  it('flushes items beyond maxBatchSize in further batches, never splitting a caller', async () => {
    const batches: string[][] = [];
    const w = writer<string>({
      maxBatchSize: 10,
      flush: async (items) => {
        batches.push([...items]);
        await sleep(1);
      },
    });
    const callers = Array.from({ length: 9 }, (_, i) => Array.from({ length: 3 }, (_, j) => `c${i}-${j}`));
    await Promise.all(callers.map((items) => w.write(items)));
    expect(batches.flat()).toEqual(callers.flat());
    for (const b of batches) expect(b.length).toBeLessThanOrEqual(10);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const caller of callers) {
      const holder = batches.filter((b) => b.includes(caller[0]!));
      expect(holder).toHaveLength(1);
      const at = holder[0]!.indexOf(caller[0]!);
      expect(holder[0]!.slice(at, at + 3)).toEqual(caller);
    }
  });

  it('flushes a caller larger than maxBatchSize whole, in one flush', async () => {
    const batches: number[][] = [];
    const w = writer<number>({
      maxBatchSize: 10,
      flush: async (items) => {
        batches.push([...items]);
      },
    });
    const small = [1000, 1001, 1002];
    const big = Array.from({ length: 25 }, (_, i) => i);
    await Promise.all([w.write(small), w.write(big), w.write([2000])]);
    const bigBatch = batches.find((b) => b.includes(0));
    expect(bigBatch).toEqual(big);
    expect(batches.flat().sort((a, b) => a - b)).toEqual([...big, ...small, 2000].sort((a, b) => a - b));
  });
});

describe('GroupCommitWriter: failed flush', () => {
  it('rejects every caller of the batch with StorageUnavailableError, later writes still work', async () => {
    let fail = true;
    const observed: { items: number; ok: boolean }[] = [];
    const errors: unknown[] = [];
    const plain = new Error('connection refused to 10.0.0.5:8123');
    const w = writer<number>({
      flush: async () => {
        await sleep(1);
        if (fail) throw plain;
      },
      observe: (o) => observed.push({ items: o.items, ok: o.ok }),
      onError: (err) => errors.push(err),
    });
    const results = await Promise.all([w.write([1]), w.write([2, 3]), w.write([4])].map(settle));
    for (const r of results) {
      expect(r.ok).toBe(false);
      const err = (r as { err: unknown }).err;
      expect(err).toBeInstanceOf(StorageUnavailableError);
      expect((err as AppError).status).toBe(503);
      expect((err as AppError).code).toBe('storage_unavailable');
      expect((err as AppError).publicMessage).not.toContain('10.0.0.5');
      expect((err as Error).cause).toBe(plain);
    }
    expect(errors).toEqual([plain]);
    expect(observed).toEqual([{ items: 4, ok: false }]);

    fail = false;
    await expect(w.write([5])).resolves.toBeUndefined();
    expect(observed[1]).toEqual({ items: 1, ok: true });
  });

  it('passes an AppError thrown by flush through unchanged', async () => {
    const appErr = new ConflictError('conflict', 'Conflict.');
    const w = writer<number>({
      flush: async () => {
        throw appErr;
      },
    });
    const results = await Promise.all([w.write([1]), w.write([2])].map(settle));
    for (const r of results) expect((r as { err: unknown }).err).toBe(appErr);
  });

  it('a synchronous throw from flush also rejects the callers', async () => {
    const w = writer<number>({
      flush: (() => {
        throw new Error('sync');
      }) as unknown as (items: number[]) => Promise<void>,
    });
    const r = await settle(w.write([1]));
    expect(r.ok).toBe(false);
    expect((r as { err: unknown }).err).toBeInstanceOf(StorageUnavailableError);
  });
});

describe('GroupCommitWriter: back-pressure', () => {
  it('refuses writes beyond maxQueueSize with OverloadedError while a flush blocks; earlier ones complete', async () => {
    const gate = deferred();
    const started = deferred();
    const flushed: number[][] = [];
    const w = writer<number>({
      maxQueueSize: 10,
      maxBatchSize: 100,
      lingerMs: 1,
      maxConcurrentFlushes: 1,
      flush: async (items) => {
        started.resolve();
        await gate.promise;
        flushed.push([...items]);
      },
    });
    const first = settle(w.write([0]));
    await started.promise;
    expect(w.flushesInFlight).toBe(1);

    const queued = Array.from({ length: 10 }, (_, i) => settle(w.write([i + 1])));
    expect(w.depth).toBe(10);

    const overloaded = await settle(w.write([99]));
    expect(overloaded.ok).toBe(false);
    const err = (overloaded as { err: unknown }).err as AppError;
    expect(err).toBeInstanceOf(OverloadedError);
    expect(err.status).toBe(503);
    expect(err.code).toBe('overloaded');
    expect(err.headers?.['retry-after']).toBeDefined();
    expect(Number(err.headers?.['retry-after'])).toBeGreaterThan(0);
    // A big write is refused too.
    expect((await settle(w.write([1, 2, 3]))).ok).toBe(false);

    gate.resolve();
    const results = await Promise.all([first, ...queued]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(flushed.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(flushed.flat()).not.toContain(99);

    // Capacity is back.
    await expect(w.write([11])).resolves.toBeUndefined();
  });
});

describe('GroupCommitWriter: drain', () => {
  it('resolves after all queued items were flushed; later writes get a 503', async () => {
    const flushed: number[] = [];
    const w = writer<number>({
      lingerMs: 1000,
      maxBatchSize: 4,
      flush: async (items) => {
        await sleep(5);
        flushed.push(...items);
      },
    });
    const writes = Array.from({ length: 10 }, (_, i) => settle(w.write([i])));
    await sleep(1); // the first batch of 4 flushes at once; the rest waits for the long linger
    await w.drain();
    expect(flushed.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(w.depth).toBe(0);
    expect(w.flushesInFlight).toBe(0);
    expect((await Promise.all(writes)).every((r) => r.ok)).toBe(true);

    const after = await settle(w.write([100]));
    expect(after.ok).toBe(false);
    expect(((after as { err: unknown }).err as AppError).status).toBe(503);
    expect(flushed).not.toContain(100);
  });

  it('flush writes what waits for a long linger now and keeps accepting writes', async () => {
    const flushed: number[] = [];
    const w = writer<number>({
      lingerMs: 60_000,
      flush: async (items) => {
        await sleep(5);
        flushed.push(...items);
      },
    });
    const writes = Array.from({ length: 3 }, (_, i) => settle(w.write([i])));
    expect(flushed).toEqual([]);
    await w.flush();
    expect(flushed).toEqual([0, 1, 2]);
    expect((await Promise.all(writes)).every((r) => r.ok)).toBe(true);
    const later = settle(w.write([3]));
    await w.flush();
    expect(await later).toEqual({ ok: true });
    expect(flushed).toEqual([0, 1, 2, 3]);
  });

  it('drain on an idle writer resolves at once', async () => {
    const w = writer<number>({ flush: async () => {} });
    await expect(w.drain()).resolves.toBeUndefined();
  });
});

describe('GroupCommitWriter: maxConcurrentFlushes', () => {
  it('with 1, two flushes never overlap', async () => {
    let active = 0;
    let maxActive = 0;
    let flushes = 0;
    const w = writer<number>({
      maxBatchSize: 5,
      lingerMs: 1,
      maxConcurrentFlushes: 1,
      flush: async () => {
        active++;
        flushes++;
        maxActive = Math.max(maxActive, active);
        await sleep(3);
        active--;
      },
    });
    const all: Promise<void>[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 12; i++) all.push(w.write([round * 100 + i]));
      await sleep(2);
    }
    await Promise.all(all);
    expect(flushes).toBeGreaterThan(1);
    expect(maxActive).toBe(1);
  });

  it('with 2, at most two flushes run at once', async () => {
    let active = 0;
    let maxActive = 0;
    const w = writer<number>({
      maxBatchSize: 2,
      lingerMs: 1,
      maxConcurrentFlushes: 2,
      flush: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(3);
        active--;
      },
    });
    const all: Promise<void>[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 9; i++) all.push(w.write([i]));
      await sleep(1);
    }
    await Promise.all(all);
    expect(maxActive).toBeLessThanOrEqual(2);
  });
});

describe('GroupCommitWriter: observe', () => {
  it('receives the item count and the ok flag of each flush', async () => {
    const observed: { items: number; ok: boolean; waitMs: number; flushMs: number }[] = [];
    let fail = false;
    const w = writer<number>({
      flush: async () => {
        if (fail) throw new Error('x');
      },
      observe: (o) => observed.push(o),
    });
    await Promise.all([w.write([1, 2]), w.write([3])]);
    fail = true;
    await settle(w.write([4, 5, 6, 7]));
    expect(observed.map((o) => ({ items: o.items, ok: o.ok }))).toEqual([
      { items: 3, ok: true },
      { items: 4, ok: false },
    ]);
    for (const o of observed) {
      expect(o.waitMs).toBeGreaterThanOrEqual(0);
      expect(o.flushMs).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('GroupCommitWriter: flushWhenReady (the batch is taken when the write can start)', () => {
  /** A stand-in for the engine's one statement slot: the flush waits for `turn` before taking. */
  function lateWriter(turn: () => Promise<void>, batches: number[][], opts: Partial<GroupCommitOptions<number>> = {}) {
    return writer<number>({
      flush: () => Promise.reject(new Error('flush must not be used when flushWhenReady is given')),
      flushWhenReady: async (take) => {
        await turn();
        const items = take();
        batches.push([...items]);
        await sleep(5);
      },
      ...opts,
    });
  }

  it('callers arriving while the flush waits for its turn join that flush, and are answered after it', async () => {
    const gate = deferred();
    const batches: number[][] = [];
    const w = lateWriter(() => gate.promise, batches);
    const resolved: number[] = [];
    const first = w.write([1]).then(() => resolved.push(1));
    await sleep(20); // the linger is over: the flush started and waits for its turn
    expect(w.flushesInFlight).toBe(1);
    const later = [w.write([2, 3]).then(() => resolved.push(2)), w.write([4]).then(() => resolved.push(4))];
    await sleep(20);
    expect(batches).toEqual([]); // nothing taken before the turn
    expect(resolved).toEqual([]);
    gate.resolve();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
    expect(resolved.sort()).toEqual([1, 2, 4]);
    expect(w.depth).toBe(0);
  });

  it('takes whole callers up to maxBatchSize at its turn; the rest go in the next flush', async () => {
    const gate = deferred();
    const batches: number[][] = [];
    const w = lateWriter(() => gate.promise, batches, { maxBatchSize: 4 });
    const calls = [w.write([1])];
    await sleep(20);
    calls.push(w.write([2, 3]), w.write([4, 5]), w.write([6]));
    gate.resolve();
    await Promise.all(calls);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('a flush failing before its turn fails the callers it would have taken, and nothing is acknowledged', async () => {
    const batches: number[][] = [];
    let refuse = true;
    const w = lateWriter(async () => {
      if (refuse) throw new StorageUnavailableError('engine unavailable');
    }, batches);
    const results = await Promise.all([settle(w.write([1])), settle(w.write([2]))]);
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect((results[0] as { err: unknown }).err).toBeInstanceOf(StorageUnavailableError);
    expect(batches).toEqual([]);
    expect(w.depth).toBe(0);
    refuse = false;
    await w.write([3]);
    expect(batches).toEqual([[3]]);
  });

  it('a flush that returns without taking its batch fails those callers instead of acknowledging them', async () => {
    const w = writer<number>({ flush: async () => undefined, flushWhenReady: async () => undefined });
    const r = await settle(w.write([1]));
    expect(r.ok).toBe(false);
    expect((r as { err: unknown }).err).toBeInstanceOf(StorageUnavailableError);
    expect(w.depth).toBe(0);
  });

  it('drain waits for a flush still waiting for its turn and writes what joined it', async () => {
    const gate = deferred();
    const batches: number[][] = [];
    const w = lateWriter(() => gate.promise, batches);
    const a = w.write([1]);
    await sleep(20);
    const b = w.write([2]);
    const drained = w.drain();
    setTimeout(() => gate.resolve(), 10);
    await Promise.all([a, b, drained]);
    expect(batches.flat()).toEqual([1, 2]);
    expect(w.flushesInFlight).toBe(0);
  });
});
