import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashLeaf } from '../../src/integrity/merkle.js';
import { NoteKeyService } from '../../src/integrity/note-keys.service.js';
import { parseVerifierKey } from '../../src/integrity/signed-note.js';
import { addCheckpoint, parseCosignerKey, verifyCosignatures, witnessCheckpoint, type Witness } from '../../src/integrity/witness-client.js';
import { event, useApp, type TestTenant } from '../support/harness.js';
import { WitnessDouble } from '../support/witness-double.js';

/**
 * The C2SP witness client (c2sp.org/tlog-witness) against a witness test double that really
 * verifies the log's signature and the consistency proof before cosigning, with a tenant log's
 * real notes and consistency proofs from the API.
 */
describe('tlog-witness client', () => {
  const ctx = useApp({ NOTE_NAME: 'audit.test.example/veritrail' });
  let t: TestTenant;
  let witness: WitnessDouble;
  let w: Witness;
  let origin: string;
  const sizes: number[] = [];

  const note = async (size?: number) => (await ctx.api.get('/v1/integrity/note', { token: t.key, query: size === undefined ? {} : { size } })).text;
  const proofFrom = (to: number) => async (from: number) => {
    const r = await ctx.api.get('/v1/integrity/consistency', { token: t.key, query: { from, to } });
    expect(r.status, r.text).toBe(200);
    return (r.body.proof as string[]).map((h) => Buffer.from(h, 'hex'));
  };

  beforeAll(async () => {
    t = await ctx.tenant('Witnessed');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    for (const n of [3, 4, 5]) {
      expect((await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: n }, () => event()) } })).status).toBe(201);
      const sealed = (await ctx.api.post('/v1/integrity/seal', { token: t.key })).body.checkpoints as { tree_size: number }[];
      sizes.push(sealed.at(-1)!.tree_size);
    }
    const vkeys = (await ctx.api.get('/.well-known/veritrail/note-keys')).text.trim().split('\n').map((k) => parseVerifierKey(k)!);
    origin = `audit.test.example/veritrail/${t.id}`;
    witness = await new WitnessDouble(new Map([[origin, vkeys]])).start();
    w = { url: witness.url, key: parseCosignerKey(witness.vkey)! };
  });

  afterAll(async () => {
    await witness?.stop();
  });

  it('WITNESS-01: cosigns the first checkpoint, then each extension proven consistent; the cosignatures verify', async () => {
    const first = await addCheckpoint(w, await note(sizes[0]), 0, []);
    expect(first.status, JSON.stringify(first)).toBe('cosigned');
    const second = await addCheckpoint(w, await note(sizes[1]), sizes[0]!, await proofFrom(sizes[1]!)(sizes[0]!));
    expect(second.status, JSON.stringify(second)).toBe('cosigned');
    expect(witness.sizeOf(origin)).toBe(sizes[1]);
    if (second.status !== 'cosigned') return;
    const [c] = second.cosignatures;
    expect(c!.name).toBe(witness.name);
    expect(Math.abs(c!.timestamp - Date.now() / 1000)).toBeLessThan(600);
    // Attached to the note, the cosignature verifies there; over another checkpoint it does not.
    const text = (await note(sizes[1])).split('\n\n')[0]! + '\n';
    expect(await verifyCosignatures(text, c!.line, [w.key])).toHaveLength(1);
    const other = (await note(sizes[0])).split('\n\n')[0]! + '\n';
    expect(await verifyCosignatures(other, c!.line, [w.key])).toMatch(/does not verify/);
  });

  it('WITNESS-02: a 409 from the witness is followed by a proof from the size it holds', async () => {
    // The client believes the witness never saw the log (old 0); the witness holds sizes[1].
    const r = await witnessCheckpoint(w, await note(sizes[2]), 0, proofFrom(sizes[2]!));
    expect(r.status, JSON.stringify(r)).toBe('cosigned');
    expect(witness.sizeOf(origin)).toBe(sizes[2]);
    expect(witness.refused.at(-1)).toMatchObject({ status: 409 });
  });

  it('WITNESS-03: a fork — another tree of a size, or an extension that is not append-only — is refused, even signed by the log key', async () => {
    const keys = ctx.app.app.get(NoteKeyService);
    const held = sizes[2]!;
    // Same size, another root, signed with the deployment's real note key: 422.
    const sameSize = keys.checkpointNote(t.id, held, hashLeaf('forked').toString('hex'));
    const r1 = await addCheckpoint(w, sameSize, held, []);
    expect(r1).toMatchObject({ status: 'refused', http: 422 });
    // A larger tree whose proof from the witnessed root does not verify: 422.
    const bigger = keys.checkpointNote(t.id, held + 2, hashLeaf('rewritten').toString('hex'));
    const r2 = await addCheckpoint(w, bigger, held, await proofFrom(held)(sizes[1]!));
    expect(r2).toMatchObject({ status: 'refused', http: 422 });
    // A rollback: the client offers an older checkpoint; the witness answers with its size and the client refuses to go back.
    const r3 = await witnessCheckpoint(w, await note(sizes[0]), 0, proofFrom(sizes[0]!));
    expect(r3).toMatchObject({ status: 'refused', http: 409 });
    expect(witness.sizeOf(origin)).toBe(held); // nothing was rolled back or forked
  });

  it('WITNESS-04: unknown origins, unsigned notes and cosignatures by unpinned witnesses are refused', async () => {
    const other = await ctx.tenant('Not witnessed');
    expect((await ctx.api.post('/v1/events/batch', { token: other.key, body: { events: [event()] } })).status).toBe(201);
    await ctx.api.post('/v1/integrity/seal', { token: other.key });
    const otherNote = (await ctx.api.get('/v1/integrity/note', { token: other.key })).text;
    expect(await addCheckpoint(w, otherNote, 0, [])).toMatchObject({ status: 'refused', http: 404 });
    const unsigned = (await note()).replace(/— \S+ (\S+)\n$/, (_m, sig: string) => `— someone.else ${sig}\n`);
    expect(await addCheckpoint(w, unsigned, sizes[2]!, [])).toMatchObject({ status: 'refused', http: 403 });
    // A client pinning another witness key ignores this witness's cosignature: nothing verified.
    const stranger = { url: w.url, key: { ...w.key, id: (w.key.id + 1) >>> 0 } };
    expect(await addCheckpoint(stranger, await note(), sizes[2]!, [])).toMatchObject({ status: 'refused', reason: /no cosignature by the pinned witness key/ });
  });
});
