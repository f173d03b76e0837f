import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { AlertsRepository } from '../../src/alerts/alerts.repository.js';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { TenantDirectory } from '../../src/tenancy/tenant-directory.service.js';
import { TenantScope } from '../../src/tenancy/tenant-scope.js';
import { Api, createTenant, createTestEnv, listAll, startApp, useApp, type RunningApp, type TestTenant } from '../support/harness.js';

const iso = (ms: number) => new Date(ms).toISOString();
/** The rule of the finding: eight wildcards and a last segment the hostile action lacks. */
const HOSTILE_PATTERN = '*.*.*.*.*.*.*.*.z';
/** 45 segments, no `z`: a backtracking RegExp of HOSTILE_PATTERN tries every split of them (seconds to minutes). */
const HOSTILE_ACTION = Array.from({ length: 45 }, (_, i) => 'abcdefghij'[i % 10]).join('.');

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('PEN-01: alert rules cannot freeze the process', () => {
  const ctx = useApp({ JOBS: 'seal,alerts', SEAL_INTERVAL: '200ms', ALERTS_INTERVAL: '200ms' });

  async function tenant(name: string): Promise<TestTenant> {
    const t = await ctx.tenant(name);
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    return t;
  }

  it('PEN-01: action patterns over the wildcard bound are refused (400 pattern_too_complex) and change nothing', async () => {
    const t = await tenant('Bounded');
    const twenty = `${Array.from({ length: 20 }, () => '*').join('.')}.z`;
    for (const actions of [[HOSTILE_PATTERN], ['user.login', twenty], ['*.a.*.b.*.c.*.d.*']]) {
      const r = await ctx.api.post('/v1/alert-rules', { token: t.key, body: { kind: 'threshold', name: 'x', tier: 'low', filter: { actions }, group_by: 'actor', threshold: { count: 1, window_seconds: 60 } } });
      expect(r.status, r.text).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.details).toEqual([expect.objectContaining({ field: `filter.actions[${actions.length - 1}]`, code: 'pattern_too_complex' })]);
    }
    expect((await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data).toEqual([]);

    // At the bound it is accepted; an update over it is refused and leaves the rule as it was.
    const ok = await ctx.api.post('/v1/alert-rules', { token: t.key, body: { kind: 'threshold', name: 'ok', tier: 'low', filter: { actions: ['*.a.*.b.*.c.*'] }, group_by: 'actor', threshold: { count: 1, window_seconds: 60 } } });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body).toMatchObject({ status: 'active', disabled_reason: null, disabled_message: null, disabled_at: null });
    const bad = await ctx.api.patch(`/v1/alert-rules/${ok.body.id}`, { token: t.key, body: { filter: { actions: [HOSTILE_PATTERN] } } });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ field: 'filter.actions[0]', code: 'pattern_too_complex' });
    expect((await ctx.api.get(`/v1/alert-rules/${ok.body.id}`, { token: t.key })).body.filter).toEqual({ actions: ['*.a.*.b.*.c.*'] });
  });

  it('PEN-01: a stored hostile rule meets a 45-segment action with the alerts job on: /healthz answers, other tenants ingest, the rule still works', async () => {
    const victim = await tenant('Hostile rule');
    const other = await tenant('Bystander');
    // A rule stored before patterns were bounded (the API refuses it now): one firing per
    // matching event, and one over a window (ClickHouse's RE2 side of the same filter).
    const scope = TenantScope.forTenant((await ctx.app.app.get(TenantDirectory).get(victim.id))!);
    const repo = ctx.app.app.get(AlertsRepository);
    const common = { tier: 'high' as const, owner: undefined, description: undefined, template: undefined, enabled: true, createClosed: false, suppressionSeconds: 0, cursorIdx: -1 };
    await repo.createRule(scope, { ...common, id: `ar_${'a'.repeat(32)}`, name: 'Legacy single', kind: 'threshold', definition: { filter: { actions: [HOSTILE_PATTERN] }, group_by: 'actor', threshold: { count: 1, window_seconds: 60 } } });
    await repo.createRule(scope, { ...common, id: `ar_${'b'.repeat(32)}`, name: 'Legacy window', kind: 'threshold', definition: { filter: { actions: [HOSTILE_PATTERN] }, group_by: 'actor', threshold: { count: 2, window_seconds: 600 } } });

    let stop = false;
    const health: number[] = [];
    const healthLoop = (async () => {
      while (!stop) {
        const t0 = performance.now();
        const r = await fetch(`${ctx.app.url}/healthz`);
        expect(r.status).toBe(200);
        health.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const ingest: number[] = [];
    const ingestLoop = (async () => {
      for (let i = 0; !stop; i++) {
        const t0 = performance.now();
        const r = await ctx.api.post('/v1/events', { token: other.key, body: { action: 'doc.viewed', occurred_at: iso(Date.now()), actor: { type: 'user', id: `u${i}` } } });
        expect(r.status, r.text).toBe(201);
        ingest.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    let ids: string[] = [];
    let rules: any[] = [];
    let alerts: any[] = [];
    try {
      const now = Date.now();
      const sent = await ctx.api.post('/v1/events/batch', {
        token: victim.key,
        body: {
          events: [
            { action: HOSTILE_ACTION, occurred_at: iso(now - 3000), actor: { type: 'user', id: 'mallory' } },
            { action: 'a.b.c.d.e.f.g.h.z', occurred_at: iso(now - 2000), actor: { type: 'user', id: 'ann' } },
            { action: 'a.b.c.d.e.f.g.h.i.z', occurred_at: iso(now - 1000), actor: { type: 'user', id: 'ann' } },
          ],
        },
      });
      expect(sent.status, sent.text).toBe(201);
      ids = sent.body.ids;
      // The evaluator gets past all three (both rules' cursors at the end of the log) …
      rules = await until('both rules evaluated', async () => {
        const data = (await ctx.api.get('/v1/alert-rules', { token: victim.key })).body.data as any[];
        return data.length === 2 && data.every((x) => x.evaluation.last_evaluated_at !== null && x.evaluation.lag_events === 0) ? data : undefined;
      });
      alerts = await until('the alerts', async () => {
        const data = (await ctx.api.get('/v1/alerts', { token: victim.key })).body.data as any[];
        return data.length >= 3 ? data : undefined;
      });
    } finally {
      // Keep measuring until both loops have a sample set worth judging: on a fast run the
      // evaluator can finish before five round trips have completed.
      const started = Date.now();
      while ((health.length <= 5 || ingest.length <= 5) && Date.now() - started < 60_000) {
        await new Promise((r) => setTimeout(r, 50));
      }
      stop = true;
      await Promise.all([healthLoop, ingestLoop]);
    }
    const [hostileId, matchId, secondId] = ids;

    // … while the process kept answering: a backtracking RegExp held it for seconds (4.9–41 s measured).
    expect(health.length).toBeGreaterThan(5);
    expect(Math.max(...health)).toBeLessThan(2000);
    expect(ingest.length).toBeGreaterThan(5);
    expect(Math.max(...ingest)).toBeLessThan(2000);
    // The rules did their job, on the right events only, and are still active.
    expect(rules.map((r) => r.status)).toEqual(['active', 'active']);
    const single = alerts.filter((a) => a.rule_name === 'Legacy single');
    expect(single.map((a) => a.event_ids[0]).sort()).toEqual([matchId, secondId].sort());
    const window = alerts.filter((a) => a.rule_name === 'Legacy window');
    expect(window).toHaveLength(1);
    expect(window[0].event_ids.sort()).toEqual([matchId, secondId].sort());
    expect(alerts.flatMap((a) => a.event_ids)).not.toContain(hostileId);
  });
});

describe('PEN-01: a rule over its evaluation budget is disabled as poisoned', () => {
  it('PEN-01: the rule is disabled with a clear status in the commit of the step; after a restart it is not evaluated again; enabling it resumes from then on', async () => {
    const env = await createTestEnv();
    let app: RunningApp | undefined;
    try {
      // A budget of 1 ms against ~1,000 events × 30 four-wildcard patterns × 63 segments: the
      // rule's matching alone is tens of milliseconds of work, whatever the machine.
      app = await startApp(env, { ALERTS_RULE_BUDGET: '1ms' });
      let api = new Api(app.url);
      const t = await createTenant(api, env, 'Poisoned');
      await api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
      const actions = Array.from({ length: 30 }, (_, i) => `*.p${i}.*.q.*.r.*`);
      const created = await api.post('/v1/alert-rules', { token: t.key, body: { kind: 'threshold', name: 'Heavy', tier: 'low', filter: { actions }, group_by: 'actor', threshold: { count: 1, window_seconds: 60 } } });
      expect(created.status, created.text).toBe(201);
      const ruleId = created.body.id as string;
      // 63 segments (125 characters, the most an action may have).
      const long = Array.from({ length: 63 }, (_, i) => (i % 3 === 0 ? 'q' : 'abcdefg'[i % 7])).join('.');
      for (let b = 0; b < 2; b++) {
        const r = await api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 500 }, (_, i) => ({ action: long, occurred_at: iso(Date.now() - 60_000 + i), actor: { type: 'user', id: `u${i}` } })) } });
        expect(r.status, r.text).toBe(201);
      }
      const jobs = app.app.get(JobRunner);
      await jobs.runNow('seal');
      const counts = await jobs.runNow('alerts');
      expect(counts).toMatchObject({ poisoned: 1 });

      const rule = (await api.get(`/v1/alert-rules/${ruleId}`, { token: t.key })).body;
      expect(rule).toMatchObject({ enabled: false, status: 'poisoned', disabled_reason: 'evaluation_budget_exceeded', evaluation: { lag_events: 0 } });
      expect(rule.disabled_message).toMatch(/took \d+ ms of processing, over its budget of 1 ms/);
      expect(Date.parse(rule.disabled_at)).toBeGreaterThan(Date.now() - 120_000);
      expect((await api.get('/v1/alert-rules', { token: t.key })).body.data[0]).toMatchObject({ id: ruleId, status: 'poisoned' });
      const trail = await listAll(api, t.key, { action: 'veritrail.alert_rule.disabled' });
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({ actor: { type: 'system', id: 'alerts' }, targets: [{ type: 'alert_rule', id: ruleId }], metadata: { reason: 'evaluation_budget_exceeded' } });
      const cursorAtPoison = (await app.app.get(AlertsRepository).getRule(TenantScope.forTenant((await app.app.get(TenantDirectory).get(t.id))!), ruleId))!.cursorIdx;

      // A restart (same budget): the poisoned rule is not evaluated again on the events that
      // exhausted it, and nothing else is disabled.
      await app.close();
      app = await startApp(env, { ALERTS_RULE_BUDGET: '1ms' });
      api = new Api(app.url);
      const again = await app.app.get(JobRunner).runNow('alerts');
      expect(again).toMatchObject({ poisoned: 0, events: 0 });
      expect((await api.get('/healthz')).status).toBe(200);
      const scope = TenantScope.forTenant((await app.app.get(TenantDirectory).get(t.id))!);
      expect((await app.app.get(AlertsRepository).getRule(scope, ruleId))!.cursorIdx).toBe(cursorAtPoison);
      expect(await listAll(api, t.key, { action: 'veritrail.alert_rule.disabled' })).toHaveLength(1);

      // A crash between the commit and the trail write: the entry is written once by the next
      // run, and not again when it is already there.
      const prisma = app.app.get(PrismaService);
      await prisma.$executeRawUnsafe(`UPDATE alert_rules SET disabled_recorded = false, disabled_at = now() - interval '5 minutes' WHERE id = $1`, ruleId);
      await app.app.get(JobRunner).runNow('alerts');
      expect(await listAll(api, t.key, { action: 'veritrail.alert_rule.disabled' })).toHaveLength(1);
      expect((await prisma.alertRule.findFirst({ where: { id: ruleId } }))!.disabledRecorded).toBe(true);
      const lost = await api.post('/v1/alert-rules', { token: t.key, body: { kind: 'threshold', name: 'Lost entry', tier: 'low', enabled: false, filter: { actions: ['never.seen'] }, group_by: 'actor', threshold: { count: 1, window_seconds: 60 } } });
      await prisma.$executeRawUnsafe(
        `UPDATE alert_rules SET disabled_reason = 'evaluation_budget_exceeded', disabled_message = 'm', disabled_recorded = false, disabled_at = now() - interval '5 minutes' WHERE id = $1`,
        lost.body.id,
      );
      await app.app.get(JobRunner).runNow('alerts');
      await app.app.get(JobRunner).runNow('alerts');
      expect((await listAll(api, t.key, { action: 'veritrail.alert_rule.disabled' })).map((e) => e.targets[0].id).sort()).toEqual([ruleId, lost.body.id].sort());

      // Enabled again: active, from the end of the log (the heavy events are never evaluated again).
      const enabled = await api.patch(`/v1/alert-rules/${ruleId}`, { token: t.key, body: { enabled: true } });
      expect(enabled.status, enabled.text).toBe(200);
      expect(enabled.body).toMatchObject({ enabled: true, status: 'active', disabled_reason: null, disabled_message: null, disabled_at: null, evaluation: { lag_events: 0 } });
      expect(await app.app.get(JobRunner).runNow('alerts')).toMatchObject({ poisoned: 0 });
      expect((await api.get(`/v1/alert-rules/${ruleId}`, { token: t.key })).body.status).toBe('active');
      expect(await listAll(api, t.key, { action: 'veritrail.alert_rule.enabled' })).toHaveLength(1);

      // Disabled through the API: status disabled, no reason.
      const off = await api.patch(`/v1/alert-rules/${ruleId}`, { token: t.key, body: { enabled: false } });
      expect(off.body).toMatchObject({ status: 'disabled', disabled_reason: null, disabled_message: null });
      expect(off.body.disabled_at).not.toBeNull();
    } finally {
      await app?.close();
      await env.drop();
    }
  });
});
