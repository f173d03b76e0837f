import { createHash } from 'node:crypto';

/**
 * SHA-256 of the concatenation of `parts` (strings as UTF-8). The server uses Node's native
 * hash; the standalone verifier module (verifier-module.ts, built for browsers and any Node)
 * replaces this file with sha256.portable.ts.
 */
export function sha256(...parts: (Uint8Array | string)[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}
