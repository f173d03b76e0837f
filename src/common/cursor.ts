import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from './errors.js';

export type CursorPosition = readonly (string | number)[];

export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

/**
 * Opaque pagination cursors: base64url(JSON) + "." + base64url(HMAC-SHA256). A cursor is bound
 * to the list it came from (kind), to the tenant and to a hash of the filters and sort order,
 * so an edited cursor, another tenant's cursor or a cursor replayed with different filters is
 * refused with 400 invalid_cursor instead of silently paging something else.
 */
/**
 * Kinds whose position says something the holder may not know: a feed position is an index in
 * the tenant's whole log, so an organization-scoped key paging its own organization's feed would
 * learn how many events every other organization wrote (and when). Their body is sealed
 * (AES-256-GCM under a key derived from the cursor key) instead of readable JSON.
 */
const SEALED_KINDS: ReadonlySet<string> = new Set(['feed']);

export class CursorCodec {
  private readonly sealKey: Buffer;

  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('cursor key must be at least 32 bytes');
    this.sealKey = createHmac('sha256', key).update('veritrail-cursor-seal-v1').digest();
  }

  encode(kind: string, tenant: string, binding: string, position: CursorPosition): string {
    const json = Buffer.from(JSON.stringify({ v: 1, k: kind, t: tenant, b: binding, p: position }));
    const body = (SEALED_KINDS.has(kind) ? this.seal(json) : json).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode(cursor: string, kind: string, tenant: string, binding: string): CursorPosition {
    const parsed = this.open(cursor, kind, tenant);
    if (parsed.b !== binding) throw invalid();
    return parsed.p;
  }

  /**
   * A cursor of this kind and tenant whatever filters it was bound to: for callers that start
   * something new from a position (a webhook created from a feed cursor), not for paging.
   */
  decodeAnyBinding(cursor: string, kind: string, tenant: string): CursorPosition {
    return this.open(cursor, kind, tenant).p;
  }

  private open(cursor: string, kind: string, tenant: string): { b: unknown; p: CursorPosition } {
    const dot = cursor.indexOf('.');
    if (dot <= 0 || cursor.length > 4096) throw invalid();
    const body = cursor.slice(0, dot);
    // Compare the signature text exactly: base64url decoding is lenient (ignores stray
    // characters and trailing bits), so decoded bytes could match for an altered string.
    const sig = Buffer.from(cursor.slice(dot + 1), 'utf8');
    const expected = Buffer.from(this.sign(body), 'utf8');
    if (!/^[A-Za-z0-9_-]+$/.test(body) || sig.length !== expected.length || !timingSafeEqual(sig, expected)) throw invalid();
    let parsed: { v?: unknown; k?: unknown; t?: unknown; b?: unknown; p?: unknown };
    try {
      const raw = Buffer.from(body, 'base64url');
      parsed = JSON.parse((SEALED_KINDS.has(kind) ? this.unseal(raw) : raw).toString('utf8')) as typeof parsed;
    } catch {
      throw invalid();
    }
    if (parsed.v !== 1 || parsed.k !== kind || parsed.t !== tenant || !Array.isArray(parsed.p)) throw invalid();
    return { b: parsed.b, p: parsed.p as CursorPosition };
  }

  /**
   * Keyset pagination by (created_at, id), the order of every "newest/oldest first" list: the
   * position of a cursor, or undefined without one.
   */
  decodeKeyset(cursor: string | undefined, kind: string, tenant: string, binding: string): KeysetPosition | undefined {
    if (cursor === undefined) return undefined;
    const p = this.decode(cursor, kind, tenant, binding);
    if (p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'string') throw invalid();
    return { createdAt: new Date(p[0]), id: p[1] };
  }

  /** One page from `rows` fetched with `limit + 1`, and the cursor of the next page (null on the last). */
  keysetPage<T extends KeysetPosition>(rows: T[], limit: number, kind: string, tenant: string, binding: string): { page: T[]; next: string | null } {
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { page, next: rows.length > limit && last ? this.encode(kind, tenant, binding, [last.createdAt.getTime(), last.id]) : null };
  }

  /** iv (12) || ciphertext || tag (16). */
  private seal(plain: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]);
  }

  private unseal(raw: Buffer): Buffer {
    if (raw.length < 12 + 16 + 2) throw new Error('short');
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** Stable short hash of the parameters a cursor is bound to. */
export function bindingOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
}

function invalid(): BadRequestError {
  return new BadRequestError('invalid_cursor', 'The cursor is invalid, expired, or belongs to a different query.');
}
