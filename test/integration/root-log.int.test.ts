import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTar, type Evidence } from '../../src/integrity/evidence.js';
import { hashLeaf } from '../../src/integrity/merkle.js';
import { NoteKeyService } from '../../src/integrity/note-keys.service.js';
import { verifyEvidence } from '../../src/integrity/offline-verifier.js';
import { RootLogRepository } from '../../src/integrity/root-log.repository.js';
import { RootLogService } from '../../src/integrity/root-log.service.js';
import { checkpointText, parseVerifierKey, verifyCheckpointNote, type VerifierKey } from '../../src/integrity/signed-note.js';
import { formatTlogProof, parseTlogProof } from '../../src/integrity/tlog-proof.js';
import { parseCosignerKey, verifyCosignatures } from '../../src/integrity/witness-client.js';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { Api, createTenant, createTestEnv, event, startApp, until, type RunningApp, type TestEnv, type TestTenant } from '../support/harness.js';
import { sigstoreInclusion } from '../support/sigstore-checkpoint.js';
import { OpensslTsa } from '../support/openssl-tsa.js';
import { WitnessDouble } from '../support/witness-double.js';

const run = promisify(execFile);
const NAME = 'audit.test.example/veritrail';
const ROOT_ORIGIN = `${NAME}/root`;

/**
 * The deployment-wide root log: every signed tenant checkpoint note is a leaf; root checkpoints
 * are sent to two witness test doubles (which verify the consistency proof before cosigning),
 * are final only with 2 of 2 cosignatures, and are served with them; a tenant's evidence proves
 * its checkpoint is in the witnessed root, checked offline with pinned note and witness keys.
 */
