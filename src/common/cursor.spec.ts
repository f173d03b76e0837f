import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { BadRequestError } from './errors.js';
import { CursorCodec, bindingOf } from './cursor.js';

const key = Buffer.alloc(32, 7);
const codec = new CursorCodec(key);
const KIND = 'events';
const TENANT = 'ten_abc';
const BINDING = bindingOf({ organization_id: 'org_1', order: 'desc' });
const POSITION = ['org_1', '2026-11-22 10:00:00.123', '0190a000-0000-7000-8000-000000000000', 42] as const;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Returns the inputs that decode() accepted instead of refusing with invalid_cursor. */
function accepted(cursors: string[]): string[] {
  const out: string[] = [];
  for (const c of cursors) {
    try {
      codec.decode(c, KIND, TENANT, BINDING);
      out.push(c.length > 60 ? `…${c.slice(-30)}` : c);
    } catch (err) {
      expect((err as BadRequestError).code).toBe('invalid_cursor');
    }
  }
  return out;
}

function expectInvalid(cursor: string, kind = KIND, tenant = TENANT, binding = BINDING, c = codec): void {
  let thrown: unknown;
  try {
    c.decode(cursor, kind, tenant, binding);
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `cursor ${JSON.stringify(cursor.slice(0, 80))} was accepted`).toBeInstanceOf(BadRequestError);
  expect((thrown as BadRequestError).code).toBe('invalid_cursor');
  expect((thrown as BadRequestError).status).toBe(400);
}

describe('CursorCodec', () => {
  it('requires a key of at least 32 bytes', () => {
    expect(() => new CursorCodec(Buffer.alloc(31))).toThrow();
    expect(() => new CursorCodec(Buffer.alloc(0))).toThrow();
    expect(() => new CursorCodec(Buffer.alloc(32))).not.toThrow();
    expect(() => new CursorCodec(Buffer.alloc(64))).not.toThrow();
  });

  it('round-trips the position for the same kind, tenant and binding', () => {
    const cursor = codec.encode(KIND, TENANT, BINDING, POSITION);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(codec.decode(cursor, KIND, TENANT, BINDING)).toEqual([...POSITION]);
    expect(codec.decode(codec.encode('keys', 't', 'b', []), 'keys', 't', 'b')).toEqual([]);
    const unicode = ['é😀"\\', -1.5, 0];
    expect(codec.decode(codec.encode(KIND, TENANT, BINDING, unicode), KIND, TENANT, BINDING)).toEqual(unicode);
  });

  it('a second codec with the same key decodes the cursor', () => {
    const cursor = codec.encode(KIND, TENANT, BINDING, POSITION);
    expect(new CursorCodec(Buffer.from(key)).decode(cursor, KIND, TENANT, BINDING)).toEqual([...POSITION]);
  });
});

describe('PEN-L10: feed cursors do not reveal the tenant-wide log position', () => {
  it('PEN-L10: a feed cursor body is sealed: neither the position, the tenant nor the binding can be read from it', () => {
    const cursor = codec.encode('feed', TENANT, BINDING, [123456]);
    const [body] = cursor.split('.') as [string, string];
    const raw = Buffer.from(body, 'base64url');
    expect(() => JSON.parse(raw.toString('utf8'))).toThrow();
    expect(raw.toString('latin1')).not.toContain('123456');
    expect(raw.toString('latin1')).not.toContain(TENANT);
    expect(codec.decode(cursor, 'feed', TENANT, BINDING)).toEqual([123456]);
    // Two cursors of the same position differ (random nonce), so equal positions are not visible either.
    expect(codec.encode('feed', TENANT, BINDING, [123456]).split('.')[0]).not.toBe(body);
  });

  it('PEN-L10: a sealed cursor keeps every check: tenant, binding, signature, sealing key', () => {
    const cursor = codec.encode('feed', TENANT, BINDING, [7]);
    expect(() => codec.decode(cursor, 'feed', 'ten_other', BINDING)).toThrow(/cursor/);
    expect(() => codec.decode(cursor, 'feed', TENANT, 'other')).toThrow(/cursor/);
    expect(codec.decodeAnyBinding(cursor, 'feed', TENANT)).toEqual([7]);
    expect(() => codec.decodeAnyBinding(cursor, 'feed', 'ten_other')).toThrow(/cursor/);
    const other = new CursorCodec(Buffer.alloc(32, 9));
    expect(() => other.decode(cursor, 'feed', TENANT, BINDING)).toThrow(/cursor/);
    // A body sealed under the right key but signed again by another key is refused too.
    const [body] = cursor.split('.') as [string, string];
    const resigned = `${body}.${other.encode('feed', TENANT, BINDING, [7]).split('.')[1]}`;
    expect(() => codec.decode(resigned, 'feed', TENANT, BINDING)).toThrow(/cursor/);
    // Other kinds stay readable JSON (they only carry the caller's own rows' positions).
    const keys = codec.encode('keys', TENANT, BINDING, [1, 'k']);
    expect(JSON.parse(Buffer.from(keys.split('.')[0]!, 'base64url').toString('utf8')).p).toEqual([1, 'k']);
  });
});

