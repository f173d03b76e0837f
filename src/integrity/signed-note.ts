import { sha256 } from './sha256.js';
import { validKeyName } from '../common/note-key-name.js';

/**
 * C2SP signed notes (c2sp.org/signed-note) and transparency-log checkpoints
 * (c2sp.org/tlog-checkpoint): the format Go's checksum database, Sigstore Rekor v2, Trillian
 * Tessera and Sigsum speak, so their verifiers and witnesses can read a tenant's log heads.
 *
 *   <origin>\n<tree size>\n<base64 root>\n\n— <key name> base64(key id || Ed25519 signature)\n
 *
 * Only Ed25519 (signature type 0x01) is produced or accepted. Used by the server (signing lives
 * in NoteKeyService) and by the standalone offline verifier (no node:crypto here: WebCrypto
 * verifies, sha256.ts is swapped for a portable one in the bundle).
 */

/** Signature type byte of Ed25519 note signatures. */
export const ED25519_TYPE = 0x01;
const EM_DASH = '\u2014';
/** Generous bound: 16 signatures (the spec's minimum to accept) and a long origin fit easily. */
export const MAX_NOTE_BYTES = 16_384;
const MAX_SIGNATURES = 32;

/** Key ID = SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4], as a uint32. */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  const h = sha256(name, '\n', Uint8Array.of(ED25519_TYPE), publicKey);
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

/** `<name>+<hex key id>+<base64(0x01 || public key)>`: the verifier key to pin. */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  const id = noteKeyId(name, publicKey).toString(16).padStart(8, '0');
  return `${name}+${id}+${Buffer.concat([Uint8Array.of(ED25519_TYPE), publicKey]).toString('base64')}`;
}

export interface VerifierKey {
  name: string;
  id: number;
  publicKey: Uint8Array;
}

/** Parses a verifier key; undefined unless it is a well-formed Ed25519 vkey whose id matches its name and key. */
export function parseVerifierKey(vkey: string): VerifierKey | undefined {
  // Key names never hold '+'; the base64 key may.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey.trim());
  if (!m) return undefined;
  const [, name, idHex, b64] = m as unknown as [string, string, string, string];
  if (!validKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex) || !isBase64(b64)) return undefined;
  const raw = Buffer.from(b64, 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519_TYPE) return undefined;
  const publicKey = new Uint8Array(raw.subarray(1));
  const id = parseInt(idHex, 16);
  if (noteKeyId(name, publicKey) !== id) return undefined;
  return { name, id, publicKey };
}

/** The checkpoint body (note text) of a tree: origin, size, base64 root, each ending in a newline. */
export function checkpointText(origin: string, treeSize: number, root: Uint8Array): string {
  if (!validKeyName(origin)) throw new Error('invalid checkpoint origin');
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new Error('invalid tree size');
  if (root.length !== 32) throw new Error('root must be 32 bytes');
  return `${origin}\n${treeSize}\n${Buffer.from(root).toString('base64')}\n`;
}

/** One signature line for `text`, given the raw Ed25519 signature of it. */
export function signatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId >>> 0);
  return `${EM_DASH} ${name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The signature bytes after the 4-byte key id. */
  signature: Uint8Array;
}

export interface ParsedNote {
  text: string;
  signatures: NoteSignature[];
}

export interface ParsedCheckpoint {
  origin: string;
  treeSize: number;
  root: Buffer;
  extensions: string[];
}

/** Splits a signed note into its text and signature lines; a string saying why when it is malformed. */
export function parseNote(note: string): ParsedNote | string {
  if (typeof note !== 'string') return 'not text';
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES) return 'note too large';
  if (/[\u0000-\u0009\u000b-\u001f\ufffd]/.test(note)) return 'control characters or invalid UTF-8 in the note';
  if (!note.endsWith('\n')) return 'a note ends with a newline';
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return 'no blank line between the text and the signatures';
  const text = note.slice(0, split + 1);
  const sigLines = note.slice(split + 2, -1).split('\n');
  if (sigLines.length > MAX_SIGNATURES) return 'too many signatures';
  const signatures: NoteSignature[] = [];
  for (const line of sigLines) {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!m || !validKeyName(m[1]) || !isBase64(m[2]!)) return 'malformed signature line';
    const raw = Buffer.from(m[2]!, 'base64');
    if (raw.length < 5) return 'malformed signature line';
    signatures.push({ name: m[1], keyId: raw.readUInt32BE(0), signature: new Uint8Array(raw.subarray(4)) });
  }
  return { text, signatures };
}

/** Reads the checkpoint body of a note text (c2sp.org/tlog-checkpoint). */
export function parseCheckpointText(text: string): ParsedCheckpoint | string {
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3 || !text.endsWith('\n')) return 'a checkpoint has at least three lines';
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  if (!origin) return 'empty origin';
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) return 'tree size is not a decimal number without leading zeros';
  if (!isBase64(root) || Buffer.from(root, 'base64').length !== 32) return 'root hash is not the base64 of 32 bytes';
  if (extensions.some((l) => l === '')) return 'empty extension line';
  return { origin, treeSize: Number(size), root: Buffer.from(root, 'base64'), extensions };
}

export type NoteCheck =
  | { ok: true; checkpoint: ParsedCheckpoint; text: string; verifiedBy: VerifierKey[] }
  | { ok: false; reason: string };

/**
 * Opens a checkpoint note with pinned verifier keys, as the spec says: signatures by unknown keys
 * (name and id not both matching) are ignored; a signature by a known key must verify (one that
 * does not rejects the whole note); at least one known key must have signed.
 */
export async function verifyCheckpointNote(note: string, keys: readonly VerifierKey[]): Promise<NoteCheck> {
  const parsed = parseNote(note);
  if (typeof parsed === 'string') return { ok: false, reason: parsed };
  const verifiedBy: VerifierKey[] = [];
  const data = new TextEncoder().encode(parsed.text);
  for (const sig of parsed.signatures) {
    const key = keys.find((k) => k.name === sig.name && k.id === sig.keyId);
    if (!key) continue;
    if (!(await ed25519Verify(key.publicKey, sig.signature, data))) return { ok: false, reason: `the signature of ${sig.name} does not verify` };
    verifiedBy.push(key);
  }
  if (verifiedBy.length === 0) return { ok: false, reason: 'not signed by any pinned note key' };
  const checkpoint = parseCheckpointText(parsed.text);
  if (typeof checkpoint === 'string') return { ok: false, reason: checkpoint };
  return { ok: true, checkpoint, text: parsed.text, verifiedBy };
}

/** The part of WebCrypto used here (typed locally: the server's lib has no DOM types). */
interface Subtle {
  importKey(format: 'raw', key: Uint8Array, alg: { name: 'Ed25519' }, extractable: boolean, usages: ['verify']): Promise<unknown>;
  verify(alg: { name: 'Ed25519' }, key: unknown, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

async function ed25519Verify(publicKey: Uint8Array, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  const subtle = (globalThis as { crypto?: { subtle?: Subtle } }).crypto?.subtle;
  if (!subtle) throw new Error('WebCrypto is not available to check Ed25519 signatures');
  try {
    const key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return await subtle.verify({ name: 'Ed25519' }, key, signature, data);
  } catch {
    return false;
  }
}

function isBase64(s: string): boolean {
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}
