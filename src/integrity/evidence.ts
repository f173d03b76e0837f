import type { JSONWebKeySet } from 'jose';

/**
 * Evidence: everything an auditor needs to check a tenant's trail, or part of it, offline — the
 * events as stored, the signed checkpoints, consistency proofs linking the checkpoints, and
 * either
 *  - scope "trail": contiguous ranges of the log, each holding EVERY leaf of the range (an
 *    event, or the leaf hash of an event removed by retention: "withheld") with the boundary
 *    hashes that recompute the checkpoint's root (merkle.ts, range proofs) — so a deletion,
 *    insertion, reordering or truncation inside a range is detected; or
 *  - scope "selection": events picked by filters, each with its inclusion proof — each event is
 *    proven to be in the trail, but nothing is said about the events left out.
 * One JSON document, or the same content as files in a directory / tar / tar.gz:
 *   manifest.json      {"format", "tenant", "generated_at", "scope", "whole_trail", …}
 *   jwks.json          the server's public keys (informational: never trusted)
 *   checkpoints.jsonl  one checkpoint JWS per line (JSON strings)
 *   consistency.jsonl  {"from", "to", "proof": [hex]} — checkpoint numbers
 *   ranges.jsonl       {"checkpoint", "start", "end", "left": [hex], "right": [hex]}
 *   withheld.jsonl     {"leaf_index", "leaf_hash", "reason": "expired"}
 *   events.ndjson      one stored event per line, in log order within a range
 *   proofs.jsonl       {"event_id", "leaf_index", "checkpoint", "audit_path": [hex]}, same order
 *   note-keys.txt      the server's C2SP note verifier keys (informational: never trusted)
 *   checkpoint-N.note  the C2SP signed note (c2sp.org/tlog-checkpoint) of checkpoint N's tree head
 *   <id>.tlog-proof    selection only: the event's inclusion as a C2SP tlog-proof (tlog-proof.ts)
 *   root-<size>.tlog-proof  the inclusion of the tenant checkpoint of tree size <size> in the
 *                      deployment's witnessed root log (extra = the tenant checkpoint note)
 *   root-checkpoint-<size>.tst  RFC 3161 token (DER) over the text of that root checkpoint
 * Format 1 (no ranges, no scope) is still read, as a selection.
 */
export const EVIDENCE_FORMAT = 'veritrail-evidence/2';
const FORMATS = new Set([EVIDENCE_FORMAT, 'veritrail-evidence/1']);

export interface EvidenceEvent {
  event: Record<string, unknown>;
  leaf_index: number;
  checkpoint: number;
  /** Inclusion proof; empty for an event of a range (the range proves it). */
  audit_path: string[];
}

/** Leaves [start, end) of the tree of `checkpoint`, with the compact ranges [0, start) and [end, size). */
export interface EvidenceRange {
  checkpoint: number;
  start: number;
  end: number;
  left: string[];
  right: string[];
}

/** A leaf of a range whose event is no longer stored (retention): its hash only. */
export interface WithheldLeaf {
  leaf_index: number;
  leaf_hash: string;
  reason: 'expired';
}

export interface Evidence {
  format: string;
  tenant: string;
  generated_at: string;
  scope: 'trail' | 'selection';
  /** The producer's claim that the ranges cover the newest checkpoint's whole tree: checked, never trusted. */
  whole_trail: boolean;
  jwks: JSONWebKeySet;
  checkpoints: string[];
  consistency: { from: number; to: number; proof: string[] }[];
  ranges: EvidenceRange[];
  withheld: WithheldLeaf[];
  events: EvidenceEvent[];
  /** The server's C2SP note verifier keys (informational: never trusted; pin your own). */
  note_keys?: string[];
  /** C2SP signed notes of the checkpoints' tree heads, one per checkpoint (matched by tree size). */
  notes?: string[];
  /** C2SP tlog-proof files, one per event proven by an inclusion proof (selection evidence). */
  tlog_proofs?: string[];
  /** C2SP tlog-proof files of tenant checkpoints (their notes) in the deployment's witnessed root log. */
  root_proofs?: string[];
  /** RFC 3161 tokens (base64 DER) over the text of the root checkpoint the root proofs lead to. */
  root_timestamps?: { tree_size: number; token: string }[];
  /** Inconsistencies between the files of a bundle (lines that do not pair up), found while loading. */
  defects?: string[];
}

