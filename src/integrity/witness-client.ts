import { sha256 } from './sha256.js';
import { parseNote, type NoteSignature } from './signed-note.js';

/**
 * A client of the C2SP witness protocol (c2sp.org/tlog-witness) and a verifier of the
 * Ed25519 cosignatures witnesses return (c2sp.org/tlog-cosignature, signature type 0x04):
 *
 *   POST <witness>/add-checkpoint
 *   old <size the witness last cosigned>\n<consistency proof, one base64 hash a line>\n\n<checkpoint note>
 *
 * 200: cosignature lines; 409 (text/x.tlog.size): the witness is at another size — the client
 * retries once with a proof from that size; 403/404/422: refused (unknown key or origin, a proof
 * that does not verify: a fork). Cosignatures by keys not pinned are ignored.
 */
export const COSIGNATURE_TYPE = 0x04;
/** The spec: a client MUST NOT send more than 63 proof lines. */
const MAX_PROOF_LINES = 63;
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface CosignerKey {
  name: string;
  id: number;
  publicKey: Uint8Array;
}

/** Key ID of an Ed25519 cosigner: SHA-256(name || 0x0A || 0x04 || public key)[:4]. */
export function cosignerKeyId(name: string, publicKey: Uint8Array): number {
  const h = sha256(name, '\n', Uint8Array.of(COSIGNATURE_TYPE), publicKey);
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

/** A witness verifier key `<name>+<hex id>+<base64(0x04 || key)>`; undefined unless well formed and consistent. */
export function parseCosignerKey(vkey: string): CosignerKey | undefined {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(vkey.trim());
  if (!m) return undefined;
  const raw = Buffer.from(m[3]!, 'base64');
  if (raw.length !== 33 || raw[0] !== COSIGNATURE_TYPE) return undefined;
  const publicKey = new Uint8Array(raw.subarray(1));
  const id = parseInt(m[2]!, 16);
  return cosignerKeyId(m[1]!, publicKey) === id ? { name: m[1]!, id, publicKey } : undefined;
}

export function formatCosignerKey(name: string, publicKey: Uint8Array): string {
  return `${name}+${cosignerKeyId(name, publicKey).toString(16).padStart(8, '0')}+${Buffer.concat([Uint8Array.of(COSIGNATURE_TYPE), publicKey]).toString('base64')}`;
}

/** What an Ed25519 cosigner signs: `cosignature/v1\ntime <t>\n` followed by the checkpoint text. */
export function cosignedMessage(checkpointText: string, timestamp: number): string {
  return `cosignature/v1\ntime ${timestamp}\n${checkpointText}`;
}

export interface VerifiedCosignature {
  name: string;
  timestamp: number;
  line: string;
}

/**
 * Cosignatures (signature lines) over `checkpointText` by pinned witnesses. Lines by unknown keys
 * are ignored; a line by a pinned key that does not verify is an error (the spec's rule for notes).
 */
export async function verifyCosignatures(checkpointText: string, lines: string, keys: readonly CosignerKey[]): Promise<VerifiedCosignature[] | string> {
  const parsed = parseNote(`${checkpointText}\n${lines}`);
  if (typeof parsed === 'string') return `malformed cosignatures: ${parsed}`;
  const out: VerifiedCosignature[] = [];
  const raw = lines.split('\n').filter((l) => l !== '');
  for (const [i, sig] of parsed.signatures.entries()) {
    const key = keys.find((k) => k.name === sig.name && k.id === sig.keyId);
    if (!key) continue;
    const r = await checkCosignature(checkpointText, sig, key);
    if (typeof r === 'string') return r;
    out.push({ name: sig.name, timestamp: r, line: `${raw[i]!}\n` });
  }
  return out;
}

async function checkCosignature(text: string, sig: NoteSignature, key: CosignerKey): Promise<number | string> {
  if (sig.signature.length !== 8 + 64) return `the cosignature of ${sig.name} is not a timestamped Ed25519 signature`;
  const ts = Buffer.from(sig.signature.subarray(0, 8)).readBigUInt64BE(0);
  if (ts === 0n || ts > BigInt(Number.MAX_SAFE_INTEGER)) return `the cosignature of ${sig.name} has no usable timestamp`;
  const subtle = (globalThis as { crypto?: { subtle?: { importKey: Function; verify: Function } } }).crypto?.subtle;
  if (!subtle) throw new Error('WebCrypto is not available to check Ed25519 signatures');
  const msg = new TextEncoder().encode(cosignedMessage(text, Number(ts)));
  let ok = false;
  try {
    const k = await subtle.importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']);
    ok = (await subtle.verify({ name: 'Ed25519' }, k, sig.signature.subarray(8), msg)) as boolean;
  } catch {
    ok = false;
  }
  return ok ? Number(ts) : `the cosignature of ${sig.name} does not verify`;
}

export type AddCheckpointResult =
  | { status: 'cosigned'; cosignatures: VerifiedCosignature[] }
  | { status: 'conflict'; witnessSize: number }
  | { status: 'refused'; http: number; reason: string };

export interface Witness {
  /** Submission prefix, e.g. https://witness.example/ (add-checkpoint is appended). */
  url: string;
  /** The witness's cosigner verifier key (type 0x04). */
  key: CosignerKey;
}

/** One add-checkpoint request. */
export async function addCheckpoint(witness: Witness, note: string, oldSize: number, proof: readonly Buffer[], opts: { timeoutMs?: number } = {}): Promise<AddCheckpointResult> {
  if (proof.length > MAX_PROOF_LINES) throw new Error('a consistency proof has at most 63 hashes');
  const parsed = parseNote(note);
  if (typeof parsed === 'string') throw new Error(`not a signed note: ${parsed}`);
  const body = `old ${oldSize}\n${proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${note}`;
  const url = new URL('add-checkpoint', witness.url.endsWith('/') ? witness.url : `${witness.url}/`);
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000), redirect: 'error' });
  const text = (await res.text()).slice(0, MAX_RESPONSE_BYTES);
  if (res.status === 409 && (res.headers.get('content-type') ?? '').startsWith('text/x.tlog.size')) {
    const m = /^(0|[1-9][0-9]{0,15})\n$/.exec(text);
    if (m) return { status: 'conflict', witnessSize: Number(m[1]) };
    return { status: 'refused', http: 409, reason: 'the witness answered 409 without a valid tree size' };
  }
  if (res.status !== 200) return { status: 'refused', http: res.status, reason: text.trim().slice(0, 200) || res.statusText };
  const cosignatures = await verifyCosignatures(parsed.text, text, [witness.key]);
  if (typeof cosignatures === 'string') return { status: 'refused', http: 200, reason: cosignatures };
  if (cosignatures.length === 0) return { status: 'refused', http: 200, reason: 'no cosignature by the pinned witness key' };
  return { status: 'cosigned', cosignatures };
}

/**
 * Submits `note` to a witness: first from `knownSize` (what we last had cosigned, 0 if never);
 * when the witness is at another size (409), once more with a consistency proof from that size.
 */
export async function witnessCheckpoint(
  witness: Witness,
  note: string,
  knownSize: number,
  proofFrom: (oldSize: number) => Promise<Buffer[]>,
): Promise<AddCheckpointResult> {
  const first = await addCheckpoint(witness, note, knownSize, knownSize === 0 ? [] : await proofFrom(knownSize));
  if (first.status !== 'conflict') return first;
  const size = first.witnessSize;
  const ours = Number(note.split('\n')[1]);
  if (size > ours) return { status: 'refused', http: 409, reason: `the witness has cosigned a larger tree (${size}) than this checkpoint (${ours}): our log was rolled back or forked` };
  return addCheckpoint(witness, note, size, size === 0 ? [] : await proofFrom(size));
}
