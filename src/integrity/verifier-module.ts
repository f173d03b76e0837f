/**
 * The standalone offline verifier: this file and everything it imports, bundled by
 * scripts/build.mjs into ONE dependency-free ES module (dist/public/verifier/veritrail-verify.mjs,
 * served at /verifier/veritrail-verify.mjs). It runs in any Node ≥ 18 and in browsers:
 *
 *   node veritrail-verify.mjs verify evidence.json --jwks jwks.json
 *
 *   import { parseEvidenceJson, verifyEvidence } from 'https://audit.example.com/verifier/veritrail-verify.mjs';
 *   const report = await verifyEvidence(parseEvidenceJson(text), pinnedJwks);
 *
 * It is the same verification code as `veritrail verify`; the bundle swaps in a portable SHA-256
 * (sha256.portable.ts) and imports Node's Buffer API from the `buffer` package wherever the code
 * uses it, so it needs neither node:crypto nor a global Buffer, and sets no globals.
 */
import { verifyCommand } from './verify-command.js';

export { loadEvidence, loadEvidenceBytes, parseEvidenceJson, UnusableEvidenceError, type Evidence } from './evidence.js';
export { verifyEvidence, type EvidenceReport, type VerifyOptions } from './offline-verifier.js';
export { human as describeReport, verifyCommand } from './verify-command.js';
export { parseVerifierKey, verifyCheckpointNote } from './signed-note.js';
export { parseTlogProof } from './tlog-proof.js';
export { parseCosignerKey, verifyCosignatures } from './witness-client.js';
export { verifyTimestampToken } from './timestamp.js';

const USAGE = `usage: node veritrail-verify.mjs verify <evidence.json|dir|bundle.tar.gz> --jwks <jwks.json> [--known <checkpoint.jws>]
         [--note-keys <note-keys.txt>] [--tenant <id>] [--whole-trail] [--retention-days <n>] [--now <RFC 3339 time>] [--json]`;

/** True when Node was started with this file as its program (`node veritrail-verify.mjs …`). */
async function startedAsProgram(): Promise<boolean> {
  const proc = (globalThis as { process?: { argv?: string[]; versions?: { node?: string } } }).process;
  const entry = proc?.versions?.node ? proc.argv?.[1] : undefined;
  if (!entry) return false;
  const { realpathSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (await startedAsProgram()) {
  // Node 18 has WebCrypto (used to check the Ed25519 signatures) but not always as a global.
  const g = globalThis as { crypto?: unknown };
  g.crypto ??= (await import('node:crypto')).webcrypto;
  const [command, ...args] = process.argv.slice(2);
  let code = 2;
  if (command === 'verify') {
    try {
      code = await verifyCommand(args, (s) => process.stdout.write(s), USAGE);
    } catch (err) {
      process.stdout.write(`error: ${(err as Error).message}\n`);
    }
  } else process.stdout.write(`${USAGE}\n`);
  process.exitCode = code;
}
