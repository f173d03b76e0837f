import { describe, expect, it } from 'vitest';
import { customerEvents, event, until, useApp, type TestTenant } from '../support/harness.js';

/**
 * The Merkle log is appended every LOG_APPEND_INTERVAL and signed every SEAL_INTERVAL: the feed
 * follows what is appended, while proofs and verification only ever answer against a signed
 * checkpoint (409 not_yet_sealed / "unsealed" until the next one).
 */
describe('log head ahead of the signed checkpoint', () => {
  const ctx = useApp({ JOBS: 'seal', LOG_APPEND_INTERVAL: '100ms', SEAL_INTERVAL: '1h' });

  async function seal(t: TestTenant) {
    return until('the seal lease', async () => {
      const r = await ctx.api.post('/v1/integrity/seal', { token: t.key });
      return r.status === 409 ? undefined : r;
    });
  }

  it('the feed delivers an appended event before it is signed; its proof waits for the checkpoint', async () => {
    const t = await ctx.tenant('Head');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const first = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'head.first' }) });
    expect((await seal(t))!.status).toBe(200);
    expect((await ctx.api.get(`/v1/events/${first.body.id}/proof`, { token: t.key })).status).toBe(200);
    const signed = (await ctx.api.get('/v1/integrity/checkpoints', { token: t.key })).body.data;

    // Appended by the background job within its interval; the next signature is an hour away.
    const second = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'head.second' }) });
    let cursor: string | undefined;
    const seen: string[] = [];
    await until('the second event in the feed', async () => {
      const r = await ctx.api.get('/v1/events/feed', { token: t.key, query: { limit: 100, cursor } });
      expect(r.status).toBe(200);
      cursor = r.body.next_cursor;
      seen.push(...customerEvents(r.body.data).map((e: { id: string }) => e.id));
      return seen.includes(second.body.id);
    });
    expect(seen.filter((id) => id === first.body.id || id === second.body.id)).toEqual([first.body.id, second.body.id]);

    // Not signed yet: no new checkpoint, the proof is refused, the verification says unsealed.
    expect((await ctx.api.get('/v1/integrity/checkpoints', { token: t.key })).body.data).toEqual(signed);
    const early = await ctx.api.get(`/v1/events/${second.body.id}/proof`, { token: t.key });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('not_yet_sealed');
    const unsealed = await ctx.api.get('/v1/events/verification', { token: t.key, query: { ids: `${first.body.id},${second.body.id}` } });
    expect(unsealed.body.events).toEqual([
      { id: first.body.id, status: 'verified' },
      { id: second.body.id, status: 'unsealed' },
    ]);

    // Signed on demand: the checkpoint covers it, and nothing is appended twice.
    const sealed = (await seal(t))!.body;
    expect(sealed.checkpoints).toHaveLength(1);
    const proof = await ctx.api.get(`/v1/events/${second.body.id}/proof`, { token: t.key });
    expect(proof.status).toBe(200);
    expect(proof.body.checkpoint.number).toBe(sealed.checkpoints[0].number);
    expect(proof.body.leaf_index).toBeLessThan(proof.body.tree_size);
    const report = (await ctx.api.post('/v1/integrity/verify', { token: t.key, body: {} })).body;
    expect(report).toMatchObject({ status: 'ok', tampered: [], tree_size: sealed.checkpoints[0].tree_size });
  });
});
