import type { ErrorDetail } from '../common/errors.js';

/**
 * Action patterns: the one grammar and the one matcher every filter on `action` uses (alert
 * rules, webhook filters, viewer-token narrowing, `GET /v1/events?action=`, the SIEM feed).
 *
 * A pattern is dotted segments; a segment is literal (`[a-z0-9_-]+`) or `*`, which stands for one
 * or more whole segments: `user.login` exact, `user.*` below `user.`, `*.exported` any prefix,
 * `*.role.*` anything around a segment, `*` every action.
 *
 * Matching is segment-wise and linear in the lengths of the action and the pattern: the literal
 * runs between the wildcards are found left to right, each at its leftmost place (Knuth–Morris–
 * Pratt over segments), which is optimal because a `*` has no upper bound — the classic greedy
 * glob algorithm (as in Go's path.Match and RE2-style engines: no backtracking). A pattern was
 * once compiled into a backtracking JavaScript RegExp; `*.*.*.*.*.*.*.*.z` against an action of 45
 * segments then froze the process for seconds (PEN-01).
 */

/** A literal segment of a pattern (the characters an action's segments may hold). */
const SEGMENT = '[a-z0-9_-]+';
/** Full grammar (alert rules): literal or `*` segments anywhere. Unambiguous, so linear in a regex engine too. */
export const ACTION_GLOB_PATTERN = `^(\\*|${SEGMENT})(\\.(\\*|${SEGMENT}))*$`;
/** Exact action or a prefix ending in `.*` (queries, feed, viewer tokens). */
export const ACTION_PREFIX_PATTERN = '^[a-z0-9_]+(\\.[a-z0-9_-]+)*(\\.\\*)?$';
/** Exact, prefix, or `*` alone (webhook filters). */
export const ACTION_FILTER_PATTERN = '^(\\*|[a-z0-9_]+(\\.[a-z0-9_-]+)*(\\.\\*)?)$';
/** Wildcards one pattern may hold: enough for `*.role.*`-style rules, few enough to stay readable and cheap. */
export const MAX_PATTERN_WILDCARDS = 4;

const GLOB = new RegExp(ACTION_GLOB_PATTERN);

/** Work done by matches, in segment comparisons: lets tests prove the bound without timing. */
export interface MatchCounter {
  steps: number;
}

/** Literal segments and the KMP failure table over them. */
interface Block {
  segs: string[];
  fail: number[];
}

/**
 * A pattern ready to match: `head` literal segments, then for each wildcard group its minimum
 * number of segments (`gaps[i]`, consecutive `*` add up) followed by literal segments
 * (`blocks[i]`); the last block is anchored at the end of the action.
 */
export class ActionPattern {
  private readonly head: string[];
  private readonly gaps: number[];
  private readonly blocks: Block[];
  private readonly minSegments: number;

  private constructor(readonly source: string) {
    const tokens = source.split('.');
    let i = 0;
    this.head = [];
    while (i < tokens.length && tokens[i] !== '*') this.head.push(tokens[i++]!);
    this.gaps = [];
    this.blocks = [];
    while (i < tokens.length) {
      let gap = 0;
      while (i < tokens.length && tokens[i] === '*') {
        gap++;
        i++;
      }
      const segs: string[] = [];
      while (i < tokens.length && tokens[i] !== '*') segs.push(tokens[i++]!);
      this.gaps.push(gap);
      this.blocks.push({ segs, fail: failureTable(segs) });
    }
    this.minSegments = tokens.length;
  }

  /** Compiles a pattern of the full grammar; throws on anything else (callers validate at the API). */
  static compile(pattern: string): ActionPattern {
    if (!GLOB.test(pattern)) throw new Error(`not an action pattern: ${JSON.stringify(pattern.slice(0, 140))}`);
    return new ActionPattern(pattern);
  }

  get wildcards(): number {
    return this.gaps.reduce((a, b) => a + b, 0);
  }

  /** Whether `action` matches; O(segments of action + segments of pattern) comparisons. */
  test(action: string, counter?: MatchCounter): boolean {
    return this.testSegments(action.split('.'), counter);
  }

