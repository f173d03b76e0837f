import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertsKit } from '../support/alerts-kit.js';
import { useApp, type TestTenant } from '../support/harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const fixture = (p: string) => readFileSync(new URL(`../fixtures/sigma/${p}`, import.meta.url), 'utf8');

/** Sigma import and export through the API: SigmaHQ GitHub/Okta rules and correlations fire on crafted events, live and in backtests. */
describe('alerts: Sigma rules', () => {
  const ctx = useApp();

  const { evaluate, tenant, send } = alertsKit(ctx);

  async function importRule(t: TestTenant, rule: string, extra: Record<string, unknown> = {}) {
    const r = await ctx.api.post('/v1/alert-rules/sigma', { token: t.key, body: { rule, ...extra } });
    expect(r.status, r.text).toBe(201);
    return r.body;
  }

  const alertsOf = async (t: TestTenant, ruleId: string) => (await ctx.api.get('/v1/alerts', { token: t.key, query: { rule_id: ruleId, limit: 100 } })).body.data as any[];
  const ev = (action: string, actor: string, at: number, ip = '198.51.100.7', outcome = 'success') => ({ action, occurred_at: iso(at), outcome, actor: { type: 'user', id: actor }, context: { ip } });

  it('SigmaHQ GitHub and Okta rules import and each fires once on the event it describes, not on its neighbours', async () => {
    const t = await tenant('Sigma hq');
    const cases: [string, string, string][] = [
      ['github_delete_action_invoked', 'repo.destroy', 'repo.create'],
      ['github_new_secret_created', 'org.create_actions_secret', 'org.update_actions_secret'],
      ['github_push_protection_bypass_detected', 'secret_scanning_push_protection.bypass', 'secret_scanning_push_protection.enable'],
      ['okta_api_token_created', 'system.api_token.create', 'system.api_token.revoke'],
      ['okta_mfa_reset_or_deactivated', 'user.mfa.factor.deactivate', 'user.mfa.factor.activate'],
      ['okta_admin_role_assigned_to_user_or_group', 'user.account.privilege.grant', 'user.account.privilege.revoke'],
    ];
    const rules: any[] = [];
    for (const [file] of cases) rules.push(await importRule(t, fixture(`sigmahq/${file}.yml`), { owner: 'secops' }));
    expect(rules[0]).toMatchObject({ kind: 'sigma', name: 'Github Delete Action Invoked', tier: 'medium', owner: 'secops', group_by: 'actor', sigma: { sigma_id: '16a71777-0b2e-4db7-9888-9d59cb75200b', level: 'medium', correlation: null } });
    expect(rules[1].tier).toBe('low');
    const at = Date.now() - HOUR;
    const ids = await send(t, cases.flatMap(([, hit, miss], i) => [ev(hit, `actor${i}`, at + i * MIN), ev(miss, `actor${i}`, at + i * MIN + 1000)]));
    await evaluate();
    for (const [i, r] of rules.entries()) {
      const list = await alertsOf(t, r.id);
      expect(list.map((a) => [a.group_value, a.event_ids[0]]), cases[i]![0]).toEqual([[`actor${i}`, ids[2 * i]]]);
      expect(list[0]).toMatchObject({ kind: 'sigma', owner: 'secops', details: { sigma_title: r.name, action: cases[i]![1] } });
    }

    // Refused with a precise code naming the place; nothing created.
    const before = (await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data.length;
    for (const [file, code, field] of [
      ['sigmahq/okta_user_session_start_via_anonymised_proxy.yml', 'sigma_field_unsupported', 'detection.selection.securityContext.isProxy'],
      ['sigmahq/okta_password_in_alternateid_field.yml', 'sigma_field_unsupported', 'detection.selection.legacyEventType'],
    ]) {
      const res = await ctx.api.post('/v1/alert-rules/sigma', { token: t.key, body: { rule: fixture(file!) } });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error).toMatchObject({ code, details: [{ field, code }] });
    }
    const bad = await ctx.api.post('/v1/alert-rules/sigma', { token: t.key, body: { rule: 'title: x\nlogsource: {product: windows, category: process_creation}\ndetection: {sel: {Image: a}, condition: sel}\n' } });
    expect(bad.body.error.code).toBe('sigma_logsource_unsupported');
    expect((await ctx.api.post('/v1/alert-rules', { token: t.key, body: { kind: 'sigma', name: 'x', tier: 'low', filter: { actions: ['*'] }, group_by: 'actor' } })).body.error.details).toEqual([
      expect.objectContaining({ field: 'kind', code: 'use_sigma_import' }),
    ]);
    expect((await ctx.api.post('/v1/alert-rules/sigma', { token: t.key, body: { rule: 'x'.repeat(20_000) } })).status).toBe(400);
    expect((await ctx.api.get('/v1/alert-rules', { token: t.key })).body.data.length).toBe(before);
  });

  it('correlations (event_count per IP, value_count, temporal_ordered, legacy timeframe count) fire once per burst; near misses do not; backtests replay the same alerts', async () => {
    const t = await tenant('Sigma correlations');
    const stuffing = await importRule(t, fixture('veritrail/okta_failed_sign_ins_per_ip.yml'));
    const spray = await importRule(t, fixture('veritrail/okta_many_accounts_per_ip.yml'));
    const ordered = await importRule(t, fixture('veritrail/okta_mfa_removed_then_token.yml'));
    const burst = await importRule(t, fixture('veritrail/github_repo_destruction_burst.yml'));
    const office = await importRule(t, fixture('veritrail/veritrail_admin_outside_office.yml'));
    expect(stuffing).toMatchObject({ group_by: 'ip', tier: 'high', sigma: { correlation: { type: 'event_count', group_by: 'context.ip', timespan_seconds: 600, gte: 10 } } });
    const at = Date.now() - 2 * HOUR;
    // 12 failures from one address within 6 min (fires at the 10th); 9 from another (does not).
    const fails = await send(t, Array.from({ length: 12 }, (_, i) => ev('user.session.start', `victim${i % 3}`, at + i * 30_000, '203.0.113.50', 'failure')));
    await send(t, Array.from({ length: 9 }, (_, i) => ev('user.session.start', 'other', at + i * 30_000, '203.0.113.51', 'failure')));
    // One address signing in as 5 accounts (value_count); another as 4.
    await send(t, Array.from({ length: 5 }, (_, i) => ev('user.session.start', `acct${i}`, at + HOUR + i * MIN, '203.0.113.60')));
    await send(t, Array.from({ length: 4 }, (_, i) => ev('user.session.start', `acct${i}`, at + HOUR + i * MIN, '203.0.113.61')));
    // MFA removed then a token created by mallory (in order, within 30 min); the reverse order for trent.
    const [, token] = await send(t, [ev('user.mfa.factor.deactivate', 'mallory', at + 10 * MIN), ev('system.api_token.create', 'mallory', at + 20 * MIN)]);
    await send(t, [ev('system.api_token.create', 'trent', at + 10 * MIN), ev('user.mfa.factor.deactivate', 'trent', at + 20 * MIN)]);
    // Three repositories destroyed by one actor within 10 min; two by another.
    const repos = await send(t, [0, 1, 2].map((i) => ev('repo.destroy', 'octocat', at + i * 2 * MIN)));
    await send(t, [0, 1].map((i) => ev('repo.destroy', 'hubot', at + i * 2 * MIN)));
    // Administration from outside the office network, from inside, and by the internal deploy tool.
    const [outside] = await send(t, [
      ev('admin.user.deleted', 'root', at + 3 * MIN, '198.51.100.99'),
      ev('admin.user.deleted', 'root2', at + 3 * MIN, '10.2.3.4'),
      { ...ev('admin.user.deleted', 'deployer', at + 3 * MIN, '198.51.100.98'), context: { ip: '198.51.100.98', user_agent: 'Internal Deploy/1.0' } },
    ]);
    await evaluate();

    const s = await alertsOf(t, stuffing.id);
    expect(s.map((a) => [a.group_value, a.event_ids[0], a.triggered_at])).toEqual([['203.0.113.50', fails[9], iso(at + 9 * 30_000)]]);
    expect(s[0]).toMatchObject({ group_by: 'ip', tier: 'high', event_count: 10, details: { correlation: 'event_count', count: 10, gte: 10, timespan_seconds: 600 } });
    expect(s[0].suppressed_count).toBe(2);
    const v = await alertsOf(t, spray.id);
    expect(v.map((a) => [a.group_value, a.details.count])).toEqual([['203.0.113.60', 5]]);
    expect(v[0].details.values).toEqual(['acct0', 'acct1', 'acct2', 'acct3', 'acct4']);
    const o = await alertsOf(t, ordered.id);
    expect(o.map((a) => [a.group_value, a.event_ids[0]])).toEqual([['mallory', token]]);
    expect(o[0].tier).toBe('critical');
    const b = await alertsOf(t, burst.id);
    expect(b.map((a) => [a.group_value, a.event_ids[0]])).toEqual([['octocat', repos[2]]]);
    expect((await alertsOf(t, office.id)).map((a) => a.event_ids[0])).toEqual([outside]);

    for (const r of [stuffing, spray, ordered, burst, office]) {
      const bt = await ctx.api.post(`/v1/alert-rules/${r.id}/backtest`, { token: t.key, body: { from: iso(at - HOUR), to: iso(Date.now()) } });
      expect(bt.status, bt.text).toBe(200);
      const shape = (a: any) => [a.group_value, a.triggered_at, a.event_ids[0], a.summary, a.suppressed_count];
      expect(bt.body.alerts.map(shape), r.name).toEqual((await alertsOf(t, r.id)).map(shape));
    }
  });

  it('export: a threshold template as Sigma imports back and fires on the same events; kinds without an equivalent are 422; another tenant\'s rule is 404', async () => {
    const t = await tenant('Sigma export');
    const other = await tenant('Sigma export other');
    const brute = (await ctx.api.post('/v1/alert-rules', { token: t.key, body: { template: 'brute_force_sign_in', threshold: { count: 5, window_seconds: 300 } } })).body;
    const exp = await ctx.api.get(`/v1/alert-rules/${brute.id}/sigma`, { token: t.key });
    expect(exp.status, exp.text).toBe(200);
    expect(exp.body.rule_id).toBe(brute.id);
    expect(exp.body.sigma).toContain('type: event_count');
    const back = await importRule(t, exp.body.sigma);
    expect(back).toMatchObject({ kind: 'sigma', group_by: 'ip', sigma: { correlation: { type: 'event_count', gte: 5, timespan_seconds: 300 } } });
    const at = Date.now() - HOUR;
    await send(t, Array.from({ length: 6 }, (_, i) => ev('user.login', `u${i}`, at + i * 10_000, '203.0.113.77', 'failure')));
    await evaluate();
    const native = await alertsOf(t, brute.id);
    const imported = await alertsOf(t, back.id);
    expect(native.map((a) => [a.group_value, a.triggered_at, a.event_ids[0]])).toEqual([['203.0.113.77', iso(at + 40_000), expect.any(String)]]);
    expect(imported.map((a) => [a.group_value, a.triggered_at, a.event_ids[0]])).toEqual(native.map((a) => [a.group_value, a.triggered_at, a.event_ids[0]]));

    // A rule near the 16 KB limit imports; the trail records its hash and size, not the YAML (a trail entry's metadata is at most 16 KB).
    const big = `title: Big\nlogsource: {product: github}\ndetection:\n  selection:\n    action:\n${Array.from({ length: 199 }, (_, i) => `      - 'org.some_long_action_name_for_padding_${String(i).padStart(3, '0')}_${'x'.repeat(20)}'`).join('\n')}\n  condition: selection\n`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(14_000);
    const bigRule = await importRule(t, big);
    const created = await ctx.api.get('/v1/events', { token: t.key, query: { action: 'veritrail.alert_rule.created', target_id: bigRule.id } });
    expect(created.status, created.text).toBe(200);
    expect(created.body.data[0].metadata.definition.sigma).toMatchObject({ title: 'Big', source_bytes: Buffer.byteLength(big), source_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await ctx.api.get(`/v1/alert-rules/${bigRule.id}/sigma`, { token: t.key })).body.sigma).toBe(big);

    // A sigma rule exports as imported.
    const src = fixture('sigmahq/okta_api_token_created.yml');
    const okta = await importRule(t, src);
    expect((await ctx.api.get(`/v1/alert-rules/${okta.id}/sigma`, { token: t.key })).body.sigma).toBe(src);
    const vol = (await ctx.api.post('/v1/alert-rules', { token: t.key, body: { template: 'unusual_volume' } })).body;
    const no = await ctx.api.get(`/v1/alert-rules/${vol.id}/sigma`, { token: t.key });
    expect(no.status).toBe(422);
    expect(no.body.error.code).toBe('sigma_export_unsupported');
    expect((await ctx.api.get(`/v1/alert-rules/${okta.id}/sigma`, { token: other.key })).status).toBe(404);
    // The other tenant's identical events raise nothing for this tenant's rules.
    await send(other, Array.from({ length: 6 }, (_, i) => ev('user.login', `u${i}`, at + i * 10_000, '203.0.113.78', 'failure')));
    await evaluate();
    expect(await alertsOf(t, back.id)).toHaveLength(1);
  });
});
