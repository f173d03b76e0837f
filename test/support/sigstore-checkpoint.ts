import { createPublicKey } from 'node:crypto';
// Sigstore's own C2SP checkpoint and RFC 6962 inclusion verification (the code that checks Rekor
// v2's signed-note checkpoints in sigstore-js), from npm: an implementation we did not write.
import { verifyCheckpoint } from '@sigstore/verify/dist/tlog/checkpoint.js';
import { verifyTLogInclusion } from '@sigstore/verify/dist/tlog/index.js';

/** A Sigstore transparency-log authority for a C2SP verifier key (`name+id+base64(0x01‖key)`). */
export function sigstoreAuthority(vkey: string) {
  const [, name, idHex, b64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey.trim()) ?? [];
  if (!name || !idHex || !b64) throw new Error('not a verifier key');
  const raw = Buffer.from(b64, 'base64');
  if (raw[0] !== 0x01 || raw.length !== 33) throw new Error('not an Ed25519 verifier key');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(1).toString('base64url') }, format: 'jwk' });
  // Sigstore finds the log by the signature's 4-byte key hint = the first bytes of the log id,
  // and requires the signature's key name inside the log's base URL.
  const logID = Buffer.concat([Buffer.from(idHex, 'hex'), Buffer.alloc(28)]);
  return { logID, baseURL: `https://${name}`, publicKey, validFor: { start: new Date(0), end: new Date(8.64e15) } };
}

/** Sigstore's checkpoint verification: throws unless a pinned key signed the note; returns the parsed checkpoint. */
export function sigstoreCheckpoint(note: string, vkeys: string[]) {
  const entry = { inclusionProof: { checkpoint: { envelope: note } } };
  return verifyCheckpoint(entry as never, vkeys.map(sigstoreAuthority));
}

/** Sigstore's full inclusion check: the note's signature, then the audit path from the leaf data to the note's root. */
export function sigstoreInclusion(note: string, vkey: string, p: { leafData: Buffer; index: number; treeSize: number; path: Buffer[] }) {
  const authority = sigstoreAuthority(vkey);
  const entry = {
    logIndex: String(p.index),
    logId: { keyId: authority.logID },
    canonicalizedBody: p.leafData,
    inclusionProof: { logIndex: String(p.index), treeSize: String(p.treeSize), rootHash: Buffer.alloc(32), hashes: p.path, checkpoint: { envelope: note } },
  };
  verifyTLogInclusion(entry as never, [authority]);
}
