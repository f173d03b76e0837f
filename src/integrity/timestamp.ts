import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha256 } from './sha256.js';

/**
 * RFC 3161 trusted time for root checkpoints: a TimeStampReq over SHA-256 of the root checkpoint
 * text (origin, size, root — the tree head), the token (a CMS SignedData over a TSTInfo) kept and
 * served, and its check against pinned TSA certificates. The ASN.1 and CMS are PKI.js's (npm
 * pkijs, asn1js), not ours; signatures are checked with WebCrypto, so this also runs in the
 * standalone verifier.
 */
const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const TST_INFO_OID = '1.2.840.113549.1.9.16.1.4';

const ab = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

/** DER of a TimeStampReq (v1, SHA-256 imprint of `data`, a random nonce, certReq so the token carries the TSA certificate). */
export function timestampRequest(data: Uint8Array | string): Uint8Array {
  const nonce = new Uint8Array(8);
  globalThis.crypto.getRandomValues(nonce);
  nonce[0] = nonce[0]! & 0x7f; // a positive INTEGER
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID }),
      hashedMessage: new asn1js.OctetString({ valueHex: ab(sha256(data)) }),
    }),
    nonce: new asn1js.Integer({ valueHex: ab(nonce) }),
    certReq: true,
  });
  return new Uint8Array(req.toSchema().toBER());
}

/** The token (DER ContentInfo) of a granted TimeStampResp; a string saying why otherwise. */
export function tokenOfResponse(der: Uint8Array): Uint8Array | string {
  try {
    const resp = pkijs.TimeStampResp.fromBER(ab(der));
    const status = resp.status.status;
    if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) return `the TSA refused the request (status ${status})`;
    if (!resp.timeStampToken) return 'the TSA answered without a token';
    return new Uint8Array(resp.timeStampToken.toSchema().toBER());
  } catch (err) {
    return `not an RFC 3161 TimeStampResp: ${(err as Error).message}`;
  }
}

export type TimestampCheck = { ok: true; genTime: Date; tsa: string } | { ok: false; reason: string };

/**
 * Checks an RFC 3161 token over `data`: a TSTInfo whose SHA-256 imprint is that of `data`, in a
 * CMS SignedData whose signature verifies and whose signer chains to one of the pinned
 * certificates (DER or PEM).
 */
export async function verifyTimestampToken(token: Uint8Array, data: Uint8Array | string, pinned: readonly (Uint8Array | string)[]): Promise<TimestampCheck> {
  let signed: pkijs.SignedData;
  let tst: pkijs.TSTInfo;
  try {
    const info = pkijs.ContentInfo.fromBER(ab(token));
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) return { ok: false, reason: 'the token is not CMS SignedData' };
    signed = new pkijs.SignedData({ schema: info.content });
    if (signed.encapContentInfo.eContentType !== TST_INFO_OID || !signed.encapContentInfo.eContent) return { ok: false, reason: 'the token does not hold a TSTInfo' };
    tst = pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
  } catch (err) {
    return { ok: false, reason: `the token is not RFC 3161: ${(err as Error).message}` };
  }
  if (tst.messageImprint.hashAlgorithm.algorithmId !== SHA256_OID) return { ok: false, reason: 'the token does not use SHA-256' };
  const imprint = new Uint8Array(tst.messageImprint.hashedMessage.getValue());
  const expected = sha256(data);
  if (imprint.length !== expected.length || imprint.some((b, i) => b !== expected[i])) return { ok: false, reason: 'the token timestamps other data than this checkpoint' };
  let trusted: pkijs.Certificate[];
  try {
    trusted = pinned.map((c) => pkijs.Certificate.fromBER(ab(typeof c === 'string' ? pemToDer(c) : c)));
  } catch {
    return { ok: false, reason: 'a pinned TSA certificate is not an X.509 certificate' };
  }
  let ok = false;
  try {
    // PKI.js checks the TSTInfo imprint against `data` too, and the chain as of the token's time.
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    ok = await signed.verify({ signer: 0, trustedCerts: trusted, checkChain: true, data: ab(bytes) });
  } catch (err) {
    return { ok: false, reason: `the token's signature does not verify with the pinned TSA certificates: ${String((err as { message?: string }).message ?? err)}` };
  }
  if (!ok) return { ok: false, reason: "the token's signature does not verify with the pinned TSA certificates" };
  const signer = signed.certificates?.find((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const cn = signer?.subject.typesAndValues.find((t) => t.type === '2.5.4.3')?.value.valueBlock.value;
  return { ok: true, genTime: tst.genTime, tsa: typeof cn === 'string' ? cn : 'the pinned TSA' };
}

/** The DER of every certificate in a PEM text (or the one certificate of a single-PEM string). */
export function pemCertificates(pem: string): Uint8Array[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

function pemToDer(pem: string): Uint8Array {
  const [der] = pemCertificates(pem);
  if (!der) throw new Error('no certificate');
  return der;
}
