import { crc32 } from 'node:zlib';
import { randomBase62, sha256Hex, toBase62 } from '../common/secrets.js';

/**
 * API keys look like `vt_<32 random base62><6 checksum base62>` (41 characters). The checksum
 * (CRC32 of the rest) lets us — and secret scanners — reject a mistyped or made-up key without a
 * database lookup. Only SHA-256(key) is stored; keys carry ~190 bits of randomness, so a fast
 * hash is enough and lookups by hash leak nothing about how close a guess was.
 */
const PREFIX = 'vt_';
const BODY = 32;
const CHECK = 6;
const KEY_RE = /^vt_[0-9A-Za-z]{38}$/;

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const body = `${PREFIX}${randomBase62(BODY)}`;
  const key = `${body}${toBase62(crc32(body), CHECK)}`;
  return { key, prefix: displayPrefix(key), hash: sha256Hex(key) };
}

/** `vt_Ab12Cd34` — enough to tell keys apart in a listing, useless for guessing. */
export function displayPrefix(key: string): string {
  return key.slice(0, PREFIX.length + 8);
}

export function isWellFormedApiKey(key: string): boolean {
  if (!KEY_RE.test(key)) return false;
  const body = key.slice(0, PREFIX.length + BODY);
  return key.slice(PREFIX.length + BODY) === toBase62(crc32(body), CHECK);
}

export function hashApiKey(key: string): string {
  return sha256Hex(key);
}
