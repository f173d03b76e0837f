import { createReadStream } from 'node:fs';
import { access, constants, copyFile, mkdir, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { ExportFileStore } from './file-store.js';

/** Export files in a directory (DATA_DIR/exports by default), one sub-directory per tenant. */
export class LocalExportFileStore implements ExportFileStore {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async publish(key: string, localPath: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    try {
      await rename(localPath, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(localPath, target); // temp dir on another filesystem
      await unlink(localPath);
    }
  }

  async open(key: string): Promise<Readable | undefined> {
    const path = this.pathOf(key);
    try {
      await access(path, constants.R_OK);
    } catch {
      return undefined;
    }
    return createReadStream(path, { highWaterMark: 256 * 1024 });
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await access(this.root, constants.W_OK);
  }

  private pathOf(key: string): string {
    const p = resolve(join(this.root, key));
    // Keys are built from server-generated ids; refuse anything that would leave the root anyway.
    if (!p.startsWith(this.root + sep)) throw new Error('export file key escapes the export directory');
    return p;
  }
}
