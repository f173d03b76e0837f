import { hkdfSync } from 'node:crypto';
import { open, seal, type MasterKey } from './master-key.js';

/**
 * Secrets other modules keep in PostgreSQL (webhook signing secrets, destination credentials),
 * sealed under the privacy master key, which never lives in a database: a dump of PostgreSQL
 * alone opens none of them, exactly as it opens no personal data.
 *
 * Format: `mk1.<master key id>.<base64url(iv ‖ ciphertext ‖ tag)>`, AES-256-GCM under a key
 * derived from the master key for the purpose (HKDF-SHA256, so the master key itself only ever
 * wraps subject keys), with the purpose and the caller's context (tenant, owner id) as associated
 * data: a value copied into another row or another tenant does not open.
 */
export const SEALED_SECRET_PREFIX = 'mk1.';

export function isSealedSecret(value: string): boolean {
  return value.startsWith(SEALED_SECRET_PREFIX);
}

function purposeKey(master: MasterKey, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master.key, Buffer.alloc(0), `veritrail sealed secret\n${purpose}`, 32));
}

function aad(purpose: string, context: string): string {
  return `veritrail sealed secret\n${purpose}\n${context}`;
}

export function sealSecretValue(master: MasterKey, purpose: string, context: string, plaintext: string): string {
  const sealed = seal(purposeKey(master, purpose), Buffer.from(plaintext, 'utf8'), aad(purpose, context));
  return `${SEALED_SECRET_PREFIX}${master.id}.${sealed.toString('base64url')}`;
}

/** The plaintext, or undefined when the value is not in this format, names another master key, or does not authenticate. */
export function openSecretValue(master: MasterKey, purpose: string, context: string, value: string): string | undefined {
  if (!isSealedSecret(value)) return undefined;
  const rest = value.slice(SEALED_SECRET_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot < 0 || rest.slice(0, dot) !== master.id) return undefined;
  return open(purposeKey(master, purpose), Buffer.from(rest.slice(dot + 1), 'base64url'), aad(purpose, context))?.toString('utf8');
}
