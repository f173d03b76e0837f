/**
 * In-browser verification of an event (docs/viewer.md "Verified in this browser"): the checkpoint
 * JWS is checked with WebCrypto Ed25519 against keys pinned on the page (never keys that came
 * with the proof), the event as sealed is hashed into its leaf, the RFC 6962 audit path is
 * walked to the signed root, and the event shown is compared with the event sealed. The same
 * checks as the offline verifier (src/integrity/offline-verifier.ts), with the browser's crypto.
 */

export interface InclusionProof {
  event_id: string;
  leaf_index: number;
  leaf_hash: string;
  tree_size: number;
  audit_path: string[];
  checkpoint: { number: number; jws: string };
  sealed_event: string;
}

export interface PinnedJwk {
  kty: string;
  crv?: string;
  x?: string;
  kid?: string;
}

export type LocalCheck = { ok: true; checkpoint: number } | { ok: false; reason: string };

const CHECKPOINT_TYP = 'veritrail-checkpoint+jws';
const enc = new TextEncoder();

function b64url(s: string): Uint8Array<ArrayBuffer> {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

function fromHex(h: unknown): Uint8Array | undefined {
  if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) return undefined;
  return Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** RFC 9162 §2.1.3.2: the root the audit path leads to from the leaf, or undefined. */
export async function rootFromPath(leaf: Uint8Array, index: number, size: number, path: Uint8Array[]): Promise<Uint8Array | undefined> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(Uint8Array.of(1), p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
    } else r = await sha256(Uint8Array.of(1), r, p);
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 ? r : undefined;
}

const verifiedJws = new Map<string, Promise<{ tree_size: number; root: string; number: number; tenant: string } | undefined>>();

/** The signed checkpoint's payload when its JWS verifies with a pinned Ed25519 key. */
export function checkCheckpoint(jws: string, keys: readonly PinnedJwk[]): Promise<{ tree_size: number; root: string; number: number; tenant: string } | undefined> {
  const cacheKey = `${keys.map((k) => k.x).join()}|${jws}`;
  let hit = verifiedJws.get(cacheKey);
  if (!hit) {
    hit = (async () => {
      try {
        const [h, p, sig] = jws.split('.');
        if (!h || !p || !sig || jws.split('.').length !== 3) return undefined;
        const header = JSON.parse(new TextDecoder().decode(b64url(h))) as { alg?: string; typ?: string; kid?: string };
        if (header.alg !== 'EdDSA' || header.typ !== CHECKPOINT_TYP) return undefined;
        const key = keys.find((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && k.x && (k.kid === undefined || k.kid === header.kid));
        if (!key) return undefined;
        const pub = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: key.x }, { name: 'Ed25519' }, false, ['verify']);
        if (!(await crypto.subtle.verify({ name: 'Ed25519' }, pub, b64url(sig), enc.encode(`${h}.${p}`)))) return undefined;
        const payload = JSON.parse(new TextDecoder().decode(b64url(p))) as { tree_size: number; root: string; number: number; tenant: string };
        return Number.isSafeInteger(payload.tree_size) && fromHex(payload.root) ? payload : undefined;
      } catch {
        return undefined;
      }
    })();
    verifiedJws.set(cacheKey, hit);
  }
  return hit;
}

/**
 * The event shown matches the event sealed: equal, except the server-added `display` and
 * `client`, and personal data the sealed event holds as ciphertext ("vt-enc:…").
 */
export function sameEvent(shown: unknown, sealed: unknown): boolean {
  if (typeof sealed === 'string' && sealed.startsWith('vt-enc:')) return true;
  if (sealed === null || typeof sealed !== 'object' || shown === null || typeof shown !== 'object') return shown === sealed;
  if (Array.isArray(sealed) !== Array.isArray(shown)) return false;
  const a = shown as Record<string, unknown>;
  const b = sealed as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!sameEvent(a[k], b[k])) return false;
  return true;
}

export async function checkEvent(shown: Record<string, unknown>, proof: InclusionProof, keys: readonly PinnedJwk[]): Promise<LocalCheck> {
  const signed = await checkCheckpoint(proof.checkpoint?.jws ?? '', keys);
  if (!signed) return { ok: false, reason: 'checkpoint signature' };
  if (signed.tree_size !== proof.tree_size) return { ok: false, reason: 'tree size' };
  const path = (proof.audit_path ?? []).map(fromHex);
  if (path.some((x) => !x)) return { ok: false, reason: 'audit path' };
  const leaf = await sha256(Uint8Array.of(0), enc.encode(proof.sealed_event));
  const root = await rootFromPath(leaf, proof.leaf_index, signed.tree_size, path as Uint8Array[]);
  if (!root || !same(root, fromHex(signed.root)!)) return { ok: false, reason: 'inclusion' };
  let sealed: unknown;
  try {
    sealed = JSON.parse(proof.sealed_event);
  } catch {
    return { ok: false, reason: 'sealed event' };
  }
  const { display: _d, client: _c, ...event } = shown;
  if (proof.event_id !== shown.id || !sameEvent(event, sealed)) return { ok: false, reason: 'event differs from its seal' };
  return { ok: true, checkpoint: signed.number };
}

/** Pinned keys from the `checkpoint-keys` attribute: a JWKS ({"keys": […]}) or an array of JWKs. */
export function parseKeys(attr: string | null): PinnedJwk[] {
  if (!attr) return [];
  try {
    const v = JSON.parse(attr) as unknown;
    const list = Array.isArray(v) ? v : (v as { keys?: unknown }).keys;
    return Array.isArray(list) ? (list as PinnedJwk[]).filter((k) => k && k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.x === 'string') : [];
  } catch {
    return [];
  }
}
