import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { EvalEvent } from './rule-definition.js';
import { compileSigma, importSigma, parseCondition, SigmaError } from './sigma.js';
import { exportSigma } from './sigma-export.js';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;
const fixture = (p: string) => readFileSync(new URL(`../../test/fixtures/sigma/${p}`, import.meta.url), 'utf8');

function ev(action: string, over: Partial<EvalEvent> = {}): EvalEvent {
  return { idx: 0, id: 'e', t: 0, receivedAt: 0, action, outcome: 'success', actorType: 'user', actorId: 'u1', ip: '198.51.100.1', organizationId: 'org_1', userAgent: '', targets: [], ...over };
}

const refused = (src: string): [string, string] => {
  try {
    importSigma(src);
  } catch (e) {
    if (e instanceof SigmaError) return [e.code, e.field];
    throw e;
  }
  throw new Error('imported');
};

const rule = (detection: string, logsource = 'logsource: {product: veritrail}') => `title: t\n${logsource}\ndetection:\n${detection}\n`;

describe('Sigma import: detection rules', () => {
  it('SigmaHQ GitHub and Okta rules import; their lists and modifiers match the events they describe, case-insensitively', () => {
    const del = importSigma(fixture('sigmahq/github_delete_action_invoked.yml'));
    expect(del).toMatchObject({ kind: 'sigma', tier: 'medium', name: 'Github Delete Action Invoked', definition: { group_by: 'actor', filter: { actions: ['*'] } } });
    const [m] = compileSigma(del.definition.sigma!);
    expect(m!(ev('repo.destroy'))).toBe(true);
    expect(m!(ev('REPO.destroy'))).toBe(true);
    expect(m!(ev('repo.create'))).toBe(false);
    const [bypass] = compileSigma(importSigma(fixture('sigmahq/github_push_protection_bypass_detected.yml')).definition.sigma!);
    expect(bypass!(ev('secret_scanning_push_protection.bypass'))).toBe(true);
    expect(bypass!(ev('business.secret_scanning_push_protection.bypass_requested'))).toBe(true);
    const okta = importSigma(fixture('sigmahq/okta_mfa_reset_or_deactivated.yml'));
    const [mfa] = compileSigma(okta.definition.sigma!);
    expect(mfa!(ev('user.mfa.factor.reset_all'))).toBe(true);
    expect(mfa!(ev('user.mfa.factor.activate'))).toBe(false);
  });

  it('the modifiers: startswith, re (RE2), cidr, contains|all, wildcards, null, exists; 1 of / not', () => {
    const [m] = compileSigma(importSigma(fixture('veritrail/veritrail_admin_outside_office.yml')).definition.sigma!);
    expect(m!(ev('admin.user.deleted', { ip: '203.0.113.9' }))).toBe(true);
    expect(m!(ev('admin.user.deleted', { ip: '10.1.2.3' }))).toBe(false);
    expect(m!(ev('admin.user.deleted', { ip: '::ffff:192.168.4.4' }))).toBe(false);
    expect(m!(ev('project.role.granted', { ip: '203.0.113.9' }))).toBe(true);
    expect(m!(ev('project.role.revoked', { ip: '203.0.113.9' }))).toBe(false);
    // contains|all: both words, in any order, any case.
    expect(m!(ev('admin.x', { ip: '203.0.113.9', userAgent: 'Internal-Deploy/2' }))).toBe(false);
    expect(m!(ev('admin.x', { ip: '203.0.113.9', userAgent: 'deploy-bot' }))).toBe(true);
    const [w] = compileSigma(importSigma(rule("  sel:\n    action: 'user.*.deleted'\n    target.type: doc?\n    organization_id: null\n  condition: sel")).definition.sigma!);
    expect(w!(ev('user.file.deleted', { organizationId: '', targets: [{ type: 'doc1', id: 'a' }] }))).toBe(true);
    expect(w!(ev('user.file.deleted', { organizationId: 'org_1', targets: [{ type: 'doc1', id: 'a' }] }))).toBe(false);
    expect(w!(ev('user.deleted', { organizationId: '', targets: [{ type: 'doc1', id: 'a' }] }))).toBe(false);
    const [x] = compileSigma(importSigma(rule("  sel:\n    user_agent|exists: false\n  condition: sel")).definition.sigma!);
    expect(x!(ev('a'))).toBe(true);
    expect(x!(ev('a', { userAgent: 'curl' }))).toBe(false);
    // A wildcard in a value is literal when escaped.
    const [lit] = compileSigma(importSigma(rule("  sel:\n    user_agent: 'a\\*b'\n  condition: sel")).definition.sigma!);
    expect(lit!(ev('a', { userAgent: 'a*b' }))).toBe(true);
    expect(lit!(ev('a', { userAgent: 'axxb' }))).toBe(false);
  });

  it('conditions: precedence (not > and > or), parentheses, all of them, a legacy count with timeframe', () => {
    expect(parseCondition('a or b and not c').cond).toEqual({ op: 'or', a: { op: 'ref', name: 'a' }, b: { op: 'and', a: { op: 'ref', name: 'b' }, b: { op: 'not', a: { op: 'ref', name: 'c' } } } });
    expect(parseCondition('(a or b) and c').cond.op).toBe('and');
    expect(parseCondition('sel | count() by actor > 4').agg).toEqual({ field: null, by: 'actor', gte: 5 });
    expect(parseCondition('sel | count(ip) by user >= 3').agg).toEqual({ field: 'ip', by: 'user', gte: 3 });
    const burst = importSigma(fixture('veritrail/github_repo_destruction_burst.yml'));
    expect(burst.definition).toMatchObject({ group_by: 'actor', sigma: { correlation: { type: 'event_count', group_by: 'actor.id', timespan_seconds: 600, gte: 3, field: null } } });
    const [all] = compileSigma(importSigma(rule("  a:\n    action: x.y\n  b:\n    outcome: failure\n  condition: all of them")).definition.sigma!);
    expect(all!(ev('x.y', { outcome: 'failure' }))).toBe(true);
    expect(all!(ev('x.y'))).toBe(false);
  });

  it('refuses what does not map, each with its own code and place', () => {
    expect(refused(fixture('sigmahq/okta_user_session_start_via_anonymised_proxy.yml'))).toEqual(['sigma_field_unsupported', 'detection.selection.securityContext.isProxy']);
    expect(refused(fixture('sigmahq/okta_password_in_alternateid_field.yml'))).toEqual(['sigma_field_unsupported', 'detection.selection.legacyEventType']);
    expect(refused(rule('  sel:\n    Image|endswith: x.exe\n  condition: sel', 'logsource: {category: process_creation, product: windows}'))).toEqual(['sigma_logsource_unsupported', 'logsource.product']);
    expect(refused(rule('  sel:\n    action|base64: x\n  condition: sel'))).toEqual(['sigma_modifier_unsupported', 'detection.sel.action|base64']);
    expect(refused(rule('  sel:\n    - evil\n  condition: sel'))[0]).toBe('sigma_keywords_unsupported');
    expect(refused(rule('  sel:\n    action: x\n  condition: 2 of sel*'))).toEqual(['sigma_condition_invalid', 'detection.condition']);
    expect(refused(rule('  sel:\n    action: x\n  condition: sel and nope'))).toEqual(['sigma_condition_invalid', 'detection.condition']);
    expect(refused(rule('  sel:\n    action: x\n  condition: sel | count() < 3\n  timeframe: 5m'))).toEqual(['sigma_condition_invalid', 'detection.condition']);
    expect(refused(rule("  sel:\n    action|re: '(a'\n  condition: sel"))).toEqual(['sigma_invalid_regex', 'detection.sel.action|re']);
    expect(refused(rule('  sel:\n    ip|cidr: 10.0.0.0/33\n  condition: sel'))).toEqual(['sigma_invalid_cidr', 'detection.sel.ip|cidr']);
    expect(refused('title: [unclosed\n')[0]).toBe('sigma_invalid_yaml');
    expect(refused(rule('  sel:\n    action: x\n  condition: sel | count() by Image > 3\n  timeframe: 5m'))).toEqual(['sigma_field_unsupported', 'detection.condition']);
    expect(refused(rule('  sel:\n    action: x\n  condition: sel | count() by repo > 3\n  timeframe: 5m'))).toEqual(['sigma_group_by_unsupported', 'detection.condition']);
    const corr = (c: string) => `title: c\ncorrelation:\n${c}\n---\ntitle: r\nname: r\nlogsource: {product: okta}\ndetection:\n  sel:\n    eventType: a.b\n  condition: sel\n`;
    expect(refused(corr('  type: temporal\n  rules: [r]\n  timespan: 5m'))).toEqual(['sigma_correlation_unsupported', 'correlation.type']);
    expect(refused(corr('  type: event_count\n  rules: [r]\n  timespan: 5m\n  condition: {lt: 3}'))).toEqual(['sigma_condition_unsupported', 'correlation.condition']);
    expect(refused(corr('  type: event_count\n  rules: [q]\n  timespan: 5m\n  condition: {gte: 3}'))).toEqual(['sigma_rule_missing', 'correlation.rules[0]']);
    expect(refused(corr('  type: event_count\n  rules: [r]\n  timespan: 5w\n  condition: {gte: 3}'))).toEqual(['sigma_invalid_timespan', 'correlation.timespan']);
    expect(refused(corr('  type: event_count\n  rules: [r]\n  group-by: [client.ipAddress, actor.alternateId]\n  timespan: 5m\n  condition: {gte: 3}'))).toEqual(['sigma_group_by_unsupported', 'correlation.group-by']);
    expect(refused('x'.repeat(20_000))[0]).toBe('sigma_too_large');
  });
});

