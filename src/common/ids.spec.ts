import { describe, it, expect } from 'vitest';
import { isUuid, prefixedId, uuidv7, uuidv7Timestamp } from './ids.js';

// uuidv7 keeps per-process state (last ms, counter): each test uses its own, later base time.
let base = Date.now() + 1_000_000;
const freshBase = () => (base += 1_000_000);

const VARIANT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('10 000 ids with the same now are unique, strictly increasing, version 7, variant 10xx', () => {
    const now = freshBase();
    const ids = Array.from({ length: 10_000 }, () => uuidv7(now).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) {
      if (!(ids[i - 1]! < ids[i]!)) expect.fail(`ids[${i - 1}] ${ids[i - 1]} !< ids[${i}] ${ids[i]}`);
    }
    const bad = ids.filter((id) => id[14] !== '7' || !'89ab'.includes(id[19]!) || !VARIANT.test(id) || !isUuid(id));
    expect(bad).toEqual([]);
  });

  it('uuidv7Timestamp returns the ms used; a later ms only after 4096 ids in one ms', () => {
    const now = freshBase();
    const results = Array.from({ length: 10_000 }, () => uuidv7(now));
    const bad: string[] = [];
    for (const [i, r] of results.entries()) {
      const ts = uuidv7Timestamp(r.id);
      const okTs = i < 4096 ? ts === now : ts !== undefined && ts > now && ts <= now + Math.ceil(10_000 / 4096);
      if (ts !== r.ms || !okTs) bad.push(`#${i}: ts ${ts} ms ${r.ms} now ${now}`);
    }
    expect(bad).toEqual([]);
    expect(results[4095]!.ms).toBe(now);
    expect(results[4096]!.ms).toBe(now + 1);
  });

  it('uses the given ms when the clock advances', () => {
    const now = freshBase();
    for (let k = 0; k < 5; k++) {
      const r = uuidv7(now + k * 7);
      expect(r.ms).toBe(now + k * 7);
      expect(uuidv7Timestamp(r.id)).toBe(now + k * 7);
    }
  });

  it('ids stay strictly increasing when the clock goes backwards', () => {
    const now = freshBase();
    const clocks = [now, now + 10, now + 5, now, now - 1000, now + 10, now + 3, now + 11, now - 5, now + 12];
    const results = clocks.map((t) => uuidv7(t));
    for (let i = 1; i < results.length; i++) {
      expect(results[i - 1]!.id < results[i]!.id).toBe(true);
      expect(results[i]!.ms).toBeGreaterThanOrEqual(results[i - 1]!.ms);
      expect(uuidv7Timestamp(results[i]!.id)).toBe(results[i]!.ms);
    }
  });

  it('defaults to the current time', () => {
    // Use a fresh process-independent check: the id's ms is at least Date.now() at call time
    // unless an earlier test advanced the internal clock (then it equals that later ms).
    const before = Date.now();
    const r = uuidv7();
    expect(r.ms).toBeGreaterThanOrEqual(before);
    expect(uuidv7Timestamp(r.id)).toBe(r.ms);
  });
});

describe('isUuid / uuidv7Timestamp', () => {
  it('recognises canonical lower-case UUIDs', () => {
    expect(isUuid('0190a000-0000-7000-8000-000000000000')).toBe(true);
    expect(isUuid('550e8400-e29b-41d4-a716-446655440000')).toBe(true);
  });

  it.each([[''], ['not-a-uuid'], ['0190a000-0000-7000-8000-00000000000'], ['0190a000000070008000000000000000'], ['0190a000-0000-7000-8000-000000000000 '], ['0190a000-0000-7000-8000-00000000000g']])(
    'rejects %j',
    (v) => {
      expect(isUuid(v)).toBe(false);
      expect(uuidv7Timestamp(v)).toBeUndefined();
    },
  );

  it('returns undefined for UUIDs of other versions', () => {
    expect(uuidv7Timestamp('550e8400-e29b-41d4-a716-446655440000')).toBeUndefined();
  });

  it('decodes the timestamp of a known UUIDv7', () => {
    // RFC 9562 Appendix A.6 example: 017F22E2-79B0-7CC3-98C4-DC0C0C07398F, 2022-02-22T19:22:22Z.
    expect(uuidv7Timestamp('017f22e2-79b0-7cc3-98c4-dc0c0c07398f')).toBe(Date.parse('2022-02-22T19:22:22Z'));
  });
});

describe('prefixedId', () => {
  it('matches ^ten_[0-9a-z]+$', () => {
    expect(prefixedId('ten')).toMatch(/^ten_[0-9a-z]+$/);
    expect(prefixedId('key')).toMatch(/^key_[0-9a-z]+$/);
  });

  it('uses Crockford base32 (no i, l, o, u) and a stable length', () => {
    const ids = Array.from({ length: 200 }, () => prefixedId('ten'));
    for (const id of ids) {
      expect(id).toMatch(/^ten_[0-9abcdefghjkmnpqrstvwxyz]{20}$/);
    }
  });

  it('is unique over 10 000 draws', () => {
    const ids = Array.from({ length: 10_000 }, () => prefixedId('ten'));
    expect(new Set(ids).size).toBe(10_000);
    for (const id of ids) expect(id).toMatch(/^ten_[0-9a-z]+$/);
  });

  it('interleaving with uuidv7 (shared random pool) keeps both unique', () => {
    const now = freshBase();
    const a = new Set<string>();
    const b = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      a.add(prefixedId('ten'));
      b.add(uuidv7(now).id);
    }
    expect(a.size).toBe(2000);
    expect(b.size).toBe(2000);
  });
});

// Last: this moves uuidv7's internal clock far into the future for the rest of the process.
describe('uuidv7 (large timestamps)', () => {
  it('encodes the full 48-bit timestamp', () => {
    // A time above 2^32 ms (and past 2^40) exercises every byte.
    const t = 2 ** 47 - 12345;
    const r = uuidv7(t);
    expect(r.ms).toBe(t);
    expect(uuidv7Timestamp(r.id)).toBe(t);
    expect(r.id.slice(0, 13)).toBe(`${t.toString(16).padStart(12, '0').slice(0, 8)}-${t.toString(16).padStart(12, '0').slice(8)}`);
  });
});
