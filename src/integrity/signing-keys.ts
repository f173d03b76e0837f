import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CompactSign, type JWK } from 'jose';

/** Whatever jose accepts to sign with (a CryptoKey or key bytes). */
export type SigningKey = Parameters<CompactSign['sign']>[0];

/**
 * Ed25519 keys that sign checkpoints. Kept in a JSON key file (0600):
 *   {"keys": [{"kid", "created_at", "status": "active" | "retired", "private_jwk": {...}}]}
 * The newest active key signs; retired keys stay in the JWKS so old checkpoints keep verifying.
 * The kid is the key's RFC 7638 thumbprint.
 */
export interface StoredKey {
  kid: string;
  created_at: string;
  status: 'active' | 'retired';
  private_jwk: JWK;
}

export interface KeyFile {
  keys: StoredKey[];
}

export interface PublicJwk extends JWK {
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export class KeyFileError extends Error {}

export async function generateSigningKey(now = new Date()): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const pub = await exportJWK(publicKey);
  return { kid: await calculateJwkThumbprint(pub), created_at: now.toISOString(), status: 'active', private_jwk: await exportJWK(privateKey) };
}

export async function readKeyFile(path: string): Promise<KeyFile> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    throw new KeyFileError(`cannot read signing keys from ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(raw) as KeyFile;
  } catch {
    throw new KeyFileError(`${path} is not JSON`);
  }
  if (!Array.isArray(parsed?.keys) || parsed.keys.length === 0) throw new KeyFileError(`${path} holds no keys`);
  for (const k of parsed.keys) {
    const jwk = k?.private_jwk;
    if (typeof k?.kid !== 'string' || (k.status !== 'active' && k.status !== 'retired') || jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || typeof jwk.d !== 'string') {
      throw new KeyFileError(`${path} has a malformed key entry`);
    }
    const expected = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x });
    if (expected !== k.kid) throw new KeyFileError(`${path}: kid ${k.kid} is not the thumbprint of its key`);
  }
  if (!parsed.keys.some((k) => k.status === 'active')) throw new KeyFileError(`${path} has no active key`);
  return parsed;
}

async function writeKeyFile(path: string, file: KeyFile, exclusive: boolean): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const body = `${JSON.stringify(file, null, 2)}\n`;
  if (exclusive) {
    await writeFile(path, body, { mode: 0o600, flag: 'wx' });
    return;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, body, { mode: 0o600 });
  await rename(tmp, path);
}

/** Reads the key file, creating it with one fresh key when it does not exist yet. */
export async function loadOrCreateKeyFile(path: string): Promise<{ file: KeyFile; created: boolean }> {
  try {
    return { file: await readKeyFile(path), created: false };
  } catch (err) {
    if (!(err instanceof KeyFileError) || !/ENOENT/.test(err.message)) throw err;
  }
  try {
    await writeKeyFile(path, { keys: [await generateSigningKey()] }, true);
    return { file: await readKeyFile(path), created: true };
  } catch (err) {
    // Another replica created it first.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { file: await readKeyFile(path), created: false };
    throw err;
  }
}

/** Adds a new active key and retires the others (their public halves stay published). */
export async function rotateKeyFile(path: string): Promise<StoredKey> {
  const file = await readKeyFile(path);
  const fresh = await generateSigningKey();
  await writeKeyFile(path, { keys: [fresh, ...file.keys.map((k) => ({ ...k, status: 'retired' as const }))] }, false);
  return fresh;
}

export async function createKeyFile(path: string): Promise<StoredKey> {
  const key = await generateSigningKey();
  await writeKeyFile(path, { keys: [key] }, true);
  return key;
}

/** The loaded keys: the signer and the public JWKS. */
export class KeyRing {
  private constructor(
    private readonly signingKid: string,
    private readonly signingKey: SigningKey,
    readonly jwks: { keys: PublicJwk[] },
  ) {}

  static async from(file: KeyFile): Promise<KeyRing> {
    const active = file.keys
      .filter((k) => k.status === 'active')
      .sort((a, b) => b.created_at.localeCompare(a.created_at))[0]!;
    const key = await importJWK(active.private_jwk, 'EdDSA');
    const jwks = {
      keys: file.keys.map((k) => ({ kty: 'OKP', crv: 'Ed25519', x: k.private_jwk.x!, kid: k.kid, alg: 'EdDSA' as const, use: 'sig' as const })),
    };
    return new KeyRing(active.kid, key as SigningKey, jwks);
  }

  get kid(): string {
    return this.signingKid;
  }

  get key(): SigningKey {
    return this.signingKey;
  }
}
