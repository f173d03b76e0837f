import { describe, expect, it } from 'vitest';
import { Clock } from '../common/clock.js';
import type { EventLog } from '../events/event-log.service.js';
import type { EventScan } from '../events/event-scan.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { buildAlert } from './alert-builder.js';
import type { AlertWindowsRepository } from './alert-windows.repository.js';
import type { RuleRecord } from './alerts.repository.js';
import { ColumnarBacktest, suppressInOrder, type ColumnarFiring } from './backtest-columnar.js';
import { GeoService } from './geo.service.js';
import { RuleFirings } from './rule-firings.service.js';
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

describe('columnar backtest time limit', () => {
  const DAY = 86_400_000;
  const t0 = Date.UTC(2026, 10, 2);
  const col = (id: string, t: number, ip: string) => ({ id, t, receivedAtMs: t, action: 'user.login', outcome: 'success', actorType: 'user', actorId: 'alice', ip, organizationId: '', userAgent: '' });
  // One sign-in a day from a new address: each one fires (no history required).
  const events = [col('e1', t0, '8.8.8.8'), col('e2', t0 + DAY, '81.2.69.142'), col('e3', t0 + 2 * DAY, '5.1.1.1')];
  const scan = { rangeCount: async () => ({ events: 3 }), matchingEventColumns: async () => events } as unknown as EventScan;
  const windows = { valueHistory: async () => [] } as unknown as AlertWindowsRepository;
  const rule = {
    id: 'ar_1',
    name: 'New IP',
    kind: 'new_value',
    tier: 'low',
    createClosed: false,
    suppressionSeconds: 0,
    definition: { filter: { actions: ['user.login'] }, group_by: 'actor', new_value: { field: 'ip', lookback_days: 30, require_history: false } },
  } as unknown as RuleRecord;
  const builder = { evidence: async (_s: unknown, _r: unknown, created: unknown[]) => created.map(() => undefined), build: buildAlert };
  const backtest = () => new ColumnarBacktest(scan, windows, undefined as unknown as EventLog, new RuleFirings(windows, new GeoService()), new Clock());

  it('within the budget: every alert, not truncated', async () => {
    const out = await backtest().run({ tenantId: 't' } as TenantScope, rule, t0, t0 + 3 * DAY, 1000, builder, () => false);
    expect(out!.alerts.map((a) => a.eventIds[0])).toEqual(['e1', 'e2', 'e3']);
    expect(out!.truncated).toBeUndefined();
  });

  it('over the budget: the alerts before the instant it stopped at, and a time_budget stop at that instant', async () => {
    let asked = 0;
    // The history read, the judging step and the first day of alerts (evidence is read a day at a time) pass; then time runs out.
    const out = await backtest().run({ tenantId: 't' } as TenantScope, rule, t0, t0 + 3 * DAY, 1000, builder, () => ++asked > 3);
    expect(out!.alerts.map((a) => a.eventIds[0])).toEqual(['e1', 'e2']);
    expect(out!.truncated).toEqual({ reason: 'time_budget', evaluatedToMs: t0 + 2 * DAY });
  });

  it('out of time before judging: nothing, stopped at the first event', async () => {
    const out = await backtest().run({ tenantId: 't' } as TenantScope, rule, t0, t0 + 3 * DAY, 1000, builder, () => true);
    expect(out!.alerts).toEqual([]);
    expect(out!.truncated).toEqual({ reason: 'time_budget', evaluatedToMs: t0 });
  });
});
