import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/config.js';
import { describe, expect, it } from 'vitest';
import { sigstoreCheckpoint } from '../../test/support/sigstore-checkpoint.js';
import { hashLeaf } from './merkle.js';
import { defaultName, NoteKeyService } from './note-keys.service.js';
import { checkpointText, formatVerifierKey, noteKeyId, parseCheckpointText, parseNote, parseVerifierKey, verifyCheckpointNote } from './signed-note.js';
import { generateSigningKey, type KeyFile } from './signing-keys.js';

// Vectors from Go's golang.org/x/mod/sumdb/note/note_test.go (commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db):
// PeterNeumann's verifier and private key, the note it signs, and EnochRoot's key and signature.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY_SEED = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'; // from PRIVATE+KEY+PeterNeumann+c74f20a3+<this>
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
// From c2sp.org/signed-note (C2SP/C2SP signed-note.md, "Example").
const C2SP_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const C2SP_NOTE = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const vk = (s: string) => parseVerifierKey(s)!;

/** A note key file holding one key built from a 32-byte Ed25519 seed (JWK d) and its public key (x). */
function keyFileFromSeed(seed: Buffer, pub: Buffer): KeyFile {
  return { keys: [{ kid: 'fixture', created_at: '2026-01-01T00:00:00.000Z', status: 'active', private_jwk: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: pub.toString('base64url') } }] };
}

