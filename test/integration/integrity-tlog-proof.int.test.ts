import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Evidence, readTar } from '../../src/integrity/evidence.js';
import { hashLeaf } from '../../src/integrity/merkle.js';
import { verifyEvidence } from '../../src/integrity/offline-verifier.js';
import { checkpointText, formatVerifierKey, noteKeyId, signatureLine } from '../../src/integrity/signed-note.js';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { canonicalJson } from '../../src/common/canonical.js';
import { event, useApp, type TestTenant } from '../support/harness.js';
import { sigstoreInclusion } from '../support/sigstore-checkpoint.js';

const run = promisify(execFile);
type Files = Map<string, string>;

/**
 * Reads a tlog-proof file by the rules of c2sp.org/tlog-proof, written here from the spec (not
 * the server's parser), so that Sigstore's verifier — not ours — checks what it carries.
 */
function readProofPerSpec(text: string) {
  const [head, ...rest] = text.split('\n\n');
  const lines = head!.split('\n');
  expect(lines[0]).toBe('c2sp.org/tlog-proof@v1');
  const extra = lines[1]!.startsWith('extra ') ? Buffer.from(lines[1]!.slice(6), 'base64').toString('utf8') : undefined;
  const at = extra === undefined ? 1 : 2;
  const index = Number(/^index (\d+)$/.exec(lines[at]!)![1]);
  return { extra, index, path: lines.slice(at + 1).map((l) => Buffer.from(l, 'base64')), note: rest.join('\n\n') };
}

/**
 * C2SP tlog-proof files in evidence and bundles (c2sp.org/tlog-proof), checked by Sigstore's
 * inclusion verification (npm @sigstore/verify) and by the offline verifier with pinned note keys.
 */
