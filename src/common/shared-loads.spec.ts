import { describe, expect, it } from 'vitest';
import { SharedLoads } from './shared-loads.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SharedLoads', () => {
  it('callers arriving while a load runs share it; after it settles (even failed) the next caller loads afresh', async () => {
    const loads = new SharedLoads<string, number>();
    let started = 0;
    const d = deferred<number>();
    const a = loads.get('t1', () => (started++, d.promise));
    const b = loads.get('t1', () => (started++, Promise.resolve(99)));
    expect(b).toBe(a);
    expect(started).toBe(1);
    d.reject(new Error('down'));
    await expect(a).rejects.toThrow('down');
    await expect(loads.get('t1', () => (started++, Promise.resolve(2)))).resolves.toBe(2);
    expect(started).toBe(2);
    // Another key is never shared.
    await expect(loads.get('t2', () => Promise.resolve(3))).resolves.toBe(3);
  });

  it('a forgotten load is not shared and reports that it is no longer current', async () => {
    const loads = new SharedLoads<string, number>();
    const d = deferred<number>();
    const seen: boolean[] = [];
    const old = loads.get('t1', (isCurrent) => d.promise.then((v) => (seen.push(isCurrent()), v)));
    loads.forget('t1');
    const fresh = loads.get('t1', (isCurrent) => Promise.resolve(7).then((v) => (seen.push(isCurrent()), v)));
    expect(fresh).not.toBe(old);
    await expect(fresh).resolves.toBe(7);
    d.resolve(1);
    await expect(old).resolves.toBe(1);
    expect(seen).toEqual([true, false]);
  });
});
