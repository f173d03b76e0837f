import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
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
export class CursorCodec {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('cursor key must be at least 32 bytes');
  }

  encode(kind: string, tenant: string, binding: string, position: CursorPosition): string {
    const body = Buffer.from(JSON.stringify({ v: 1, k: kind, t: tenant, b: binding, p: position })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode(cursor: string, kind: string, tenant: string, binding: string): CursorPosition {
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
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      throw invalid();
    }
    if (parsed.v !== 1 || parsed.k !== kind || parsed.t !== tenant || parsed.b !== binding || !Array.isArray(parsed.p)) {
      throw invalid();
    }
    return parsed.p as CursorPosition;
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