describe('C2SP tlog-proof files and notes in evidence', () => {
  const ctx = useApp();
  let dir: string;
  let jwksFile: string;
  let noteKeysFile: string;
  let vkeys: string[];
  let jwks: { keys: [] };
  let t: TestTenant;
  let selection: Evidence;
  let trail: Evidence;
  let bundle: Files;

  async function cli(args: string[]): Promise<{ code: number; out: string }> {
    return run(process.execPath, ['dist/cli/veritrail.js', 'verify', ...args, '--jwks', jwksFile]).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
  }
  let n = 0;
  async function verifyJson(doc: unknown, ...args: string[]) {
    const file = join(dir, `evidence-${++n}.json`);
    await writeFile(file, JSON.stringify(doc));
    return cli([file, ...args]);
  }
  async function verifyFiles(files: Files, ...args: string[]) {
    const d = join(dir, `bundle-${++n}`);
    await mkdir(d);
    for (const [name, body] of files) await writeFile(join(d, name), body);
    return cli([d, ...args]);
  }

  async function ingestAndSeal(tenant: TestTenant, events: Record<string, unknown>[]) {
    expect((await ctx.api.post('/v1/events/batch', { token: tenant.key, body: { events } })).status).toBe(201);
    expect((await ctx.api.post('/v1/integrity/seal', { token: tenant.key })).status).toBe(200);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vt-tlog-proof-'));
    jwks = (await ctx.api.get('/.well-known/jwks.json')).body;
    jwksFile = join(dir, 'jwks.json');
    await writeFile(jwksFile, JSON.stringify(jwks));
    const keysText = (await ctx.api.get('/.well-known/veritrail/note-keys')).text;
    vkeys = keysText.trim().split('\n');
    noteKeysFile = join(dir, 'note-keys.txt');
    await writeFile(noteKeysFile, keysText);
    t = await ctx.tenant('Proofs');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    await ingestAndSeal(t, Array.from({ length: 5 }, (_, i) => event({ action: 'doc.edited', organization_id: 'org_1', metadata: { i } })));
    await ingestAndSeal(t, Array.from({ length: 4 }, (_, i) => event({ action: 'doc.viewed', organization_id: i % 2 ? 'org_2' : 'org_1', metadata: { i } })));
    selection = (await ctx.api.get('/v1/integrity/evidence', { token: t.key, query: { organization_id: 'org_1' } })).body;
    trail = (await ctx.api.get('/v1/integrity/evidence', { token: t.key })).body;
    const r = await ctx.api.post('/v1/exports', { token: t.key, body: { format: 'bundle', gzip: true, organization_id: 'org_1' } });
    expect(r.status, r.text).toBe(202);
    await ctx.app.app.get(JobRunner).runNow('export');
    const job = (await ctx.api.get(`/v1/exports/${r.body.id}`, { token: t.key })).body;
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const res = await fetch(`${ctx.app.url}/v1/exports/${job.id}/download`, { headers: { authorization: `Bearer ${t.key}` } });
    bundle = new Map([...readTar(gunzipSync(Buffer.from(await res.arrayBuffer())))].map(([k, v]) => [k, v.toString('utf8')]));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('TLOG-PROOF-10: selection evidence has one tlog-proof per event; Sigstore verifies each from the event as sealed', () => {
    expect(selection.scope).toBe('selection');
    expect(selection.events.length).toBeGreaterThanOrEqual(7);
    expect(selection.tlog_proofs).toHaveLength(selection.events.length);
    expect(selection.note_keys).toEqual(vkeys);
    for (const [i, text] of selection.tlog_proofs!.entries()) {
      const p = readProofPerSpec(text);
      const item = selection.events[i]!;
      expect(p.extra).toBe(item.event.id);
      expect(p.index).toBe(item.leaf_index);
      const leafData = Buffer.from(canonicalJson(item.event), 'utf8');
      const treeSize = Number(p.note.split('\n')[1]);
      expect(() => sigstoreInclusion(p.note, vkeys[0]!, { leafData, index: p.index, treeSize, path: p.path })).not.toThrow();
      // Hostile: another event's data, or the proof of another index, fails Sigstore's check.
      const other = Buffer.from(canonicalJson(selection.events[(i + 1) % selection.events.length]!.event), 'utf8');
      expect(() => sigstoreInclusion(p.note, vkeys[0]!, { leafData: other, index: p.index, treeSize, path: p.path })).toThrow();
    }
  });

  it('TLOG-PROOF-11: the offline verifier checks notes and proof files with pinned note keys and says what they prove', async () => {
    const report = await verifyEvidence(selection, jwks, { noteKeys: vkeys });
    expect(report.status).toBe('ok');
    expect(report.c2sp).toMatchObject({ checked: true, notes_verified: selection.notes!.length, tlog_proofs_verified: selection.events.length });
    expect(report.c2sp!.statement).toMatch(/prove, with the note key alone/);
    const t2 = await verifyEvidence(trail, jwks, { noteKeys: vkeys });
    expect(t2.status).toBe('ok');
    expect(trail.notes!.length).toBe(trail.checkpoints.length);
    expect(t2.c2sp).toMatchObject({ checked: true, notes_verified: trail.notes!.length, tlog_proofs_verified: 0 });
    // Without pinned note keys nothing C2SP is claimed.
    const unpinned = await verifyEvidence(selection, jwks);
    expect(unpinned.status).toBe('ok');
    expect(unpinned.c2sp).toMatchObject({ checked: false, tlog_proofs_verified: 0 });
    // The CLI, as an auditor runs it.
    const out = await verifyJson(selection, '--note-keys', noteKeysFile);
    expect(out.code, out.out).toBe(0);
    expect(out.out).toMatch(/C2SP: \d+ of \d+ checkpoint note\(s\) verify/);
  });

  it('TLOG-PROOF-12: an altered event, a proof for another event, a note of another key or tenant, and a fork are all caught', async () => {
    const proofs = selection.tlog_proofs!;
    const first = readProofPerSpec(proofs[0]!);
    const kinds = async (e: Evidence, keys = vkeys) => (await verifyEvidence(e, jwks, { noteKeys: keys })).problems.map((p) => p.kind);

    // The event named by a proof altered: the proof (and the JWS inclusion proof) fail.
    const altered = structuredClone(selection);
    altered.events[0]!.event.action = 'doc.deleted';
    expect(await kinds(altered)).toContain('tlog_proof');
    // A proof relabelled as another event's.
    const relabelled = structuredClone(selection);
    relabelled.tlog_proofs![0] = proofs[0]!.replace(/^extra .*$/m, `extra ${Buffer.from(String(selection.events[1]!.event.id)).toString('base64')}`);
    expect(await kinds(relabelled)).toContain('tlog_proof');

    // Signed by a key that is not pinned: refused.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const name = vkeys[0]!.split('+')[0]!;
    const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const signWith = (text: string) => `${text}\n${signatureLine(name, noteKeyId(name, pub), sign(null, Buffer.from(text), privateKey))}`;
    const [origin, size, root] = first.note.split('\n') as [string, string, string];
    const stranger = structuredClone(selection);
    stranger.notes = [signWith(checkpointText(origin, Number(size), Buffer.from(root, 'base64')))];
    expect(await kinds(stranger)).toContain('c2sp_note');

    // A fork: a second tree head of the same size with another root, signed by a pinned key —
    // what a log that forked its history would have to sign. The verifier reports a split view.
    const forked = structuredClone(selection);
    forked.notes = [...selection.notes!, signWith(checkpointText(origin, Number(size), hashLeaf('forked')))];
    const withFork = await verifyEvidence(forked, jwks, { noteKeys: [...vkeys, formatVerifierKey(name, pub)] });
    expect(withFork.status).toBe('tampered');
    expect(withFork.problems.map((p) => p.kind)).toContain('split_view');

    // Another tenant's note passed off as this tenant's.
    const other = await ctx.tenant('Proofs other');
    await ingestAndSeal(other, [event(), event()]);
    const foreignNote = (await ctx.api.get('/v1/integrity/note', { token: other.key })).text;
    const foreign = structuredClone(selection);
    foreign.notes = [foreignNote];
    expect(await kinds(foreign)).toContain('foreign_tenant');
    // The CLI, pinning both keys, says the same.
    const bothKeys = join(dir, 'both-note-keys.txt');
    await writeFile(bothKeys, `${vkeys.join('\n')}\n${formatVerifierKey(name, pub)}\n`);
    const cli1 = await verifyJson(forked, '--note-keys', bothKeys);
    expect(cli1.code, cli1.out).toBe(1);
    expect(cli1.out).toContain('split_view');
  });

  it('TLOG-PROOF-13: a selection bundle carries .tlog-proof and .note files that verify offline', async () => {
    const proofFiles = [...bundle.keys()].filter((k) => k.endsWith('.tlog-proof'));
    const ids = bundle.get('events.ndjson')!.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(proofFiles.sort()).toEqual(ids.map((id) => `${id}.tlog-proof`).sort());
    expect([...bundle.keys()].some((k) => /^checkpoint-\d+\.note$/.test(k))).toBe(true);
    expect(bundle.get('note-keys.txt')!.trim().split('\n')).toEqual(vkeys);
    for (const f of proofFiles) {
      const p = readProofPerSpec(bundle.get(f)!);
      const line = bundle.get('events.ndjson')!.split('\n').find((l) => l.includes(p.extra!))!;
      expect(() => sigstoreInclusion(p.note, vkeys[0]!, { leafData: Buffer.from(line, 'utf8'), index: p.index, treeSize: Number(p.note.split('\n')[1]), path: p.path })).not.toThrow();
    }
    const ok = await verifyFiles(bundle, '--note-keys', noteKeysFile);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toMatch(new RegExp(`${proofFiles.length} of ${proofFiles.length} tlog-proof`));
    // One proof file swapped for another event's: caught.
    const [a, b] = proofFiles as [string, string];
    const swapped = new Map(bundle).set(a, bundle.get(b)!.replace(/^extra .*$/m, `extra ${Buffer.from(a.replace('.tlog-proof', '')).toString('base64')}`));
    const bad = await verifyFiles(swapped, '--note-keys', noteKeysFile);
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toContain('tlog_proof');
  });
});