export class UnusableEvidenceError extends Error {}

// ---------------------------------------------------------------- loading

/**
 * Evidence from a path (Node): a .json file, a directory of the bundle's files, or a .tar /
 * .tar.gz bundle. Node modules are imported when called, so the standalone verifier module
 * (verifier-module.ts) also loads in a browser, which calls {@link loadEvidenceBytes}.
 */
export async function loadEvidence(path: string): Promise<Evidence> {
  const { readdir, readFile, stat } = await import('node:fs/promises');
  const { join } = await import('node:path');
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UnusableEvidenceError(`${path} does not exist`);
  }
  if (info.isDirectory()) {
    const files = new Map<string, Buffer>();
    for (const name of await readdir(path)) {
      const p = join(path, name);
      if ((await stat(p)).isFile()) files.set(name, await readFile(p));
    }
    return fromFiles(files);
  }
  return loadEvidenceBytes(path, await readFile(path));
}

/** Evidence from the bytes of a file named `name` (.json, .tar or .tar.gz), in Node or a browser. */
export async function loadEvidenceBytes(name: string, bytes: Uint8Array): Promise<Evidence> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (/\.json$/i.test(name)) return parseEvidenceJson(buf.toString('utf8'));
  if (/\.(tar\.gz|tgz|tar)$/i.test(name)) {
    const tar = buf[0] === 0x1f && buf[1] === 0x8b ? await gunzip(buf) : buf;
    return fromFiles(readTar(tar));
  }
  throw new UnusableEvidenceError('expected an evidence .json file, a directory, or a .tar / .tar.gz bundle');
}

/** Bundles are at most this large once uncompressed (a gzip bomb stops here). */
const MAX_TAR_BYTES = 4 * 1024 ** 3;

/** gunzip with the Compression Streams API, which Node (≥ 18) and browsers share. */
async function gunzip(gz: Uint8Array): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_TAR_BYTES) {
        await reader.cancel();
        throw new UnusableEvidenceError('the archive expands beyond 4 GiB');
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof UnusableEvidenceError) throw err;
    throw new UnusableEvidenceError('the archive is not valid gzip');
  }
  return Buffer.concat(chunks);
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
    const manifest = JSON.parse(need('manifest.json').toString('utf8')) as Partial<Evidence>;
    const events = lines(need('events.ndjson')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const proofs = lines(need('proofs.jsonl')).map((l) => JSON.parse(l) as Omit<EvidenceEvent, 'event'> & { event_id: string });
    // Lines that do not pair up were removed, added or moved in one file: tampering, reported.
    const defects: string[] = [];
    if (events.length !== proofs.length) defects.push(`events.ndjson has ${events.length} lines but proofs.jsonl has ${proofs.length}`);
    const paired: EvidenceEvent[] = [];
    events.forEach((event, i) => {
      const p = proofs[i];
      if (!p) return;
      if (p.event_id !== event.id) defects.push(`line ${i + 1} of events.ndjson is event ${String(event.id)} but proofs.jsonl line ${i + 1} is for ${p.event_id}`);
      paired.push({ event, leaf_index: p.leaf_index, checkpoint: p.checkpoint, audit_path: p.audit_path });
    });
    return checkShape({
      ...manifest,
      jwks: files.has('jwks.json') ? (JSON.parse(need('jwks.json').toString('utf8')) as JSONWebKeySet) : { keys: [] },
      checkpoints: lines(need('checkpoints.jsonl')).map((l) => JSON.parse(l) as string),
      consistency: lines(files.get('consistency.jsonl')).map((l) => JSON.parse(l) as Evidence['consistency'][number]),
      ranges: lines(files.get('ranges.jsonl')).map((l) => JSON.parse(l) as EvidenceRange),
      withheld: lines(files.get('withheld.jsonl')).map((l) => JSON.parse(l) as WithheldLeaf),
      events: paired,
      ...(files.has('note-keys.txt') ? { note_keys: lines(files.get('note-keys.txt')) } : {}),
      notes: named(files, '.note'),
      tlog_proofs: named(files, '.tlog-proof').filter((_, i) => !namesOf(files, '.tlog-proof')[i]!.startsWith(ROOT_PROOF_PREFIX)),
      root_proofs: named(files, '.tlog-proof').filter((_, i) => namesOf(files, '.tlog-proof')[i]!.startsWith(ROOT_PROOF_PREFIX)),
      root_timestamps: namesOf(files, '.tst')
        .map((n) => ({ m: /^root-checkpoint-(\d+)\.tst$/.exec(n), n }))
        .filter((x) => x.m)
        .map((x) => ({ tree_size: Number(x.m![1]), token: files.get(x.n)!.toString('base64') })),
      defects,
    } as Evidence);
  } catch (err) {
    if (err instanceof UnusableEvidenceError) throw err;
    throw new UnusableEvidenceError(`the bundle is malformed: ${(err as Error).message}`);
  }
}

