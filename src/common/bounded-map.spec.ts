import { describe, expect, it } from 'vitest';
import { getOrCompute, setBounded } from './bounded-map.js';

describe('bounded map', () => {
  it('drops the oldest insertion past the bound; replacing a key does not evict', () => {
    const m = new Map<string, number>();
    setBounded(m, 'a', 1, 2);
    setBounded(m, 'b', 2, 2);
    setBounded(m, 'b', 3, 2);
    expect([...m]).toEqual([['a', 1], ['b', 3]]);
    setBounded(m, 'c', 4, 2);
    expect([...m]).toEqual([['b', 3], ['c', 4]]);
  });

  it('computes once per key while cached', () => {
    const m = new Map<string, string>();
    let calls = 0;
    const f = () => `v${++calls}`;
    expect(getOrCompute(m, 'k', 10, f)).toBe('v1');
    expect(getOrCompute(m, 'k', 10, f)).toBe('v1');
    expect(calls).toBe(1);
  });
});
