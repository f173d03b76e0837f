import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/common/canonical.js';
import type { CheckpointPayload } from '../../src/integrity/checkpoint.js';
import { readTar, type Evidence } from '../../src/integrity/evidence.js';
import { hashLeaf } from '../../src/integrity/merkle.js';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { createKey, event, useApp, type TestTenant } from '../support/harness.js';
import { testClock } from '../support/test-clock.js';

const run = promisify(execFile);
const DAY = 86_400_000;

type Doc = Evidence & { next_from_index: number | null; unsealed: number };
type Files = Map<string, string>;

/**
 * PROMISE-07: the offline verifier detects a deleted event. Unfiltered evidence and bundles hold
 * whole ranges of the log; every tampering with them — delete, insert, reorder, truncate, a
 * foreign checkpoint, a checkpoint added without a consistency proof — makes the real CLI exit 1.
 */
describe('offline verification proves completeness (PROMISE-07)', () => {
  const ctx = useApp({ JOBS: 'none' });
  let dir: string;
  let jwksFile: string;
  let t: TestTenant;
  let other: TestTenant;
  let trail: Doc;
  let bundle: Files;
  let oldCheckpoint: string;
  let bundleFile: string;

  /** The real CLI, as an auditor runs it. */
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

  const lines = (files: Files, name: string) => files.get(name)!.split('\n').filter(Boolean);
  const withLines = (files: Files, name: string, l: string[]) => new Map(files).set(name, l.map((x) => `${x}\n`).join(''));

  async function seal(tenant: TestTenant) {
    const r = await ctx.api.post('/v1/integrity/seal', { token: tenant.key });
    expect(r.status).toBe(200);
    return r.body.checkpoints as { number: number; jws: string }[];
  }

  async function ingest(tenant: TestTenant, events: Record<string, unknown>[]): Promise<string[]> {
    const r = await ctx.api.post('/v1/events/batch', { token: tenant.key, body: { events } });
    expect(r.status, r.text).toBe(201);
    return r.body.ids;
  }

  async function exportBundle(tenant: TestTenant, body: Record<string, unknown> = {}): Promise<Files> {
    const r = await ctx.api.post('/v1/exports', { token: tenant.key, body: { format: 'bundle', gzip: true, ...body } });
    expect(r.status, r.text).toBe(202);
    await ctx.app.app.get(JobRunner).runNow('export');
    const job = (await ctx.api.get(`/v1/exports/${r.body.id}`, { token: tenant.key })).body;
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const res = await fetch(`${ctx.app.url}/v1/exports/${job.id}/download`, { headers: { authorization: `Bearer ${tenant.key}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    await writeFile(join(dir, `export-${job.id}.tar.gz`), bytes); // as downloaded, for the CLI
    const files = readTar(gunzipSync(bytes));
    return new Map([...files].map(([k, v]) => [k, v.toString('utf8')]));
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vt-promise07-'));
    jwksFile = join(dir, 'jwks.json');
    await writeFile(jwksFile, JSON.stringify((await ctx.api.get('/.well-known/jwks.json')).body));
    t = await ctx.tenant('Whole trail');
    other = await ctx.tenant('Other tenant');
    for (const x of [t, other]) await ctx.api.put('/v1/settings/auditing', { token: x.key, body: { read_auditing: false } });
    await ingest(t, Array.from({ length: 4 }, (_, i) => event({ action: 'doc.edited', metadata: { i } })));
    oldCheckpoint = (await seal(t))[0]!.jws;
    await ingest(t, Array.from({ length: 6 }, (_, i) => event({ action: 'doc.viewed', organization_id: i % 2 ? 'org_2' : 'org_1', metadata: { i } })));
    await seal(t);
    await ingest(other, [event(), event()]);
    await seal(other);
    const r = await ctx.api.get('/v1/integrity/evidence', { token: t.key });
    expect(r.status, r.text).toBe(200);
    trail = r.body;
    bundle = await exportBundle(t);
    bundleFile = join(dir, (await readdir(dir)).find((f) => f.endsWith('.tar.gz'))!);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('PROMISE-07: unfiltered evidence and an unfiltered bundle hold the whole trail; the CLI says COMPLETE, filtered evidence never does', async () => {
    const size = (JSON.parse(Buffer.from(trail.checkpoints.at(-1)!.split('.')[1]!, 'base64url').toString()) as CheckpointPayload).tree_size;
    expect(trail).toMatchObject({ format: 'veritrail-evidence/2', scope: 'trail', whole_trail: true, next_from_index: null, withheld: [] });
    expect(trail.ranges).toEqual([expect.objectContaining({ start: 0, end: size })]);
    expect(trail.events.map((e) => e.leaf_index)).toEqual(Array.from({ length: size }, (_, i) => i));
    const [json, tar, files, strict] = await Promise.all([verifyJson(trail), cli([bundleFile]), verifyFiles(bundle), verifyJson(trail, '--whole-trail', '--tenant', t.id)]);
    for (const r of [json, tar, files, strict]) {
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/COMPLETE: the whole trail as of checkpoint \d+ \(\d+ leaves, sealed .*\) — \d+ events, in order, none missing/);
    }
    expect(JSON.parse(bundle.get('manifest.json')!)).toMatchObject({ scope: 'trail', whole_trail: true, tenant: t.id });
    const [bundleRange] = lines(bundle, 'ranges.jsonl').map((l) => JSON.parse(l) as { start: number; end: number });
    expect(bundleRange!.start).toBe(0);
    expect(lines(bundle, 'events.ndjson')).toHaveLength(bundleRange!.end); // the trail sealed for the export: one entry more

    // Filters: a selection, which never claims completeness. (A key of one organization gets no
    // evidence at all: proofs reveal the tenant-wide log size, PEN-L10.)
    const filtered = (await ctx.api.get('/v1/integrity/evidence', { token: t.key, query: { action: 'doc.viewed' } })).body as Doc;
    const orgKey = await createKey(ctx.api, t.key, { scopes: ['events:read', 'exports'], organization_id: 'org_1' });
    const orgOnly = await ctx.api.get('/v1/integrity/evidence', { token: orgKey });
    expect(filtered).toMatchObject({ scope: 'selection', whole_trail: false, ranges: [] });
    expect(orgOnly.status).toBe(403);
    const orgBundle = await exportBundle(t, { organization_id: 'org_2' });
    expect(JSON.parse(orgBundle.get('manifest.json')!)).toMatchObject({ scope: 'selection', whole_trail: false });
    const [sel, selBundle, selStrict] = await Promise.all([verifyJson(filtered), verifyFiles(orgBundle), verifyJson(filtered, '--whole-trail')]);
    for (const r of [sel, selBundle]) {
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('SELECTION: each event is proven to be in the trail');
    }
    expect(selStrict.code).toBe(1);
    // from_index pages the trail; with filters it is refused.
    const page = (await ctx.api.get('/v1/integrity/evidence', { token: t.key, query: { from_index: 2, limit: 3 } })).body as Doc;
    expect(page).toMatchObject({ whole_trail: false, next_from_index: 5, ranges: [expect.objectContaining({ start: 2, end: 5 })] });
    const partial = await verifyJson(page);
    expect(partial.code, partial.out).toBe(0);
    expect(partial.out).toMatch(/PARTIAL: leaves 2–4 of \d+ of checkpoint \d+ proven complete and in order \(3 events\); the rest of the trail is not in this evidence/);
    expect((await verifyJson(page, '--whole-trail')).code).toBe(1);
    const refused = await ctx.api.get('/v1/integrity/evidence', { token: t.key, query: { from_index: 0, action: 'doc.viewed' } });
    expect(refused.status).toBe(400);
    expect((await ctx.api.get('/v1/integrity/evidence', { token: t.key, query: { from_index: 1_000_000 } })).status).toBe(400);
  });

  it('PROMISE-07: delete — removing any one event makes the verifier exit 1, also when it is passed off as expired', async () => {
    const results = await Promise.all(
      [0, 4, trail.events.length - 1].flatMap((i) => {
        const doc = structuredClone(trail);
        const [gone] = doc.events.splice(i, 1);
        // The cleverer attacker keeps the leaf hash and calls the event expired.
        const disguised = structuredClone(trail);
        disguised.events.splice(i, 1);
        disguised.withheld.push({ leaf_index: gone!.leaf_index, leaf_hash: hashLeaf(canonicalJson(gone!.event)).toString('hex'), reason: 'expired' });
        const ev = lines(bundle, 'events.ndjson');
        const pr = lines(bundle, 'proofs.jsonl');
        const both = withLines(withLines(bundle, 'events.ndjson', ev.toSpliced(i, 1)), 'proofs.jsonl', pr.toSpliced(i, 1));
        return [verifyJson(doc), verifyJson(disguised), verifyFiles(both), verifyFiles(withLines(bundle, 'events.ndjson', ev.toSpliced(i, 1)))];
      }),
    );
    for (const r of results) expect(r.code, r.out).toBe(1);
    expect(results[0]!.out).toMatch(/missing_leaves/);
    expect(results[1]!.out).toMatch(/withheld_within_retention/);
  });

  it('PROMISE-07: insert — a forged event, at a taken position or a new one, makes the verifier exit 1', async () => {
    const forged = { ...structuredClone(trail.events[3]!.event), id: '01a20000-0000-7000-8000-00000000f00d', action: 'user.promoted' };
    const atTaken = structuredClone(trail);
    atTaken.events.splice(4, 0, { event: forged, leaf_index: 3, checkpoint: trail.ranges[0]!.checkpoint, audit_path: [] });
    const atNew = structuredClone(trail);
    atNew.events.push({ event: forged, leaf_index: trail.ranges[0]!.end, checkpoint: trail.ranges[0]!.checkpoint, audit_path: [] });
    const replaced = structuredClone(trail);
    replaced.events[3]!.event = forged;
    const ev = lines(bundle, 'events.ndjson');
    const pr = lines(bundle, 'proofs.jsonl');
    const inserted = withLines(
      withLines(bundle, 'events.ndjson', ev.toSpliced(4, 0, JSON.stringify(forged))),
      'proofs.jsonl',
      pr.toSpliced(4, 0, JSON.stringify({ event_id: forged.id, leaf_index: 4, checkpoint: trail.ranges[0]!.checkpoint, audit_path: [] })),
    );
    const results = await Promise.all([verifyJson(atTaken), verifyJson(atNew), verifyJson(replaced), verifyFiles(inserted)]);
    for (const r of results) expect(r.code, r.out).toBe(1);
    expect(results[0]!.out).toMatch(/duplicated_leaf/);
  });

  it('PROMISE-07: reorder — swapping two events, or their positions, makes the verifier exit 1', async () => {
    const swapped = structuredClone(trail);
    [swapped.events[2], swapped.events[6]] = [swapped.events[6]!, swapped.events[2]!];
    const renumbered = structuredClone(trail);
    [renumbered.events[2]!.leaf_index, renumbered.events[6]!.leaf_index] = [6, 2];
    const ev = lines(bundle, 'events.ndjson');
    const pr = lines(bundle, 'proofs.jsonl');
    const swap = <T>(a: T[]) => a.map((x, i) => (i === 2 ? a[6]! : i === 6 ? a[2]! : x));
    const both = withLines(withLines(bundle, 'events.ndjson', swap(ev)), 'proofs.jsonl', swap(pr));
    const eventsOnly = withLines(bundle, 'events.ndjson', swap(ev));
    const results = await Promise.all([verifyJson(swapped), verifyJson(renumbered), verifyFiles(both), verifyFiles(eventsOnly)]);
    for (const r of results) expect(r.code, r.out).toBe(1);
    expect(results[0]!.out).toMatch(/reordered/);
    expect(results[1]!.out).toMatch(/range_mismatch/);
  });

  it('PROMISE-07: truncate — dropping the newest events makes the verifier exit 1, even with the range re-proven shorter', async () => {
    const cut = structuredClone(trail);
    cut.events.splice(-3);
    // The attacker also shortens the range, with a right boundary recomputed from the dropped
    // leaf: a valid proof of less — but not of the whole trail it still claims, or that is asked for.
    const shorter = structuredClone(trail);
    const last = shorter.events.pop()!;
    shorter.ranges[0]!.end -= 1;
    shorter.ranges[0]!.right = [hashLeaf(canonicalJson(last.event)).toString('hex')];
    const owned = { ...structuredClone(shorter), whole_trail: false };
    const ev = lines(bundle, 'events.ndjson');
    const pr = lines(bundle, 'proofs.jsonl');
    const bundleCut = withLines(withLines(bundle, 'events.ndjson', ev.slice(0, -3)), 'proofs.jsonl', pr.slice(0, -3));
    const [a, b, c, d, e] = await Promise.all([verifyJson(cut), verifyJson(shorter), verifyJson(owned, '--whole-trail'), verifyFiles(bundleCut), verifyJson(owned)]);
    for (const r of [a, b, c, d]) expect(r.code, r.out).toBe(1);
    expect(a.out).toMatch(/missing_leaves/);
    expect(b.out).toMatch(/incomplete/);
    // Without the claim and without --whole-trail it verifies — and says plainly what it proves.
    expect(e.code).toBe(0);
    expect(e.out).toMatch(/PARTIAL: leaves 0–\d+ of \d+ of checkpoint \d+ proven complete and in order/);
  });

  it("PROMISE-07: another tenant's checkpoint is tampering (exit 1), never 'unusable'", async () => {
    const foreign = (await ctx.api.get('/v1/integrity/checkpoints', { token: other.key })).body.data[0].jws as string;
    const replaced = { ...structuredClone(trail), checkpoints: [foreign] };
    const added = { ...structuredClone(trail), checkpoints: [foreign, ...trail.checkpoints] };
    const bundleReplaced = new Map(bundle).set('checkpoints.jsonl', `${JSON.stringify(foreign)}\n`);
    const results = await Promise.all([verifyJson(replaced), verifyJson(added), verifyFiles(bundleReplaced), verifyJson(trail, '--tenant', other.id)]);
    for (const r of results) {
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(/foreign_tenant/);
    }
  });

  it('PROMISE-07: a checkpoint added without a consistency proof is tampering (exit 1); with its proof it verifies', async () => {
    const added = { ...structuredClone(trail), checkpoints: [oldCheckpoint, ...trail.checkpoints] };
    const bundleAdded = new Map(bundle).set('checkpoints.jsonl', `${JSON.stringify(oldCheckpoint)}\n${bundle.get('checkpoints.jsonl')}`);
    const [a, b] = await Promise.all([verifyJson(added), verifyFiles(bundleAdded)]);
    for (const r of [a, b]) {
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(/unlinked_checkpoint/);
    }
    const since = (await ctx.api.get('/v1/integrity/evidence', { token: t.key, query: { since: 1 } })).body as Doc;
    expect(since.checkpoints).toHaveLength(2);
    expect(since.checkpoints[0]).toBe(oldCheckpoint);
    expect(since.consistency).toEqual([expect.objectContaining({ from: 1 })]);
    expect((await verifyJson(since)).code).toBe(0);
  });

  it('PROMISE-07: events removed by retention are withheld as leaf hashes and accepted — as of a time when they may have expired', async () => {
    const r = await ctx.tenant('Retention offline', { retention_days: 30 });
    await ctx.api.put('/v1/settings/auditing', { token: r.key, body: { read_auditing: false } });
    const put = await ctx.api.put('/v1/settings/retention', { token: r.key, body: { default_days: 30, actions: [{ action: 'debug.*', days: 1 }] } });
    expect(put.status, put.text).toBe(200);
    await ingest(r, [event({ action: 'doc.kept' }), event({ action: 'debug.trace' }), event({ action: 'doc.kept' }), event({ action: 'debug.trace' })]);
    const [c1] = await seal(r);
    const watermark = Date.parse((JSON.parse(Buffer.from(c1!.jws.split('.')[1]!, 'base64url').toString()) as CheckpointPayload).watermark!);
    // Two days later by the retention clock: the debug events expire and are deleted.
    const clock = testClock(ctx.app.app);
    const later = watermark + 2 * DAY;
    clock.freeze(later);
    let doc: Doc;
    try {
      await ctx.app.app.get(JobRunner).runNow('retention');
      doc = (await ctx.api.get('/v1/integrity/evidence', { token: r.key })).body;
    } finally {
      clock.unfreeze();
    }
    expect(doc.whole_trail).toBe(true);
    expect(doc.withheld).toHaveLength(2);
    expect(doc.events.map((e) => e.event.action)).not.toContain('debug.trace');
    const [asOfThen, today] = await Promise.all([verifyJson(doc, '--now', new Date(later).toISOString(), '--json'), verifyJson(doc)]);
    expect(asOfThen.code, asOfThen.out).toBe(0);
    expect(JSON.parse(asOfThen.out).completeness).toMatchObject({ whole_trail: true, ranges: [expect.objectContaining({ withheld: 2 })] });
    // Judged today, those events were sealed too recently to have expired: removed, not expired.
    expect(today.code, today.out).toBe(1);
    expect(today.out).toMatch(/withheld_within_retention/);
  });
});
