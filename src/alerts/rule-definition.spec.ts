import { describe, expect, it } from 'vitest';
import { definitionProblems, effectiveSuppressionMs, filterMatcher, parseEvalEvent, suppress, type EvalEvent } from './rule-definition.js';

function ev(action: string, over: Partial<EvalEvent> = {}): EvalEvent {
  return { idx: 0, id: 'e', t: 0, receivedAt: 0, action, outcome: 'success', actorType: 'user', actorId: 'u1', ip: '198.51.100.1', organizationId: 'org_1', userAgent: '', targets: [], ...over };
}

describe('action patterns', () => {
  const m = (patterns: string[], action: string) => filterMatcher({ actions: patterns })(ev(action));

  it('exact, prefix.*, *.suffix, *.middle.* and * (a * segment is one or more segments)', () => {
    expect(m(['user.login'], 'user.login')).toBe(true);
    expect(m(['user.login'], 'user.login_failed')).toBe(false);
    expect(m(['user.*'], 'user.login')).toBe(true);
    expect(m(['user.*'], 'user.password.reset')).toBe(true);
    expect(m(['user.*'], 'username.login')).toBe(false);
    expect(m(['user.*'], 'user')).toBe(false);
    expect(m(['*.exported'], 'report.exported')).toBe(true);
    expect(m(['*.exported'], 'org.report.exported')).toBe(true);
    expect(m(['*.exported'], 'exported')).toBe(false);
    expect(m(['*.exported'], 'report.exported_csv')).toBe(false);
    expect(m(['*.role.*'], 'member.role.updated')).toBe(true);
    expect(m(['*.role.*'], 'member.roles.updated')).toBe(false);
    expect(m(['*'], 'anything.at_all')).toBe(true);
    expect(m(['a.b', '*.c'], 'x.c')).toBe(true);
  });

  it('literal segments cannot smuggle regular-expression syntax (the schema allows [a-z0-9_-] only)', () => {
    // A dot in a pattern is a separator, never "any character".
    expect(m(['user.login'], 'userxlogin')).toBe(false);
    expect(() => m(['user.(login|x)'], 'user.login')).toThrow(/not an action pattern/);
  });

  it('PEN-01: a rule\'s filter matches in linear work, whatever its wildcards (no backtracking RegExp)', () => {
    const counter = { steps: 0 };
    const match = filterMatcher({ actions: ['*.*.*.*.*.*.*.*.z', '*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.q'] }, counter);
    const action = Array.from({ length: 63 }, () => 'a').join('.');
    expect(match(ev(action))).toBe(false);
    expect(counter.steps).toBeLessThanOrEqual(2 * (63 + 9) + 2 * (63 + 21));
  });

  it('filters never match the alerts\' own trail entries (no feedback loop)', () => {
    const match = filterMatcher({ actions: ['*'] });
    expect(match(ev('veritrail.alert.triggered'))).toBe(false);
    expect(match(ev('veritrail.api_key.created'))).toBe(true);
  });

  it('outcome, actor types and organizations narrow the filter', () => {
    const match = filterMatcher({ actions: ['user.*'], outcome: 'failure', actor_types: ['user'], organizations: ['org_1'] });
    expect(match(ev('user.login', { outcome: 'failure' }))).toBe(true);
    expect(match(ev('user.login', { outcome: 'success' }))).toBe(false);
    expect(match(ev('user.login', { outcome: 'failure', actorType: 'service' }))).toBe(false);
    expect(match(ev('user.login', { outcome: 'failure', organizationId: 'org_2' }))).toBe(false);
  });
});

describe('parseEvalEvent', () => {
  it('reads the fields rules look at from a stored payload', () => {
    const e = parseEvalEvent(7, JSON.stringify({ id: 'x', occurred_at: '2026-11-22T10:00:00.000Z', received_at: '2026-11-22T10:00:01.000Z', action: 'user.login', actor: { type: 'user', id: 'u' }, context: { ip: '8.8.8.8', user_agent: 'UA' } }));
    expect(e).toMatchObject({ idx: 7, t: Date.parse('2026-11-22T10:00:00.000Z'), outcome: 'unknown', actorId: 'u', ip: '8.8.8.8', userAgent: 'UA', organizationId: '' });
  });
});

