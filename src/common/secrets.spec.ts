import { describe, it, expect } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual, hmacSha256, randomBase62, sha256Hex, toBase62 } from './secrets.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('constantTimeEqual', () => {
  it('is true for equal strings', () => {
    expect(constantTimeEqual('secret-token', 'secret-token')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('é😀', 'é😀')).toBe(true);
  });

  it('is false for different strings of the same length', () => {
    expect(constantTimeEqual('secret-token', 'secret-tokeN')).toBe(false);
    expect(constantTimeEqual('a', 'b')).toBe(false);
  });

  it('is false (and does not throw) for different lengths', () => {
    expect(constantTimeEqual('secret', 'secret-token')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
    expect(constantTimeEqual('x'.repeat(1000), 'x')).toBe(false);
  });
});

describe('randomBase62', () => {
  it.each([[0], [1], [6], [32], [100], [1000]])('returns %i base62 characters', (n) => {
    const s = randomBase62(n);
    expect(s).toHaveLength(n);
    for (const ch of s) expect(BASE62).toContain(ch);
  });

  it('uses the whole alphabet and differs between calls', () => {
    const s = randomBase62(20_000);
    expect(new Set(s).size).toBe(62);
    expect(randomBase62(32)).not.toBe(randomBase62(32));
  });

  it('is roughly uniform (no modulo bias towards the first characters)', () => {
    const counts = new Map<string, number>();
    const s = randomBase62(62 * 2000);
    for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    // Expected 2000 each; a bias from byte % 62 would give the first 8 chars ~25 % more.
    for (const ch of BASE62) {
      expect(counts.get(ch)).toBeGreaterThan(1750);
      expect(counts.get(ch)).toBeLessThan(2250);
    }
  });
});

describe('toBase62', () => {
  it('pads to the width', () => {
    expect(toBase62(0, 6)).toBe('000000');
    expect(toBase62(0, 1)).toBe('0');
    expect(toBase62(61, 1)).toBe('z');
    expect(toBase62(62, 1)).toBe('10');
    expect(toBase62(62, 3)).toBe('010');
    expect(toBase62(3843, 0)).toBe('zz');
  });

  it('encodes 32-bit values in 6 characters', () => {
    expect(toBase62(0xffffffff, 6)).toHaveLength(6);
    expect(toBase62(0xffffffff, 6)).toBe('4gfFC3');
  });
});

describe('sha256Hex / hmacSha256', () => {
  it('match node:crypto', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(Buffer.from('abc'))).toBe(createHash('sha256').update('abc').digest('hex'));
    const key = Buffer.alloc(32, 1);
    expect(hmacSha256(key, 'x').equals(createHmac('sha256', key).update('x').digest())).toBe(true);
  });
});
