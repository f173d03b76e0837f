import { describe, expect, it } from 'vitest';
import { verifyCheckpoint } from '../../src/integrity/checkpoint.js';
import { parseVerifierKey, verifyCheckpointNote } from '../../src/integrity/signed-note.js';
import { createKey, event, useApp, type TestTenant } from '../support/harness.js';
import { sigstoreCheckpoint, sigstoreInclusion } from '../support/sigstore-checkpoint.js';

/**
 * C2SP signed-note checkpoints (c2sp.org/signed-note, c2sp.org/tlog-checkpoint): every tenant
 * checkpoint is also served as a note signed with a separate note key, checked here with
 * Sigstore's checkpoint and inclusion verification (npm @sigstore/verify) and with ours.
 */
describe('C2SP checkpoint notes', () => {
  const ctx = useApp({ NOTE_NAME: 'audit.test.example/veritrail' });

  async function ingestAndSeal(t: TestTenant, n: number): Promise<string[]> {
    // Reads are not audited here, so the only leaves are the events posted below.
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: n }, (_, i) => event({ action: 'doc.edited', metadata: { i } })) } });
    expect(r.status).toBe(201);
    expect((await ctx.api.post('/v1/integrity/seal', { token: t.key })).status).toBe(200);
    return r.body.ids as string[];
  }

  async function noteKeys(): Promise<string[]> {
    const r = await ctx.api.get('/.well-known/veritrail/note-keys');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(r.text.endsWith('\n')).toBe(true);
    return r.text.trimEnd().split('\n');
  }

  it('SIG-NOTE-10: the note key is published apart from the JWS keys, as a C2SP verifier key', async () => {
    const keys = await noteKeys();
    expect(keys).toHaveLength(1);
    const k = parseVerifierKey(keys[0]!);
    expect(k?.name).toBe('audit.test.example/veritrail');
    const jwks = (await ctx.api.get('/.well-known/jwks.json')).body as { keys: { x: string }[] };
    expect(jwks.keys.map((j) => j.x)).not.toContain(Buffer.from(k!.publicKey).toString('base64url'));
  });

  it('SIG-NOTE-11: each checkpoint has a note with the JWS root of the same size; Sigstore verifies the note and an event\'s inclusion in it', async () => {
    const t = await ctx.tenant('Notes');
    const ids = await ingestAndSeal(t, 5);
    await ingestAndSeal(t, 3);
    const [vkey] = await noteKeys();
    const jwks = (await ctx.api.get('/.well-known/jwks.json')).body;
    const checkpoints = (await ctx.api.get('/v1/integrity/checkpoints', { token: t.key, query: { order: 'asc' } })).body.data as { tree_size: number; root: string; jws: string }[];
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);

    for (const [i, c] of checkpoints.entries()) {
      const latest = i === checkpoints.length - 1;
      const r = await ctx.api.get('/v1/integrity/note', { token: t.key, query: latest ? {} : { size: c.tree_size } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/);
      const jws = await verifyCheckpoint(c.jws, jwks);
      expect(jws.ok).toBe(true);
      const cp = sigstoreCheckpoint(r.text, [vkey!]);
      expect({ origin: cp.origin, size: Number(cp.logSize), root: cp.logHash.toString('hex') }).toEqual({
        origin: `audit.test.example/veritrail/${t.id}`,
        size: jws.ok ? jws.payload.tree_size : -1,
        root: jws.ok ? jws.payload.root : '',
      });
      const ours = await verifyCheckpointNote(r.text, [parseVerifierKey(vkey!)!]);
      expect(ours.ok && ours.checkpoint.treeSize).toBe(c.tree_size);
    }

    // An event of the first batch, proven against the newest note by Sigstore's RFC 6962 code.
    const note = (await ctx.api.get('/v1/integrity/note', { token: t.key })).text;
    const proof = (await ctx.api.get(`/v1/events/${ids[2]}/proof`, { token: t.key })).body;
    const p = { leafData: Buffer.from(proof.sealed_event as string, 'utf8'), index: proof.leaf_index as number, treeSize: proof.tree_size as number, path: (proof.audit_path as string[]).map((h) => Buffer.from(h, 'hex')) };
    expect(proof.tree_size).toBe(checkpoints.at(-1)!.tree_size);
    expect(() => sigstoreInclusion(note, vkey!, p)).not.toThrow();
    // Hostile: an altered event, or the proof against a note whose size was changed, fails.
    expect(() => sigstoreInclusion(note, vkey!, { ...p, leafData: Buffer.concat([p.leafData, Buffer.from(' ')]) })).toThrow(/root hash does not match/);
    const forged = note.replace(`\n${p.treeSize}\n`, `\n${p.treeSize + 1}\n`);
    expect(() => sigstoreInclusion(forged, vkey!, p)).toThrow(/invalid checkpoint signature/);
  });

  it('SIG-NOTE-12: each tenant has its own origin; a tenant never gets another tenant\'s note', async () => {
    const a = await ctx.tenant('Note A');
    const b = await ctx.tenant('Note B');
    await ingestAndSeal(a, 2);
    await ingestAndSeal(b, 20);
    const [vkey] = await noteKeys();
    const na = sigstoreCheckpoint((await ctx.api.get('/v1/integrity/note', { token: a.key })).text, [vkey!]);
    const nb = sigstoreCheckpoint((await ctx.api.get('/v1/integrity/note', { token: b.key })).text, [vkey!]);
    expect(na.origin).toBe(`audit.test.example/veritrail/${a.id}`);
    expect(nb.origin).toBe(`audit.test.example/veritrail/${b.id}`);
    const bSize = Number(nb.logSize);
    // B's log is longer than any of A's checkpoints (the other leaves are the same audit events of setup).
    expect(bSize).toBeGreaterThan(Number(na.logSize));
    // B's size is none of A's checkpoints: A asking for it gets 404, not B's note; B gets its own.
    const r = await ctx.api.get('/v1/integrity/note', { token: a.key, query: { size: bSize } });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
    expect(sigstoreCheckpoint((await ctx.api.get('/v1/integrity/note', { token: b.key, query: { size: bSize } })).text, [vkey!]).origin).toBe(nb.origin);
  });

  it('SIG-NOTE-13: bad input and insufficient keys get clear errors', async () => {
    const t = await ctx.tenant('Note errors');
    const empty = await ctx.api.get('/v1/integrity/note', { token: t.key });
    expect(empty.status).toBe(409);
    expect(empty.body.error.code).toBe('not_yet_sealed');
    await ingestAndSeal(t, 2);
    for (const size of ['abc', '0', '-1', '1.5']) {
      const r = await ctx.api.get('/v1/integrity/note', { token: t.key, query: { size } });
      expect(r.status, size).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
    expect((await ctx.api.get('/v1/integrity/note', { token: t.key, query: { other: '1' } })).status).toBe(400);
    const missing = await ctx.api.get('/v1/integrity/note', { token: t.key, query: { size: 999_999 } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const orgKey = await createKey(ctx.api, t.key, { scopes: ['events:read'], organization_id: 'org_1' });
    const org = await ctx.api.get('/v1/integrity/note', { token: orgKey });
    expect(org.status).toBe(403);
    expect(org.body.error.code).toBe('insufficient_scope');
    expect((await ctx.api.get('/v1/integrity/note')).status).toBe(401);
  });
});
