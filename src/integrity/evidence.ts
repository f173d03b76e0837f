import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { JSONWebKeySet } from 'jose';
import { canonicalJson } from '../common/canonical.js';
import { checkpointHash, verifyCheckpoint, type CheckpointPayload } from './checkpoint.js';
import { fromHex, hashLeaf, verifyConsistency, verifyInclusion } from './merkle.js';

/**
 * Evidence: everything an auditor needs to check part of a tenant's trail offline — the events
 * as stored, the signed checkpoints, inclusion proofs of each event in a checkpoint, and
 * consistency proofs linking the checkpoints. One JSON document, or the same content as files
 * in a directory / tar / tar.gz:
 *   manifest.json      {"format", "tenant", "generated_at"}
 *   jwks.json          the server's public keys (informational: never trusted, see below)
 *   checkpoints.jsonl  one checkpoint JWS per line (JSON strings)
 *   consistency.jsonl  {"from", "to", "proof": [hex]} — checkpoint numbers
 *   events.ndjson      one stored event per line
 *   proofs.jsonl       {"event_id", "leaf_index", "checkpoint", "audit_path": [hex]}, same order
 */
export const EVIDENCE_FORMAT = 'veritrail-evidence/1';

export interface EvidenceEvent {
  event: Record<string, unknown>;
  leaf_index: number;
  checkpoint: number;
  audit_path: string[];
}

export interface Evidence {
  format: typeof EVIDENCE_FORMAT;
  tenant: string;
  generated_at: string;
  jwks: JSONWebKeySet;
  checkpoints: string[];
  consistency: { from: number; to: number; proof: string[] }[];
  events: EvidenceEvent[];
}

export class UnusableEvidenceError extends Error {}

// ---------------------------------------------------------------- loading

export async function loadEvidence(path: string): Promise<Evidence> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UnusableEvidenceError(`${path} does not exist`);
  }
  if (info.isDirectory()) return fromFiles(await readDir(path));
  const buf = await readFile(path);
  if (/\.json$/i.test(path)) return parseEvidenceJson(buf.toString('utf8'));
  if (/\.(tar\.gz|tgz|tar)$/i.test(path)) {
    let tar = buf;
    if (buf[0] === 0x1f && buf[1] === 0x8b) {
      try {
        tar = gunzipSync(buf, { maxOutputLength: 4 * 1024 ** 3 });
      } catch {
        throw new UnusableEvidenceError('the archive is not valid gzip');
      }
    }
    return fromFiles(readTar(tar));
  }
  throw new UnusableEvidenceError('expected an evidence .json file, a directory, or a .tar / .tar.gz bundle');
}

export function parseEvidenceJson(text: string): Evidence {
  let e: Evidence;
  try {
    e = JSON.parse(text) as Evidence;
  } catch {
    throw new UnusableEvidenceError('the evidence file is not JSON');
  }
  return checkShape(e);
}

async function readDir(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    if ((await stat(p)).isFile()) files.set(name, await readFile(p));
  }
  return files;
}