  /** {@link test} on an action already split at its dots. */
  testSegments(segs: readonly string[], counter?: MatchCounter): boolean {
    const n = segs.length;
    let steps = 0;
    const done = (r: boolean) => {
      if (counter) counter.steps += steps;
      return r;
    };
    if (n < this.minSegments) return done(false);
    for (let k = 0; k < this.head.length; k++) {
      steps++;
      if (segs[k] !== this.head[k]) return done(false);
    }
    if (this.blocks.length === 0) return done(n === this.head.length);
    // The last block is anchored at the end.
    const last = this.blocks[this.blocks.length - 1]!.segs;
    const end = n - last.length;
    for (let k = 0; k < last.length; k++) {
      steps++;
      if (segs[end + k] !== last[k]) return done(false);
    }
    let pos = this.head.length;
    for (let b = 0; b < this.blocks.length - 1; b++) {
      pos += this.gaps[b]!;
      const block = this.blocks[b]!;
      // Leftmost occurrence of the block in segs[pos, end): KMP, each segment looked at O(1) times amortised.
      let q = 0;
      let found = -1;
      for (let k = pos; k < end; k++) {
        while (q > 0 && segs[k] !== block.segs[q]) {
          steps++;
          q = block.fail[q - 1]!;
        }
        steps++;
        if (segs[k] === block.segs[q]) q++;
        if (q === block.segs.length) {
          found = k + 1 - q;
          break;
        }
      }
      if (found < 0) return done(false);
      pos = found + block.segs.length;
    }
    return done(end - pos >= this.gaps[this.gaps.length - 1]!);
  }
}

function failureTable(segs: readonly string[]): number[] {
  const fail = new Array<number>(segs.length).fill(0);
  let q = 0;
  for (let k = 1; k < segs.length; k++) {
    while (q > 0 && segs[k] !== segs[q]) q = fail[q - 1]!;
    if (segs[k] === segs[q]) q++;
    fail[k] = q;
  }
  return fail;
}

/** Any of several patterns, compiled once. */
export class ActionMatcher {
  private readonly patterns: ActionPattern[];

  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map((p) => ActionPattern.compile(p));
  }

  test(action: string, counter?: MatchCounter): boolean {
    const segs = action.split('.');
    for (const p of this.patterns) if (p.testSegments(segs, counter)) return true;
    return false;
  }
}

/**
 * Complexity limits the schemas' grammar cannot say: at most {@link MAX_PATTERN_WILDCARDS}
 * wildcards per pattern. `field` is the list's path (`filter.actions`); problems name the item.
 */
export function actionPatternProblems(field: string, patterns: readonly string[]): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  patterns.forEach((p, i) => {
    const stars = p.split('.').filter((s) => s === '*').length;
    if (stars > MAX_PATTERN_WILDCARDS) {
      out.push({ field: `${field}[${i}]`, code: 'pattern_too_complex', message: `At most ${MAX_PATTERN_WILDCARDS} * wildcards per action pattern (this one has ${stars}).` });
    }
  });
  return out;
}

/** An exact-or-prefix pattern (`user.login`, `user.*`) as SQL wants it: the value and whether it is a prefix (`user.`, the dot kept). */
export function prefixPattern(pattern: string): { value: string; prefix: boolean } {
  return pattern.endsWith('.*') ? { value: pattern.slice(0, -1), prefix: true } : { value: pattern, prefix: false };
}

/**
 * The same patterns as one regular expression for RE2 engines (ClickHouse `match()`), where it
 * runs in linear time. Never give it to JavaScript's RegExp: backtracking makes it exponential
 * in the number of wildcards (PEN-01); use {@link ActionMatcher} there.
 */
export function actionPatternsRe2(patterns: readonly string[]): string {
  const alternatives = patterns.map((p) =>
    ActionPattern.compile(p)
      .source.split('.')
      .map((s) => (s === '*' ? `${SEGMENT}(?:\\.${SEGMENT})*` : s))
      .join('\\.'),
  );
  return `^(?:${alternatives.join('|')})$`;
}