describe('C2SP signed notes', () => {
  it('SIG-NOTE-01: key ids and verifier keys match the published vectors (Go sumdb/note, C2SP)', () => {
    for (const s of [PETER_VKEY, ENOCH_VKEY, C2SP_VKEY]) {
      const k = parseVerifierKey(s);
      expect(k, s).toBeDefined();
      expect(formatVerifierKey(k!.name, k!.publicKey)).toBe(s);
    }
    expect(noteKeyId('PeterNeumann', vk(PETER_VKEY).publicKey)).toBe(0xc74f20a3);
    // Go's bad keys: a wrong-length key (id adjusted) and an unknown algorithm; plus a wrong id.
    expect(parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).toBeUndefined();
    expect(parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toBeUndefined();
    expect(parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toBeUndefined();
    expect(parseVerifierKey('Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toBeUndefined();
    // The base64 part may itself hold '+': only the first two split the key.
    const plus = formatVerifierKey('n.example', Buffer.from('fb'.repeat(32), 'hex'));
    expect(plus.split('+').length).toBeGreaterThan(3);
    expect(parseVerifierKey(plus)).toMatchObject({ name: 'n.example' });
  });

  it('SIG-NOTE-02: our signer reproduces Go\'s signature byte for byte from its private key', () => {
    const seed = Buffer.from(PETER_SKEY_SEED, 'base64').subarray(1);
    const pub = Buffer.from(vk(PETER_VKEY).publicKey);
    expect(NoteKeyService.fromFile(keyFileFromSeed(seed, pub), 'PeterNeumann').keyId).toBe(0xc74f20a3);
    const svc = NoteKeyService.withKeys(keyFileFromSeed(seed, pub), 'PeterNeumann');
    expect(svc.verifierKeys()).toEqual([PETER_VKEY]);
    expect(svc.signNote(GO_TEXT)).toBe(GO_TEXT + '\n' + PETER_SIG);
  });

  it('SIG-NOTE-03: published notes verify; unknown signatures are ignored; a bad signature by a known key rejects the note', async () => {
    const open = async (note: string, keys: string[]) => {
      const p = parseNote(note);
      if (typeof p === 'string') return p;
      const check = await verifyCheckpointNote(note, keys.map(vk));
      return check.ok ? 'ok' : check.reason;
    };
    // Not checkpoints, so the signature check passes and the body check then refuses them.
    expect(await open(C2SP_NOTE, [C2SP_VKEY])).toBe('a checkpoint has at least three lines');
    expect(await open(GO_TEXT + '\n' + PETER_SIG + ENOCH_SIG, [PETER_VKEY])).toBe('a checkpoint has at least three lines');
    expect(await open(GO_TEXT + '\n' + PETER_SIG + ENOCH_SIG, [ENOCH_VKEY])).toBe('a checkpoint has at least three lines');
    expect(await open(GO_TEXT + '\n' + ENOCH_SIG, [PETER_VKEY])).toBe('not signed by any pinned note key');
    expect(await open(GO_TEXT.replace('answer', 'answers') + '\n' + PETER_SIG, [PETER_VKEY])).toBe('the signature of PeterNeumann does not verify');
    // Go's malformed notes.
    const bad = [
      GO_TEXT,
      GO_TEXT + '\n',
      GO_TEXT + '\n' + PETER_SIG.slice(0, -1),
      '\x01' + GO_TEXT + '\n' + PETER_SIG,
      Buffer.concat([Buffer.from([0xff]), Buffer.from(GO_TEXT + '\n' + PETER_SIG)]).toString('utf8'),
      GO_TEXT + '\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=',
      GO_TEXT + '\n' + PETER_SIG + 'Unexpected line.\n',
    ];
    for (const note of bad) expect(typeof parseNote(note), JSON.stringify(note)).toBe('string');
  });

  it('SIG-NOTE-04: checkpoint notes we sign verify with Sigstore\'s checkpoint verifier and ours; tampering fails both', async () => {
    const file = { keys: [await generateSigningKey()] };
    const name = 'audit.example.com/veritrail';
    const svc = NoteKeyService.withKeys(file, name);
    const root = hashLeaf('x');
    const note = svc.checkpointNote('tenant-a', 7, root.toString('hex'));
    expect(note).toBe(`${name}/tenant-a\n7\n${root.toString('base64')}\n\n— ${name} ${note.split(' ').at(-1)}`);
    const [vkey] = svc.verifierKeys();

    const cp = sigstoreCheckpoint(note, [vkey!]);
    expect({ origin: cp.origin, size: cp.logSize, root: cp.logHash.toString('hex') }).toEqual({ origin: `${name}/tenant-a`, size: 7n, root: root.toString('hex') });
    const ours = await verifyCheckpointNote(note, [vk(vkey!)]);
    expect(ours.ok && ours.checkpoint).toMatchObject({ origin: `${name}/tenant-a`, treeSize: 7, root });

    const forged = note.replace('\n7\n', '\n8\n');
    expect(() => sigstoreCheckpoint(forged, [vkey!])).toThrow(/invalid checkpoint signature/);
    expect(await verifyCheckpointNote(forged, [vk(vkey!)])).toMatchObject({ ok: false, reason: expect.stringMatching(/does not verify/) });
    // Another deployment's key (same name) is not ours: both verifiers refuse.
    const other = formatVerifierKey(name, Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url'));
    expect(() => sigstoreCheckpoint(note, [other])).toThrow();
    expect(await verifyCheckpointNote(note, [vk(other)])).toMatchObject({ ok: false });
  });

  it('SIG-NOTE-05: checkpoint bodies are strict', () => {
    const root = hashLeaf('x');
    expect(parseCheckpointText(checkpointText('o.example/t', 0, root))).toMatchObject({ origin: 'o.example/t', treeSize: 0 });
    expect(parseCheckpointText(`o\n07\n${root.toString('base64')}\n`)).toMatch(/leading zeros/);
    expect(parseCheckpointText(`o\n-1\n${root.toString('base64')}\n`)).toMatch(/decimal/);
    expect(parseCheckpointText(`o\n1\n${root.subarray(1).toString('base64')}\n`)).toMatch(/32 bytes/);
    expect(parseCheckpointText(`o\n1\n`)).toMatch(/three lines/);
    expect(() => checkpointText('has space', 1, root)).toThrow();
    expect(() => checkpointText('a+b', 1, root)).toThrow();
  });

  it('SIG-NOTE-06: the default key name is PUBLIC_URL without its scheme, else derived from the oldest key', async () => {
    const file = { keys: [await generateSigningKey()] };
    expect(defaultName(file, 'https://audit.example.com/base')).toBe('audit.example.com/base');
    expect(defaultName(file, undefined)).toBe(`veritrail.invalid/${file.keys[0]!.kid.slice(0, 16)}`);
    expect(() => NoteKeyService.fromFile(file, 'bad name')).toThrow(/not a valid key name/);
  });

  it('SIG-NOTE-08: the note key file is generated on first start and kept; an uncreatable one fails with how to create it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vt-note-keys-'));
    try {
      const config = (file: string) => ({ integrity: { noteKeysFile: file, noteName: 'n.example/vt' }, http: { publicUrl: undefined } }) as unknown as AppConfig;
      const path = join(dir, 'note-keys.json');
      const a = new NoteKeyService(config(path));
      await a.onModuleInit();
      const first = await readFile(path, 'utf8');
      const b = new NoteKeyService(config(path));
      await b.onModuleInit();
      expect(await readFile(path, 'utf8')).toBe(first);
      expect(b.verifierKeys()).toEqual(a.verifierKeys());
      expect(a.origin('t1')).toBe('n.example/vt/t1');
      // A missing file whose directory cannot be created, even by root (as a read-only key
      // directory): the directory is a symlink to a place whose parent does not exist.
      await symlink(join(dir, 'missing', 'sub'), join(dir, 'link'));
      const bad = join(dir, 'link', 'note-keys.json');
      await expect(new NoteKeyService(config(bad)).onModuleInit()).rejects.toThrow(/veritrail keys generate/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
