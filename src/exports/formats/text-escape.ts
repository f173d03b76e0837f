/**
 * Reversible neutralisation of characters that let one stored string forge extra log lines,
 * drive a terminal (ANSI/OSC), or disguise text (bidi overrides, zero-width characters).
 * CSV runs free text through this, so one event is one record; CEF, whose specification has no
 * such escape, replaces the same set instead (cef.ts).
 *
 * Escaped set: `\` itself, C0 controls U+0000–U+001F, DEL U+007F, C1 U+0080–U+009F,
 * bidi controls U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, zero-width
 * characters U+200B–U+200D, U+2060–U+2064, U+FEFF, and the line/paragraph separators
 * U+2028/U+2029 (some log viewers break lines on them). Each becomes `\uXXXX` (lower-case hex).
 */

/** Character class of everything escapeControls rewrites except the backslash itself. */
export const CONTROL_CLASS =
  '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';

const NEEDS_ESCAPE = new RegExp(`[\\\\${CONTROL_CLASS}]`);
const ESCAPE_ALL = new RegExp(`[\\\\${CONTROL_CLASS}]`, 'g');
const UNESCAPE_ALL = /\\(?:\\|u([0-9a-fA-F]{4}))/g;

/** `\uXXXX` with four lower-case hex digits for a BMP code unit. */
export function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

function escapeOne(ch: string): string {
  return ch === '\\' ? '\\\\' : hex4(ch.charCodeAt(0));
}

/** Escapes `\` and the control/bidi/zero-width set; the result never contains CR, LF or ESC. */
export function escapeControls(s: string): string {
  // Fast path: almost every value is clean, so test before allocating a new string.
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, escapeOne) : s;
}

/** Exact inverse of escapeControls: `\\` → `\`, `\uXXXX` → that code unit. */
export function unescapeControls(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  return s.replace(UNESCAPE_ALL, (_m, hex: string | undefined) => (hex === undefined ? '\\' : String.fromCharCode(parseInt(hex, 16))));
}

/** True when escapeControls would change the string (cheap check for callers). */
export function hasControls(s: string): boolean {
  return NEEDS_ESCAPE.test(s);
}
