import { describe, expect, it } from 'vitest';
import { alertsKit } from '../support/alerts-kit.js';
import { useApp } from '../support/harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/** Volume rules (template unusual_volume): an actor far above their own hourly history, evaluated by the real job. */
describe('alerts: unusual volume (robust z-score over the actor\'s own hours)', () => {
  const ctx = useApp();

  const { evaluate, tenant, send } = alertsKit(ctx);

  const read = (actor: string, at: number, i: number) => ({ action: 'document.downloaded', occurred_at: iso(at), actor: { type: 'user', id: actor }, targets: [{ type: 'document', id: `${actor}_${i}` }] });
  /** Ten working days, three hours each, 4–6 downloads an hour: median 5, MAD 1. */
  const history = (actor: string, base: number) =>
    Array.from({ length: 10 }, (_, d) => [9, 10, 11].flatMap((h, k) => Array.from({ length: 4 + ((d + k) % 3) }, (_, i) => read(actor, base + d * DAY + h * HOUR + i * 5 * MIN, d * 100 + k * 10 + i)))).flat();
  const burst = (actor: string, at: number, n: number, from = 0) => Array.from({ length: n }, (_, i) => read(actor, at + (from + i) * 30_000, 10_000 + from + i));

  it('a burst far above the actor\'s own hours alerts once, at the event that reached the count; too little history or a burst under min_count does not', async () => {
    const t = await tenant('Volume');
    const volume = { lookback_days: 30, min_history_hours: 20, z_threshold: 10, min_count: 30 };
    const r = await ctx.api.post('/v1/alert-rules', { token: t.key, body: { template: 'unusual_volume', volume, owner: 'insider-risk' } });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ kind: 'volume', group_by: 'actor', volume });
    const base = Math.floor((Date.now() - 12 * DAY) / HOUR) * HOUR;
    const at = base + 10 * DAY + 14 * HOUR;
    await send(t, [...history('alice', base), ...history('bob', base), ...history('carol', base).filter((e) => Date.parse(e.occurred_at) < base + 2 * DAY)]);
    const ids = await send(t, burst('alice', at, 40));
    await send(t, [...burst('bob', at, 25), ...burst('carol', at, 60)]);
    await evaluate();

    const list = (await ctx.api.get('/v1/alerts', { token: t.key, query: { rule_id: r.body.id } })).body.data;
    expect(list.map((a: any) => a.group_value)).toEqual(['alice']);
    const a = list[0];
    // Required: max(min_count 30, ⌈5 + 10 × 1.4826⌉ = 20) = 30, reached by the 30th download of the hour.
    expect(a).toMatchObject({ kind: 'volume', owner: 'insider-risk', tier: 'high', triggered_at: iso(at + 29 * 30_000), event_count: 30, suppressed_count: 0 });
    expect(a.event_ids[0]).toBe(ids[29]);
    expect(a.details).toEqual({ hour: iso(Math.floor(at / HOUR) * HOUR), count: 40, required: 30, baseline_hours: 30, median: 5, mad: 1, z_score: 23.61, z_threshold: 10, lookback_days: 30 });

    // More of the same hour (arriving later) is the same alert: the hour fired once.
    await send(t, burst('alice', at, 10, 40));
    await evaluate();
    expect((await ctx.api.get('/v1/alerts', { token: t.key, query: { rule_id: r.body.id } })).body.data).toHaveLength(1);

    // The backtest replays the same alert.
    const bt = await ctx.api.post(`/v1/alert-rules/${r.body.id}/backtest`, { token: t.key, body: { from: iso(base), to: iso(Date.now()) } });
    expect(bt.status, bt.text).toBe(200);
    expect(bt.body.alerts.map((x: any) => [x.group_value, x.triggered_at, x.event_ids[0]])).toEqual([['alice', a.triggered_at, a.event_ids[0]]]);
  });

  it('bad volume settings are a 400 with a stable code', async () => {
    const t = await tenant('Volume hostile');
    for (const [body, field, code] of [
      [{ template: 'unusual_volume', volume: { lookback_days: 0, min_history_hours: 1, z_threshold: 3, min_count: 1 } }, 'volume.lookback_days', 'out_of_range'],
      [{ template: 'unusual_volume', group_by: 'action' }, 'group_by', 'invalid_value'],
      [{ template: 'unusual_volume', sequence: { failures: 2, window_seconds: 60 } }, 'sequence', 'not_allowed'],
      [{ kind: 'volume', name: 'x', tier: 'low', filter: { actions: ['*'] }, group_by: 'actor' }, 'volume', 'required'],
    ] as const) {
      const res = await ctx.api.post('/v1/alert-rules', { token: t.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: any) => [d.field, d.code]), res.text).toContainEqual([field, code]);
    }
    expect((await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data).toEqual([]);
  });
});
