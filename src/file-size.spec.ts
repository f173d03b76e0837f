import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './common/paths.js';
import { productionFiles } from '../test/support/source-files.js';

/**
 * A production file passes ~400 lines only with a reason at its top (docs/architecture.md,
 * "Modules"): a long file is read whole to be changed, so its length must be a choice.
 */
const MAX_LINES = 400;
const MARKER = 'Above ~400 lines on purpose:';
const HEADER_LINES = 3;
/** Shorter than this is a placeholder, not a reason. */
const MIN_REASON_CHARS = 20;
const COMMENT_LINE = /^\s*(\/\/+|\/\*+|\*+\/?)/;

/** Lines as `wc -l` counts them (a last line without a newline still counts). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

/** Why a file breaks the rule, or undefined when it keeps it. */
export function sizeProblem(text: string): string | undefined {
  const lines = lineCount(text);
  if (lines <= MAX_LINES) return undefined;
  const head = text.split('\n').slice(0, HEADER_LINES);
  const at = head.findIndex((l) => l.includes(MARKER));
  if (at < 0) return `${lines} lines and no "// ${MARKER} <reason>" in its first ${HEADER_LINES} lines`;
  // The reason may run on over the following comment lines of the header; comment markers do not count.
  const rest: string[] = [];
  for (const l of head.slice(at + 1)) {
    if (!COMMENT_LINE.test(l)) break;
    rest.push(l);
  }
  const reason = [head[at]!.slice(head[at]!.indexOf(MARKER) + MARKER.length), ...rest]
    .map((l) => l.replace(COMMENT_LINE, '').trim())
    .join(' ')
    .trim();
  if (reason.length < MIN_REASON_CHARS) return `${lines} lines and a reason too short to explain them: "${reason}"`;
  return undefined;
}

describe('file size', () => {
  it('flags a long file without a reason, and accepts one with a reason or under the limit', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `const x${i} = ${i};`).join('\n') + '\n';
    expect(sizeProblem(body(MAX_LINES))).toBeUndefined();
    expect(sizeProblem(body(MAX_LINES + 1))).toMatch(/401 lines and no/);
    expect(sizeProblem(`// ${MARKER} the one parser of X; its grammar reads top-down\n${body(MAX_LINES)}`)).toBeUndefined();
    expect(sizeProblem(`import a from 'a';\n/**\n * ${MARKER} one job, the walk over the log,\n${body(MAX_LINES)}`)).toBeUndefined();
    expect(sizeProblem(`// ${MARKER} long\n${body(MAX_LINES)}`)).toMatch(/too short/);
    expect(sizeProblem(`// ${MARKER}\n//\n${body(MAX_LINES)}`)).toMatch(/too short/);
    // Below the first three lines it is not a header.
    expect(sizeProblem(`a;\nb;\nc;\n// ${MARKER} the one parser of X; its grammar reads top-down\n${body(MAX_LINES)}`)).toMatch(/no "/);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount('a\nb\n')).toBe(2);
  });

  it('every production file under src/ is at most 400 lines or says why at its top', () => {
    const src = join(PROJECT_ROOT, 'src');
    const problems = productionFiles(src)
      .map((f) => ({ file: relative(PROJECT_ROOT, f).split(sep).join('/'), problem: sizeProblem(readFileSync(f, 'utf8')) }))
      .filter((p) => p.problem !== undefined)
      .map((p) => `${p.file}: ${p.problem}`);
    expect(problems).toEqual([]);
  });
});
