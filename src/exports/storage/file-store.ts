import type { Readable } from 'node:stream';

/**
 * Where finished export files live: a directory under DATA_DIR, or an S3-compatible bucket
 * when S3_* is configured. An export is always produced into a local temporary file first
 * (its size and sha256 are known before it is published); `publish` moves it into the store.
 * Keys are `<tenant id>/<export id><extension>`: both ids are server-generated, never user text.
 */
export interface ExportFileStore {
  readonly kind: 'local' | 's3';
  /** Moves (local) or uploads (S3) a finished local file under `key`; the local file is gone afterwards. */
  publish(key: string, localPath: string, contentType: string): Promise<void>;
  /** The file's bytes as a stream, or undefined when there is no such file. */
  open(key: string): Promise<Readable | undefined>;
  /** Deletes the file; no error when it is already gone. */
  remove(key: string): Promise<void>;
  /** Fails with a readable message when the store cannot be used (startup and /readyz). */
  check(): Promise<void>;
}

export const EXPORT_FILE_STORE = Symbol('ExportFileStore');
