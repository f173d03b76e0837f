/**
 * Recognises "the store is not reachable right now" across the drivers we use (Prisma over
 * adapter-pg, pg itself): such failures become 503 storage_unavailable (retry later), never a
 * 500 and never a pass — authentication, for one, fails closed.
 */
const NODE_ERRNO = /^E[A-Z]+$/; // ECONNREFUSED, ENOENT (socket gone), EPIPE, ECONNRESET, ETIMEDOUT…
const PRISMA_CONNECTION = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// SQLSTATE: 08 connection exception, 53 insufficient resources, 57P0x shutdown/crash, 55000 not accepting connections
const SQLSTATE = /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[1-4]|55000)$/;

export function isStoreUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { constructor?: { name?: string } }).constructor?.name ?? '';
    if (name === 'PrismaClientInitializationError' || name === 'PrismaClientRustPanicError') return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NODE_ERRNO.test(code) || PRISMA_CONNECTION.has(code) || SQLSTATE.test(code))) return true;
    const meta = (e as { meta?: unknown }).meta;
    if (meta && typeof meta === 'object') {
      const text = JSON.stringify(meta);
      if (/"(code|originalCode)":"(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[1-4]|55000|E[A-Z]+)"/.test(text) || /DatabaseNotReachable|ConnectionClosed|TooManyConnections/.test(text)) return true;
    }
    if (/Connection terminated|connect ECONNREFUSED|not currently accepting connections|terminating connection/i.test(String((e as Error).message ?? ''))) return true;
  }
  return false;
}

/** A foreign-key violation (SQLSTATE 23503), e.g. a row naming a tenant deleted meanwhile. */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: unknown; message?: string };
  return e?.code === 'P2003' || /23503|foreign key/i.test(`${JSON.stringify(e?.meta ?? '')} ${e?.message ?? ''}`);
}