/** Minimal ustar reader: regular files only, names with their directory prefix stripped. */
export function readTar(buf: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let off = 0;
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (a: number, b: number) => header.subarray(a, b).toString('utf8').replace(/\0.*$/s, '');
    const name = field(0, 100);
    const prefix = field(345, 500);
    const size = parseInt(field(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    if (!Number.isFinite(size) || size < 0 || off + 512 + size > buf.length) throw new UnusableEvidenceError('the archive is truncated or not a tar');
    if (type === '0' || type === '\0') {
      const full = prefix ? `${prefix}/${name}` : name;
      files.set(full.split('/').pop()!, buf.subarray(off + 512, off + 512 + size));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  if (files.size === 0) throw new UnusableEvidenceError('the archive holds no files');
  return files;
}

function lines(buf: Buffer | undefined): string[] {
  return (buf?.toString('utf8') ?? '').split('\n').filter((l) => l.trim() !== '');
}

function fromFiles(files: Map<string, Buffer>): Evidence {
  const need = (name: string) => {
    const f = files.get(name);
    if (!f) throw new UnusableEvidenceError(`the bundle has no ${name}`);
    return f;
  };
  try {
    const manifest = JSON.parse(need('manifest.json').toString('utf8')) as Pick<Evidence, 'format' | 'tenant' | 'generated_at'>;
    const events = lines(need('events.ndjson')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const proofs = lines(need('proofs.jsonl')).map((l) => JSON.parse(l) as Omit<EvidenceEvent, 'event'> & { event_id: string });
    if (events.length !== proofs.length) throw new UnusableEvidenceError('events.ndjson and proofs.jsonl differ in length');
    return checkShape({
      ...manifest,
      jwks: files.has('jwks.json') ? (JSON.parse(need('jwks.json').toString('utf8')) as JSONWebKeySet) : { keys: [] },
      checkpoints: lines(need('checkpoints.jsonl')).map((l) => JSON.parse(l) as string),
      consistency: lines(files.get('consistency.jsonl')).map((l) => JSON.parse(l) as Evidence['consistency'][number]),
      events: events.map((event, i) => {
        const p = proofs[i]!;
        if (p.event_id !== event.id) throw new UnusableEvidenceError(`proofs.jsonl line ${i + 1} is for another event`);
        return { event, leaf_index: p.leaf_index, checkpoint: p.checkpoint, audit_path: p.audit_path };
      }),
    } as Evidence);
  } catch (err) {
    if (err instanceof UnusableEvidenceError) throw err;
    throw new UnusableEvidenceError(`the bundle is malformed: ${(err as Error).message}`);
  }
}

function checkShape(e: Evidence): Evidence {
  const ok =
    e &&
    e.format === EVIDENCE_FORMAT &&
    typeof e.tenant === 'string' &&
    Array.isArray(e.checkpoints) &&
    e.checkpoints.every((c) => typeof c === 'string') &&
    Array.isArray(e.consistency) &&
    Array.isArray(e.events) &&
    e.events.every((x) => x && typeof x.event === 'object' && Array.isArray(x.audit_path) && Number.isSafeInteger(x.leaf_index) && Number.isSafeInteger(x.checkpoint));
  if (!ok) throw new UnusableEvidenceError(`not ${EVIDENCE_FORMAT} evidence`);
  return e;
}

// ---------------------------------------------------------------- verification

export interface EvidenceProblem {
  kind: 'checkpoint_signature' | 'checkpoint_chain' | 'inconsistent_checkpoints' | 'event_not_included' | 'rollback' | 'split_view' | 'foreign_tenant';
  detail: string;
  event_id?: string;
  checkpoint?: number;
}

export interface EvidenceReport {
  status: 'ok' | 'tampered' | 'unusable';
  tenant: string;
  checkpoints: number;
  events: number;
  newest_checkpoint?: { number: number; tree_size: number; root: string; sealed_at: string };
  problems: EvidenceProblem[];
  notes: string[];
}

/**
 * Checks evidence against a pinned JWKS, with no network and no database. Keys shipped inside
 * the evidence are never trusted; checkpoints signed by any key not in the pinned set fail.
 * `known` is a checkpoint the verifier already holds (from an earlier download or a webhook):
 * a smaller tree than it, or a different checkpoint under its number, is reported.
 */
export async function verifyEvidence(e: Evidence, pinned: JSONWebKeySet, known?: string): Promise<EvidenceReport> {
  const report: EvidenceReport = { status: 'ok', tenant: e.tenant, checkpoints: e.checkpoints.length, events: e.events.length, problems: [], notes: [] };
  if (!pinned?.keys?.length) throw new UnusableEvidenceError('the pinned JWKS holds no keys');
  const pinnedKids = new Set(pinned.keys.map((k) => k.kid));
  const shipped = (e.jwks?.keys ?? []).filter((k) => !pinnedKids.has(k.kid));
  if (shipped.length > 0) report.notes.push(`ignored ${shipped.length} key(s) shipped in the evidence that are not pinned`);

  // Checkpoints: signatures, tenant, chain.
  const byNumber = new Map<number, { jws: string; p: CheckpointPayload }>();
  for (const jws of e.checkpoints) {
    const c = await verifyCheckpoint(jws, pinned);
    if (!c.ok) {
      report.problems.push({ kind: 'checkpoint_signature', detail: c.reason });
      continue;
    }
    if (c.payload.tenant !== e.tenant) {
      report.problems.push({ kind: 'foreign_tenant', checkpoint: c.payload.number, detail: `checkpoint of tenant ${c.payload.tenant}` });
      continue;
    }
    const dup = byNumber.get(c.payload.number);
    if (dup && dup.jws !== jws) report.problems.push({ kind: 'split_view', checkpoint: c.payload.number, detail: 'two different signed checkpoints with one number' });
    byNumber.set(c.payload.number, { jws, p: c.payload });
  }
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  if (numbers.length === 0) throw new UnusableEvidenceError('the evidence holds no verifiable checkpoint');
  for (let i = 1; i < numbers.length; i++) {
    const prev = byNumber.get(numbers[i - 1]!)!;
    const cur = byNumber.get(numbers[i]!)!;
    if (numbers[i] === numbers[i - 1]! + 1 && cur.p.prev !== checkpointHash(prev.jws)) {
      report.problems.push({ kind: 'checkpoint_chain', checkpoint: cur.p.number, detail: `does not chain to checkpoint ${prev.p.number}` });
    }
    if (cur.p.tree_size < prev.p.tree_size) {
      report.problems.push({ kind: 'inconsistent_checkpoints', checkpoint: cur.p.number, detail: 'the tree shrank' });
      continue;
    }
    const proof = e.consistency.find((c) => c.from === prev.p.number && c.to === cur.p.number);
    if (!proof) throw new UnusableEvidenceError(`no consistency proof between checkpoints ${prev.p.number} and ${cur.p.number}`);
    const path = proof.proof.map(fromHex);
    if (path.some((x) => !x) || !verifyConsistency(prev.p.tree_size, cur.p.tree_size, path as Buffer[], fromHex(prev.p.root)!, fromHex(cur.p.root)!)) {
      report.problems.push({ kind: 'inconsistent_checkpoints', checkpoint: cur.p.number, detail: `not an append-only extension of checkpoint ${prev.p.number}` });
    }
  }

  // Events: each leaf (the canonical bytes of the event as stored) is in its checkpoint.
  for (const item of e.events) {
    const id = typeof item.event.id === 'string' ? item.event.id : undefined;
    const cp = byNumber.get(item.checkpoint);
    if (!cp) {
      report.problems.push({ kind: 'event_not_included', event_id: id, checkpoint: item.checkpoint, detail: 'its checkpoint is missing or did not verify' });
      continue;
    }
    const path = item.audit_path.map(fromHex);
    const leaf = hashLeaf(canonicalJson(item.event));
    if (path.some((x) => !x) || !verifyInclusion(leaf, item.leaf_index, cp.p.tree_size, path as Buffer[], fromHex(cp.p.root)!)) {
      report.problems.push({ kind: 'event_not_included', event_id: id, checkpoint: item.checkpoint, detail: 'the event, its position or its proof was altered' });
    }
  }

  const newest = byNumber.get(numbers[numbers.length - 1]!)!.p;
  report.newest_checkpoint = { number: newest.number, tree_size: newest.tree_size, root: newest.root, sealed_at: newest.sealed_at };

  if (known !== undefined) {
    const k = await verifyCheckpoint(known.trim(), pinned);
    if (!k.ok) throw new UnusableEvidenceError(`the known checkpoint does not verify: ${k.reason}`);
    if (k.payload.tenant !== e.tenant) throw new UnusableEvidenceError('the known checkpoint belongs to another tenant');
    const same = byNumber.get(k.payload.number);
    if (same && same.jws !== known.trim()) report.problems.push({ kind: 'split_view', checkpoint: k.payload.number, detail: 'differs from the checkpoint you hold under the same number' });
    if (k.payload.tree_size > newest.tree_size) {
      report.problems.push({ kind: 'rollback', checkpoint: newest.number, detail: `the newest checkpoint (${newest.tree_size} events) is older than the one you hold (${k.payload.tree_size})` });
    } else if (!same) {
      report.notes.push(`the checkpoint you hold (${k.payload.number}) is not in the evidence; relate it with GET /v1/integrity/consistency`);
    }
  }

  if (report.problems.length > 0) report.status = 'tampered';
  return report;
}
