import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { Api, createKey, listAll, startApp, useApp, type RunningApp, type TestTenant } from '../support/harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Synthetic attack and normal-traffic scenarios with explicit timestamps, evaluated by the real
 * job (seal, then alerts) over real PostgreSQL and chDB.
 */
describe('alerts: rules, evaluation, triage', () => {
  const ctx = useApp();

  async function evaluate(app: RunningApp = ctx.app): Promise<void> {
    const jobs = app.app.get(JobRunner);
    await jobs.runNow('seal');
    await jobs.runNow('alerts');
  }

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

  async function send(t: TestTenant, events: Record<string, unknown>[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < events.length; i += 500) {
      const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: events.slice(i, i + 500) } });
      expect(r.status, r.text).toBe(201);
      ids.push(...r.body.ids);
    }
    return ids;
  }

  async function sendInRequestsOf(n: number, t: TestTenant, events: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < events.length; i += n) await send(t, events.slice(i, i + n));
  }

  async function alerts(t: TestTenant, query: Record<string, string | number> = {}): Promise<any[]> {
    const r = await ctx.api.get('/v1/alerts', { token: t.key, query: { limit: 100, ...query } });
    expect(r.status, r.text).toBe(200);
    return r.body.data;
  }

  const signIn = (actor: string, ip: string, at: number, outcome: 'success' | 'failure', extra: Record<string, unknown> = {}) => ({
    action: 'user.login',
    occurred_at: iso(at),
    outcome,
    actor: { type: 'user', id: actor },
    context: { ip, user_agent: 'Mozilla/5.0' },
    ...extra,
  });

  it('credential stuffing from one IP raises one alert; a slow brute force under the threshold raises none', async () => {
    const t = await tenant('Stuffing');
    const r = await rule(t, { template: 'brute_force_sign_in', owner: 'secops@acme.test' });
    expect(r).toMatchObject({ kind: 'threshold', template: 'brute_force_sign_in', group_by: 'ip', tier: 'high', threshold: { count: 20, window_seconds: 300 }, enabled: true });
    const t0 = Date.now() - 3 * HOUR;
    // 60 failed sign-ins for 60 different accounts from one IP within 2 minutes …
    const burst = await send(t, Array.from({ length: 60 }, (_, i) => signIn(`victim_${i}`, '198.51.100.7', t0 + i * 2000, 'failure')));
    // … one attempt every 2 minutes for an hour from another IP (never more than 3 in 5 minutes) …
    await send(t, Array.from({ length: 30 }, (_, i) => signIn('admin', '198.51.100.8', t0 + i * 2 * MIN, 'failure')));
    // … and ordinary traffic: a few typos from many places.
    await send(t, Array.from({ length: 40 }, (_, i) => signIn(`user_${i}`, `192.0.2.${i}`, t0 + i * MIN, i % 4 === 0 ? 'failure' : 'success')));
    await evaluate();

    const list = await alerts(t);
    expect(list).toHaveLength(1);
    const a = list[0];
    expect(a).toMatchObject({ rule_id: r.id, kind: 'threshold', tier: 'high', owner: 'secops@acme.test', status: 'open', group_by: 'ip', group_value: '198.51.100.7' });
    expect(a.triggered_at).toBe(iso(t0 + 19 * 2000)); // the 20th failure completes the window
    expect(a.details).toEqual({ threshold: 20, window_seconds: 300, count: 20 });
    expect(a.event_count).toBe(20);
    expect(a.event_ids).toHaveLength(20);
    expect(a.event_ids.every((id: string) => burst.includes(id))).toBe(true);
    // The 40 further failures of the burst are counted on the alert, not raised again.
    expect(a.suppressed_count).toBe(40);
    expect(a.summary).toContain('198.51.100.7');

    // The alert is itself in the trail, for webhooks and investigations.
    const trail = await listAll(ctx.api, t.key, { action: 'veritrail.alert.triggered' });
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actor: { type: 'system', id: 'alerts' }, targets: [{ type: 'alert', id: a.id }, { type: 'alert_rule', id: r.id }] });
    expect(trail[0].metadata.alert).toMatchObject({ id: a.id, tier: 'high', group_value: '198.51.100.7', event_count: 20 });

    // Evaluating again changes nothing.
    await evaluate();
    expect(await alerts(t)).toEqual(list);
    expect(await listAll(ctx.api, t.key, { action: 'veritrail.alert.triggered' })).toHaveLength(1);
  });

  it('an insider exporting 50 reports in 10 minutes raises an alert; a colleague\'s daily exports do not', async () => {
    const t = await tenant('Exfiltration');
    await rule(t, { template: 'bulk_export' });
    const t0 = Date.now() - 5 * HOUR;
    const exp = (actor: string, at: number, i: number) => ({ action: 'report.exported', occurred_at: iso(at), actor: { type: 'user', id: actor }, targets: [{ type: 'report', id: `r_${actor}_${i}` }] });
    await send(t, Array.from({ length: 50 }, (_, i) => exp('insider', t0 + i * 12_000, i)));
    await send(t, Array.from({ length: 15 }, (_, i) => exp('colleague', t0 - 3 * DAY + Math.floor(i / 5) * DAY + (i % 5) * HOUR, i)));
    await evaluate();
    const list = await alerts(t);
    expect(list.map((a) => [a.group_value, a.details.count])).toEqual([['insider', 20]]);
    expect(list[0].suppressed_count).toBe(30);
  });

  it('a first sign-in from a new country after 30 days of history raises an alert; a second new country is suppressed', async () => {
    const t = await tenant('Travel');
    const r = await rule(t, { template: 'new_country_sign_in' });
    const now = Date.now();
    // 30 days of sign-ins from the US, one a day; a newcomer without history; a stay-at-home.
    await send(t, [
      ...Array.from({ length: 30 }, (_, i) => signIn('traveler', '8.8.8.8', now - 30 * DAY + i * DAY, 'success')),
      ...Array.from({ length: 30 }, (_, i) => signIn('homebody', '8.8.4.4', now - 30 * DAY + i * DAY, 'success')),
      signIn('homebody', '8.8.8.8', now - 3 * HOUR, 'success'),
      signIn('newcomer', '5.9.0.1', now - 3 * HOUR, 'success'),
    ]);
    const [gb] = await send(t, [signIn('traveler', '81.2.69.142', now - 2 * HOUR, 'success')]);
    // A failed attempt from elsewhere does not count (the template watches successful sign-ins).
    await send(t, [signIn('traveler', '133.11.0.1', now - 2 * HOUR + MIN, 'failure')]);
    await evaluate();
    let list = await alerts(t);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ rule_id: r.id, kind: 'new_value', group_by: 'actor', group_value: 'traveler', event_ids: [gb], suppressed_count: 0 });
    expect(list[0].details).toEqual({ field: 'country', value: 'GB', previous_values: ['US'], lookback_days: 30, ip: '81.2.69.142' });
    expect(list[0].triggered_at).toBe(iso(now - 2 * HOUR));

    // The same new country again is not new any more; another new country within a day is suppressed.
    await send(t, [signIn('traveler', '81.2.69.142', now - 90 * MIN, 'success'), signIn('traveler', '5.9.0.1', now - HOUR, 'success')]);
    await evaluate();
    list = await alerts(t);
    expect(list).toHaveLength(1);
    expect(list[0].suppressed_count).toBe(1);
    expect(list[0].last_suppressed_at).toBe(iso(now - HOUR));
  });

  it('failures followed by a success for the same account raise an alert; two typos do not', async () => {
    const t = await tenant('Sequence');
    await rule(t, { template: 'sign_in_after_failures' });
    const t0 = Date.now() - 4 * HOUR;
    const fails = await send(t, Array.from({ length: 6 }, (_, i) => signIn('victim', '203.0.113.9', t0 + i * 20_000, 'failure')));
    const [ok] = await send(t, [signIn('victim', '203.0.113.9', t0 + 3 * MIN, 'success')]);
    await send(t, [signIn('typo', '192.0.2.1', t0, 'failure'), signIn('typo', '192.0.2.1', t0 + 10_000, 'failure'), signIn('typo', '192.0.2.1', t0 + 20_000, 'success')]);
    // Failures that end in no success are the brute-force rule's business, not this one's.
    await send(t, Array.from({ length: 8 }, (_, i) => signIn('locked_out', '192.0.2.2', t0 + i * 1000, 'failure')));
    await evaluate();
    const list = await alerts(t);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ group_value: 'victim', details: { failures: 6, required_failures: 5, window_seconds: 900, success_event_id: ok } });
    expect(list[0].event_ids[0]).toBe(ok);
    expect(new Set(list[0].event_ids.slice(1))).toEqual(new Set(fails));
  });

  it('late events count in the window they belong to (history-aware, not arrival order)', async () => {
    const t = await tenant('Late');
    await rule(t, { kind: 'threshold', name: 'deletions', tier: 'critical', filter: { actions: ['*.deleted'] }, group_by: 'actor', threshold: { count: 5, window_seconds: 600 } });
    const t0 = Date.now() - 6 * HOUR;
    const del = (i: number, at: number) => ({ action: 'document.deleted', occurred_at: iso(at), actor: { type: 'user', id: 'mallory' }, targets: [{ type: 'document', id: `d${i}` }] });
    await send(t, [del(1, t0), del(2, t0 + MIN), del(3, t0 + 9 * MIN)]);
    await evaluate();
    expect(await alerts(t)).toHaveLength(0);
    // Two more that happened in between, reported late: 5 in 10 minutes.
    await send(t, [del(4, t0 + 2 * MIN), del(5, t0 + 3 * MIN)]);
    await evaluate();
    const list = await alerts(t);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ tier: 'critical', event_count: 5, triggered_at: iso(t0 + 9 * MIN), first_seen_at: iso(t0) });
  });

  it('TN-01: one tenant\'s rules never see another tenant\'s events, and its alerts and rules are invisible to others', async () => {
    const a = await tenant('Watcher');
    const b = await tenant('Attacked elsewhere');
    const ruleA = await rule(a, { template: 'brute_force_sign_in', threshold: { count: 10, window_seconds: 300 } });
    const t0 = Date.now() - 2 * HOUR;
    // Tenant B sees a burst from an IP; tenant A sees a few failures from the same IP.
    await send(b, Array.from({ length: 40 }, (_, i) => signIn(`x${i}`, '198.51.100.200', t0 + i * 1000, 'failure')));
    await send(a, Array.from({ length: 5 }, (_, i) => signIn(`y${i}`, '198.51.100.200', t0 + i * 1000, 'failure')));
    await evaluate();
    expect(await alerts(a)).toHaveLength(0);
    expect(await alerts(b)).toHaveLength(0); // B has no rule

    await send(a, Array.from({ length: 10 }, (_, i) => signIn(`z${i}`, '198.51.100.200', t0 + 10_000 + i * 1000, 'failure')));
    await evaluate();
    const [alertA] = await alerts(a);
    // The window that reached 10 holds A's 5 earlier failures and 5 of the new ones.
    expect(alertA).toMatchObject({ event_count: 10, suppressed_count: 5 });
    expect(await alerts(b)).toHaveLength(0);
    for (const [method, path, body] of [
      ['get', `/v1/alerts/${alertA.id}`, undefined],
      ['patch', `/v1/alerts/${alertA.id}`, { status: 'closed' }],
      ['get', `/v1/alert-rules/${ruleA.id}`, undefined],
      ['patch', `/v1/alert-rules/${ruleA.id}`, { enabled: false }],
      ['delete', `/v1/alert-rules/${ruleA.id}`, undefined],
    ] as const) {
      const r = await ctx.api.request(method.toUpperCase(), path, { token: b.key, body });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await ctx.api.get('/v1/alert-rules', { token: b.key })).body.data).toEqual([]);
    expect((await ctx.api.get(`/v1/alerts/${alertA.id}`, { token: a.key })).body.status).toBe('open');
    expect((await ctx.api.get(`/v1/alert-rules/${ruleA.id}`, { token: a.key })).body.enabled).toBe(true);
  });

  it('triage: acknowledge, note, close with a resolution, reopen — each recorded in the trail; filters and cursor pages', async () => {
    const t = await tenant('Triage');
    await rule(t, { template: 'new_api_key', suppression_seconds: 0 });
    const t0 = Date.now() - HOUR;
    await send(t, [0, 1, 2].map((i) => ({ action: 'api_key.created', occurred_at: iso(t0 + i * MIN), actor: { type: 'user', id: 'dev' }, targets: [{ type: 'api_key', id: `k${i}` }] })));
    await evaluate();
    const list = await alerts(t);
    expect(list).toHaveLength(3);
    expect(list.map((a) => a.summary)).toEqual(['api_key.created by user dev', 'api_key.created by user dev', 'api_key.created by user dev']);

    const keyId = (await ctx.api.get('/v1/api-keys', { token: t.key })).body.data[0].id;
    const id = list[0].id;
    const ack = await ctx.api.patch(`/v1/alerts/${id}`, { token: t.key, body: { status: 'acknowledged', note: 'Looking into it.', owner: 'ann' } });
    expect(ack.status, ack.text).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', owner: 'ann', acknowledged_by: keyId, notes: [{ by: keyId, text: 'Looking into it.' }] });
    const closed = await ctx.api.patch(`/v1/alerts/${id}`, { token: t.key, body: { status: 'closed', resolution: 'false_positive', note: 'Planned rotation.' } });
    expect(closed.body).toMatchObject({ status: 'closed', resolution: 'false_positive', closed_by: keyId });
    expect(closed.body.notes.map((n: any) => n.text)).toEqual(['Looking into it.', 'Planned rotation.']);
    const reopened = await ctx.api.patch(`/v1/alerts/${id}`, { token: t.key, body: { status: 'open' } });
    expect(reopened.body).toMatchObject({ status: 'open', resolution: null, closed_at: null });

    const actions = (await listAll(ctx.api, t.key, { action: 'veritrail.alert.*' })).map((e) => e.action).sort();
    expect(actions).toEqual(['veritrail.alert.acknowledged', 'veritrail.alert.closed', 'veritrail.alert.reopened', 'veritrail.alert.triggered', 'veritrail.alert.triggered', 'veritrail.alert.triggered']);

    expect((await alerts(t, { status: 'open' })).length).toBe(3);
    await ctx.api.patch(`/v1/alerts/${list[1].id}`, { token: t.key, body: { status: 'closed' } });
    expect((await alerts(t, { status: 'closed' })).map((a) => a.id)).toEqual([list[1].id]);
    expect((await alerts(t, { owner: 'ann' })).map((a) => a.id)).toEqual([id]);
    expect(await alerts(t, { tier: 'critical' })).toEqual([]);
    const page1 = await ctx.api.get('/v1/alerts', { token: t.key, query: { limit: 2 } });
    const page2 = await ctx.api.get('/v1/alerts', { token: t.key, query: { limit: 2, cursor: page1.body.next_cursor } });
    expect([...page1.body.data, ...page2.body.data].map((a: any) => a.id)).toEqual(list.map((a) => a.id));
    expect(page2.body.next_cursor).toBeNull();
    // A cursor is bound to its filters.
    expect((await ctx.api.get('/v1/alerts', { token: t.key, query: { limit: 2, status: 'open', cursor: page1.body.next_cursor } })).body.error.code).toBe('invalid_cursor');
  });

  it('a rule that creates alerts closed (enrichment) records them as veritrail.alert.recorded, not triggered', async () => {
    const t = await tenant('Enrichment');
    await rule(t, { template: 'privilege_change', create_closed: true, tier: 'low' });
    await send(t, [{ action: 'user.permissions.granted', occurred_at: iso(Date.now() - HOUR), actor: { type: 'user', id: 'boss' } }]);
    await evaluate();
    const [a] = await alerts(t);
    expect(a).toMatchObject({ status: 'closed', closed_by: 'rule', tier: 'low' });
    expect(await listAll(ctx.api, t.key, { action: 'veritrail.alert.triggered' })).toHaveLength(0);
    expect(await listAll(ctx.api, t.key, { action: 'veritrail.alert.recorded' })).toHaveLength(1);
  });

  it('rules: templates, custom rules, update, disable and enable (from now on), delete — each change in the trail', async () => {
    const t = await tenant('Rules');
    const templates = await ctx.api.get('/v1/alert-rules/templates', { token: t.key });
    expect(templates.body.data.map((x: any) => x.template)).toEqual([
      'brute_force_sign_in',
      'bulk_export',
      'privilege_change',
      'new_api_key',
      'new_country_sign_in',
      'many_targets_read',
      'sign_in_after_failures',
      'source_silent',
      'unusual_volume',
      'impossible_travel',
      'unusual_hour',
      'rare_action',
    ]);
    const r = await rule(t, {
      kind: 'threshold',
      name: 'Many documents',
      tier: 'medium',
      filter: { actions: ['document.viewed'], actor_types: ['user'] },
      group_by: 'actor',
      threshold: { count: 3, window_seconds: 600, distinct: 'target' },
      suppression_seconds: 0,
    });
    expect(r).toMatchObject({ template: null, description: null, owner: null, create_closed: false, suppression_seconds: 0, new_value: null, sequence: null });
    const t0 = Date.now() - 3 * HOUR;
    const view = (doc: string, at: number) => ({ action: 'document.viewed', occurred_at: iso(at), actor: { type: 'user', id: 'reader' }, targets: [{ type: 'document', id: doc }] });
    // The same document over and over is not "many distinct targets"; three different ones are.
    await send(t, [view('a', t0), view('a', t0 + MIN), view('a', t0 + 2 * MIN), view('b', t0 + 3 * MIN), view('c', t0 + 4 * MIN)]);
    await evaluate();
    const [a] = await alerts(t);
    expect(a).toMatchObject({ details: { count: 3, distinct: 'target', threshold: 3 }, event_count: 5, triggered_at: iso(t0 + 4 * MIN) });

    // Disabled, events come and go; enabled again, it looks at new events only.
    expect((await ctx.api.patch(`/v1/alert-rules/${r.id}`, { token: t.key, body: { enabled: false } })).body.enabled).toBe(false);
    await send(t, [view('d', t0 + HOUR), view('e', t0 + HOUR + 1), view('f', t0 + HOUR + 2)]);
    await evaluate();
    const on = await ctx.api.patch(`/v1/alert-rules/${r.id}`, { token: t.key, body: { enabled: true, threshold: { count: 2, window_seconds: 60, distinct: 'target' }, owner: 'team-b' } });
    expect(on.body).toMatchObject({ enabled: true, owner: 'team-b', threshold: { count: 2 }, evaluation: { lag_events: 0 } });
    await evaluate();
    expect(await alerts(t)).toHaveLength(1);
    await send(t, [view('g', t0 + 2 * HOUR), view('h', t0 + 2 * HOUR + 1)]);
    await evaluate();
    expect(await alerts(t)).toHaveLength(2);
    expect((await ctx.api.get(`/v1/alert-rules/${r.id}`, { token: t.key })).body.evaluation.last_evaluated_at).not.toBeNull();

    expect((await ctx.api.delete(`/v1/alert-rules/${r.id}`, { token: t.key })).status).toBe(204);
    expect((await ctx.api.get(`/v1/alert-rules/${r.id}`, { token: t.key })).status).toBe(404);
    expect(await alerts(t)).toHaveLength(2); // alerts outlive their rule
    const changes = (await listAll(ctx.api, t.key, { action: 'veritrail.alert_rule.*' })).map((e) => e.action).sort();
    expect(changes).toEqual(['veritrail.alert_rule.created', 'veritrail.alert_rule.deleted', 'veritrail.alert_rule.disabled', 'veritrail.alert_rule.enabled']);
  });

  it('bad input is a 4xx with a stable code and changes nothing; the alerts scope is required', async () => {
    const t = await tenant('Hostile');
    const bad: [Record<string, unknown>, number, string, string?][] = [
      [{ template: 'no_such_template' }, 400, 'validation_failed', 'template'],
      [{ name: 'x', tier: 'low' }, 400, 'validation_failed', 'kind'],
      [{ kind: 'threshold', name: 'x', tier: 'low', filter: { actions: ['user.login'] }, group_by: 'ip' }, 400, 'validation_failed', 'threshold'],
      [{ kind: 'new_value', name: 'x', tier: 'low', filter: { actions: ['user.login'] }, group_by: 'ip', new_value: { field: 'country', lookback_days: 30 } }, 400, 'validation_failed', 'group_by'],
      [{ template: 'sign_in_after_failures', filter: { actions: ['user.login'], outcome: 'failure' } }, 400, 'validation_failed', 'filter.outcome'],
      [{ template: 'bulk_export', filter: { actions: ["x' OR 1=1 --"] } }, 400, 'validation_failed', 'filter.actions[0]'],
      [{ template: 'bulk_export', filter: { actions: ['(a+)+$'] } }, 400, 'validation_failed', 'filter.actions[0]'],
      [{ template: 'bulk_export', kind: 'sequence' }, 400, 'validation_failed', 'kind'],
      [{ template: 'bulk_export', tenant_id: 'other' }, 400, 'validation_failed', 'tenant_id'],
      [{ template: 'bulk_export', threshold: { count: 0, window_seconds: 60 } }, 400, 'validation_failed', 'threshold.count'],
      [{ template: 'new_country_sign_in', new_value: { field: 'country', lookback_days: 0 } }, 400, 'validation_failed', 'new_value.lookback_days'],
    ];
    for (const [body, status, code, field] of bad) {
      const r = await ctx.api.post('/v1/alert-rules', { token: t.key, body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code).toBe(code);
      if (field) expect(r.body.error.details.map((d: any) => d.field), JSON.stringify(body)).toContain(field);
    }
    expect((await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data).toEqual([]);

    const r = await rule(t, { template: 'bulk_export' });
    expect((await ctx.api.patch(`/v1/alert-rules/${r.id}`, { token: t.key, body: { sequence: { failures: 2, window_seconds: 60 } } })).body.error.details[0]).toMatchObject({ field: 'sequence', code: 'not_allowed' });
    expect((await ctx.api.patch(`/v1/alert-rules/${r.id}`, { token: t.key, body: { kind: 'sequence' } })).body.error.details[0]).toMatchObject({ field: 'kind', code: 'unknown_field' });
    expect((await ctx.api.get(`/v1/alert-rules/${r.id}`, { token: t.key })).body).toMatchObject({ kind: 'threshold', threshold: { count: 20 } });
    for (const path of ['/v1/alert-rules/ar_nope', `/v1/alert-rules/${r.id.toUpperCase()}`, '/v1/alerts/al_0000', "/v1/alerts/al_'%20OR%201=1"]) {
      expect((await ctx.api.get(path, { token: t.key })).status, path).toBe(404);
    }
    expect((await ctx.api.get('/v1/alerts', { token: t.key, query: { from: 'yesterday' } })).body.error.details[0]).toMatchObject({ field: 'from', code: 'invalid_format' });
    expect((await ctx.api.get('/v1/alerts', { token: t.key, query: { status: 'pwned' } })).status).toBe(400);
    expect((await ctx.api.get('/v1/alerts', { token: t.key, query: { cursor: 'x.y' } })).body.error.code).toBe('invalid_cursor');

    // Keys without the alerts scope, including organization keys, are refused.
    const reader = await createKey(ctx.api, t.key, { scopes: ['events:read', 'admin'] });
    for (const [m, p] of [['GET', '/v1/alerts'], ['GET', '/v1/alert-rules'], ['POST', '/v1/alert-rules'], ['PATCH', `/v1/alert-rules/${r.id}`]] as const) {
      const res = await ctx.api.request(m, p, { token: reader, body: m === 'GET' ? undefined : { template: 'bulk_export' } });
      expect(res.status, `${m} ${p}`).toBe(403);
      expect(res.body.error.code).toBe('insufficient_scope');
    }
    const org = await ctx.api.post('/v1/api-keys', { token: t.key, body: { name: 'org', scopes: ['alerts'], organization_id: 'org_1' } });
    expect(org.status).toBe(400);
    const scoped = await createKey(ctx.api, t.key, { scopes: ['alerts'] });
    expect((await ctx.api.get('/v1/alert-rules', { token: scoped })).body.data).toHaveLength(1);
    // Triage input.
    const t0 = Date.now() - HOUR;
    await send(t, Array.from({ length: 20 }, (_, i) => ({ action: 'file.downloaded', occurred_at: iso(t0 + i * 1000), actor: { type: 'user', id: 'u' } })));
    await evaluate();
    const [a] = await alerts(t);
    for (const [body, field] of [
      [{}, 'status'],
      [{ resolution: 'false_positive' }, 'resolution'],
      [{ status: 'acknowledged', resolution: 'benign' }, 'resolution'],
      [{ note: '' }, 'note'],
      [{ status: 'deleted' }, 'status'],
    ] as const) {
      const res = await ctx.api.patch(`/v1/alerts/${a.id}`, { token: t.key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field);
    }
    expect((await ctx.api.get(`/v1/alerts/${a.id}`, { token: t.key })).body).toMatchObject({ status: 'open', notes: [], resolution: null });
  });
  it('downtime and catch-up in small steps produce each alert once; an interrupted trail write is completed once', async () => {
    const t = await tenant('Catch-up');
    await rule(t, { template: 'brute_force_sign_in' });
    await rule(t, { template: 'bulk_export' });
    await rule(t, { template: 'privilege_change' });
    const t0 = Date.now() - 8 * HOUR;
    // While no evaluator runs (downtime): a burst, exports, two role changes by one admin, noise,
    // sent by several requests (so the log has many distinct received_at values to step through).
    await sendInRequestsOf(7, t, [
      ...Array.from({ length: 45 }, (_, i) => signIn(`v${i}`, '198.51.100.99', t0 + i * 1000, 'failure')),
      ...Array.from({ length: 30 }, (_, i) => ({ action: 'invoice.downloaded', occurred_at: iso(t0 + i * 5000), actor: { type: 'user', id: 'clerk' } })),
      ...Array.from({ length: 60 }, (_, i) => signIn(`n${i}`, `192.0.2.${i}`, t0 + i * MIN, 'success')),
      { action: 'member.role.updated', occurred_at: iso(t0 + HOUR), actor: { type: 'user', id: 'admin_1' }, changes: [{ field: 'role', before: 'viewer', after: 'owner' }] },
      { action: 'member.role.updated', occurred_at: iso(t0 + HOUR + MIN), actor: { type: 'user', id: 'admin_1' } },
    ]);
    await ctx.app.app.get(JobRunner).runNow('seal');
    // A restart, then catching up 10 log positions per step (about 14 steps).
    await ctx.app.close();
    ctx.app = await startApp(ctx.env, { ALERTS_BATCH_EVENTS: '10' });
    ctx.api = new Api(ctx.app.url);
    await evaluate();
    await evaluate();
    const list = await alerts(t);
    expect(list.map((a) => `${a.rule_name}|${a.group_value}|${a.suppressed_count}`).sort()).toEqual([
      'Brute-force sign-in|198.51.100.99|25',
      'Bulk export or download|clerk|10',
      'Privilege or role change|admin_1|1',
    ]);
    const trail = await listAll(ctx.api, t.key, { action: 'veritrail.alert.triggered' });
    expect(trail).toHaveLength(3);

    // A crash between the commit and the trail write leaves alerts flagged: the next run writes
    // the missing entry once, and does not write again one that did land.
    const prisma = ctx.app.app.get(PrismaService);
    const landed = list[0].id;
    await prisma.$executeRawUnsafe(`UPDATE alerts SET trail_recorded = false, created_at = now() - interval '5 minutes' WHERE id = $1`, landed);
    const lost = `al_${'0'.repeat(31)}1`;
    await prisma.$executeRawUnsafe(
      `INSERT INTO alerts (id, tenant_id, rule_id, rule_name, kind, tier, status, group_by, group_value, summary, details, event_ids, event_count, triggered_at, first_seen_at, last_seen_at, created_at)
       SELECT $1, tenant_id, rule_id, rule_name, kind, tier, status, group_by, 'someone', summary, details, event_ids, event_count, triggered_at, first_seen_at, last_seen_at, now() - interval '5 minutes' FROM alerts WHERE id = $2`,
      lost,
      landed,
    );
    await evaluate();
    await evaluate();
    const after = await listAll(ctx.api, t.key, { action: 'veritrail.alert.triggered' });
    expect(after.map((e) => e.targets[0].id).sort()).toEqual([...trail.map((e) => e.targets[0].id), lost].sort());
    expect(await prisma.alert.count({ where: { trailRecorded: false } })).toBe(0);
  });

});
