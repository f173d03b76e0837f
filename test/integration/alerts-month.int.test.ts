import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { monthTraffic } from '../support/month-traffic.js';
import { useApp } from '../support/harness.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A generated month of ordinary traffic (deterministic seed) with four planted incidents, through
 * the templates as a tenant would enable them: each incident alerts once, every rule stays
 * within the STAT target (about one alert per week), and backtests replay the live alerts.
 */
describe('alerts: a month of traffic with planted incidents', () => {
  const ctx = useApp();

  it('each planted incident alerts once; the rest of the month stays under the STAT target; backtest == live', async () => {
    const t = await ctx.tenant('Month');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const templates = ['brute_force_sign_in', 'bulk_export', 'unusual_volume', 'impossible_travel', 'new_country_sign_in', 'sign_in_after_failures', 'many_targets_read', 'source_silent'];
    const rules: Record<string, string> = {};
    for (const template of templates) {
      const r = await ctx.api.post('/v1/alert-rules', { token: t.key, body: { template } });
      expect(r.status, r.text).toBe(201);
      rules[template] = r.body.id;
    }
    // The other kinds judged event by event against the actor's history, for backtest == live only.
    const baselineRules: Record<string, Record<string, unknown>> = {
      unusual_hour: { template: 'unusual_hour' },
      rare_action: { template: 'rare_action' },
      new_client_sign_in: { kind: 'new_value', name: 'New client', tier: 'medium', filter: { actions: ['*.login'], outcome: 'success' }, group_by: 'actor', new_value: { field: 'client', lookback_days: 30, min_history_days: 5 } },
    };
    for (const [name, body] of Object.entries(baselineRules)) {
      const r = await ctx.api.post('/v1/alert-rules', { token: t.key, body });
      expect(r.status, r.text).toBe(201);
      rules[name] = r.body.id;
    }
    const month = monthTraffic(20_261_206, Date.now());
    expect(month.events.length).toBeGreaterThan(3000);
    expect(month.events.length).toBeLessThan(8000);
    for (let i = 0; i < month.events.length; i += 500) {
      const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: month.events.slice(i, i + 500) } });
      expect(r.status, r.text).toBe(201);
    }

    // Evaluate until every rule has caught up with the log (a run stops after its time budget).
    const jobs = ctx.app.app.get(JobRunner);
    const deadline = Date.now() + 120_000;
    for (;;) {
      await jobs.runNow('seal');
      await jobs.runNow('alerts');
      const list = (await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data as any[];
      if (list.every((r) => r.evaluation.lag_events === 0)) break;
      if (Date.now() > deadline) throw new Error(`evaluation did not catch up: ${JSON.stringify(list.map((r) => [r.template, r.evaluation]))}`);
    }

    const live: Record<string, any[]> = {};
    for (const template of templates) live[template] = (await ctx.api.get('/v1/alerts', { token: t.key, query: { rule_id: rules[template]!, limit: 100 } })).body.data;
    const keys = (template: string) => live[template]!.map((a) => a.group_value);
    const p = month.planted;
    expect(keys('brute_force_sign_in')).toEqual([p.stuffing.ip]);
    expect(keys('bulk_export')).toEqual([p.insider.actor]);
    expect(keys('unusual_volume')).toEqual([p.insider.actor]);
    expect(keys('impossible_travel')).toEqual([p.travel.actor]);
    expect(keys('source_silent')).toEqual([p.silent.organization]);
    expect(live.impossible_travel![0]).toMatchObject({ triggered_at: iso(p.travel.at), details: { previous_country: 'US', country: 'JP' } });
    expect(live.bulk_export![0].triggered_at >= iso(p.insider.firstAt)).toBe(true);
    expect(live.brute_force_sign_in![0].suppressed_count).toBeGreaterThan(0);
    // The new country of the impossible trip, and the legitimate traveller's first New York sign-in.
    expect(keys('new_country_sign_in').filter((k) => k === p.travel.actor)).toHaveLength(1);
    // STAT: at most about one alert per rule and week over the month (30 days: 4).
    for (const template of templates) expect(live[template]!.length, template).toBeLessThanOrEqual(Math.floor(30 / 7));
    expect(keys('sign_in_after_failures')).toEqual([]);

    // Backtests replay the live alerts, within the STAT target: the event-driven rules, the
    // sequence and distinct-count rules, and the silence (judged live only now, at the end of the
    // month: the planted silence is the month's only one, so a continuously running job would have
    // raised the same alert).
    for (const template of ['brute_force_sign_in', 'bulk_export', 'unusual_volume', 'impossible_travel', 'new_country_sign_in', 'sign_in_after_failures', 'many_targets_read', 'source_silent']) {
      const bt = await ctx.api.post(`/v1/alert-rules/${rules[template]!}/backtest`, { token: t.key, body: { from: iso(month.from), to: iso(month.to + DAY / 24) } });
      expect(bt.status, bt.text).toBe(200);
      expect(bt.body.truncated).toBe(false);
      const shape = (a: any) => [a.group_value, a.triggered_at, a.event_ids[0], a.summary];
      const byTime = (a: any, b: any) => (a.triggered_at < b.triggered_at ? -1 : 1);
      expect([...bt.body.alerts].sort(byTime).map(shape), template).toEqual([...live[template]!].sort(byTime).map(shape));
      expect(bt.body.ratio_to_target, template).toBeLessThanOrEqual(1);
    }
    for (const name of Object.keys(baselineRules)) {
      const own = (await ctx.api.get('/v1/alerts', { token: t.key, query: { rule_id: rules[name]!, limit: 100 } })).body.data as any[];
      expect(own.length, name).toBeLessThan(100);
      const bt = await ctx.api.post(`/v1/alert-rules/${rules[name]!}/backtest`, { token: t.key, body: { from: iso(month.from), to: iso(month.to + DAY / 24) } });
      expect(bt.status, bt.text).toBe(200);
      expect(bt.body.truncated).toBe(false);
      const shape = (a: any) => [a.group_value, a.triggered_at, a.event_ids[0], a.summary, a.suppressed_count];
      const byTime = (a: any, b: any) => (a.triggered_at < b.triggered_at ? -1 : 1);
      expect([...bt.body.alerts].sort(byTime).map(shape), name).toEqual([...own].sort(byTime).map(shape));
    }
  });
});