/** Bundle files `root-<tenant tree size>.tlog-proof`: root-log inclusion of a tenant checkpoint. */
export const ROOT_PROOF_PREFIX = 'root-';

/** The names of the files ending in `suffix`, sorted. */
function namesOf(files: Map<string, Buffer>, suffix: string): string[] {
  return [...files.keys()].filter((n) => n.endsWith(suffix)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** The texts of the files whose names end in `suffix`, by name. */
function named(files: Map<string, Buffer>, suffix: string): string[] {
  return namesOf(files, suffix).map((n) => files.get(n)!.toString('utf8'));
}

const isStringList = (a: unknown) => a === undefined || (Array.isArray(a) && a.every((x) => typeof x === 'string'));
const isIndex = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
const isHexList = (a: unknown) => Array.isArray(a) && a.every((h) => typeof h === 'string');

function checkShape(raw: Evidence): Evidence {
  const e = raw as Evidence & Record<string, unknown>;
  const ok =
    e &&
    typeof e === 'object' &&
    FORMATS.has(e.format) &&
    typeof e.tenant === 'string' &&
    Array.isArray(e.checkpoints) &&
    e.checkpoints.every((c) => typeof c === 'string') &&
    Array.isArray(e.consistency) &&
    e.consistency.every((c) => c && isIndex(c.from) && isIndex(c.to) && isHexList(c.proof)) &&
    Array.isArray(e.events) &&
    e.events.every((x) => x && x.event && typeof x.event === 'object' && isHexList(x.audit_path) && isIndex(x.leaf_index) && Number.isSafeInteger(x.checkpoint)) &&
    (e.ranges === undefined || (Array.isArray(e.ranges) && e.ranges.every((r) => r && isIndex(r.checkpoint) && isIndex(r.start) && isIndex(r.end) && isHexList(r.left) && isHexList(r.right)))) &&
    (e.withheld === undefined || (Array.isArray(e.withheld) && e.withheld.every((w) => w && isIndex(w.leaf_index) && typeof w.leaf_hash === 'string'))) &&
    (e.scope === undefined || e.scope === 'trail' || e.scope === 'selection') &&
    isStringList(e.note_keys) &&
    isStringList(e.notes) &&
    isStringList(e.tlog_proofs) &&
    isStringList(e.root_proofs) &&
    (e.root_timestamps === undefined || (Array.isArray(e.root_timestamps) && e.root_timestamps.every((t) => t && isIndex(t.tree_size) && typeof t.token === 'string')));
  if (!ok) throw new UnusableEvidenceError(`not ${EVIDENCE_FORMAT} evidence`);
  return {
    ...e,
    scope: e.scope ?? 'selection',
    whole_trail: e.whole_trail === true,
    ranges: e.ranges ?? [],
    withheld: e.withheld ?? [],
  };
}