describe('definitionProblems', () => {
  const filter = { actions: ['user.login'] };
  it('PEN-01: refuses action patterns over the wildcard bound, naming each', () => {
    const problems = definitionProblems('threshold', { filter: { actions: ['user.*', '*.a.*.b.*.c.*.d.*'] }, group_by: 'ip', threshold: { count: 2, window_seconds: 60 } });
    expect(problems.map((p) => [p.field, p.code])).toEqual([['filter.actions[1]', 'pattern_too_complex']]);
  });
  it('requires the kind\'s settings and refuses another kind\'s', () => {
    expect(definitionProblems('threshold', { filter, group_by: 'ip' }).map((p) => [p.field, p.code])).toEqual([['threshold', 'required']]);
    expect(definitionProblems('threshold', { filter, group_by: 'ip', threshold: { count: 2, window_seconds: 1 }, sequence: { failures: 1, window_seconds: 1 } }).map((p) => p.field)).toEqual(['sequence']);
  });
  it('new_value groups by actor; sequences take both outcomes; distinct is not the key', () => {
    expect(definitionProblems('new_value', { filter, group_by: 'ip', new_value: { field: 'country', lookback_days: 30 } })[0]!.field).toBe('group_by');
    expect(definitionProblems('sequence', { filter: { ...filter, outcome: 'failure' }, group_by: 'actor', sequence: { failures: 3, window_seconds: 60 } })[0]!.field).toBe('filter.outcome');
    expect(definitionProblems('threshold', { filter, group_by: 'actor', threshold: { count: 5, window_seconds: 60, distinct: 'actor' } })[0]!.field).toBe('threshold.distinct');
    expect(definitionProblems('threshold', { filter, group_by: 'actor', threshold: { count: 5, window_seconds: 60, distinct: 'target' } })).toEqual([]);
  });
});

describe('suppress', () => {
  const f = (key: string, atMs: number, eventId = `${key}${atMs}`) => ({ key, atMs, eventId });

  it('keeps the first firing per key and counts the rest within the period on it', () => {
    const r = suppress([f('a', 100), f('a', 150), f('b', 120), f('a', 1200), f('a', 90)], [], 1000);
    expect(r.created.map((c) => [c.key, c.atMs, c.suppressed, c.lastSuppressedMs])).toEqual([
      ['a', 90, 2, 150],
      ['b', 120, 0, undefined],
      ['a', 1200, 0, undefined],
    ]);
  });

  it('counts firings near an existing alert of the key on that alert (also earlier ones: late events)', () => {
    const r = suppress([f('a', 4900), f('a', 3500), f('a', 9000)], [{ id: 'al_1', key: 'a', atMs: 4000 }], 1000);
    expect(r.created.map((c) => c.atMs)).toEqual([9000]);
    expect([...r.bumps]).toEqual([['al_1', { count: 2, lastMs: 4900 }]]);
  });

  it('suppression 0 raises an alert per firing; the period never drops below a threshold window', () => {
    expect(suppress([f('a', 1), f('a', 2)], [], 0).created).toHaveLength(2);
    expect(effectiveSuppressionMs('threshold', 0, { filter: { actions: ['*'] }, group_by: 'ip', threshold: { count: 5, window_seconds: 300 } })).toBe(300_000);
    expect(effectiveSuppressionMs('threshold', 0, { filter: { actions: ['*'] }, group_by: 'ip', threshold: { count: 1, window_seconds: 300 } })).toBe(0);
    expect(effectiveSuppressionMs('new_value', 60, { filter: { actions: ['*'] }, group_by: 'actor', new_value: { field: 'ip', lookback_days: 1 } })).toBe(60_000);
  });
});
