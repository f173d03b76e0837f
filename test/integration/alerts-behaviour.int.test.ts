import { describe, expect, it } from 'vitest';
import { alertsKit } from '../support/alerts-kit.js';
import { useApp } from '../support/harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Behaviour templates (impossible_travel, unusual_hour, rare_action) over two weeks of planted
 * history, evaluated by the real job; the backtest of each rule replays the same alerts.
 */
describe('alerts: impossible travel, unusual hour, rare action', () => {
  const ctx = useApp();

  const { evaluate, tenant, send } = alertsKit(ctx);

  const ev = (action: string, actor: string, at: number, ip: string, outcome = 'success') => ({
    action,
    occurred_at: iso(at),
    outcome,
    actor: { type: 'user', id: actor },
    context: { ip },
    targets: [{ type: 'thing', id: `${actor}-${at}` }],
  });

  it('each planted incident alerts once with its baseline in details; the ordinary days and the near misses do not; backtests replay the same alerts', async () => {
    const t = await tenant('Behaviour');
    const rules: Record<string, any> = {};
    for (const body of [
      { template: 'impossible_travel', owner: 'identity' },
      { template: 'unusual_hour', hours: { lookback_days: 30, min_history_days: 10, tolerance_hours: 1, max_share: 0.01 } },
      { template: 'rare_action', rarity: { lookback_days: 30, min_history_hours: 20, max_hours: 0 } },
    ]) {
      const r = await ctx.api.post('/v1/alert-rules', { token: t.key, body });
      expect(r.status, r.text).toBe(201);
      rules[body.template] = r.body;
    }
    expect(rules.impossible_travel).toMatchObject({ kind: 'travel', group_by: 'actor', travel: { max_speed_kmh: 1000, min_distance_km: 500, lookback_hours: 72 } });

    const base = Math.floor((Date.now() - 17 * DAY) / DAY) * DAY;
    // 15 days: alice and bob sign in at 08–12 UTC (alice from the US, bob from Germany) and view documents; bob exports a report daily.
    const history = Array.from({ length: 15 }, (_, d) =>
      [8, 9, 10, 11, 12].flatMap((h) => [
        ev('user.login', 'alice', base + d * DAY + h * HOUR + 5 * MIN, '8.8.8.8'),
        ev('document.viewed', 'alice', base + d * DAY + h * HOUR + 20 * MIN, '8.8.8.8'),
        ev('user.login', 'bob', base + d * DAY + h * HOUR + 7 * MIN, '46.4.1.1'),
        ...(h === 12 ? [ev('report.exported', 'bob', base + d * DAY + h * HOUR + 30 * MIN, '46.4.1.1')] : []),
      ]),
    ).flat();
    // carol: two days only (not enough history for any baseline).
    const carol = [0, 1].flatMap((d) => [9, 10].map((h) => ev('user.login', 'carol', base + 13 * DAY + d * DAY + h * HOUR, '8.8.8.8')));
    await send(t, [...history, ...carol]);
    const day = base + 15 * DAY;
    const [night] = await send(t, [ev('user.login', 'alice', day + 2 * HOUR + 10 * MIN, '8.8.8.8')]);
    await send(t, [ev('user.login', 'alice', day + 10 * HOUR + 5 * MIN, '8.8.8.8')]);
    const [jp] = await send(t, [ev('user.login', 'alice', day + 11 * HOUR + 5 * MIN, '202.12.27.33')]);
    const [rare] = await send(t, [ev('report.exported', 'alice', day + 11 * HOUR + 30 * MIN, '202.12.27.33')]);
    // Near misses: bob from the Netherlands (a neighbour, < 500 km of country reference points), at his usual hour, exporting as usual;
    // carol at 03:00 and exporting for the first time (too little history).
    await send(t, [
      ev('user.login', 'bob', day + 9 * HOUR, '193.0.14.129'),
      ev('report.exported', 'bob', day + 12 * HOUR, '193.0.14.129'),
      ev('user.login', 'carol', day + 3 * HOUR, '202.12.27.33'),
      ev('report.exported', 'carol', day + 3 * HOUR + MIN, '202.12.27.33'),
    ]);
    await evaluate();

    const of = async (name: string) => (await ctx.api.get('/v1/alerts', { token: t.key, query: { rule_id: rules[name].id } })).body.data as any[];
    const travel = await of('impossible_travel');
    expect(travel.map((a) => [a.group_value, a.event_ids[0], a.triggered_at])).toEqual([['alice', jp, iso(day + 11 * HOUR + 5 * MIN)]]);
    expect(travel[0]).toMatchObject({ kind: 'travel', tier: 'high', owner: 'identity', status: 'open' });
    expect(travel[0].details).toMatchObject({ ip: '202.12.27.33', country: 'JP', previous_ip: '8.8.8.8', previous_country: 'US', previous_at: iso(day + 10 * HOUR + 5 * MIN), hours: 1, max_speed_kmh: 1000, location_method: 'country_reference_point' });
    expect(travel[0].details.distance_km).toBeGreaterThan(9000);
    expect(travel[0].summary).toContain('signed in from JP 1 h after US');

    const hours = await of('unusual_hour');
    expect(hours.map((a) => [a.group_value, a.event_ids[0]])).toEqual([['alice', night]]);
    expect(hours[0].details).toMatchObject({ hour_utc: 2, hour_share: 0, history_events: 75, history_days: 15, max_share: 0.01 });
    expect(hours[0].details.events_by_hour_utc[8]).toBe(15);

    const rareAlerts = await of('rare_action');
    expect(rareAlerts.map((a) => [a.group_value, a.event_ids[0]])).toEqual([['alice', rare]]);
    expect(rareAlerts[0].details).toMatchObject({ action: 'report.exported', action_hours: 0, max_hours: 0, min_history_hours: 20 });
    expect(rareAlerts[0].details.history_hours).toBeGreaterThanOrEqual(75);
    expect(rareAlerts[0].details.usual_actions.map((u: any) => u.action)).toEqual(['user.login', 'document.viewed']);

    for (const [name, live] of [['impossible_travel', travel], ['unusual_hour', hours], ['rare_action', rareAlerts]] as const) {
      const bt = await ctx.api.post(`/v1/alert-rules/${rules[name].id}/backtest`, { token: t.key, body: { from: iso(base), to: iso(Date.now()) } });
      expect(bt.status, bt.text).toBe(200);
      const shape = (a: any) => [a.group_value, a.triggered_at, a.event_ids[0], a.summary, a.details];
      expect(bt.body.alerts.map(shape), name).toEqual(live.map(shape));
    }
  });

  it('bad behaviour settings are a 400 with a stable code, and nothing is created', async () => {
    const t = await tenant('Behaviour hostile');
    for (const [body, field, code] of [
      [{ template: 'impossible_travel', travel: { max_speed_kmh: 10, min_distance_km: 0, lookback_hours: 24 } }, 'travel.max_speed_kmh', 'out_of_range'],
      [{ template: 'impossible_travel', group_by: 'ip' }, 'group_by', 'invalid_value'],
      [{ template: 'unusual_hour', hours: { lookback_days: 7, min_history_days: 8, tolerance_hours: 1, max_share: 0.01 } }, 'hours.min_history_days', 'invalid_value'],
      [{ template: 'unusual_hour', hours: { lookback_days: 30, min_history_days: 8, tolerance_hours: 1, max_share: 0.9 } }, 'hours.max_share', 'out_of_range'],
      [{ template: 'rare_action', volume: { lookback_days: 1, min_history_hours: 1, z_threshold: 3, min_count: 1 } }, 'volume', 'not_allowed'],
      [{ kind: 'rarity', name: 'x', tier: 'low', filter: { actions: ['*'] }, group_by: 'actor' }, 'rarity', 'required'],
    ] as const) {
      const res = await ctx.api.post('/v1/alert-rules', { token: t.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: any) => [d.field, d.code]), res.text).toContainEqual([field, code]);
    }
    expect((await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data).toEqual([]);
  });
});