describe('TN-02: CursorCodec.decode refuses foreign or tampered cursors', () => {
  const cursor = codec.encode(KIND, TENANT, BINDING, POSITION);
  const [body, sig] = cursor.split('.') as [string, string];

  it('TN-02: refuses a cursor of another tenant', () => {
    expectInvalid(cursor, KIND, 'ten_other');
    expectInvalid(cursor, KIND, 'ten_ab');
    expectInvalid(cursor, KIND, '');
  });

  it('TN-02: refuses a cursor of another kind', () => {
    expectInvalid(cursor, 'api_keys');
  });

  it('TN-02: refuses a cursor with another binding (filters / sort changed)', () => {
    expectInvalid(cursor, KIND, TENANT, bindingOf({ organization_id: 'org_2', order: 'desc' }));
    expectInvalid(cursor, KIND, TENANT, bindingOf({ organization_id: 'org_1', order: 'asc' }));
  });

  it('TN-02: refuses a cursor when any character of the payload is changed', () => {
    for (let i = 0; i < body.length; i++) {
      for (const ch of ['A', 'z', '0', '-', '_']) {
        if (body[i] === ch) continue;
        expectInvalid(`${body.slice(0, i)}${ch}${body.slice(i + 1)}.${sig}`);
      }
    }
  });

  it('TN-02: refuses a cursor when any character of the signature is changed', () => {
    const failures: string[] = [];
    for (let i = 0; i < sig.length; i++) {
      for (const ch of `${B64URL}+/=!`) {
        if (sig[i] === ch) continue;
        const tampered = `${body}.${sig.slice(0, i)}${ch}${sig.slice(i + 1)}`;
        try {
          codec.decode(tampered, KIND, TENANT, BINDING);
          failures.push(`sig[${i}] ${sig[i]}→${ch}`);
        } catch (err) {
          expect((err as BadRequestError).code).toBe('invalid_cursor');
        }
      }
    }
    expect(failures, `tampered signatures accepted: ${failures.slice(0, 10).join(', ')}`).toEqual([]);
  });

  it('TN-02: refuses a truncated or extended signature', () => {
    for (let n = 0; n < sig.length; n++) expectInvalid(`${body}.${sig.slice(0, n)}`);
    const extended = ['A', '=', '==', '!', ' ', '\n', '.x'].map((extra) => `${body}.${sig}${extra}`);
    expect(accepted(extended), 'extended signatures accepted').toEqual([]);
  });

  it('TN-02: refuses a truncated or extended payload', () => {
    expectInvalid(`${body.slice(0, -1)}.${sig}`);
    expectInvalid(`${body.slice(1)}.${sig}`);
    expectInvalid(`${body}A.${sig}`);
  });

  it('TN-02: refuses a cursor signed with a different key', () => {
    const other = new CursorCodec(randomBytes(32));
    expectInvalid(other.encode(KIND, TENANT, BINDING, POSITION));
    // And the reverse direction.
    expectInvalid(cursor, KIND, TENANT, BINDING, other);
  });

  it('TN-02: refuses malformed input', () => {
    expectInvalid('');
    expectInvalid('nodot');
    expectInvalid(body);
    expectInvalid(`.${sig}`);
    expectInvalid(`${body}.`);
    expectInvalid('.');
    expectInvalid('%%%.%%%');
    expectInvalid('not base64!.not base64!');
    const nonBase64url = [`${body}..${sig}`, `${body}.${sig.slice(0, 10)}!${sig.slice(10)}`, `${body}.${sig.slice(0, 10)} ${sig.slice(10)}`];
    expect(accepted(nonBase64url), 'signatures with non-base64url characters accepted').toEqual([]);
  });

  it('TN-02: refuses a cursor longer than 4096 characters, even when correctly signed', () => {
    expectInvalid(`${'A'.repeat(4097)}.${sig}`);
    const long = codec.encode(KIND, TENANT, BINDING, ['x'.repeat(4000)]);
    expect(long.length).toBeGreaterThan(4096);
    expectInvalid(long);
  });

  it('TN-02: refuses a payload re-encoded with a modified tenant but the old signature', () => {
    const decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(decoded.t).toBe(TENANT);
    const forged = Buffer.from(JSON.stringify({ ...decoded, t: 'ten_victim' })).toString('base64url');
    expectInvalid(`${forged}.${sig}`, KIND, 'ten_victim');
    const forgedPos = Buffer.from(JSON.stringify({ ...decoded, p: ['org_2', 0] })).toString('base64url');
    expectInvalid(`${forgedPos}.${sig}`);
  });
});

describe('bindingOf', () => {
  it('is deterministic', () => {
    expect(bindingOf({ a: 1, b: ['x'] })).toBe(bindingOf({ a: 1, b: ['x'] }));
    expect(bindingOf('x')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('differs for different inputs', () => {
    const inputs: unknown[] = [{ a: 1 }, { a: 2 }, { a: '1' }, { b: 1 }, [1], [1, 2], 'a', null, { a: 1, order: 'asc' }, { a: 1, order: 'desc' }];
    const bindings = inputs.map((v) => bindingOf(v));
    expect(new Set(bindings).size).toBe(inputs.length);
  });
});
