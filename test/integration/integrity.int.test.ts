import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/common/canonical.js';
import { checkEvent } from '../../src/events/event-rules.js';
import { buildStoredEvent } from '../../src/events/stored-event.js';
import { checkpointHash, signCheckpoint, verifyCheckpoint, type CheckpointPayload } from '../../src/integrity/checkpoint.js';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import type { Evidence } from '../../src/integrity/evidence.js';
import { verifyEvidence } from '../../src/integrity/offline-verifier.js';
import { fromHex, hashLeaf, verifyConsistency, verifyInclusion } from '../../src/integrity/merkle.js';
import { generateSigningKey, KeyRing } from '../../src/integrity/signing-keys.js';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { createKey, customerEvents, event, listAll, useApp, type AppContext, type TestTenant } from '../support/harness.js';
import { testClock } from '../support/test-clock.js';

const run = promisify(execFile);

/** The signed receipt-time bound (watermark) of a checkpoint, read from its JWS payload. */
function signedWatermark(jws: string): number {
  const p = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as CheckpointPayload;
  if (!p.watermark) throw new Error('checkpoint without a signed watermark');
  return Date.parse(p.watermark);
}

/** Resolves once the wall clock is past `ms` (events received after it get a later received_at). */
async function waitPast(ms: number): Promise<void> {
  while (Date.now() <= ms + 1) await new Promise((r) => setTimeout(r, 2));
}