describe('Sigma import: correlations', () => {
  it('event_count, value_count and temporal_ordered keep their rules, key, timespan and count', () => {
    expect(importSigma(fixture('veritrail/okta_failed_sign_ins_per_ip.yml'))).toMatchObject({
      tier: 'high',
      definition: { group_by: 'ip', sigma: { rules: [{ ref: 'okta_failed_sign_in' }], correlation: { type: 'event_count', group_by: 'context.ip', timespan_seconds: 600, gte: 10 } } },
    });
    expect(importSigma(fixture('veritrail/okta_many_accounts_per_ip.yml')).definition.sigma!.correlation).toEqual({ type: 'value_count', group_by: 'context.ip', timespan_seconds: 3600, gte: 5, field: 'actor.id' });
    const t = importSigma(fixture('veritrail/okta_mfa_removed_then_token.yml'));
    expect(t).toMatchObject({ tier: 'critical', definition: { group_by: 'actor', sigma: { correlation: { type: 'temporal_ordered', gte: 2 } } } });
    expect(t.definition.sigma!.rules.map((r) => r.ref)).toEqual(['okta_mfa_removed', 'okta_token_created']);
  });
});

describe('Sigma export', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const detectionSchema = ajv.compile(JSON.parse(fixture('schema/sigma-detection-rule-schema.json')));
  const correlationSchema = ajv.compile(JSON.parse(fixture('schema/sigma-correlation-rules-schema.json')));
  const docs = (y: string) => parseAllDocuments(y).map((d) => (Array.isArray(d) ? d : d.toJS()) as Record<string, unknown>);

  it('threshold rules become Sigma that the specification schemas accept and that imports back to the same matching', () => {
    const filter = { actions: ['user.login', '*.signed_in'], outcome: 'failure' as const };
    const y = exportSigma({ id: 'ar_1', name: 'Brute force', kind: 'threshold', tier: 'high', definition: { filter, group_by: 'ip', threshold: { count: 20, window_seconds: 300 } } });
    const [corr, det] = docs(y);
    expect(correlationSchema(corr), JSON.stringify(correlationSchema.errors)).toBe(true);
    expect(detectionSchema(det), JSON.stringify(detectionSchema.errors)).toBe(true);
    expect(corr).toMatchObject({ correlation: { type: 'event_count', rules: ['veritrail-ar_1'], 'group-by': ['context.ip'], timespan: '300s', condition: { gte: 20 } } });
    const back = importSigma(y);
    expect(back.definition).toMatchObject({ group_by: 'ip', sigma: { correlation: { type: 'event_count', timespan_seconds: 300, gte: 20 } } });
    const [m] = compileSigma(back.definition.sigma!);
    expect(m!(ev('user.login', { outcome: 'failure' }))).toBe(true);
    expect(m!(ev('member.signed_in', { outcome: 'failure' }))).toBe(true);
    expect(m!(ev('user.login', { outcome: 'success' }))).toBe(false);
    expect(m!(ev('user.logout', { outcome: 'failure' }))).toBe(false);

    const single = exportSigma({ id: 'ar_2', name: 'Roles', kind: 'threshold', tier: 'medium', definition: { filter: { actions: ['*.role.*'], actor_types: ['user'] }, group_by: 'actor', threshold: { count: 1, window_seconds: 60 } } });
    const [only, ...rest] = docs(single);
    expect(rest).toEqual([]);
    expect(detectionSchema(only), JSON.stringify(detectionSchema.errors)).toBe(true);
    const [r] = compileSigma(importSigma(single).definition.sigma!);
    expect(r!(ev('project.role.granted'))).toBe(true);
    expect(r!(ev('project.role.granted', { actorType: 'api_key' }))).toBe(false);

    const distinct = exportSigma({ id: 'ar_3', name: 'Reads', kind: 'threshold', tier: 'low', definition: { filter: { actions: ['*'] }, group_by: 'actor', threshold: { count: 100, window_seconds: 3600, distinct: 'target' } } });
    const [dc, dd] = docs(distinct);
    expect(correlationSchema(dc), JSON.stringify(correlationSchema.errors)).toBe(true);
    expect(detectionSchema(dd), JSON.stringify(detectionSchema.errors)).toBe(true);
    expect(importSigma(distinct).definition.sigma!.correlation).toMatchObject({ type: 'value_count', field: 'target.id', gte: 100 });
  });

  it('SigmaHQ fixtures the import accepts are valid for the specification schema (the importer reads real Sigma)', () => {
    for (const f of ['github_delete_action_invoked', 'github_new_secret_created', 'github_push_protection_bypass_detected', 'okta_api_token_created', 'okta_mfa_reset_or_deactivated', 'okta_admin_role_assigned_to_user_or_group']) {
      const [d] = docs(fixture(`sigmahq/${f}.yml`));
      expect(detectionSchema(d), f).toBe(true);
    }
  });

  it('sequence rules become a temporal_ordered correlation of N failure rules and a success rule, valid and importing back to the same order', () => {
    const y = exportSigma({ id: 'ar_5', name: 'Guessed', kind: 'sequence', tier: 'high', definition: { filter: { actions: ['user.login', '*.signed_in'] }, group_by: 'actor', sequence: { failures: 3, window_seconds: 900 } } });
    const [corr, ...rules] = docs(y);
    expect(correlationSchema(corr), JSON.stringify(correlationSchema.errors)).toBe(true);
    for (const r of rules) expect(detectionSchema(r), JSON.stringify(detectionSchema.errors)).toBe(true);
    expect(corr).toMatchObject({
      correlation: { type: 'temporal_ordered', rules: ['veritrail-ar_5-failure-1', 'veritrail-ar_5-failure-2', 'veritrail-ar_5-failure-3', 'veritrail-ar_5-success'], 'group-by': ['actor.id'], timespan: '900s' },
    });
    const back = importSigma(y);
    expect(back.definition).toMatchObject({ group_by: 'actor', sigma: { correlation: { type: 'temporal_ordered', timespan_seconds: 900, gte: 4 } } });
    const preds = compileSigma(back.definition.sigma!);
    expect(preds.map((p) => p(ev('user.login', { outcome: 'failure' })))).toEqual([true, true, true, false]);
    expect(preds.map((p) => p(ev('member.signed_in', { outcome: 'success' })))).toEqual([false, false, false, true]);
    expect(preds.map((p) => p(ev('user.logout', { outcome: 'failure' })))).toEqual([false, false, false, false]);
    expect(() => exportSigma({ id: 'ar_6', name: 'Long', kind: 'sequence', tier: 'low', definition: { filter: { actions: ['*'] }, group_by: 'ip', sequence: { failures: 21, window_seconds: 60 } } })).toThrow(/at most 20/);
  });

  it('kinds without a Sigma equivalent are refused', () => {
    expect(() => exportSigma({ id: 'ar_4', name: 'v', kind: 'volume', tier: 'low', definition: { filter: { actions: ['*'] }, group_by: 'actor', volume: { lookback_days: 1, min_history_hours: 1, z_threshold: 3, min_count: 1 } } })).toThrow(/no equivalent/);
  });
});
