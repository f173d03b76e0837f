import { CompactSign, compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { canonicalJson } from '../common/canonical.js';
import { fromHex } from './merkle.js';
import { sha256 } from './sha256.js';
import type { SigningKey } from './signing-keys.js';

/**
 * A checkpoint: a signed statement of a tenant's Merkle log at one size, chained to the
 * previous checkpoint by the SHA-256 of its JWS. Signed as a compact JWS (EdDSA / Ed25519),
 * payload = canonical JSON (RFC 8785) of {@link CheckpointPayload}.
 */
export const CHECKPOINT_TYP = 'veritrail-checkpoint+jws';

export interface CheckpointPayload {
  v: 1;
  iss: 'veritrail';
  tenant: string;
  number: number;
  tree_size: number;
  /** Lower-case hex SHA-256 Merkle root (RFC 6962). */
  root: string;
  /** SHA-256 (hex) of the previous checkpoint's JWS, null for the first. */
  prev: string | null;
  sealed_at: string;
  /**
   * Newest received_at among the leaves so far (RFC 3339): every leaf of this tree was received
   * at or before it. Absent from checkpoints sealed before it was introduced (then sealed_at is
   * the bound). What decides whether a missing event may have expired.
   */
  watermark?: string;
  /** The shortest retention (days) the tenant ever had when this was sealed. */
  retention_floor_days?: number;
}

/**
 * How long before its retention ends a missing event may already count as expired: the time
 * between an event's receipt and the signed watermark of the checkpoint that seals it (a seal
 * interval, or the sealer's 10-minute look-back for late events) stays well within it. Without
 * it an event removed by retention right at its horizon would read as deleted for that long.
 */
export const EXPIRY_GRACE_MS = 3_600_000;

/** Signed upper bound (ms) of the receipt time of every leaf of this checkpoint's tree. */
export function receivedBound(p: CheckpointPayload): number {
  return Date.parse(p.watermark ?? p.sealed_at);
}

export async function signCheckpoint(payload: CheckpointPayload, key: { kid: string; key: SigningKey }): Promise<string> {
  return new CompactSign(Buffer.from(canonicalJson(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: CHECKPOINT_TYP })
    .sign(key.key);
}

export function checkpointHash(jws: string): string {
  return sha256(jws).toString('hex');
}

export type CheckpointCheck = { ok: true; payload: CheckpointPayload; kid: string } | { ok: false; reason: string };

/**
 * Verifies a checkpoint JWS against a pinned JWKS: EdDSA only (no `none`, no algorithm
 * confusion), the kid must be in the JWKS, the payload must be well formed.
 */
export async function verifyCheckpoint(jws: string, jwks: JSONWebKeySet): Promise<CheckpointCheck> {
  if (typeof jws !== 'string' || jws.length > 4096 || jws.split('.').length !== 3) return { ok: false, reason: 'not a compact JWS' };
  let result;
  try {
    result = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    return { ok: false, reason: code === 'ERR_JWKS_NO_MATCHING_KEY' ? 'signed by a key that is not in the pinned JWKS' : 'invalid signature' };
  }
  if (result.protectedHeader.typ !== CHECKPOINT_TYP) return { ok: false, reason: 'not a checkpoint (typ)' };
  let payload: CheckpointPayload;
  try {
    payload = JSON.parse(Buffer.from(result.payload).toString('utf8')) as CheckpointPayload;
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  const p = payload as unknown as Record<string, unknown>;
  const wellFormed =
    p.v === 1 &&
    p.iss === 'veritrail' &&
    typeof p.tenant === 'string' &&
    Number.isSafeInteger(p.number) &&
    (p.number as number) >= 1 &&
    Number.isSafeInteger(p.tree_size) &&
    (p.tree_size as number) >= 0 &&
    fromHex(p.root) !== undefined &&
    (p.prev === null || fromHex(p.prev) !== undefined) &&
    typeof p.sealed_at === 'string' &&
    !Number.isNaN(Date.parse(p.sealed_at as string)) &&
    (p.watermark === undefined || (typeof p.watermark === 'string' && !Number.isNaN(Date.parse(p.watermark)))) &&
    (p.retention_floor_days === undefined || (Number.isSafeInteger(p.retention_floor_days) && (p.retention_floor_days as number) >= 0));
  if (!wellFormed) return { ok: false, reason: 'malformed checkpoint payload' };
  return { ok: true, payload, kid: String(result.protectedHeader.kid) };
}
