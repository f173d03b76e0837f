import { createCipheriv, createDecipheriv, createHash, randomBytes, randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AppConfig } from '../config/config.js';

/**
 * The master key. It wraps the key-encryption keys (kek-store.ts), which wrap every per-subject
 * data key. It never lives in a database: it comes from PRIVACY_MASTER_KEY or a key file
 * (generated under DATA_DIR in embedded mode), so a dump of PostgreSQL (wrapped keys) or
 * ClickHouse (ciphertext) alone reveals no personal data.
 */
export interface MasterKey {
  /** First 16 hex digits of SHA-256(key): recorded beside each wrapped key. */
  id: string;
  key: Buffer;
}

export class MasterKeyError extends Error {}

export async function loadMasterKey(config: AppConfig['privacy']): Promise<MasterKey> {
  let b64 = config.masterKey;
  if (b64 === undefined) {
    if (!existsSync(config.masterKeyFile)) {
      if (!config.generateMasterKey) {
        throw new MasterKeyError(`PRIVACY_MASTER_KEY_FILE ${config.masterKeyFile} does not exist (create it with \`veritrail keys generate-master <file>\`)`);
      }
      await writeMasterKeyFile(config.masterKeyFile);
    }
    b64 = (await readFile(config.masterKeyFile, 'utf8')).trim();
  }
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32) throw new MasterKeyError('the privacy master key must be 32 bytes in base64');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/** Creates a key file readable by its owner only. */
export async function writeMasterKeyFile(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

// Random IVs are drawn from a pool filled 4 096 at a time: one CSPRNG call per value cost
// more than the encryption itself at ingest. Each IV is used once (the pool is refilled, never
// rewound); 96-bit random IVs stay far below GCM's collision bound for any one data key.
const IV_POOL = Buffer.allocUnsafe(IV_BYTES * 4096);
let ivOffset = IV_POOL.length;

function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivOffset = 0;
  }
  const iv = Buffer.from(IV_POOL.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

/** AES-256-GCM with associated data: iv ‖ ciphertext ‖ tag. */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = nextIv();
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]);
}

/** Inverse of {@link seal}; undefined when the bytes or the associated data do not authenticate. */
export function open(key: Buffer, sealed: Buffer, aad: string): Buffer | undefined {
  if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([d.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), d.final()]);
  } catch {
    return undefined;
  }
}

/** Wraps a subject's data key with a key-encryption key (or, for keys made before KEKs existed, the master key). */
export function wrapDataKey(wrappingKey: Buffer, tenantId: string, keyId: string, dataKey: Buffer): Buffer {
  return seal(wrappingKey, dataKey, `veritrail subject key\n${tenantId}\n${keyId}`);
}

export function unwrapDataKey(wrappingKey: Buffer, tenantId: string, keyId: string, wrapped: Buffer): Buffer | undefined {
  return open(wrappingKey, wrapped, `veritrail subject key\n${tenantId}\n${keyId}`);
}
