import { RE2JS } from 're2js';
import type { ScrubPolicy } from './types.js';

/** Tenant (custom) patterns: validation with stable problem codes, compilation on RE2JS, and a cache per policy. */

const MAX_CUSTOM_PATTERNS = 20;
const MAX_CUSTOM_PATTERN_LENGTH = 512;
const CUSTOM_NAME = /^[a-z0-9_]{1,32}$/;

export interface CompiledCustom {
  name: string;
  re: RE2JS;
}

/**
 * Why a pattern was refused, as a stable code: `unsupported_syntax` for what a linear-time
 * engine cannot run (backreferences, lookahead, lookbehind, possessive quantifiers),
 * `invalid_syntax`, `matches_empty`, `too_complex`, `too_long`, `invalid_name`,
 * `duplicate_name`, `too_many`.
 */
export type PatternProblemCode =
  | 'unsupported_syntax'
  | 'invalid_syntax'
  | 'matches_empty'
  | 'too_complex'
  | 'too_long'
  | 'invalid_name'
  | 'duplicate_name'
  | 'too_many';

export interface PatternProblem {
  index: number;
  code: PatternProblemCode;
  message: string;
}

/** Compiled program size cap: keeps the per-character work of one pattern small (`[a-z]{1000}` is ~1000 instructions). */
const MAX_PROGRAM_SIZE = 2_000;

/** Constructs RE2 cannot run (it never backtracks): a clear reason beats RE2's parser message. */
function unsupportedReason(src: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(n) || (n === 'k' && src[i + 2] === '<'))) return 'backreferences are not supported (patterns run on a linear-time engine)';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && src[i + 1] === '?') {
      const look = src.slice(i + 2, i + 4);
      if (look.startsWith('=') || look.startsWith('!') || look === '<=' || look === '<!') return 'lookahead and lookbehind are not supported (patterns run on a linear-time engine)';
    } else if ((c === '+' || c === '*' || c === '?' || c === '}') && (src[i + 1] === '+')) {
      return 'possessive quantifiers are not supported; a plain quantifier is already safe here';
    }
  }
  return undefined;
}

/** Probes for patterns that can match zero characters somewhere (`a*`, `x|`, `\b`). */
const EMPTY_PROBES = ['', 'a', 'A', '0', ' ', '-', 'aa', 'a b', '\n'];

function compileInternal(patterns: { name: string; pattern: string }[]): { ok: true; compiled: CompiledCustom[] } | { ok: false; problems: PatternProblem[] } {
  const problems: PatternProblem[] = [];
  const compiled: CompiledCustom[] = [];
  if (patterns.length > MAX_CUSTOM_PATTERNS) {
    problems.push({ index: MAX_CUSTOM_PATTERNS, code: 'too_many', message: `at most ${MAX_CUSTOM_PATTERNS} custom patterns are allowed` });
  }
  const names = new Set<string>();
  patterns.forEach((p, index) => {
    const fail = (code: PatternProblemCode, message: string) => problems.push({ index, code, message });
    if (typeof p.name !== 'string' || !CUSTOM_NAME.test(p.name)) return fail('invalid_name', 'name must match ^[a-z0-9_]{1,32}$');
    if (names.has(p.name)) return fail('duplicate_name', `duplicate name ${p.name}`);
    names.add(p.name);
    if (typeof p.pattern !== 'string' || p.pattern.length === 0) return fail('invalid_syntax', 'pattern must be a non-empty string');
    if (p.pattern.length > MAX_CUSTOM_PATTERN_LENGTH) return fail('too_long', `pattern longer than ${MAX_CUSTOM_PATTERN_LENGTH} characters`);
    const unsupported = unsupportedReason(p.pattern);
    if (unsupported !== undefined) return fail('unsupported_syntax', unsupported);
    let re: RE2JS;
    try {
      re = RE2JS.compile(p.pattern);
    } catch (err) {
      return fail('invalid_syntax', `invalid regular expression (RE2 syntax): ${err instanceof Error ? err.message : String(err)}`);
    }
    if (re.programSize() > MAX_PROGRAM_SIZE) return fail('too_complex', `pattern too complex (compiles to more than ${MAX_PROGRAM_SIZE} instructions; use smaller repetition counts)`);
    for (const probe of EMPTY_PROBES) {
      const m = re.matcher(probe);
      while (m.find()) if (m.end() === m.start()) return fail('matches_empty', 'pattern matches the empty string');
    }
    compiled.push({ name: p.name, re });
    return undefined;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, compiled };
}

/**
 * Validates tenant patterns: ≤ 20 patterns, names `^[a-z0-9_]{1,32}$` (unique), sources ≤ 512 chars
 * in RE2 syntax (case-sensitive unless the pattern says `(?i)`), never matching the empty string.
 * They run on RE2JS, a port of RE2: matching time is linear in the length of the value whatever
 * the pattern (`(a|a)*b`, `a*a*a*b`, `(a+)+b` are harmless), so nothing needs a time limit.
 * Backreferences and lookaround, which need backtracking, are refused.
 */
export function compileCustomPatterns(p: { name: string; pattern: string }[]): { ok: true } | { ok: false; problems: PatternProblem[] } {
  const result = compileInternal(p);
  return result.ok ? { ok: true } : result;
}

const compiledCache = new WeakMap<object, CompiledCustom[]>();

export function customFor(policy: ScrubPolicy): CompiledCustom[] {
  const patterns = policy.customPatterns;
  if (patterns === undefined || patterns.length === 0) return [];
  const cached = compiledCache.get(patterns);
  if (cached !== undefined) return cached;
  const result = compileInternal(patterns);
  if (!result.ok) throw new Error(`invalid custom patterns: ${result.problems.map((p) => `#${p.index} ${p.message}`).join('; ')}`);
  compiledCache.set(patterns, result.compiled);
  return result.compiled;
}