/** Guarantee 2: any change to a sealed trail is detected and pinned to the event or checkpoint (IG-01…IG-07, RT-03). */
describe('tamper evidence', () => {
  const ctx = useApp();

  async function seal(t: TestTenant) {
    const r = await ctx.api.post('/v1/integrity/seal', { token: t.key });
    expect(r.status).toBe(200);
    return r.body as { checkpoints: { number: number; tree_size: number; root: string; jws: string }[]; sealed: number };
  }

  async function verify(t: TestTenant, body: Record<string, unknown> = {}) {
    const r = await ctx.api.post('/v1/integrity/verify', { token: t.key, body });
    expect(r.status).toBe(200);
    return r.body;
  }

  /** A tenant with `n` events, all sealed. */
  async function sealedTenant(name: string, n = 12): Promise<{ t: TestTenant; ids: string[] }> {
    const t = await ctx.tenant(name);
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: n }, (_, i) => event({ action: 'doc.edited', metadata: { i } })) } });
    expect(r.status).toBe(201);
    await seal(t);
    return { t, ids: r.body.ids };
  }

  const ch = () => ctx.app.app.get(ClickHouseService);
  const prisma = () => ctx.app.app.get(PrismaService);
  const mutate = (sql: string, params: Record<string, unknown>) => ch().command(`${sql} SETTINGS mutations_sync = 2`, params);

  it('seals events into signed, chained checkpoints; proofs verify with the published keys; the trail verifies', async () => {
    const { t, ids } = await sealedTenant('Happy');
    const jwks = (await ctx.api.get('/.well-known/jwks.json')).body;
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    const list = await ctx.api.get('/v1/integrity/checkpoints', { token: t.key });
    expect(list.body.data).toHaveLength(1);
    const [c1] = list.body.data;
    const v = await verifyCheckpoint(c1.jws, jwks);
    expect(v.ok && v.payload).toMatchObject({ tenant: t.id, number: 1, tree_size: c1.tree_size, root: c1.root, prev: null });

    // An inclusion proof checks out against the signed root, from the event as sealed; the API
    // returns that event with its personal data decrypted (the actor's name and e-mail).
    const shown = (await ctx.api.get(`/v1/events/${ids[3]}`, { token: t.key })).body;
    const proof = (await ctx.api.get(`/v1/events/${ids[3]}/proof`, { token: t.key })).body;
    const stored: string = proof.sealed_event;
    expect(proof.leaf_hash).toBe(hashLeaf(stored).toString('hex'));
    const sealed = JSON.parse(stored);
    expect(sealed.actor.email).toMatch(/^vt-enc:v1:s:/);
    expect(shown).toEqual({ ...sealed, actor: { ...sealed.actor, name: 'Ann Lee', email: 'ann@example.com' } });
    expect(hashLeaf(canonicalJson(JSON.parse(stored))).toString('hex')).toBe(proof.leaf_hash); // IG-06: canonical bytes
    expect(verifyInclusion(fromHex(proof.leaf_hash)!, proof.leaf_index, proof.tree_size, proof.audit_path.map(fromHex), fromHex(c1.root)!)).toBe(true);

    // More events → checkpoint 2, chained to 1, consistent with it.
    await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'doc.edited' }) });
    const s2 = await seal(t);
    const c2 = s2.checkpoints[0]!;
    const v2 = await verifyCheckpoint(c2.jws, jwks);
    expect(v2.ok && v2.payload.prev).toBe(checkpointHash(c1.jws));
    const cons = (await ctx.api.get('/v1/integrity/consistency', { token: t.key, query: { from: c1.tree_size, to: c2.tree_size } })).body;
    expect(cons.from_root).toBe(c1.root);
    expect(verifyConsistency(c1.tree_size, c2.tree_size, cons.proof.map(fromHex), fromHex(c1.root)!, fromHex(c2.root)!)).toBe(true);
    // Old events still prove against the newer checkpoint.
    const again = (await ctx.api.get(`/v1/events/${ids[3]}/proof`, { token: t.key })).body;
    expect(again.checkpoint.number).toBe(2);
    expect(verifyInclusion(fromHex(again.leaf_hash)!, again.leaf_index, again.tree_size, again.audit_path.map(fromHex), fromHex(c2.root)!)).toBe(true);
    const old = (await ctx.api.get(`/v1/events/${ids[3]}/proof`, { token: t.key, query: { checkpoint: 1 } })).body;
    expect(old.tree_size).toBe(c1.tree_size);

    const report = await verify(t, { known_checkpoint: c1.jws });
    expect(report).toMatchObject({ status: 'ok', tampered: [], expired: [], newest_checkpoint: 2, tree_size: c2.tree_size });
    expect(report.events_checked).toBe(c2.tree_size);
  });

  it('sealing again with nothing new issues no checkpoint; late events go into the next one, never twice', async () => {
    const { t } = await sealedTenant('Late', 5);
    expect((await seal(t)).checkpoints).toEqual([]);
    // A "late" event: received (and committed) with a received_at before the last seal.
    const ev = checkEvent(event({ action: 'doc.late' }), Date.now());
    if (!ev.ok) throw new Error('bad');
    const late = buildStoredEvent(ev.event, { tenantId: t.id, id: '01a20000-0000-7000-8000-0000000001a7', receivedAtMs: Date.now() - 60_000 });
    await ch().insertRows(ch().tables.events, [late.line]);
    const s = await seal(t);
    expect(s.sealed).toBe(1);
    const counts = await ch().query<{ event_id: string; n: number }>(
      `SELECT toString(event_id) AS event_id, count() AS n FROM ${ch().tables.merkleNodes} WHERE tenant_id = {t:String} AND level = 0 GROUP BY event_id HAVING n > 1`,
      { t: t.id },
    );
    expect(counts).toEqual([]);
    expect((await verify(t)).status).toBe('ok');
  });

  it('IG-01: one changed byte in one stored event is pinned to that event and checkpoint', async () => {
    const { t, ids } = await sealedTenant('Modified');
    await mutate(`ALTER TABLE ${ch().tables.events} UPDATE payload = replaceOne(payload, 'doc.edited', 'doc.editeD') WHERE id = {id:UUID}`, { id: ids[5] });
    const r = await verify(t);
    expect(r.status).toBe('tampered');
    expect(r.tampered).toEqual([expect.objectContaining({ kind: 'modified', event_id: ids[5], checkpoint: 1 })]);
  });

  it('IG-02: a deleted event, and deleted newest events (truncation), are reported one by one', async () => {
    const { t, ids } = await sealedTenant('Deleted');
    await mutate(`ALTER TABLE ${ch().tables.events} DELETE WHERE id IN {ids:Array(UUID)}`, { ids: [ids[2], ...ids.slice(-3)] });
    const r = await verify(t);
    expect(r.status).toBe('tampered');
    expect(r.tampered.map((f: { kind: string; event_id: string }) => `${f.kind}:${f.event_id}`).sort()).toEqual([ids[2], ...ids.slice(-3)].map((id) => `deleted:${id}`).sort());
  });

  it('IG-03: a forged event inserted behind the log is reported; a new one is only ever appended', async () => {
    const { t } = await sealedTenant('Forged');
    const before = (await ctx.api.get('/v1/integrity/checkpoints', { token: t.key })).body.data[0];
    // Well-formed row, correct leaf hash for its payload, but backdated past the sealing window.
    const ev = checkEvent(event({ action: 'user.promoted' }), Date.now());
    if (!ev.ok) throw new Error('bad');
    const forged = buildStoredEvent(ev.event, { tenantId: t.id, id: '01a20000-0000-7000-8000-00000000f0f0', receivedAtMs: Date.now() - 3_600_000 });
    await ch().insertRows(ch().tables.events, [forged.line]);
    const r = await verify(t);
    expect(r.tampered).toEqual([expect.objectContaining({ kind: 'inserted', event_id: forged.id })]);
    // An event arriving now is sealed after everything already sealed.
    const fresh = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'user.promoted' }) });
    await seal(t);
    const proof = (await ctx.api.get(`/v1/events/${fresh.body.id}/proof`, { token: t.key })).body;
    expect(proof.leaf_index).toBeGreaterThanOrEqual(before.tree_size);
  });

  it('IG-03: swapping two events in the log changes the root', async () => {
    const { t } = await sealedTenant('Swapped', 8);
    const leaves = await ch().query<{ idx: number; event_id: string; hash: string }>(
      `SELECT idx, toString(event_id) AS event_id, hash FROM ${ch().tables.merkleNodes} WHERE tenant_id = {t:String} AND level = 0 ORDER BY idx`,
      { t: t.id },
    );
    const [a, b] = [leaves[1]!, leaves[4]!];
    await mutate(`ALTER TABLE ${ch().tables.merkleNodes} UPDATE event_id = {e:UUID}, hash = {h:String} WHERE tenant_id = {t:String} AND level = 0 AND idx = {i:UInt64}`, { e: b.event_id, h: b.hash, t: t.id, i: a.idx });
    await mutate(`ALTER TABLE ${ch().tables.merkleNodes} UPDATE event_id = {e:UUID}, hash = {h:String} WHERE tenant_id = {t:String} AND level = 0 AND idx = {i:UInt64}`, { e: a.event_id, h: a.hash, t: t.id, i: b.idx });
    const r = await verify(t);
    expect(r.status).toBe('tampered');
    expect(r.tampered).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'log_rewritten', checkpoint: 1 })]));
  });

  it('IG-04: a replaced checkpoint, or one re-signed with another key, is refused', async () => {
    const { t } = await sealedTenant('Resigned');
    await ctx.api.post('/v1/events', { token: t.key, body: event() });
    await seal(t);
    const [c2, c1] = (await ctx.api.get('/v1/integrity/checkpoints', { token: t.key })).body.data;
    // Re-sign checkpoint 2 over a forged root with a key that is not in the JWKS.
    const rogue = await KeyRing.from({ keys: [await generateSigningKey()] });
    const forged: CheckpointPayload = { v: 1, iss: 'veritrail', tenant: t.id, number: 2, tree_size: c2.tree_size, root: 'ab'.repeat(32), prev: checkpointHash(c1.jws), sealed_at: new Date().toISOString() };
    const jws = await signCheckpoint(forged, rogue);
    await prisma().$executeRawUnsafe('UPDATE checkpoints SET jws = $1, root_hash = $2, kid = $3 WHERE tenant_id = $4 AND number = 2', jws, forged.root, rogue.kid, t.id);
    const r = await verify(t);
    expect(r.tampered).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'checkpoint_signature', checkpoint: 2 })]));
    // Replace checkpoint 2 by a copy of checkpoint 1 (valid signature, wrong place).
    await prisma().$executeRawUnsafe('UPDATE checkpoints SET jws = $1 WHERE tenant_id = $2 AND number = 2', c1.jws, t.id);
    const r2 = await verify(t);
    expect(r2.tampered).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'checkpoint_signature', checkpoint: 2 })]));
  });

  it('IG-02: serving an older, smaller checkpoint after a newer one is detected with the checkpoint the tenant holds', async () => {
    const { t } = await sealedTenant('Rollback');
    await ctx.api.post('/v1/events', { token: t.key, body: event() });
    const held = (await seal(t)).checkpoints[0]!;
    // The operator rolls the log back: newest checkpoint and its nodes disappear.
    await prisma().$executeRawUnsafe('DELETE FROM checkpoints WHERE tenant_id = $1 AND number = 2', t.id);
    // The log's head goes back to what checkpoint 1 signed, and the nodes appended after it go.
    const [c1] = await prisma().$queryRawUnsafe<{ log_number: number }[]>('SELECT log_number FROM checkpoints WHERE tenant_id = $1 AND number = 1', t.id);
    await prisma().$executeRawUnsafe(
      'UPDATE log_heads h SET number = c.log_number, tree_size = c.tree_size, root_hash = c.root_hash, frontier = c.frontier, watermark = c.watermark FROM checkpoints c WHERE h.tenant_id = $1 AND c.tenant_id = $1 AND c.number = 1',
      t.id,
    );
    await mutate(`ALTER TABLE ${ch().tables.merkleNodes} DELETE WHERE tenant_id = {t:String} AND checkpoint > {c:UInt32}`, { t: t.id, c: c1!.log_number });
    const r = await verify(t, { known_checkpoint: held.jws });
    expect(r.tampered).toEqual([expect.objectContaining({ kind: 'rollback', checkpoint: 2 })]);
    expect((await verify(t)).status).toBe('ok'); // without the held checkpoint nothing shows: hence the witness model
  });

  it('RT-03: a range removed by retention is reported as expired, not as tampering', async () => {
    const t = await ctx.tenant('Retention', { retention_days: 1 });
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const day = 86_400_000;
    await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 4 }, () => event({ action: 'old.event' })) } });
    const [c1] = (await seal(t)).checkpoints;
    await waitPast(signedWatermark(c1!.jws));
    await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'new.event' }) });
    const [c2] = (await seal(t)).checkpoints;
    // A day later, by the retention clock, for the events of checkpoint 1 but not of checkpoint 2.
    const clock = testClock(ctx.app.app);
    clock.freeze(Math.floor((signedWatermark(c1!.jws) + signedWatermark(c2!.jws)) / 2) + day);
    try {
      await ctx.app.app.get(JobRunner).runNow('retention'); // the expired rows disappear
      const left = await ch().query<{ action: string }>(`SELECT action FROM ${ch().tables.events} WHERE tenant_id = {t:String}`, { t: t.id });
      expect(left.map((r) => r.action)).toEqual(['new.event']);
      const r = await verify(t);
      expect(r.status).toBe('ok');
      // Checkpoint 1 holds the four events and the tenant's own veritrail.* entries before them.
      expect(c1!.tree_size).toBeGreaterThanOrEqual(4);
      expect(r.expired).toEqual([{ from_index: 0, to_index: c1!.tree_size, count: c1!.tree_size }]);
      // Remaining leaves still prove against the checkpoint.
      const fresh = customerEvents(await listAll(ctx.api, t.key, { action: 'new.event' }))[0];
      const proof = (await ctx.api.get(`/v1/events/${fresh.id}/proof`, { token: t.key })).body;
      expect(verifyInclusion(fromHex(proof.leaf_hash)!, proof.leaf_index, proof.tree_size, proof.audit_path.map(fromHex), fromHex(proof.checkpoint.root)!)).toBe(true);
    } finally {
      clock.unfreeze();
    }
  });

  it('PEN-07: a deleted recent event is tampering even with its leaf backdated; only what was sealed before the horizon can expire', async () => {
    const t = await ctx.tenant('Backdated', { retention_days: 1 });
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 6 }, () => event({ action: 'doc.edited' })) } });
    const ids: string[] = r.body.ids;
    const [c1] = (await seal(t)).checkpoints;
    const idx = (await ctx.api.get(`/v1/events/${ids[2]}/proof`, { token: t.key })).body.leaf_index as number;
    // The attacker deletes a fresh event and makes its leaf look three days old: the leaf's
    // received_at is covered by no hash or signature.
    await mutate(`ALTER TABLE ${ch().tables.events} DELETE WHERE id = {id:UUID}`, { id: ids[2] });
    await mutate(`ALTER TABLE ${ch().tables.merkleNodes} UPDATE received_at = now64(3) - INTERVAL 3 DAY WHERE tenant_id = {t:String} AND level = 0 AND event_id = {id:UUID}`, { t: t.id, id: ids[2] });
    const report = await verify(t);
    expect(report.status).toBe('tampered');
    expect(report.expired).toEqual([]);
    expect(report.tampered).toEqual([expect.objectContaining({ kind: 'deleted', event_id: ids[2], leaf_index: idx, checkpoint: 1 })]);
    // Once the signed checkpoint that sealed it is older than the retention, it is expiry.
    const clock = testClock(ctx.app.app);
    clock.freeze(signedWatermark(c1!.jws) + 86_400_000 + 1000);
    try {
      const later = await verify(t);
      expect(later.status).toBe('ok');
      expect(later.expired).toEqual([{ from_index: idx, to_index: idx + 1, count: 1 }]);
    } finally {
      clock.unfreeze();
    }
  });

  it('proofs: 409 before sealing, 404 across tenants and organizations; organization keys cannot verify the whole trail', async () => {
    const { t, ids } = await sealedTenant('Proof access');
    const other = await ctx.tenant('Proof other');
    const unsealed = await ctx.api.post('/v1/events', { token: t.key, body: event({ organization_id: 'org_2' }) });
    const r409 = await ctx.api.get(`/v1/events/${unsealed.body.id}/proof`, { token: t.key });
    expect(r409.status).toBe(409);
    expect(r409.body.error.code).toBe('not_yet_sealed');
    expect((await ctx.api.get(`/v1/events/${ids[0]}/proof`, { token: other.key })).status).toBe(404);
    const orgKey = await createKey(ctx.api, t.key, { scopes: ['events:read'], organization_id: 'org_2' });
    expect((await ctx.api.get(`/v1/events/${ids[0]}/proof`, { token: orgKey })).status).toBe(403); // PEN-L10: proofs reveal the whole log
    const verifyOrg = await ctx.api.post('/v1/integrity/verify', { token: orgKey, body: {} });
    expect(verifyOrg.status).toBe(403);
    const writer = await createKey(ctx.api, t.key, { scopes: ['events:write'] });
    expect((await ctx.api.post('/v1/integrity/verify', { token: writer, body: {} })).status).toBe(403);
    expect((await ctx.api.get('/v1/integrity/checkpoints', { token: other.key })).body.data).toEqual([]);
  });

  it('PEN-L10: organization keys see no tenant-wide log sizes (checkpoints, proofs, consistency, evidence, bundles); tenant-wide keys do', async () => {
    const t = await ctx.tenant('Log sizes');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    // org_big is busy, org_small is not: nothing org_small can read may reveal how busy org_big is.
    const events = [...Array.from({ length: 9 }, () => event({ organization_id: 'org_big' })), event({ organization_id: 'org_small' })];
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events } });
    expect(r.status).toBe(201);
    await seal(t);
    const smallId = r.body.ids[9];
    const bigId = r.body.ids[0];
    const small = await createKey(ctx.api, t.key, { scopes: ['events:read', 'exports'], organization_id: 'org_small' });
    const big = await createKey(ctx.api, t.key, { scopes: ['events:read', 'exports'], organization_id: 'org_big' });
    for (const key of [small, big]) {
      for (const [method, path, query] of [
        ['GET', '/v1/integrity/checkpoints', {}],
        ['GET', `/v1/events/${key === small ? smallId : bigId}/proof`, {}],
        ['GET', '/v1/integrity/consistency', { from: 1, to: 10 }],
        ['GET', '/v1/integrity/evidence', {}],
      ] as const) {
        const res = await ctx.api.request(method, path, { token: key, query });
        expect(res.status, path).toBe(403);
        expect(res.body.error.code).toBe('insufficient_scope');
        expect(res.text).not.toMatch(/tree_size|leaf_index/);
      }
      const bundle = await ctx.api.post('/v1/exports', { token: key, body: { format: 'bundle' } });
      expect(bundle.status).toBe(403);
      expect(bundle.body.error.code).toBe('insufficient_scope');
    }
    // Their own events still verify (no size in the answer); the other organization's are not found.
    const v = await ctx.api.get('/v1/events/verification', { token: small, query: { ids: `${smallId},${bigId}` } });
    expect(v.body.events).toEqual([
      { id: smallId, status: 'verified' },
      { id: bigId, status: 'not_found' },
    ]);
    expect(JSON.stringify(v.body)).not.toMatch(/tree_size|root/);
    expect((await ctx.api.get('/v1/exports', { token: small })).body.data).toEqual([]);
    // The tenant itself keeps every integrity endpoint.
    expect((await ctx.api.get('/v1/integrity/checkpoints', { token: t.key })).body.data[0].tree_size).toBeGreaterThanOrEqual(10);
    expect((await ctx.api.get(`/v1/events/${smallId}/proof`, { token: t.key })).status).toBe(200);
    expect((await ctx.api.post('/v1/exports', { token: t.key, body: { format: 'bundle' } })).status).toBe(202);
  });

  describe('offline evidence (IG-07)', () => {
    async function evidenceFor(name: string) {
      const { t, ids } = await sealedTenant(name, 6);
      const evidence = (await ctx.api.get('/v1/integrity/evidence', { token: t.key, query: { action: 'doc.edited' } })).body as Evidence & { unsealed: number };
      const jwks = (await ctx.api.get('/.well-known/jwks.json')).body;
      return { t, ids, evidence, jwks };
    }

    it('verifies offline with the pinned JWKS; a tampered copy fails; keys inside the bundle are never trusted', async () => {
      const { evidence, jwks, ids } = await evidenceFor('Evidence');
      expect(evidence.events).toHaveLength(6);
      expect((await verifyEvidence(evidence, jwks)).status).toBe('ok');
      const tampered = structuredClone(evidence);
      (tampered.events[2]!.event as { action: string }).action = 'doc.deleted';
      const bad = await verifyEvidence(tampered, jwks);
      expect(bad.status).toBe('tampered');
      expect(bad.problems).toEqual([expect.objectContaining({ kind: 'event_not_included', event_id: ids[2] })]);
      // A forger ships its own key and re-signs: the pinned JWKS does not know it.
      const rogue = await KeyRing.from({ keys: [await generateSigningKey()] });
      const forgedJws = await signCheckpoint({ ...(await verifyCheckpoint(evidence.checkpoints[0]!, jwks) as { payload: CheckpointPayload }).payload }, rogue);
      const shipped = { ...structuredClone(evidence), jwks: rogue.jwks, checkpoints: [forgedJws] };
      await expect(verifyEvidence(shipped, jwks)).rejects.toThrow(/no verifiable checkpoint/);
    });

    it('the CLI: exit 0 ok, 1 tampered, 2 unusable; --json', async () => {
      const { evidence, jwks } = await evidenceFor('CLI');
      const dir = await mkdtemp(join(tmpdir(), 'vt-evidence-'));
      const good = join(dir, 'good.json');
      const badFile = join(dir, 'bad.json');
      const jwksFile = join(dir, 'jwks.json');
      await writeFile(good, JSON.stringify(evidence));
      const t = structuredClone(evidence);
      t.events[0]!.audit_path[0] = t.events[0]!.audit_path[0]!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
      await writeFile(badFile, JSON.stringify(t));
      await writeFile(jwksFile, JSON.stringify(jwks));
      const cli = (args: string[]) =>
        run(process.execPath, ['dist/cli/veritrail.js', ...args]).then(
          (r) => ({ code: 0, out: r.stdout }),
          (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
        );
      const ok = await cli(['verify', good, '--jwks', jwksFile]);
      expect(ok.code).toBe(0);
      expect(ok.out).toMatch(/^OK/);
      const tampered = await cli(['verify', badFile, '--jwks', jwksFile, '--json']);
      expect(tampered.code).toBe(1);
      expect(JSON.parse(tampered.out).problems[0].kind).toBe('event_not_included');
      expect((await cli(['verify', join(dir, 'missing.json'), '--jwks', jwksFile])).code).toBe(2);
      expect((await cli(['verify', good])).code).toBe(2);
      await writeFile(join(dir, 'junk.json'), '{"format": "nope"}');
      expect((await cli(['verify', join(dir, 'junk.json'), '--jwks', jwksFile])).code).toBe(2);
    });
  });
});

