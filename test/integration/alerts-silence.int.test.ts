import { describe, expect, it } from 'vitest';
import { listAll, until, useApp, type TestTenant } from '../support/harness.js';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Silence rules (template source_silent): the alerts job judges them on its schedule, with no
 * new event to trigger it — a generated history, then silence.
 */
describe('alerts: silence (source_silent)', () => {
  const ctx = useApp({ JOBS: 'seal,alerts', SEAL_INTERVAL: '200ms', ALERTS_INTERVAL: '200ms' });

  async function tenant(name: string): Promise<TestTenant> {
    const t = await ctx.tenant(name);
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    return t;
  }

  async function send(t: TestTenant, events: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < events.length; i += 200) {
      const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: events.slice(i, i + 200) } });
      expect(r.status, r.text).toBe(201);
    }
  }

  const I = 5 * MIN;
  const settings = { interval_minutes: 5, silent_intervals: 3, lookback_intervals: 12, min_events: 2, min_active_intervals: 10 };
  const ev = (org: string, at: number) => ({ action: 'invoice.created', occurred_at: iso(at), actor: { type: 'service', id: 'billing' }, organization_id: org });

  it('an organization that sent in every interval and then stopped raises one alert, on schedule; a sending one and one with too little history do not', async () => {
    const t = await tenant('Silence');
    const other = await tenant('Silence elsewhere');
    const now = Date.now();
    // The end of the newest whole interval the job judges (it leaves the last minute to late events), and a silence of 4 intervals before it.
    const end = Math.floor((now - MIN) / I) * I;
    const since = end - 4 * I;
    const history = (org: string, buckets: number[]) => buckets.flatMap((b) => [1, 2, 3].map((k) => ev(org, b + k * MIN)));
    const lookback = Array.from({ length: 12 }, (_, j) => since - (j + 1) * I);
    const events = [
      ...history('org_silent', lookback),
      // Still sending: the same history and events up to now.
      ...history('org_sending', lookback),
      ...Array.from({ length: Math.floor((now - since) / 20_000) }, (_, k) => ev('org_sending', since + k * 20_000)),
      // Too little history: active in 4 intervals only.
      ...history('org_sparse', lookback.slice(0, 4)),
    ].filter((e) => Date.parse(e.occurred_at) < now);
    await send(t, events);
    // Another tenant: the same organization id gone silent, but no rule there.
    await send(other, history('org_silent', lookback));

    // The template with a short interval; created after the events: no new event arrives from here on.
    const r = await ctx.api.post('/v1/alert-rules', { token: t.key, body: { template: 'source_silent', silence: settings, owner: 'platform-oncall' } });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ kind: 'silence', template: 'source_silent', group_by: 'organization', silence: settings, filter: { actions: ['*'] } });

    const list = (await until(
      'the silence alert',
      async () => {
        const res = await ctx.api.get('/v1/alerts', { token: t.key, query: { rule_id: r.body.id } });
        return res.body.data.length > 0 ? (res.body.data as any[]) : undefined;
      },
      60_000,
    ))!;
    expect(list).toHaveLength(1);
    const a = list[0];
    expect(a).toMatchObject({ kind: 'silence', group_by: 'organization', group_value: 'org_silent', owner: 'platform-oncall', tier: 'medium', status: 'open', triggered_at: iso(since + 3 * I) });
    expect(a.details).toEqual({
      interval_minutes: 5,
      silent_intervals: 3,
      silent_since: iso(since),
      last_event_at: iso(since - I + 3 * MIN),
      lookback_intervals: 12,
      active_intervals: 12,
      min_events: 2,
      min_active_intervals: 10,
      events_in_lookback: 36,
    });
    expect(a.summary).toContain('organization org_silent sent nothing for 15 min');
    expect(a.event_ids).toHaveLength(1);
    // Its trail entry belongs to that organization (webhooks route it there).
    const entries = (await until('the trail entry', async () => {
      const e = await listAll(ctx.api, t.key, { action: 'veritrail.alert.triggered' });
      return e.length > 0 ? e : undefined;
    }))!;
    expect(entries.map((e) => [e.organization_id, e.metadata.alert.group_value])).toEqual([['org_silent', 'org_silent']]);

    // The backtest of the rule over the whole history raises the live alert (and stores nothing).
    const bt = await ctx.api.post(`/v1/alert-rules/${r.body.id}/backtest`, { token: t.key, body: { from: iso(lookback[11]! - I), to: iso(now + MIN) } });
    expect(bt.status, bt.text).toBe(200);
    const view = (x: any) => [x.group_value, x.triggered_at, x.details, x.event_ids, x.tier, x.owner, x.status, x.summary, x.first_seen_at, x.last_seen_at];
    expect(bt.body.alerts.map(view)).toEqual([view(a)]);
    expect(bt.body).toMatchObject({ total: 1, truncated: false });
    expect((await ctx.api.get('/v1/alerts', { token: t.key })).body.data).toHaveLength(1);

    // Judged again (a change makes the job judge the rule at once): the same silence is not alerted twice.
    const before = Date.now();
    expect((await ctx.api.patch(`/v1/alert-rules/${r.body.id}`, { token: t.key, body: { owner: 'platform' } })).status).toBe(200);
    await until('the rule judged again', async () => {
      const rule = (await ctx.api.get(`/v1/alert-rules/${r.body.id}`, { token: t.key })).body;
      return rule.evaluation.last_evaluated_at !== null && Date.parse(rule.evaluation.last_evaluated_at) > before;
    });
    const rule = (await ctx.api.get(`/v1/alert-rules/${r.body.id}`, { token: t.key })).body;
    expect(rule.evaluation.lag_events).toBe(0);
    expect((await ctx.api.get('/v1/alerts', { token: t.key })).body.data).toHaveLength(1);
    // The other tenant has no rule and no alert.
    expect((await ctx.api.get('/v1/alerts', { token: other.key })).body.data).toEqual([]);
  });

  it('bad silence settings are a 400 with a stable code and change nothing; a silence rule without history backtests to no alert', async () => {
    const t = await tenant('Silence hostile');
    const bad: [Record<string, unknown>, string, string][] = [
      [{ template: 'source_silent', silence: { ...settings, interval_minutes: 1 } }, 'silence.interval_minutes', 'out_of_range'],
      [{ template: 'source_silent', silence: { ...settings, min_active_intervals: 13 } }, 'silence.min_active_intervals', 'invalid_value'],
      [{ template: 'source_silent', silence: { ...settings, extra: 1 } }, 'silence.extra', 'unknown_field'],
      [{ template: 'source_silent', threshold: { count: 2, window_seconds: 60 } }, 'threshold', 'not_allowed'],
      [{ template: 'bulk_export', group_by: 'action' }, 'group_by', 'invalid_value'],
      [{ kind: 'silence', name: 'x', tier: 'low', filter: { actions: ['*'] }, group_by: 'action' }, 'silence', 'required'],
    ];
    for (const [body, field, code] of bad) {
      const res = await ctx.api.post('/v1/alert-rules', { token: t.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: any) => [d.field, d.code]), res.text).toContainEqual([field, code]);
    }
    expect((await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data).toEqual([]);
    const r = await ctx.api.post('/v1/alert-rules', { token: t.key, body: { template: 'source_silent', group_by: 'action', filter: { actions: ['invoice.*'] } } });
    expect(r.status, r.text).toBe(201);
    const bt = await ctx.api.post(`/v1/alert-rules/${r.body.id}/backtest`, { token: t.key, body: { from: iso(Date.now() - 86_400_000), to: iso(Date.now()) } });
    expect(bt.status, bt.text).toBe(200);
    expect(bt.body).toMatchObject({ total: 0, alerts: [], truncated: false });
  });
});
