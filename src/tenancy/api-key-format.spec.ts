import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { displayPrefix, generateApiKey, hashApiKey, isWellFormedApiKey } from './api-key-format.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('generateApiKey', () => {
  it('generates 41-character vt_ keys that are well-formed, with hash and prefix', () => {
    for (let i = 0; i < 200; i++) {
      const { key, prefix, hash } = generateApiKey();
      expect(key).toHaveLength(41);
      expect(key.startsWith('vt_')).toBe(true);
      expect(key).toMatch(/^vt_[0-9A-Za-z]{38}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
      expect(hash).toBe(sha256(key));
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hashApiKey(key)).toBe(hash);
      expect(prefix).toBe(key.slice(0, 11));
      expect(displayPrefix(key)).toBe(prefix);
    }
  });

  it('generates distinct keys', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey().key));
    expect(keys.size).toBe(1000);
  });
});

describe('AU-05: isWellFormedApiKey rejects altered and made-up keys', () => {
  const keys = Array.from({ length: 20 }, () => generateApiKey().key);

  it('AU-05: changing any single character makes the key not well-formed', () => {
    const accepted: string[] = [];
    for (const key of keys) {
      for (let i = 0; i < key.length; i++) {
        for (const ch of `${BASE62}_-`) {
          if (ch === key[i]) continue;
          const altered = `${key.slice(0, i)}${ch}${key.slice(i + 1)}`;
          if (isWellFormedApiKey(altered)) accepted.push(`${key} [${i}]→${ch}`);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('AU-05: truncating or extending makes the key not well-formed', () => {
    for (const key of keys) {
      for (let n = 0; n < key.length; n++) expect(isWellFormedApiKey(key.slice(0, n))).toBe(false);
      for (const extra of ['0', 'a', 'Z', ' ', '\n']) {
        expect(isWellFormedApiKey(`${key}${extra}`)).toBe(false);
        expect(isWellFormedApiKey(`${extra}${key}`)).toBe(false);
      }
    }
  });

  it('AU-05: lower-casing or upper-casing makes the key not well-formed', () => {
    for (const key of keys) {
      if (key.toLowerCase() !== key) expect(isWellFormedApiKey(key.toLowerCase())).toBe(false);
      if (key.slice(3).toUpperCase() !== key.slice(3)) expect(isWellFormedApiKey(`vt_${key.slice(3).toUpperCase()}`)).toBe(false);
    }
  });

  it('AU-05: swapping two adjacent different characters makes the key not well-formed', () => {
    for (const key of keys) {
      for (let i = 3; i < key.length - 1; i++) {
        if (key[i] === key[i + 1]) continue;
        const swapped = `${key.slice(0, i)}${key[i + 1]}${key[i]}${key.slice(i + 2)}`;
        expect(isWellFormedApiKey(swapped), swapped).toBe(false);
      }
    }
  });

  it('AU-05: random strings are not well-formed', () => {
    const rnd = (n: number) => Array.from({ length: n }, () => BASE62[Math.floor(Math.random() * 62)]).join('');
    for (let i = 0; i < 2000; i++) expect(isWellFormedApiKey(`vt_${rnd(38)}`)).toBe(false);
    for (const s of ['', 'vt_', 'vt_' + '0'.repeat(38), 'VT_' + rnd(38), 'xx_' + rnd(38), rnd(41), 'Bearer vt_' + rnd(38)]) {
      expect(isWellFormedApiKey(s)).toBe(false);
    }
  });
});

describe('hashApiKey / displayPrefix', () => {
  it('hashApiKey is sha256 hex of the key', () => {
    expect(hashApiKey('vt_abc')).toBe(sha256('vt_abc'));
    expect(hashApiKey('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('displayPrefix is the first 11 characters', () => {
    expect(displayPrefix('vt_Ab12Cd34EfGh')).toBe('vt_Ab12Cd34');
  });
});
