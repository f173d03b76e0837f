import { randomBytes } from 'node:crypto';
import { mkdir, open as openFile, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { open, seal, type MasterKey } from './master-key.js';

/**
 * Key-encryption keys (KEKs) kept OUTSIDE the databases, one small file each in
 * PRIVACY_KEK_DIR, wrapped by the master key. Subject keys in PostgreSQL are wrapped by a KEK;
 * an erasure re-wraps the rest of the subject's bucket under a new KEK and then deletes the old
 * file. What PostgreSQL leaves behind (dead tuples in heap pages, WAL segments, replicas,
 * backups) then holds the erased key only under a KEK that no longer exists anywhere.
 * (The envelope-encryption-with-rotatable-KEK idea is the one cloud KMSs use for "crypto-shredding";
 * a file per KEK keeps deletion physical without one.)
 *
 * Files are written create-exclusive, fsynced with their directory before any row names them,
 * and overwritten with zeros before they are unlinked (a disk image taken later does not find
 * them in free blocks on file systems that write in place).
 */
export class KekStore {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly master: MasterKey,
  ) {}

  /** A new random KEK, written and made durable under `kekId`. */
  async create(tenantId: string, kekId: string): Promise<Buffer> {
    await this.ensureDir();
    const kek = randomBytes(32);
    const fh = await openFile(this.path(kekId), 'wx', 0o600);
    try {
      await fh.writeFile(`${seal(this.master.key, kek, aad(tenantId, kekId)).toString('base64')}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await this.syncDir();
    return kek;
  }

  /** The KEK, or undefined when its file is gone (destroyed) or does not unwrap (another master key, another tenant). */
  async read(tenantId: string, kekId: string): Promise<Buffer | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(kekId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return open(this.master.key, Buffer.from(text.trim(), 'base64'), aad(tenantId, kekId));
  }

  /** Destroys a KEK: overwrite, fsync, unlink, fsync the directory. Idempotent. */
  async destroy(kekId: string): Promise<void> {
    const file = this.path(kekId);
    try {
      const fh = await openFile(file, 'r+');
      try {
        const { size } = await fh.stat();
        await fh.write(Buffer.alloc(size), 0, size, 0);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await unlink(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await this.syncDir();
  }

  /** Ids of every KEK file, with its age (for removing files a crashed process left unreferenced). */
  async list(): Promise<{ kekId: string; ageMs: number }[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: { kekId: string; ageMs: number }[] = [];
    const now = Date.now();
    for (const name of names) {
      const m = /^([a-z2-7]{16})\.kek$/.exec(name);
      if (!m) continue;
      try {
        out.push({ kekId: m[1]!, ageMs: now - (await stat(join(this.dir, name))).mtimeMs });
      } catch {
        // removed meanwhile
      }
    }
    return out;
  }

  private path(kekId: string): string {
    if (!/^[a-z2-7]{16}$/.test(kekId)) throw new Error('invalid KEK id');
    return join(this.dir, `${kekId}.kek`);
  }

  private ensureDir(): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.ready;
  }

  private async syncDir(): Promise<void> {
    const fh = await openFile(this.dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}

function aad(tenantId: string, kekId: string): string {
  return `veritrail kek\n${tenantId}\n${kekId}`;
}
