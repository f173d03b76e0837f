import { importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { signCheckpoint } from './checkpoint.js';
import { hashChildren, hashLeaf, splitPoint } from './merkle.js';
import { generateSigningKey } from './signing-keys.js';
import { checkEvent, parseKeys, sameEvent, type InclusionProof } from '../viewer/ui/verify.js';

/** RFC 6962 MTH and PATH over whole leaves: the reference the browser's walk must agree with. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0]!;
  const k = splitPoint(leaves.length);
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length === 1) return [];
  const k = splitPoint(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

/** The viewer's in-browser checks (src/viewer/ui/verify.ts) against this module's own Merkle tree and checkpoint signing. */
describe('viewer: in-browser verification (WebCrypto)', () => {
  it('accepts a real proof under a pinned key and refuses every tampering', async () => {
    const events = Array.from({ length: 7 }, (_, i) => ({ id: `e${i}`, action: 'user.login', outcome: 'success', actor: { type: 'user', id: `u_${i}`, email: i === 4 ? 'vt-enc:abc' : 'x@example.com' } }));
    const sealed = events.map((e) => JSON.stringify(e));
    const leaves = sealed.map((s) => hashLeaf(s));
    const root = mth(leaves).toString('hex');
    const key = await generateSigningKey();
    const { d: _d, ...pub } = key.private_jwk;
    const jws = await signCheckpoint({ v: 1, iss: 'veritrail', tenant: 't1', number: 3, tree_size: 7, root, prev: null, sealed_at: new Date().toISOString() }, { kid: key.kid, key: (await importJWK(key.private_jwk, 'EdDSA')) as never });
    const keys = parseKeys(JSON.stringify({ keys: [{ ...pub, kid: key.kid }] }));
    expect(keys).toHaveLength(1);
    const proofOf = (i: number): InclusionProof => ({ event_id: `e${i}`, leaf_index: i, leaf_hash: leaves[i]!.toString('hex'), tree_size: 7, audit_path: path(i, leaves).map((b) => b.toString('hex')), checkpoint: { number: 3, jws }, sealed_event: sealed[i]! });

    for (let i = 0; i < 7; i++) expect(await checkEvent({ ...events[i]!, display: { message: 'shown' } }, proofOf(i), keys)).toEqual({ ok: true, checkpoint: 3 });
    // Personal data sealed as ciphertext matches whatever the reader may see.
    expect(await checkEvent({ ...events[4]!, actor: { ...events[4]!.actor, email: 'ann@example.com' } }, proofOf(4), keys)).toEqual({ ok: true, checkpoint: 3 });

    const p = proofOf(2);
    expect(await checkEvent(events[2]!, { ...p, audit_path: [...p.audit_path.slice(1), p.audit_path[0]!] }, keys)).toMatchObject({ ok: false, reason: 'inclusion' });
    expect(await checkEvent(events[2]!, { ...p, leaf_index: 3 }, keys)).toMatchObject({ ok: false });
    expect(await checkEvent(events[2]!, { ...p, sealed_event: p.sealed_event.replace('success', 'failure') }, keys)).toMatchObject({ ok: false, reason: 'inclusion' });
    expect(await checkEvent({ ...events[2]!, outcome: 'failure' }, p, keys)).toMatchObject({ ok: false, reason: 'event differs from its seal' });
    expect(await checkEvent(events[2]!, { ...p, checkpoint: { number: 3, jws: jws.slice(0, -4) + 'AAAA' } }, keys)).toMatchObject({ ok: false, reason: 'checkpoint signature' });
    const other = await generateSigningKey();
    const { d: _o, ...otherPub } = other.private_jwk;
    expect(await checkEvent(events[2]!, p, [{ ...otherPub, kid: key.kid } as never])).toMatchObject({ ok: false, reason: 'checkpoint signature' });
  });

  it('compares the event shown with the event sealed', () => {
    expect(sameEvent({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'x' }] })).toBe(true);
    expect(sameEvent({ a: 1 }, { a: 1, extra: true })).toBe(false);
    expect(sameEvent({ a: [1] }, { a: { 0: 1 } })).toBe(false);
    expect(parseKeys('not json')).toEqual([]);
    expect(parseKeys('[{"kty":"RSA","n":"x"}]')).toEqual([]);
  });
});
