import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/**
 * sha256.ts for the standalone verifier module: the same function on a pure-JavaScript SHA-256
 * (@noble/hashes, audited, no dependencies), so the module needs neither node:crypto nor an async
 * WebCrypto digest. Returns a Buffer (in the bundle, the `buffer` package's).
 */
const utf8 = new TextEncoder();

export function sha256(...parts: (Uint8Array | string)[]): Buffer {
  const h = nobleSha256.create();
  for (const p of parts) h.update(typeof p === 'string' ? utf8.encode(p) : p);
  return Buffer.from(h.digest());
}
