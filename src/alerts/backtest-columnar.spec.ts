import { describe, expect, it } from 'vitest';
import { suppressInOrder, type ColumnarFiring } from './backtest-columnar.js';
import { suppress, type EvalEvent } from './rule-definition.js';

const event = (id: string, t: number): EvalEvent => ({ idx: 0, id, t, receivedAt: 0, action: 'x', outcome: 'success', actorType: 'user', actorId: 'a', ip: '', organizationId: '', userAgent: '', targets: [] });

/** A small deterministic generator, so a failure reproduces. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
}

describe('columnar backtest suppression', () => {
  it('folds firings exactly as the replay\'s suppression with no stored alerts (random firings of a few keys, ties included)', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = lcg(seed);
      const firings: ColumnarFiring[] = Array.from({ length: 300 }, (_, i) => {
        const t = Math.floor(r() * 500) * 1000;
        return { key: `k${Math.floor(r() * 4)}`, atMs: t, eventId: `e${String(i).padStart(4, '0')}`, count: 1, event: event(`e${i}`, t) };
      });
      for (const period of [0, 1000, 30_000, 120_000]) {
        const expected = suppress(firings, [], period).created.map((c) => [c.key, c.atMs, c.eventId, c.suppressed, c.lastSuppressedMs]);
        const got = (await suppressInOrder(firings, period)).map((c) => [c.key, c.atMs, c.eventId, c.suppressed, c.lastSuppressedMs]);
        expect(got, `seed ${seed}, period ${period}`).toEqual(expected);
      }
    }
  });

  it('a burst of one key within the period is one alert counting the rest; a later burst is another', async () => {
    const f = (id: string, t: number, key = 'ip1'): ColumnarFiring => ({ key, atMs: t, eventId: id, count: 1, event: event(id, t) });
    const out = await suppressInOrder([f('c', 2000), f('a', 0), f('b', 1000), f('d', 70_000), f('e', 500, 'ip2')], 60_000);
    expect(out.map((c) => [c.eventId, c.suppressed, c.lastSuppressedMs])).toEqual([
      ['a', 2, 2000],
      ['e', 0, undefined],
      ['d', 0, undefined],
    ]);
  });
});