describe('background sealing and the staleness watch (IG-08)', () => {
  const sealing: AppContext = useApp({ JOBS: 'seal', SEAL_INTERVAL: '300ms' });

  it('seals new events within a couple of intervals, without being asked', async () => {
    const t = await sealing.tenant('Background');
    const r = await sealing.api.post('/v1/events', { token: t.key, body: event() });
    let proof;
    for (let i = 0; i < 40; i++) {
      proof = await sealing.api.get(`/v1/events/${r.body.id}/proof`, { token: t.key });
      if (proof.status === 200) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(proof!.status).toBe(200);
    const m = await sealing.api.get('/metrics');
    expect(m.text).toMatch(/veritrail_job_runs_total\{kind="seal",result="ok"\} [1-9]/);
    expect(m.text).toMatch(/veritrail_job_items_total\{kind="seal",item="sealed"\} [1-9]/);
  });
});

describe('staleness watch without a sealer', () => {
  const watch: AppContext = useApp({ JOBS: 'integrity-watch', SEAL_INTERVAL: '200ms' });

  it('raises veritrail.integrity.stale once per three intervals when events stay unsealed', async () => {
    const t = await watch.tenant('Stale');
    await watch.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    await watch.api.post('/v1/events', { token: t.key, body: event() });
    let alerts: unknown[] = [];
    for (let i = 0; i < 50 && alerts.length === 0; i++) {
      await new Promise((res) => setTimeout(res, 100));
      alerts = await listAll(watch.api, t.key, { action: 'veritrail.integrity.stale' });
    }
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect((alerts[0] as { metadata: Record<string, unknown> }).metadata).toMatchObject({ seal_interval_seconds: 0.2 });
    const m = await watch.api.get('/metrics');
    expect(m.text).toMatch(/veritrail_integrity_stale_tenants [1-9]/);
    // Deduplicated: within the next interval or two no second alert appears.
    const count = (await listAll(watch.api, t.key, { action: 'veritrail.integrity.stale' })).length;
    await new Promise((res) => setTimeout(res, 250));
    expect((await listAll(watch.api, t.key, { action: 'veritrail.integrity.stale' })).length).toBeLessThanOrEqual(count + 1);
  });
});
