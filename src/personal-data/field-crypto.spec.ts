import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptValue, ENCRYPTED_VALUE, encryptValue, keyIdsIn, newKeyId } from './field-crypto.js';

describe('field encryption', () => {
  const key = randomBytes(32);
  const kid = newKeyId();

  it('round-trips any JSON value as its canonical JSON text', () => {
    for (const v of ['Ann', 42, { b: 1, a: [true, null] }, 'ünïcødé "quoted"']) {
      const enc = encryptValue(key, 'ten_1', kid, 'sensitive', v);
      expect(enc).toMatch(/^vt-enc:v1:s:[a-z2-7]{16}:[A-Za-z0-9_-]+$/);
      const m = [...JSON.stringify(enc).matchAll(ENCRYPTED_VALUE)][0]!;
      const plain = decryptValue(key, 'ten_1', m[2]!, m[1] as 's', m[3]!);
      expect(JSON.parse(plain!)).toEqual(v);
    }
  });

  it('never reuses an IV, across refills of the IV pool', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const enc = encryptValue(key, 'ten_1', kid, 'sensitive', 'same value');
      const iv = Buffer.from(enc.split(':').pop()!, 'base64url').subarray(0, 12).toString('hex');
      ivs.add(iv);
      if (i === 9_999) expect(decryptValue(key, 'ten_1', kid, 's', enc.split(':').pop()!)).toBe('"same value"');
    }
    expect(ivs.size).toBe(10_000);
  });

  it('a value moved to another tenant, relabelled restricted→sensitive, or under another key does not decrypt', () => {
    const enc = encryptValue(key, 'ten_1', kid, 'restricted', 'salary');
    const [, , , , b64] = enc.split(':');
    expect(decryptValue(key, 'ten_1', kid, 'r', b64!)).toBe('"salary"');
    expect(decryptValue(key, 'ten_2', kid, 'r', b64!)).toBeUndefined();
    expect(decryptValue(key, 'ten_1', kid, 's', b64!)).toBeUndefined();
    expect(decryptValue(randomBytes(32), 'ten_1', kid, 'r', b64!)).toBeUndefined();
    expect(decryptValue(key, 'ten_1', kid, 'r', 'AAAA')).toBeUndefined();
  });

  it('equal values encrypt differently (random IV): ciphertext reveals no equality', () => {
    expect(encryptValue(key, 't', kid, 'sensitive', 'x')).not.toBe(encryptValue(key, 't', kid, 'sensitive', 'x'));
  });

  it('finds key ids inside stored JSON text', () => {
    const a = encryptValue(key, 't', kid, 'sensitive', 'x');
    const other = newKeyId();
    const b = encryptValue(key, 't', other, 'restricted', 'y');
    const text = JSON.stringify({ actor: { name: a }, metadata: { s: b, plain: 'vt-enc' } });
    expect([...keyIdsIn([text, '{"no":"thing"}'])].sort()).toEqual([kid, other].sort());
  });
});
