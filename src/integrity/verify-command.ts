import { loadEvidence, UnusableEvidenceError } from './evidence.js';
import { verifyEvidence, type EvidenceReport } from './offline-verifier.js';

/**
 * `verify`: the offline verifier's command line, shared by `veritrail verify` (src/cli) and the
 * standalone module (`node veritrail-verify.mjs verify …`). Node modules are imported when it
 * runs, so the module that carries it also loads in browsers. Exit 0 ok, 1 tampered, 2 unusable.
 */
export const VERIFY_USAGE = `usage:
  verify <evidence.json|dir|bundle.tar.gz> --jwks <jwks.json> [--known <checkpoint.jws>]
         [--note-keys <note-keys.txt>] [--witness-keys <witness-keys.txt>] [--witness-threshold <k>] [--tsa-certs <ca.pem>] [--tenant <id>] [--whole-trail] [--retention-days <n>] [--now <RFC 3339 time>] [--json]`;

export async function verifyCommand(args: string[], out: (s: string) => void, usage = VERIFY_USAGE): Promise<number> {
  const { parseArgs } = await import('node:util');
  const { readFile } = await import('node:fs/promises');
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        jwks: { type: 'string' },
        known: { type: 'string' },
        'note-keys': { type: 'string' },
        'witness-keys': { type: 'string' },
        'witness-threshold': { type: 'string' },
        'tsa-certs': { type: 'string' },
        json: { type: 'boolean' },
        tenant: { type: 'string' },
        'whole-trail': { type: 'boolean' },
        'retention-days': { type: 'string' },
        now: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UnusableEvidenceError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || !values.jwks) throw new UnusableEvidenceError(`verify needs one evidence path and --jwks <pinned JWKS file>\n${usage}`);
  let pinned;
  try {
    pinned = JSON.parse(await readFile(values.jwks, 'utf8')) as { keys: [] };
  } catch {
    throw new UnusableEvidenceError(`cannot read the pinned JWKS ${values.jwks}`);
  }
  const evidence = await loadEvidence(positionals[0]!);
  let known: string | undefined;
  if (values.known) {
    try {
      known = (await readFile(values.known, 'utf8')).trim();
    } catch {
      throw new UnusableEvidenceError(`cannot read the known checkpoint ${values.known}`);
    }
  }
  let noteKeys: string[] | undefined;
  if (values['note-keys']) {
    try {
      noteKeys = (await readFile(values['note-keys'], 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l !== '');
    } catch {
      throw new UnusableEvidenceError(`cannot read the pinned note keys ${values['note-keys']}`);
    }
  }
  let witnessKeys: string[] | undefined;
  if (values['witness-keys']) {
    try {
      witnessKeys = (await readFile(values['witness-keys'], 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l !== '');
    } catch {
      throw new UnusableEvidenceError(`cannot read the pinned witness keys ${values['witness-keys']}`);
    }
  }
  const witnessThreshold = values['witness-threshold'] === undefined ? undefined : Number(values['witness-threshold']);
  if (witnessThreshold !== undefined && (!Number.isSafeInteger(witnessThreshold) || witnessThreshold < 0)) throw new UnusableEvidenceError('--witness-threshold takes a whole number');
  let tsaCerts: string[] | undefined;
  if (values['tsa-certs']) {
    let pem: string;
    try {
      pem = await readFile(values['tsa-certs'], 'utf8');
    } catch {
      throw new UnusableEvidenceError(`cannot read the pinned TSA certificates ${values['tsa-certs']}`);
    }
    tsaCerts = [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => m[0]);
    if (tsaCerts.length === 0) throw new UnusableEvidenceError(`${values['tsa-certs']} holds no PEM certificate`);
  }
  const retentionDays = values['retention-days'] === undefined ? undefined : Number(values['retention-days']);
  if (retentionDays !== undefined && (!Number.isSafeInteger(retentionDays) || retentionDays < 0)) throw new UnusableEvidenceError('--retention-days takes a whole number of days');
  const now = values.now === undefined ? undefined : Date.parse(values.now);
  if (now !== undefined && Number.isNaN(now)) throw new UnusableEvidenceError('--now takes an RFC 3339 time');
  const report = await verifyEvidence(evidence, pinned, { known, noteKeys, witnessKeys, witnessThreshold, tsaCerts, tenant: values.tenant, requireWholeTrail: values['whole-trail'], retentionDays, now });
  out(values.json ? `${JSON.stringify(report, null, 2)}\n` : human(report));
  return report.status === 'ok' ? 0 : 1;
}

export function human(r: EvidenceReport): string {
  const lines = [
    r.status === 'ok' ? 'OK: the evidence verifies against the pinned keys.' : 'TAMPERED: the evidence does not verify.',
    `tenant ${r.tenant}: ${r.events} event(s), ${r.checkpoints} checkpoint(s)`,
  ];
  if (r.newest_checkpoint) {
    lines.push(`newest checkpoint ${r.newest_checkpoint.number}: ${r.newest_checkpoint.tree_size} events, root ${r.newest_checkpoint.root}, sealed ${r.newest_checkpoint.sealed_at}`);
  }
  if (r.status === 'ok') lines.push(r.completeness.statement);
  if (r.c2sp && (r.status === 'ok' || !r.c2sp.checked)) lines.push(r.c2sp.statement);
  if (r.root_log && (r.status === 'ok' || !r.root_log.checked)) lines.push(r.root_log.statement);
  for (const p of r.problems) {
    const where = [p.checkpoint !== undefined ? `checkpoint ${p.checkpoint}` : '', p.leaf_index !== undefined ? `leaf ${p.leaf_index}` : ''].filter(Boolean).join(', ');
    lines.push(`  ✗ ${p.kind}${where ? ` (${where})` : ''}${p.event_id ? ` event ${p.event_id}` : ''}: ${p.detail}`);
  }
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return `${lines.join('\n')}\n`;
}
