import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cosignerKeyId, formatCosignerKey, parseCosignerKey, verifyCosignatures } from './witness-client.js';

const TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

/** A cosignature line built from c2sp.org/tlog-cosignature by hand (key id, u64 timestamp, signature). */
function cosign(name: string, ts: bigint, text = TEXT) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const id = createHash('sha256').update(name).update(Buffer.from([0x0a, 0x04])).update(pub).digest().subarray(0, 4);
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(ts);
  const sig = sign(null, Buffer.from(`cosignature/v1\ntime ${ts}\n${text}`), privateKey);
  return { pub, id, line: `— ${name} ${Buffer.concat([id, stamp, sig]).toString('base64')}\n` };
}

describe('witness cosignatures (c2sp.org/tlog-cosignature, Ed25519)', () => {
  it('WITNESS-10: key ids, verifier keys and cosignatures follow the spec', async () => {
    const c = cosign('witness.example/w1', 1679315147n);
    expect(cosignerKeyId('witness.example/w1', c.pub)).toBe(c.id.readUInt32BE(0));
    const vkey = formatCosignerKey('witness.example/w1', c.pub);
    const key = parseCosignerKey(vkey)!;
    expect(key).toMatchObject({ name: 'witness.example/w1', id: c.id.readUInt32BE(0) });
    expect(await verifyCosignatures(TEXT, c.line, [key])).toEqual([{ name: 'witness.example/w1', timestamp: 1679315147, line: c.line }]);
    // Another checkpoint text, a zero timestamp, an unknown witness (ignored).
    expect(await verifyCosignatures(TEXT.replace('20852163', '20852164'), c.line, [key])).toMatch(/does not verify/);
    const zero = cosign('witness.example/w1', 0n);
    expect(await verifyCosignatures(TEXT, zero.line, [parseCosignerKey(formatCosignerKey('witness.example/w1', zero.pub))!])).toMatch(/timestamp/);
    expect(await verifyCosignatures(TEXT, cosign('other.example', 5n).line, [key])).toEqual([]);
  });

  it('WITNESS-11: refuses verifier keys of another type, a wrong id or a malformed shape', () => {
    const pub = Buffer.alloc(32, 7);
    const good = formatCosignerKey('w.example', pub);
    expect(parseCosignerKey(good)).toBeDefined();
    expect(parseCosignerKey(good.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toBeUndefined();
    expect(parseCosignerKey(`w.example+${good.split('+')[1]}+${Buffer.concat([Buffer.from([1]), pub]).toString('base64')}`)).toBeUndefined();
    expect(parseCosignerKey('w example+00000000+AA==')).toBeUndefined();
  });
});
