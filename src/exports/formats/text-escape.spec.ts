import { describe, expect, it } from 'vitest';
import { ANSI_CLEAR, BIDI, FORMULAS, LOG_INJECTION, METACHARS, OSC_LINK, ZERO_WIDTH } from './fixtures/stored-events.js';
import { escapeControls, hasControls, unescapeControls } from './text-escape.js';

/** Every code point escapeControls must rewrite, per the documented set. */
function mustEscape(code: number): boolean {
  return (
    code === 0x5c ||
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    (code >= 0x200b && code <= 0x200f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

/** Deterministic PRNG (mulberry32) so a failure is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random BMP code unit that is not a surrogate (lone surrogates cannot be stored). */
function randomUnit(next: () => number): string {
  // Half of the draws come from the interesting low ranges so controls appear often.
  const code = next() < 0.5 ? Math.floor(next() * 0x2100) : Math.floor(next() * 0xf800);
  const unit = code >= 0xd800 ? code + 0x800 : code; // skips U+D800–U+DFFF
  return String.fromCharCode(unit);
}

const HOSTILE_STRINGS = [LOG_INJECTION, ANSI_CLEAR, OSC_LINK, BIDI, ZERO_WIDTH, METACHARS, ...FORMULAS, '\\', '\\\\', '\\u0041', '\\u00', 'x\\', 'Zoë 漢字 😀', ''];

describe('escapeControls', () => {
  it('escapes exactly the documented set, each as \\uXXXX in lower-case hex, and nothing else', () => {
    const wrong: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCharCode(code);
      const expected = code === 0x5c ? '\\\\' : mustEscape(code) ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
      if (escapeControls(ch) !== expected || hasControls(ch) !== mustEscape(code)) wrong.push(`U+${code.toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('IN-01: a forged log line and ANSI/OSC escapes become one inert line', () => {
    expect(escapeControls(LOG_INJECTION)).toBe('bob\\u000d\\u000a2025-01-01 INFO login ok user=admin');
    expect(escapeControls(ANSI_CLEAR)).toBe('\\u001b[2J');
    expect(escapeControls('\u001b]8;;http://x\u0007')).toBe('\\u001b]8;;http://x\\u0007');
    for (const s of HOSTILE_STRINGS) expect(escapeControls(s)).not.toMatch(/[\r\n\u001b]/);
  });

  it('neutralises bidi and zero-width characters', () => {
    expect(escapeControls(BIDI)).toBe('invoice\\u202egpj.exe');
    expect(escapeControls(ZERO_WIDTH)).toBe('ad\\u200bmin\\u200d\\u2060\\ufeff');
  });

  it('keeps astral characters (surrogate pairs) and ordinary non-ASCII as they are', () => {
    expect(escapeControls('Zoë 漢字 😀')).toBe('Zoë 漢字 😀');
  });

  it('returns the same string instance when nothing needs escaping (no allocation)', () => {
    const s = 'plain value 123';
    expect(escapeControls(s)).toBe(s);
  });
});

describe('unescapeControls', () => {
  it('inverts escapeControls on the hostile set', () => {
    for (const s of HOSTILE_STRINGS) expect(unescapeControls(escapeControls(s))).toBe(s);
  });

  it('round-trips every single code point U+0000–U+FFFF except lone surrogates', () => {
    const wrong: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const s = `a${String.fromCharCode(code)}\\${String.fromCharCode(code)}z`;
      if (unescapeControls(escapeControls(s)) !== s) wrong.push(`U+${code.toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('round-trips 5000 random strings over the BMP, with backslash-u look-alikes mixed in', () => {
    const next = rng(0x5eed);
    const wrong: string[] = [];
    const pieces = ['\\', 'u', '0', 'a', '\\u00', '\\u0041', '\\\\u'];
    for (let i = 0; i < 5000; i++) {
      let s = '';
      const len = Math.floor(next() * 24);
      for (let j = 0; j < len; j++) s += next() < 0.2 ? pieces[Math.floor(next() * pieces.length)]! : randomUnit(next);
      const escaped = escapeControls(s);
      if (/[\r\n\u001b]/.test(escaped) || unescapeControls(escaped) !== s) wrong.push(JSON.stringify(s));
    }
    expect(wrong).toEqual([]);
  });

  it('leaves text without backslashes untouched', () => {
    expect(unescapeControls('abc')).toBe('abc');
  });
});
