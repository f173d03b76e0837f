import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { fromHex } from './merkle.js';
import { validKeyName } from '../common/note-key-name.js';
import { checkpointText, formatVerifierKey, noteKeyId, signatureLine } from './signed-note.js';
import { KeyFileError, loadOrCreateKeyFile, type KeyFile } from './signing-keys.js';

interface LoadedNoteKey {
  publicKey: Buffer;
  status: 'active' | 'retired';
  created_at: string;
}

/**
 * The Ed25519 keys that sign C2SP checkpoint notes (signed-note.ts), separate from the JWS
 * checkpoint keys and kept the same way: a JSON key file outside the database (NOTE_KEYS_FILE),
 * generated on first start. One key name for the deployment; each tenant's log has the origin
 * `<name>/<tenant id>`, so a note of one tenant can never pass for another's or another
 * deployment's.
 *
 * Notes are signed when asked for, from the committed checkpoint rows (tree size and root, the
 * very values the JWS checkpoint of that size signs). Ed25519 is deterministic, so the same key
 * always gives the same note; the log never signs two different roots for one size because the
 * rows it signs from are immutable.
 */
@Injectable()
export class NoteKeyService implements OnModuleInit {
  private readonly logger = new Logger('NoteKeys');
  private loaded: { name: string; signer: KeyObject; keyId: number; keys: LoadedNoteKey[] } | undefined;

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const path = this.config.integrity.noteKeysFile;
    let loaded: Awaited<ReturnType<typeof loadOrCreateKeyFile>>;
    try {
      loaded = await loadOrCreateKeyFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (err instanceof KeyFileError || !code) throw err;
      // E.g. a read-only key directory that predates note keys: say how to create the file.
      throw new KeyFileError(`cannot create the note key file ${path} (${code}): create it with \`veritrail keys generate ${path}\` (or \`veritrail keys init <dir>\`), or set NOTE_KEYS_FILE`);
    }
    const { file, created } = loaded;
    this.loaded = NoteKeyService.fromFile(file, this.config.integrity.noteName ?? defaultName(file, this.config.http.publicUrl));
    if (created) this.logger.log({ path, name: this.loaded.name, key_id: this.loaded.keyId.toString(16).padStart(8, '0') }, 'generated a checkpoint note key');
  }

  /** A service on given keys, without a key file (the offline tools and tests). */
  static withKeys(file: KeyFile, name: string): NoteKeyService {
    const s = new NoteKeyService(undefined as unknown as AppConfig);
    s.loaded = NoteKeyService.fromFile(file, name);
    return s;
  }

  static fromFile(file: KeyFile, name: string): { name: string; signer: KeyObject; keyId: number; keys: LoadedNoteKey[] } {
    if (!validKeyName(name)) throw new Error(`note key name ${JSON.stringify(name)} is not a valid key name`);
    const active = file.keys.filter((k) => k.status === 'active').sort((a, b) => b.created_at.localeCompare(a.created_at))[0]!;
    const signer = createPrivateKey({ key: { ...active.private_jwk } as import('node:crypto').JsonWebKey, format: 'jwk' });
    const keys = file.keys.map((k) => ({ publicKey: Buffer.from(k.private_jwk.x!, 'base64url'), status: k.status, created_at: k.created_at }));
    return { name, signer, keyId: noteKeyId(name, Buffer.from(active.private_jwk.x!, 'base64url')), keys };
  }

  private get state() {
    if (!this.loaded) throw new Error('note keys not loaded');
    return this.loaded;
  }

  /** The key name, also the prefix of every origin. */
  get name(): string {
    return this.state.name;
  }

  /** The origin line of a tenant's log. */
  origin(tenantId: string): string {
    return `${this.state.name}/${tenantId}`;
  }

  /** Verifier keys of every note key (active first, then retired), one per line. */
  verifierKeys(): string[] {
    const { name, keys } = this.state;
    return [...keys].sort((a, b) => (a.status === b.status ? b.created_at.localeCompare(a.created_at) : a.status === 'active' ? -1 : 1)).map((k) => formatVerifierKey(name, k.publicKey));
  }

  /** The signed checkpoint note of a tenant's log at `treeSize` with root `rootHex`. */
  checkpointNote(tenantId: string, treeSize: number, rootHex: string): string {
    const root = fromHex(rootHex);
    if (!root) throw new Error('checkpoint root is not hex');
    return this.signNote(checkpointText(this.origin(tenantId), treeSize, root));
  }

  /** `text` (ending in a newline) signed with the active note key. */
  signNote(text: string): string {
    const { name, signer, keyId } = this.state;
    return `${text}\n${signatureLine(name, keyId, sign(null, Buffer.from(text, 'utf8'), signer))}`;
  }
}

/** PUBLIC_URL without its scheme (`audit.example.com/base`), else `veritrail.invalid/<oldest key's kid prefix>`. */
export function defaultName(file: KeyFile, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/^https?:\/\//, '');
  const oldest = [...file.keys].sort((a, b) => a.created_at.localeCompare(b.created_at))[0]!;
  return `veritrail.invalid/${oldest.kid.slice(0, 16)}`;
}