describe('root log and witnessing', () => {
  let env: TestEnv;
  let app: RunningApp;
  let api: Api;
  let dir: string;
  const w1Logs = new Map<string, VerifierKey[]>();
  const w2Logs = new Map<string, VerifierKey[]>();
  let w1: WitnessDouble;
  let w2: WitnessDouble;
  let tsa: OpensslTsa;
  let vkeys: string[];
  let a: TestTenant;
  let b: TestTenant;

  const rootJob = () => app.app.get(JobRunner).runNow('root-checkpoint');
  const rootNote = () => api.get('/.well-known/veritrail/root-checkpoint');
  const ingestAndSeal = async (t: TestTenant, n: number) => {
    expect((await api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: n }, (_, i) => event({ metadata: { i } })) } })).status).toBe(201);
    const r = await api.post('/v1/integrity/seal', { token: t.key });
    expect(r.status, r.text).toBe(200);
    return (r.body.checkpoints as { tree_size: number }[]).at(-1)!.tree_size;
  };
  const opts = () => ({ noteKeys: vkeys, witnessKeys: [w1.vkey, w2.vkey], witnessThreshold: 2, tenant: a.id });
  const jwks = async () => (await api.get('/.well-known/jwks.json')).body;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vt-root-log-'));
    env = await createTestEnv();
    w1 = await new WitnessDouble(w1Logs).start();
    w2 = await new WitnessDouble(w2Logs, 'witness.test.example/w2').start();
    tsa = await new OpensslTsa().start();
    app = await startApp(env, {
      NOTE_NAME: NAME,
      WITNESSES: `${w1.vkey} ${w1.url},${w2.vkey} ${w2.url}`,
      WITNESS_THRESHOLD: '2',
      ROOT_CHECKPOINT_INTERVAL: '1s',
      TSA_URL: tsa.url,
    });
    api = new Api(app.url);
    vkeys = (await api.get('/.well-known/veritrail/note-keys')).text.trim().split('\n');
    // w1 trusts the root log from the start; w2 only later (ROOT-01).
    w1Logs.set(ROOT_ORIGIN, vkeys.map((k) => parseVerifierKey(k)!));
    a = await createTenant(api, env, 'Root A');
    b = await createTenant(api, env, 'Root B');
    for (const t of [a, b]) await api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
  });

  afterAll(async () => {
    await app?.close();
    await env?.drop();
    await w1?.stop();
    await w2?.stop();
    await tsa?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('ROOT-01: each sealed checkpoint becomes a root-log leaf; a root checkpoint is final only with 2 of 2 cosignatures, then served with them', async () => {
    const sizeA = await ingestAndSeal(a, 3);
    await ingestAndSeal(b, 2);
    // Appended when sealed, before any root-checkpoint run.
    const leaves = await app.app.get(RootLogRepository).leavesOf(a.id, [sizeA]);
    expect(leaves.get(sizeA)?.note).toBe((await api.get('/v1/integrity/note', { token: a.key })).text);

    const size = (await app.app.get(RootLogRepository).head()).size;
    expect(size).toBeGreaterThanOrEqual(2);
    await rootJob();
    expect(w1.sizeOf(ROOT_ORIGIN)).toBe(size);
    expect(w2.refused.at(-1)).toMatchObject({ status: 404 }); // w2 does not know the log yet
    const notFinal = await rootNote();
    expect(notFinal.status).toBe(409);
    expect(notFinal.body.error.code).toBe('not_yet_signed');

    w2Logs.set(ROOT_ORIGIN, vkeys.map((k) => parseVerifierKey(k)!));
    await rootJob();
    const r = await rootNote();
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const opened = await verifyCheckpointNote(r.text, vkeys.map((k) => parseVerifierKey(k)!));
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.checkpoint).toMatchObject({ origin: ROOT_ORIGIN, treeSize: size });
    const sigLines = r.text.slice(opened.text.length + 1);
    const cosigned = await verifyCosignatures(opened.text, sigLines, [parseCosignerKey(w1.vkey)!, parseCosignerKey(w2.vkey)!]);
    expect(Array.isArray(cosigned) && cosigned.map((c) => c.name).sort()).toEqual([w1.name, w2.name]);
    expect((await api.get('/.well-known/veritrail/root-checkpoint', { query: { size: 9999 } })).status).toBe(404);
    expect((await api.get('/.well-known/veritrail/root-checkpoint', { query: { size: 'x' } })).status).toBe(400);
  });

  it('ROOT-02: evidence proves the tenant checkpoint is in the witnessed root; the offline verifier and Sigstore check it', async () => {
    const e = (await api.get('/v1/integrity/evidence', { token: a.key })).body as Evidence;
    expect(e.root_proofs).toHaveLength(1);
    const report = await verifyEvidence(e, await jwks(), opts());
    expect(report.status, JSON.stringify(report.problems)).toBe('ok');
    const size = (await app.app.get(RootLogRepository).head()).size;
    expect(report.root_log).toMatchObject({ checked: true, proofs_verified: 1, root: { origin: ROOT_ORIGIN, tree_size: size } });
    expect(report.root_log!.witnesses.map((w) => w.name).sort()).toEqual([w1.name, w2.name]);
    expect(report.root_log!.statement).toMatch(/cosigned by 2 pinned witness/);
    // Sigstore's verifier (npm @sigstore/verify) checks the root note and the audit path from the tenant note.
    const p = parseTlogProof(e.root_proofs![0]!);
    if (typeof p === 'string') throw new Error(p);
    sigstoreInclusion(p.note, vkeys[0]!, { leafData: p.extra!, index: p.index, treeSize: size, path: p.path });
    // Without pinned witness keys it says that nothing shows others saw the same root.
    const plain = await verifyEvidence(e, await jwks(), { noteKeys: vkeys });
    expect(plain.root_log!.statement).toMatch(/no witness keys pinned/);
  });

  it('ROOT-03: an altered root proof, a foreign tenant note or missing cosignatures fail offline', async () => {
    const e = (await api.get('/v1/integrity/evidence', { token: a.key })).body as Evidence;
    const p = parseTlogProof(e.root_proofs![0]!);
    if (typeof p === 'string') throw new Error(p);
    const other = (await api.get('/v1/integrity/note', { token: b.key })).text;
    const check = async (proof: string) => verifyEvidence({ ...e, root_proofs: [proof] }, await jwks(), opts());
    const foreign = await check(formatTlogProof({ ...p, extra: Buffer.from(other), index: p.index ^ 1 }));
    expect(foreign.problems.map((x) => x.kind)).toContain('foreign_tenant');
    const moved = await check(formatTlogProof({ ...p, index: p.index ^ 1 }));
    expect(moved.problems.map((x) => x.kind)).toContain('root_log');
    const bare = p.note.split('\n').filter((l) => !l.includes('witness.test.example')).join('\n');
    const unwitnessed = await check(formatTlogProof({ ...p, note: bare }));
    expect(unwitnessed.problems).toEqual([expect.objectContaining({ kind: 'unwitnessed', detail: expect.stringMatching(/0 cosignature\(s\) by pinned witnesses, 2 required/) })]);
    // A cosignature line altered: by a pinned key but not valid.
    const forged = p.note.replace(/(— witness\.test\.example\/w1 )(\S{20})/, (_m, pre: string, s: string) => `${pre}${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`);
    expect((await check(formatTlogProof({ ...p, note: forged }))).problems.map((x) => x.kind)).toContain('unwitnessed');
  });

  it('ROOT-04: the next root checkpoint is cosigned with a consistency proof from the size each witness holds', async () => {
    await ingestAndSeal(a, 2);
    await ingestAndSeal(b, 1);
    const size = (await app.app.get(RootLogRepository).head()).size;
    const root = await until('a new final root checkpoint', async () => {
      await rootJob();
      const r = await rootNote();
      return r.status === 200 && r.text.split('\n')[1] === String(size) ? r.text : undefined;
    });
    expect(root).toContain(w2.name);
    expect(w1.sizeOf(ROOT_ORIGIN)).toBe(size);
    expect(w2.sizeOf(ROOT_ORIGIN)).toBe(size);
    const e = (await api.get('/v1/integrity/evidence', { token: a.key, query: { since: 1 } })).body as Evidence;
    expect(e.root_proofs).toHaveLength(2); // both checkpoints of the evidence are in root 4
    const report = await verifyEvidence(e, await jwks(), opts());
    expect(report.status, JSON.stringify(report.problems)).toBe('ok');
    expect(report.root_log).toMatchObject({ proofs_verified: 2, root: { tree_size: size } });
  });

  it('ROOT-05: a forked root checkpoint is refused by both witnesses, never final, and the verifier detects it', async () => {
    const notes = app.app.get(NoteKeyService);
    const svc = app.app.get(RootLogService);
    const repo = app.app.get(RootLogRepository);
    const witnessed = w1.sizeOf(ROOT_ORIGIN)!;
    const e = (await api.get('/v1/integrity/evidence', { token: a.key })).body as Evidence;
    await ingestAndSeal(a, 1); // one more leaf, not yet in a root checkpoint
    const size = (await repo.head()).size;
    expect(size).toBe(witnessed + 1);
    // The operator signs another history: a root of that size that does not extend the witnessed one.
    const forkedRoot = hashLeaf('rewritten history');
    const forked = { treeSize: size, root: forkedRoot.toString('hex'), note: notes.signNote(checkpointText(ROOT_ORIGIN, size, forkedRoot)), final: false, signedAt: new Date() };
    expect(await repo.insertCheckpoint(forked)).toBe(true);
    const outcome = await svc.witness(forked);
    expect(outcome.map((o) => o.status)).toEqual(['refused', 'refused']);
    expect(w1.refused.at(-1)).toMatchObject({ status: 422 });
    expect(w2.refused.at(-1)).toMatchObject({ status: 422 });
    expect(w1.sizeOf(ROOT_ORIGIN)).toBe(witnessed);
    expect((await rootNote()).text.split('\n')[1]).toBe(String(witnessed)); // still the witnessed one
    expect((await repo.checkpoint(size))?.final).toBe(false);

    // A proof against the forked root (unwitnessed), shown to one verifier: detected.
    const p = parseTlogProof(e.root_proofs![0]!);
    if (typeof p === 'string') throw new Error(p);
    const onFork = formatTlogProof({ ...p, note: forked.note });
    const r1 = await verifyEvidence({ ...e, root_proofs: [onFork] }, await jwks(), opts());
    expect(r1.status).toBe('tampered');
    expect(r1.problems.map((x) => x.kind)).toContain('root_log'); // its path cannot lead to the forked root either
    // Two signed roots of one size, the witnessed one and a fork: split view.
    const fork4 = notes.signNote(checkpointText(ROOT_ORIGIN, witnessed, forkedRoot));
    const r2 = await verifyEvidence({ ...e, root_proofs: [e.root_proofs![0]!, formatTlogProof({ ...p, note: fork4 })] }, await jwks(), { noteKeys: vkeys });
    expect(r2.problems.map((x) => x.kind)).toContain('split_view');
    // Remove the fork so later runs are not affected.
    await app.app.get(PrismaService).rootCheckpoint.delete({ where: { treeSize: BigInt(size) } });
  });

  it('ROOT-06: the verify command takes pinned witness keys and a threshold', async () => {
    const size = (await app.app.get(RootLogRepository).head()).size;
    await until('the newest checkpoint in a final root checkpoint', async () => {
      await rootJob();
      return (await rootNote()).text.split('\n')[1] === String(size);
    });
    const e = (await api.get('/v1/integrity/evidence', { token: a.key })).body as Evidence;
    const files = { e: join(dir, 'e.json'), jwks: join(dir, 'jwks.json'), notes: join(dir, 'note-keys.txt'), witnesses: join(dir, 'witness-keys.txt') };
    await writeFile(files.e, JSON.stringify(e));
    await writeFile(files.jwks, JSON.stringify(await jwks()));
    await writeFile(files.notes, `${vkeys.join('\n')}\n`);
    await writeFile(files.witnesses, `${w1.vkey}\n${w2.vkey}\n`);
    const cli = (...args: string[]) =>
      run(process.execPath, ['dist/cli/veritrail.js', 'verify', files.e, '--jwks', files.jwks, '--note-keys', files.notes, ...args]).then(
        (r) => ({ code: 0, out: r.stdout }),
        (err: { code: number; stdout: string }) => ({ code: err.code, out: err.stdout }),
      );
    const ok = await cli('--witness-keys', files.witnesses, '--witness-threshold', '2');
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toMatch(/ROOT LOG: .*cosigned by 2 pinned witness/);
    // A witness the user pins that never cosigned: the threshold cannot be met.
    const stranger = new WitnessDouble(new Map(), 'witness.test.example/w3');
    await writeFile(files.witnesses, `${w1.vkey}\n${stranger.vkey}\n`);
    const short = await cli('--witness-keys', files.witnesses, '--witness-threshold', '2');
    expect(short.code, short.out).toBe(1);
    expect(short.out).toMatch(/unwitnessed/);
  });

  it('ROOT-07: root checkpoints carry an RFC 3161 token from the TSA (openssl ts); openssl and the offline verifier check it', async () => {
    const note = (await rootNote()).text;
    const size = Number(note.split('\n')[1]);
    const token = await api.get('/.well-known/veritrail/root-checkpoint/timestamp');
    expect(token.status, token.text).toBe(200);
    expect(token.headers.get('content-type')).toBe('application/octet-stream');
    const raw = Buffer.from(await (await fetch(`${app.url}/.well-known/veritrail/root-checkpoint/timestamp?size=${size}`)).arrayBuffer());
    // The standard tool's own check: the token is over the checkpoint text, signed by the test TSA.
    const text = note.slice(0, note.indexOf('\n\n') + 1);
    await writeFile(join(dir, 'root.txt'), text);
    await writeFile(join(dir, 'root.tst'), raw);
    expect(await tsa.opensslVerify(join(dir, 'root.tst'), join(dir, 'root.txt'))).toMatch(/Verification: OK/);
    expect((await api.get('/.well-known/veritrail/root-checkpoint/timestamp', { query: { size: 9999 } })).status).toBe(404);

    const e = (await api.get('/v1/integrity/evidence', { token: a.key })).body as Evidence;
    expect(e.root_timestamps).toEqual([{ tree_size: size, token: raw.toString('base64') }]);
    const ca = await readFile(tsa.caCertFile, 'utf8');
    const report = await verifyEvidence(e, await jwks(), { ...opts(), tsaCerts: [ca] });
    expect(report.status, JSON.stringify(report.problems)).toBe('ok');
    expect(report.root_log!.timestamps).toEqual([{ tree_size: size, time: expect.any(String), tsa: 'Test TSA' }]);
    expect(report.root_log!.statement).toMatch(/existed by .* \(RFC 3161 timestamp by Test TSA/);
    // Hostile: a TSA the user does not trust, or a damaged token.
    const other = (await new OpensslTsa().start());
    try {
      const wrongCa = await verifyEvidence(e, await jwks(), { ...opts(), tsaCerts: [await readFile(other.caCertFile, 'utf8')] });
      expect(wrongCa.problems).toEqual([expect.objectContaining({ kind: 'timestamp', detail: expect.stringMatching(/does not verify with the pinned TSA/) })]);
    } finally {
      await other.stop();
    }
    const damaged = await verifyEvidence({ ...e, root_timestamps: [{ tree_size: size, token: Buffer.from(raw.subarray(0, raw.length - 3)).toString('base64') }] }, await jwks(), { ...opts(), tsaCerts: [ca] });
    expect(damaged.problems.map((p) => p.kind)).toEqual(['timestamp']);
    // Without pinned TSA certificates the token is not checked, and the report says so.
    const unchecked = await verifyEvidence(e, await jwks(), opts());
    expect(unchecked.notes.join('\n')).toMatch(/not checked — pin the TSA's certificate/);
  });

  it('ROOT-08: a bundle carries the root proofs and the token; the verify command checks them with pinned witness keys and TSA certificate', async () => {
    const r = await api.post('/v1/exports', { token: a.key, body: { format: 'bundle', gzip: true } });
    expect(r.status, r.text).toBe(202);
    await app.app.get(JobRunner).runNow('export');
    const job = (await api.get(`/v1/exports/${r.body.id}`, { token: a.key })).body;
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const res = await fetch(`${app.url}/v1/exports/${job.id}/download`, { headers: { authorization: `Bearer ${a.key}` } });
    const files = readTar(gunzipSync(Buffer.from(await res.arrayBuffer())));
    const names = [...files.keys()];
    expect(names.filter((n) => /^root-\d+\.tlog-proof$/.test(n)).length).toBeGreaterThanOrEqual(1);
    expect(names.filter((n) => /^root-checkpoint-\d+\.tst$/.test(n))).toHaveLength(1);
    const d = join(dir, 'bundle');
    await mkdir(d);
    for (const [name, body] of files) await writeFile(join(d, name), body);
    await writeFile(join(dir, 'jwks.json'), JSON.stringify(await jwks()));
    await writeFile(join(dir, 'note-keys.txt'), `${vkeys.join('\n')}\n`);
    await writeFile(join(dir, 'witness-keys.txt'), `${w1.vkey}\n${w2.vkey}\n`);
    const out = await run(process.execPath, [
      'dist/cli/veritrail.js', 'verify', d, '--jwks', join(dir, 'jwks.json'), '--note-keys', join(dir, 'note-keys.txt'),
      '--witness-keys', join(dir, 'witness-keys.txt'), '--witness-threshold', '2', '--tsa-certs', tsa.caCertFile,
    ]).then((x) => ({ code: 0, out: x.stdout }), (err: { code: number; stdout: string }) => ({ code: err.code, out: err.stdout }));
    expect(out.code, out.out).toBe(0);
    expect(out.out).toMatch(/ROOT LOG: .*cosigned by 2 pinned witness.*existed by/);
  });
});
