import type { ScrubKind, Span } from './types.js';

/** Card numbers in free text and in JSON numbers: digit groups, the major-network prefix rule and the Luhn checksum. */

/** Maximal runs of digits separated by single spaces or dashes; candidates are cut out of a run in code. */
const CARD_RUN = /[0-9](?:[ -]?[0-9])*/g;

/**
 * Luhn checksum over a string of ASCII digits (false for anything else, including the empty string).
 */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * A card number: 13–19 digits, a major-network first digit (2–6: Mir/Mastercard, Amex/JCB/Diners, Visa,
 * Mastercard, Discover/UnionPay/Maestro), not one repeated digit, Luhn-valid. The first-digit rule keeps
 * millisecond timestamps (1…) and zero-padded ids out.
 */
export function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const first = digits.charCodeAt(0) - 48;
  if (first < 2 || first > 6) return false;
  if (/^(\d)\1*$/.test(digits)) return false;
  return luhnValid(digits);
}

/** A run glued to letters, `_`, a decimal point or `ABC-` is part of an identifier or a number, not a card. */
function cardBoundaryOk(s: string, start: number, end: number): boolean {
  const prev = s[start - 1];
  if (prev !== undefined) {
    if (/[A-Za-z_.]/.test(prev)) return false;
    if (prev === '-' && start >= 2 && /[A-Za-z0-9]/.test(s[start - 2] ?? '')) return false;
  }
  const next = s[end];
  if (next !== undefined) {
    if (/[A-Za-z0-9_]/.test(next)) return false;
    if (next === '.' && /[0-9]/.test(s[end + 1] ?? '')) return false;
  }
  return true;
}

/**
 * Cards inside a run of digit groups: a single group of 13–19 digits, or consecutive groups of 3–6 digits
 * each (4-4-4-4, 4-6-5, 4-4-4-4-3). Phone numbers (+1 415 555 0100: 11 digits, 1-digit group), dates and
 * UUIDs (8-4-4-4-12) never form such a window. Each group starts at most 19/3 windows: linear.
 */
export function findCards(s: string, out: Span[]): void {
  for (const m of s.matchAll(CARD_RUN)) {
    const runStart = m.index;
    const run = m[0];
    if (run.length < 13 || !cardBoundaryOk(s, runStart, runStart + run.length)) continue;
    const groups: { start: number; end: number; digits: string }[] = [];
    let g = 0;
    for (let i = 0; i <= run.length; i++) {
      if (i === run.length || run[i] === ' ' || run[i] === '-') {
        groups.push({ start: runStart + g, end: runStart + i, digits: run.slice(g, i) });
        g = i + 1;
      }
    }
    let i = 0;
    while (i < groups.length) {
      const first = groups[i];
      if (first === undefined) break;
      let best = -1;
      if (first.digits.length >= 13) {
        if (isCardNumber(first.digits)) best = i;
      } else if (first.digits.length >= 3 && first.digits.length <= 6) {
        let digits = '';
        for (let j = i; j < groups.length; j++) {
          const gj = groups[j];
          if (gj === undefined || gj.digits.length < 3 || gj.digits.length > 6 || digits.length + gj.digits.length > 19) break;
          digits += gj.digits;
          if (j > i && isCardNumber(digits)) best = j;
        }
      }
      const last = best >= 0 ? groups[best] : undefined;
      if (last !== undefined) {
        out.push({ start: first.start, end: last.end, kind: 'card_number' });
        i = best + 1;
      } else {
        i++;
      }
    }
  }
}
