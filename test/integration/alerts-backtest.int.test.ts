import { describe, expect, it } from 'vitest';
import { createKey, listAll, until, useApp, type TestTenant } from '../support/harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Backtest (POST /v1/alert-rules/{id}/backtest and /v1/alert-rules/backtest): the alerts job runs
 * live in the background in small steps (50 events), and replaying each rule over the same range
 * must give the alerts live evaluation raised — without storing, recording or sending anything.
 */
describe('alerts: backtest', () => {
  const ctx = useApp({ JOBS: 'seal,alerts', SEAL_INTERVAL: '200ms', ALERTS_INTERVAL: '200ms', ALERTS_BATCH_EVENTS: '50' });

  async function tenant(name: string): Promise<TestTenant> {
    const t = await ctx.tenant(name);
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    return t;
  }

  async function rule(t: TestTenant, body: Record<string, unknown>) {
    const r = await ctx.api.post('/v1/alert-rules', { token: t.key, body });
    expect(r.status, r.text).toBe(201);
    return r.body;
  }

  async function send(t: TestTenant, events: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < events.length; i += 100) {
      const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: events.slice(i, i + 100) } });
      expect(r.status, r.text).toBe(201);
    }
  }

  async function alerts(t: TestTenant, ruleId: string): Promise<any[]> {
    const r = await ctx.api.get('/v1/alerts', { token: t.key, query: { limit: 100, rule_id: ruleId } });
    expect(r.status, r.text).toBe(200);
    return r.body.data;
  }

  /** Waits until every rule of the tenant evaluated everything sealed so far. */
  async function caughtUp(t: TestTenant, events: number): Promise<void> {
    await until(
      'live evaluation to catch up',
      async () => {
        const rules = (await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data as any[];
        const sealed = await ctx.api.get('/v1/integrity/checkpoints', { token: t.key, query: { limit: 1 } });
        return sealed.status === 200 && (sealed.body.data[0]?.tree_size ?? 0) >= events && rules.every((r) => r.evaluation.lag_events === 0 && r.evaluation.last_evaluated_at !== null);
      },
      120_000,
    );
  }

  async function backtest(t: TestTenant, path: string, body: Record<string, unknown>) {
    const r = await ctx.api.post(path, { token: t.key, body });
    expect(r.status, r.text).toBe(200);
    return r.body;
  }

  const signIn = (actor: string, ip: string, at: number, outcome: 'success' | 'failure') => ({
    action: 'user.login',
    occurred_at: iso(at),
    outcome,
    actor: { type: 'user', id: actor },
    context: { ip, user_agent: 'Mozilla/5.0' },
  });

  /** What a stored alert and a backtest alert must agree on (ids, status times and notes are the store's own). */
  const comparable = (a: any) => ({
    kind: a.kind,
    tier: a.tier,
    owner: a.owner,
    status: a.status,
    group_by: a.group_by,
    group_value: a.group_value,
    summary: a.summary,
    details: a.details,
    triggered_at: a.triggered_at,
    first_seen_at: a.first_seen_at,
    last_seen_at: a.last_seen_at,
    event_count: a.event_count,
    event_ids: a.event_ids,
    suppressed_count: a.suppressed_count,
    last_suppressed_at: a.last_suppressed_at,
  });
  const byTime = (list: any[]) => [...list].sort((a, b) => a.triggered_at.localeCompare(b.triggered_at) || a.group_value.localeCompare(b.group_value)).map(comparable);

  it('a backtest returns the alerts live evaluation raised for the same events, and stores, records and sends nothing', async () => {
    const t = await tenant('Backtest');
    const brute = await rule(t, { template: 'brute_force_sign_in', owner: 'secops@acme.test' });
    const seq = await rule(t, { template: 'sign_in_after_failures' });
    const country = await rule(t, { template: 'new_country_sign_in' });
    const deletions = await rule(t, { kind: 'threshold', name: 'Deletions', tier: 'low', filter: { actions: ['*.deleted'] }, group_by: 'actor', threshold: { count: 1, window_seconds: 60 }, suppression_seconds: 7200 });
    const now = Date.now();
    const t0 = now - 10 * DAY;
    const events: Record<string, unknown>[] = [];
    // Ten days of ordinary sign-ins (a typo now and then) and document deletions …
    for (let d = 0; d < 10; d++) {
      for (let u = 0; u < 8; u++) {
        const at = t0 + d * DAY + 9 * HOUR + u * 7 * MIN;
        if ((d + u) % 5 === 0) events.push(signIn(`user_${u}`, '8.8.8.8', at - 30_000, 'failure'));
        events.push(signIn(`user_${u}`, '8.8.8.8', at, 'success'));
      }
      for (let k = 0; k < 3; k++) events.push({ action: 'document.deleted', occurred_at: iso(t0 + d * DAY + 11 * HOUR + k * 30 * MIN), actor: { type: 'user', id: 'user_0' }, targets: [{ type: 'document', id: `d_${d}_${k}` }] });
    }
    // … two credential-stuffing runs from one address (days 3 and 7: two alerts, the rest suppressed) …
    for (const day of [3, 7]) for (let i = 0; i < 45; i++) events.push(signIn(`victim_${i}`, '198.51.100.7', t0 + day * DAY + 2 * HOUR + i * 3000, 'failure'));
    // … a guessed password (six failures then a success) …
    for (let i = 0; i < 6; i++) events.push(signIn('user_3', '203.0.113.9', t0 + 5 * DAY + 14 * HOUR + i * 20_000, 'failure'));
    events.push(signIn('user_3', '203.0.113.9', t0 + 5 * DAY + 14 * HOUR + 3 * MIN, 'success'));
    // … and a sign-in from a new country (GB after a week of US).
    events.push(signIn('user_5', '81.2.69.142', t0 + 8 * DAY + 20 * HOUR, 'success'));
    events.sort((a, b) => String(a.occurred_at).localeCompare(String(b.occurred_at)));
    await send(t, events);
    // Everything stored so far (the events and the trail's own entries) sealed and evaluated.
    await caughtUp(t, (await listAll(ctx.api, t.key, { limit: 1000 })).length);
    // Live alerts' trail entries are written right after their commit: wait for them, and for them to be sealed and passed over; then nothing else writes.
    // The planted incidents raise 14 alerts (asserted rule by rule below): wait for all of them,
    // so the snapshot below cannot be taken between a rule's cursor report and its commit.
    const stored = await until('the 14 live alerts', async () => {
      const n = (await ctx.api.get('/v1/alerts', { token: t.key, query: { limit: 100 } })).body.data.length as number;
      return n >= 14 ? n : undefined;
    }, 120_000);
    await until('the live alerts in the trail', async () => (await listAll(ctx.api, t.key, { limit: 1000, action: 'veritrail.alert.*' })).length === stored, 60_000);
    const trailBefore = await listAll(ctx.api, t.key, { limit: 1000 });
    await caughtUp(t, trailBefore.length);
    const rulesBefore = (await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data;
    const range = { from: iso(t0 - DAY), to: iso(now + MIN) };
    const live: Record<string, any[]> = {};
    for (const r of [brute, seq, country, deletions]) {
      live[r.id] = await alerts(t, r.id);
      const bt = await backtest(t, `/v1/alert-rules/${r.id}/backtest`, range);
      expect(bt.alerts.length, r.name).toBe(live[r.id]!.length);
      expect(byTime(bt.alerts), r.name).toEqual(byTime(live[r.id]!));
      expect(bt.alerts.every((a: any) => a.rule_id === r.id && a.rule_name === r.name && a.notes.length === 0 && a.resolution === null)).toBe(true);
      expect(bt).toMatchObject({ rule_id: r.id, from: range.from, to: range.to, total: live[r.id]!.length, stat_target_per_week: 1, truncated: false, truncated_reason: null, evaluated_to: range.to });
      expect(bt.events_scanned).toBeGreaterThanOrEqual(events.length);
      expect(bt.per_day).toHaveLength(12);
      expect(bt.per_day.reduce((n: number, d: any) => n + d.count, 0)).toBe(bt.total);
      for (const a of bt.alerts) expect(bt.per_day.find((d: any) => d.day === a.triggered_at.slice(0, 10)).count).toBeGreaterThan(0);
      expect(bt.ratio_to_target).toBeCloseTo(bt.total / ((Date.parse(range.to) - Date.parse(range.from)) / (7 * DAY)), 2);
    }
    // The planted incidents, so the comparison is not between two empty lists.
    expect(live[brute.id]!.map((a) => [a.group_value, a.suppressed_count])).toEqual([
      ['198.51.100.7', 25],
      ['198.51.100.7', 25],
    ]);
    expect(live[seq.id]!.map((a) => a.group_value)).toEqual(['user_3']);
    expect(live[country.id]!.map((a) => a.details.value)).toEqual(['GB']);
    expect(live[deletions.id]!.length).toBe(10);
    expect(live[deletions.id]!.reduce((n, a) => n + a.suppressed_count, 0)).toBe(20);

    // A draft with the same body as a stored rule gives the same alerts; a stricter draft fewer.
    const draft = await backtest(t, '/v1/alert-rules/backtest', { template: 'brute_force_sign_in', owner: 'secops@acme.test', ...range });
    expect(draft.rule_id).toBeNull();
    expect(draft.alerts.every((a: any) => a.rule_id === 'draft' && a.rule_name === 'Brute-force sign-in')).toBe(true);
    expect(byTime(draft.alerts)).toEqual(byTime(live[brute.id]!));
    const strict = await backtest(t, '/v1/alert-rules/backtest', { template: 'brute_force_sign_in', threshold: { count: 50, window_seconds: 300 }, ...range });
    expect(strict.total).toBe(0);
    const loose = await backtest(t, '/v1/alert-rules/backtest', { template: 'brute_force_sign_in', threshold: { count: 40, window_seconds: 300 }, ...range });
    expect(loose.alerts.map((a: any) => [a.details.count, a.suppressed_count])).toEqual([
      [40, 5],
      [40, 5],
    ]);
    // A range covering day 3 only.
    const day3 = await backtest(t, `/v1/alert-rules/${brute.id}/backtest`, { from: iso(t0 + 3 * DAY), to: iso(t0 + 4 * DAY) });
    expect(day3.alerts.map((a: any) => a.triggered_at)).toEqual([live[brute.id]!.find((a) => Date.parse(a.triggered_at) < t0 + 4 * DAY).triggered_at]);
    expect(day3.ratio_to_target).toBe(7);

    // Bounded: max_events stops early and says where.
    const cut = await backtest(t, `/v1/alert-rules/${deletions.id}/backtest`, { ...range, max_events: 120 });
    expect(cut).toMatchObject({ truncated: true, truncated_reason: 'max_events', events_scanned: 120 });
    expect(Date.parse(cut.evaluated_to)).toBeLessThan(Date.parse(range.to));
    expect(cut.alerts.every((a: any) => Date.parse(a.triggered_at) < Date.parse(cut.evaluated_to))).toBe(true);
    expect(cut.total).toBeLessThan(live[deletions.id]!.length);

    // Nothing stored, recorded, moved.
    for (const r of [brute, seq, country, deletions]) expect(byTime(await alerts(t, r.id))).toEqual(byTime(live[r.id]!));
    expect((await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data.map((r: any) => [r.id, r.evaluation, r.updated_at])).toEqual(
      rulesBefore.map((r: any) => [r.id, r.evaluation, r.updated_at]),
    );
    const trailAfter = await listAll(ctx.api, t.key, { limit: 1000 });
    expect(trailAfter.length).toBe(trailBefore.length);
  });

  it('TN-01: a backtest replays only its own tenant\'s events; another tenant\'s rule is 404', async () => {
    const a = await tenant('Backtest A');
    const b = await tenant('Backtest B');
    const t0 = Date.now() - 2 * HOUR;
    await send(a, Array.from({ length: 30 }, (_, i) => signIn(`v_${i}`, '198.51.100.9', t0 + i * 1000, 'failure')));
    await send(b, [signIn('someone', '198.51.100.9', t0, 'failure')]);
    const range = { from: iso(t0 - HOUR), to: iso(t0 + HOUR) };
    const ra = await rule(a, { template: 'brute_force_sign_in' });
    expect((await backtest(a, '/v1/alert-rules/backtest', { template: 'brute_force_sign_in', ...range })).total).toBe(1);
    const inB = await backtest(b, '/v1/alert-rules/backtest', { template: 'brute_force_sign_in', ...range });
    expect(inB).toMatchObject({ total: 0, alerts: [] });
    expect(inB.events_scanned).toBeLessThanOrEqual(5);
    const cross = await ctx.api.post(`/v1/alert-rules/${ra.id}/backtest`, { token: b.key, body: range });
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe('not_found');
  });

  it('bad input is a 400 with a stable code and changes nothing; the alerts scope is required', async () => {
    const t = await tenant('Backtest hostile');
    const r = await rule(t, { template: 'bulk_export' });
    const from = iso(Date.now() - DAY);
    const to = iso(Date.now());
    const bad: [string, Record<string, unknown>, string][] = [
      [`/v1/alert-rules/${r.id}/backtest`, { from: to, to: from }, 'invalid_range'],
      [`/v1/alert-rules/${r.id}/backtest`, { from, to: from }, 'invalid_range'],
      [`/v1/alert-rules/${r.id}/backtest`, { from: iso(Date.now() - 91 * DAY), to }, 'range_too_long'],
      [`/v1/alert-rules/${r.id}/backtest`, { from: 'yesterday', to }, 'invalid_format'],
      [`/v1/alert-rules/${r.id}/backtest`, { from: '2026-11-01T00:00:00', to }, 'missing_timezone'],
      [`/v1/alert-rules/${r.id}/backtest`, { from }, 'required'],
      [`/v1/alert-rules/${r.id}/backtest`, { from, to, max_events: 0 }, 'out_of_range'],
      [`/v1/alert-rules/${r.id}/backtest`, { from, to, template: 'bulk_export' }, 'unknown_field'],
      ['/v1/alert-rules/backtest', { from, to }, 'required'],
      ['/v1/alert-rules/backtest', { template: 'bulk_export', from: to, to: from }, 'invalid_range'],
      ['/v1/alert-rules/backtest', { template: 'bulk_export', filter: { actions: ['(a+)+$'] }, from, to }, 'invalid_format'],
      ['/v1/alert-rules/backtest', { template: 'bulk_export', filter: { actions: ['*.*.*.*.*.x'] }, from, to }, 'pattern_too_complex'],
      ['/v1/alert-rules/backtest', { template: 'bulk_export', kind: 'sequence', from, to }, 'invalid_value'],
      ['/v1/alert-rules/backtest', { kind: 'new_value', name: 'x', tier: 'low', filter: { actions: ['user.login'] }, group_by: 'ip', new_value: { field: 'country', lookback_days: 30 }, from, to }, 'invalid_value'],
      ['/v1/alert-rules/backtest', { template: 'bulk_export', tenant_id: 'other', from, to }, 'unknown_field'],
    ];
    for (const [path, body, code] of bad) {
      const res = await ctx.api.post(path, { token: t.key, body });
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: any) => d.code), `${path} ${JSON.stringify(body)} ${res.text}`).toContain(code);
    }
    for (const id of ['ar_nope', r.id.toUpperCase(), "ar_'%20OR%201=1"]) {
      expect((await ctx.api.post(`/v1/alert-rules/${id}/backtest`, { token: t.key, body: { from, to } })).status, id).toBe(404);
    }
    // Nothing changed: still one rule, no alerts.
    expect((await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data.map((x: any) => x.id)).toEqual([r.id]);
    expect((await ctx.api.get('/v1/alerts', { token: t.key })).body.data).toEqual([]);
    // Keys without the alerts scope are refused.
    const reader = await createKey(ctx.api, t.key, { scopes: ['events:read', 'admin'] });
    for (const [path, body] of [
      [`/v1/alert-rules/${r.id}/backtest`, { from, to }],
      ['/v1/alert-rules/backtest', { template: 'bulk_export', from, to }],
    ] as const) {
      const res = await ctx.api.post(path, { token: reader, body });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('insufficient_scope');
    }
  });
});
