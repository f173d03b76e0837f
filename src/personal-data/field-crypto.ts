import { randomBytes } from 'node:crypto';
import { canonicalJson } from '../common/canonical.js';
import { RESERVED_VALUE_PREFIX } from '../events/event-rules.js';
import { open, seal } from './master-key.js';
import type { ProtectedTier } from './classification.js';

/**
 * How an encrypted value sits in a stored event: a JSON string
 * `vt-enc:v1:<s|r>:<key id>:<base64url(iv ‖ ciphertext ‖ tag)>` in place of the value, the
 * plaintext being the value's canonical JSON. AES-256-GCM under the subject's data key with
 * the tenant, key id and tier as associated data: a value moved to another tenant, or relabelled
 * from restricted to sensitive, does not decrypt. The Merkle leaf commits to this form, so an
 * erased key leaves every proof intact.
 */
export const ENCRYPTED_PREFIX = `${RESERVED_VALUE_PREFIX}v1:`;
const KEY_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** Matches one encrypted value as it appears inside JSON text (with its quotes). */
export const ENCRYPTED_VALUE = /"vt-enc:v1:([sr]):([a-z2-7]{16}):([A-Za-z0-9_-]{20,})"/g;

export function newKeyId(): string {
  const bytes = randomBytes(16);
  let id = '';
  for (const b of bytes) id += KEY_ID_ALPHABET[b & 31];
  return id;
}

function aad(tenantId: string, keyId: string, tier: 's' | 'r'): string {
  return `veritrail field\n${tenantId}\n${keyId}\n${tier}`;
}

export function encryptValue(dataKey: Buffer, tenantId: string, keyId: string, tier: ProtectedTier, value: unknown): string {
  return encryptCanonical(dataKey, tenantId, keyId, tier, canonicalJson(value));
}

/** {@link encryptValue} of a value already in canonical JSON. */
export function encryptCanonical(dataKey: Buffer, tenantId: string, keyId: string, tier: ProtectedTier, plainJson: string): string {
  const t = tier === 'sensitive' ? 's' : 'r';
  const sealed = seal(dataKey, Buffer.from(plainJson), aad(tenantId, keyId, t));
  return `${ENCRYPTED_PREFIX}${t}:${keyId}:${sealed.toString('base64url')}`;
}

/** The value's JSON text, or undefined when it does not authenticate. */
export function decryptValue(dataKey: Buffer, tenantId: string, keyId: string, tier: 's' | 'r', b64: string): string | undefined {
  const plain = open(dataKey, Buffer.from(b64, 'base64url'), aad(tenantId, keyId, tier));
  return plain?.toString('utf8');
}

/** Key ids of every encrypted value in the texts. */
export function keyIdsIn(texts: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const t of texts) {
    if (!t.includes(ENCRYPTED_PREFIX)) continue;
    for (const m of t.matchAll(ENCRYPTED_VALUE)) ids.add(m[2]!);
  }
  return ids;
}

/** Placeholders shown instead of a value. */
export const ERASED = '"[erased]"';
export const RESTRICTED = '"[restricted]"';
export const MASKED = '"[masked]"';
export const UNREADABLE = '"[unreadable]"';
