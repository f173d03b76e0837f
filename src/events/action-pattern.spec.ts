import { describe, expect, it } from 'vitest';
import { ActionMatcher, ActionPattern, actionPatternProblems, actionPatternsRe2, MAX_PATTERN_WILDCARDS, prefixPattern, type MatchCounter } from './action-pattern.js';

const m = (patterns: string[], action: string) => new ActionMatcher(patterns).test(action);

/** A deterministic generator (xorshift), so the differential test is the same on every run. */
function rng(seed: number) {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

describe('action patterns (PEN-01)', () => {
  it('exact, prefix.*, *.suffix, *.middle.* and * (a * segment is one or more segments)', () => {
    expect(m(['user.login'], 'user.login')).toBe(true);
    expect(m(['user.login'], 'user.login_failed')).toBe(false);
    expect(m(['user.login'], 'user.login.x')).toBe(false);
    expect(m(['user.*'], 'user.login')).toBe(true);
    expect(m(['user.*'], 'user.password.reset')).toBe(true);
    expect(m(['user.*'], 'username.login')).toBe(false);
    expect(m(['user.*'], 'user')).toBe(false);
    expect(m(['*.exported'], 'report.exported')).toBe(true);
    expect(m(['*.exported'], 'org.report.exported')).toBe(true);
    expect(m(['*.exported'], 'exported')).toBe(false);
    expect(m(['*.exported'], 'report.exported_csv')).toBe(false);
    expect(m(['*.role.*'], 'member.role.updated')).toBe(true);
    expect(m(['*.role.*'], 'a.b.role.c.d')).toBe(true);
    expect(m(['*.role.*'], 'role.updated')).toBe(false);
    expect(m(['*.role.*'], 'member.role')).toBe(false);
    expect(m(['*.role.*'], 'member.roles.updated')).toBe(false);
    expect(m(['*'], 'anything.at_all')).toBe(true);
    expect(m(['*.*'], 'a')).toBe(false);
    expect(m(['*.*'], 'a.b')).toBe(true);
    expect(m(['a.*.a.*.a'], 'a.x.a.a')).toBe(false);
    expect(m(['a.*.a.*.a'], 'a.x.a.y.a')).toBe(true);
    expect(m(['a.*.b.c.*.z'], 'a.b.c.b.b.c.q.z')).toBe(true);
    expect(m(['a.b', '*.c'], 'x.c')).toBe(true);
  });

  it('a dot is a separator, never "any character"; patterns outside the grammar do not compile', () => {
    expect(m(['user.login'], 'userxlogin')).toBe(false);
    for (const bad of ['user.(a|b)', 'a..b', '.a', 'a.', 'A.b', 'a.b*', '**', 'a.+']) expect(() => ActionPattern.compile(bad), bad).toThrow(/not an action pattern/);
  });

  it('agrees with the regular-expression reading of the grammar on 3,000 random small cases', () => {
    const next = rng(20261128);
    const alphabet = ['a', 'b', 'ab'];
    for (let i = 0; i < 3000; i++) {
      const pattern = Array.from({ length: 1 + next(6) }, () => (next(3) === 0 ? '*' : alphabet[next(3)]!)).join('.');
      const action = Array.from({ length: 1 + next(9) }, () => alphabet[next(3)]!).join('.');
      // Small enough that the backtracking engine answers at once: the reference semantics.
      const reference = new RegExp(actionPatternsRe2([pattern])).test(action);
      expect(m([pattern], action), `${pattern} ~ ${action}`).toBe(reference);
    }
  });

  it('PEN-01: 20 wildcards against a 63-segment action cost a linear number of steps, matching or not', () => {
    const action = Array.from({ length: 63 }, (_, i) => (i % 2 ? 's' : 'seg_x')).join('.');
    const cases = [
      ['*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.z', false],
      ['*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.seg_x', true],
      [Array.from({ length: 20 }, () => '*.s').join('.') + '.z', false],
      [Array.from({ length: 20 }, () => '*.s').join('.') + '.*', true],
      // Each unit after the first needs 4 segments here: 3 + 19 × 4 + 1 > 63.
      [Array.from({ length: 20 }, () => '*.s.seg_x').join('.') + '.*', false],
      [Array.from({ length: 20 }, () => '*.s.s').join('.') + '.*', false],
    ] as const;
    for (const [pattern, expected] of cases) {
      const counter: MatchCounter = { steps: 0 };
      expect(new ActionMatcher([pattern]).test(action, counter), pattern).toBe(expected);
      // KMP: each action segment is compared O(1) times amortised, plus the pattern's own length.
      expect(counter.steps, pattern).toBeLessThanOrEqual(2 * (63 + pattern.split('.').length));
    }
  });

  it('PEN-01: the finding\'s rule against a 45-segment action answers at once (a backtracking RegExp took seconds)', () => {
    const counter: MatchCounter = { steps: 0 };
    const action = Array.from({ length: 45 }, () => 'a').join('.');
    expect(new ActionMatcher(['*.*.*.*.*.*.*.*.z']).test(action, counter)).toBe(false);
    expect(counter.steps).toBeLessThanOrEqual(2 * (45 + 9));
  });

  it('the RE2 form escapes nothing it does not need to and keeps one alternative per pattern', () => {
    expect(actionPatternsRe2(['a-b.c_d'])).toBe('^(?:a-b\\.c_d)$');
    expect(actionPatternsRe2(['user.*', 'x.y'])).toBe('^(?:user\\.[a-z0-9_-]+(?:\\.[a-z0-9_-]+)*|x\\.y)$');
  });

  it('refuses patterns with more than the allowed wildcards, naming each one', () => {
    const ok = Array.from({ length: MAX_PATTERN_WILDCARDS }, () => '*').join('.x.');
    const tooMany = `${ok}.*`;
    expect(actionPatternProblems('filter.actions', [ok, 'user.*'])).toEqual([]);
    expect(actionPatternProblems('filter.actions', ['user.*', tooMany])).toEqual([
      { field: 'filter.actions[1]', code: 'pattern_too_complex', message: expect.stringContaining(`At most ${MAX_PATTERN_WILDCARDS}`) },
    ]);
  });

  it('prefix patterns keep the dot (user.* is not username.*)', () => {
    expect(prefixPattern('user.*')).toEqual({ value: 'user.', prefix: true });
    expect(prefixPattern('user.login')).toEqual({ value: 'user.login', prefix: false });
  });
});
