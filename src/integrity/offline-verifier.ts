// Above ~400 lines on purpose: the offline verifier ships to customers as one readable unit;
// its checks (JWS chain, consistency and inclusion proofs, C2SP notes, witnesses, timestamps,
// completeness) fill one report and read best in order.
import type { JSONWebKeySet } from 'jose';
import { canonicalJson } from '../common/canonical.js';
import { checkpointHash, EXPIRY_GRACE_MS, receivedBound, verifyCheckpoint, type CheckpointPayload } from './checkpoint.js';
import { UnusableEvidenceError, type Evidence } from './evidence.js';
import { fromHex, hashLeaf, hex, rootFromRange, verifyConsistency, verifyInclusion } from './merkle.js';
import { parseNote, parseVerifierKey, verifyCheckpointNote, type VerifierKey } from './signed-note.js';
import { parseTlogProof } from './tlog-proof.js';
import { verifyTimestampToken } from './timestamp.js';
import { parseCosignerKey, verifyCosignatures, type CosignerKey } from './witness-client.js';

const DAY_MS = 86_400_000;
/** Problems listed one by one before they are summarised. */
const MAX_LISTED = 20;

export interface EvidenceProblem {
  kind:
    | 'checkpoint_signature'
    | 'checkpoint_chain'
    | 'inconsistent_checkpoints'
    | 'unlinked_checkpoint'
    | 'foreign_tenant'
    | 'event_not_included'
    | 'missing_leaves'
    | 'duplicated_leaf'
    | 'reordered'
    | 'range_mismatch'
    | 'withheld_within_retention'
    | 'incomplete'
    | 'rollback'
    | 'split_view'
    | 'c2sp_note'
    | 'tlog_proof'
    | 'root_log'
    | 'unwitnessed'
    | 'timestamp';
  detail: string;
  event_id?: string;
  checkpoint?: number;
  leaf_index?: number;
}

export interface ProvenRange {
  checkpoint: number;
  tree_size: number;
  start: number;
  end: number;
  events: number;
  withheld: number;
}

export interface EvidenceReport {
  status: 'ok' | 'tampered' | 'unusable';
  tenant: string;
  checkpoints: number;
  events: number;
  newest_checkpoint?: { number: number; tree_size: number; root: string; sealed_at: string };
  /** What the evidence proves beyond each event's inclusion. */
  completeness: {
    scope: 'trail' | 'selection';
    /** Ranges proven complete and in order (every leaf present or withheld as expired). */
    ranges: ProvenRange[];
    /** Leaves [0, n) of the newest checkpoint not in the evidence, all sealed before the retention horizon. */
    expired_prefix: number;
    /** The proven ranges (and an expired prefix) cover the newest checkpoint's whole tree. */
    whole_trail: boolean;
    statement: string;
  };
  problems: EvidenceProblem[];
  notes: string[];
  /** The C2SP checkpoint notes and tlog-proof files, checked against pinned note keys (--note-keys). */
  c2sp?: { checked: boolean; notes_verified: number; tlog_proofs_verified: number; statement: string };
  /** The tenant checkpoints proven to be in the deployment's root log, and who witnessed that root. */
  root_log?: {
    checked: boolean;
    proofs_verified: number;
    /** Tree sizes of the tenant checkpoints proven to be leaves of the root log. */
    tenant_tree_sizes: number[];
    root?: { origin: string; tree_size: number; root: string };
    /** Pinned witnesses whose cosignature over that root verifies (with its time, RFC 3339). */
    witnesses: { name: string; cosigned_at: string }[];
    /** RFC 3161 timestamps of root checkpoints that verify with the pinned TSA certificates. */
    timestamps?: { tree_size: number; time: string; tsa: string }[];
    statement: string;
  };
}

export interface VerifyOptions {
  /** A checkpoint the verifier already holds (earlier download, webhook): detects rollback and split views. */
  known?: string;
  /** The tenant the evidence must be about. */
  tenant?: string;
  /** Judge retention as of this time (ms); default now. */
  now?: number;
  /** Retention to judge withheld leaves by, overriding the one the newest checkpoint states. */
  retentionDays?: number;
  /** Anything short of the whole trail as of the newest checkpoint is a problem. */
  requireWholeTrail?: boolean;
  /** Pinned C2SP note verifier keys (`name+id+key`): the notes and tlog-proof files are checked with them. */
  noteKeys?: string[];
  /** Pinned witness cosigner keys (`name+id+base64(0x04 ‖ key)`): root checkpoints must carry their cosignatures. */
  witnessKeys?: string[];
  /** Cosignatures by pinned witnesses each root checkpoint needs (default: 1 when witness keys are pinned). */
  witnessThreshold?: number;
  /** Pinned RFC 3161 TSA certificates (PEM or DER; the TSA's CA or root): root checkpoint timestamps are checked with them. */
  tsaCerts?: (string | Uint8Array)[];
}

type Signed = { jws: string; p: CheckpointPayload };

/**
 * Checks evidence against a pinned JWKS, with no network and no database. Keys shipped inside
 * the evidence are never trusted; checkpoints signed by any key not in the pinned set fail.
 * Every checkpoint must be linked to the newest one by consistency proofs; every event must be
 * proven, by its range or its inclusion proof; every leaf of a range must be present, once, in
 * order, or withheld with a signed checkpoint showing it was sealed before the retention horizon.
 */
export async function verifyEvidence(e: Evidence, pinned: JSONWebKeySet, options: VerifyOptions | string = {}): Promise<EvidenceReport> {
  const opts: VerifyOptions = typeof options === 'string' ? { known: options } : options;
  const report: EvidenceReport = {
    status: 'ok',
    tenant: e.tenant,
    checkpoints: e.checkpoints.length,
    events: e.events.length,
    completeness: { scope: e.scope, ranges: [], expired_prefix: 0, whole_trail: false, statement: '' },
    problems: [],
    notes: [],
  };
  const problem = (p: EvidenceProblem) => report.problems.push(p);
  if (!pinned?.keys?.length) throw new UnusableEvidenceError('the pinned JWKS holds no keys');
  const pinnedKids = new Set(pinned.keys.map((k) => k.kid));
  const shipped = (e.jwks?.keys ?? []).filter((k) => !pinnedKids.has(k.kid));
  if (shipped.length > 0) report.notes.push(`ignored ${shipped.length} key(s) shipped in the evidence that are not pinned`);
  if (opts.tenant !== undefined && e.tenant !== opts.tenant) problem({ kind: 'foreign_tenant', detail: `the evidence is about tenant ${e.tenant}, not ${opts.tenant}` });
  for (const d of e.defects ?? []) problem({ kind: 'event_not_included', detail: `${d}: lines were removed, added or moved` });

  // Checkpoints: signatures, tenant, chain, consistency with the newest.
  const byNumber = new Map<number, Signed>();
  for (const jws of e.checkpoints) {
    const c = await verifyCheckpoint(jws, pinned);
    if (!c.ok) {
      problem({ kind: 'checkpoint_signature', detail: c.reason });
      continue;
    }
    if (c.payload.tenant !== e.tenant) {
      problem({ kind: 'foreign_tenant', checkpoint: c.payload.number, detail: `a checkpoint of tenant ${c.payload.tenant}` });
      continue;
    }
    const dup = byNumber.get(c.payload.number);
    if (dup && dup.jws !== jws) problem({ kind: 'split_view', checkpoint: c.payload.number, detail: 'two different signed checkpoints with one number' });
    byNumber.set(c.payload.number, { jws, p: c.payload });
  }
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  if (numbers.length === 0) {
    // Only checkpoints of another tenant: that is substitution, not an unreadable file.
    if (report.problems.some((p) => p.kind === 'foreign_tenant')) return finish(report);
    throw new UnusableEvidenceError('the evidence holds no verifiable checkpoint');
  }
  const newest = byNumber.get(numbers[numbers.length - 1]!)!.p;
  report.newest_checkpoint = { number: newest.number, tree_size: newest.tree_size, root: newest.root, sealed_at: newest.sealed_at };
  for (let i = 1; i < numbers.length; i++) {
    const prev = byNumber.get(numbers[i - 1]!)!;
    const cur = byNumber.get(numbers[i]!)!;
    if (numbers[i] === numbers[i - 1]! + 1 && cur.p.prev !== checkpointHash(prev.jws)) {
      problem({ kind: 'checkpoint_chain', checkpoint: cur.p.number, detail: `does not chain to checkpoint ${prev.p.number}` });
    }
    if (cur.p.tree_size < prev.p.tree_size) problem({ kind: 'inconsistent_checkpoints', checkpoint: cur.p.number, detail: 'the tree shrank' });
  }
  const linked = linkCheckpoints(e, byNumber, newest.number, problem);

  // Ranges: every leaf present once, in order, and together they recompute the signed root.
  const inRange = new Set<number>(); // positions in e.events proven by a range
  const rangeOf = (idx: number, checkpoint: number) => e.ranges.findIndex((r) => r.checkpoint === checkpoint && idx >= r.start && idx < r.end);
  const overlapping = e.ranges.some((r, i) => e.ranges.some((q, j) => j !== i && q.checkpoint === r.checkpoint && q.start < r.end && r.start < q.end));
  if (overlapping) problem({ kind: 'duplicated_leaf', detail: 'two ranges of the evidence overlap' });
  const retention = retentionOf(opts, newest);
  const now = opts.now ?? Date.now();
  const boundOf = (idx: number) => {
    // The earliest linked checkpoint whose tree holds the leaf: its signed receipt-time bound.
    let bound = Infinity;
    for (const n of linked) {
      const c = byNumber.get(n)!.p;
      if (c.tree_size > idx) bound = Math.min(bound, receivedBound(c));
    }
    return bound;
  };
  const expirable = (idx: number) => {
    if (retention === undefined) {
      throw new UnusableEvidenceError('the evidence withholds leaves as expired, but its newest checkpoint states no retention: pass --retention-days');
    }
    return boundOf(idx) < now - retention * DAY_MS + EXPIRY_GRACE_MS;
  };
  e.ranges.forEach((r, ri) => {
    const cp = byNumber.get(r.checkpoint);
    if (!cp || !linked.has(r.checkpoint)) {
      problem({ kind: 'range_mismatch', checkpoint: r.checkpoint, detail: `leaves ${r.start}–${r.end - 1}: their checkpoint is missing, did not verify or is not linked to the newest` });
      return;
    }
    if (r.start > r.end || r.end > cp.p.tree_size) {
      problem({ kind: 'range_mismatch', checkpoint: r.checkpoint, detail: `leaves ${r.start}–${r.end - 1} do not fit a tree of ${cp.p.tree_size}` });
      return;
    }
    const leaves = new Map<number, Buffer>();
    let dupes = 0;
    let moved = 0;
    let lastIdx = -1;
    let events = 0;
    e.events.forEach((item, pos) => {
      if (rangeOf(item.leaf_index, item.checkpoint) !== ri) return;
      inRange.add(pos);
      events++;
      const id = typeof item.event.id === 'string' ? item.event.id : undefined;
      if (item.leaf_index <= lastIdx && !leaves.has(item.leaf_index) && moved++ < MAX_LISTED) {
        problem({ kind: 'reordered', event_id: id, leaf_index: item.leaf_index, checkpoint: r.checkpoint, detail: `the event at leaf ${item.leaf_index} comes after leaf ${lastIdx}: the events were reordered` });
      }
      lastIdx = Math.max(lastIdx, item.leaf_index);
      if (leaves.has(item.leaf_index)) {
        if (dupes++ < MAX_LISTED) problem({ kind: 'duplicated_leaf', event_id: id, leaf_index: item.leaf_index, checkpoint: r.checkpoint, detail: `two entries claim leaf ${item.leaf_index}: an event was added` });
        return;
      }
      leaves.set(item.leaf_index, hashLeaf(canonicalJson(item.event)));
    });
    const withheld = e.withheld.filter((w) => w.leaf_index >= r.start && w.leaf_index < r.end);
    let late = 0;
    for (const w of withheld) {
      if (leaves.has(w.leaf_index)) {
        if (dupes++ < MAX_LISTED) problem({ kind: 'duplicated_leaf', leaf_index: w.leaf_index, checkpoint: r.checkpoint, detail: `leaf ${w.leaf_index} is both present and withheld` });
        continue;
      }
      leaves.set(w.leaf_index, fromHex(w.leaf_hash) ?? Buffer.alloc(0));
      if (!expirable(w.leaf_index) && late++ < MAX_LISTED) {
        problem({ kind: 'withheld_within_retention', leaf_index: w.leaf_index, checkpoint: r.checkpoint, detail: `leaf ${w.leaf_index} is withheld as expired, but it was sealed within the retention period: its event was removed` });
      }
    }
    if (late > MAX_LISTED) problem({ kind: 'withheld_within_retention', checkpoint: r.checkpoint, detail: `${late - MAX_LISTED} more leaves are withheld within the retention period` });
    const missing: number[] = [];
    for (let i = r.start; i < r.end; i++) if (!leaves.has(i)) missing.push(i);
    if (missing.length > 0) {
      problem({
        kind: 'missing_leaves',
        checkpoint: r.checkpoint,
        leaf_index: missing[0],
        detail: `${missing.length} of leaves ${r.start}–${r.end - 1} are neither in the evidence nor withheld (first: ${missing.slice(0, 5).join(', ')}): events were removed`,
      });
      return;
    }
    const list: Buffer[] = [];
    for (let i = r.start; i < r.end; i++) list.push(leaves.get(i)!);
    const left = r.left.map(fromHex);
    const right = r.right.map(fromHex);
    const root = left.every(Boolean) && right.every(Boolean) ? rootFromRange(r.start, cp.p.tree_size, left as Buffer[], list, right as Buffer[]) : undefined;
    if (!root || !root.equals(fromHex(cp.p.root)!)) {
      problem({ kind: 'range_mismatch', checkpoint: r.checkpoint, detail: `leaves ${r.start}–${r.end - 1} do not recompute the signed root: events were changed, added, removed or reordered` });
      return;
    }
    if (dupes === 0 && late === 0) report.completeness.ranges.push({ checkpoint: r.checkpoint, tree_size: cp.p.tree_size, start: r.start, end: r.end, events, withheld: withheld.length });
  });
  const stray = e.withheld.filter((w) => !e.ranges.some((r) => w.leaf_index >= r.start && w.leaf_index < r.end)).length;
  if (stray > 0) report.notes.push(`ignored ${stray} withheld leaf hash(es) outside every range`);

  // Events outside ranges: each by its inclusion proof.
  e.events.forEach((item, pos) => {
    if (inRange.has(pos)) return;
    const id = typeof item.event.id === 'string' ? item.event.id : undefined;
    const cp = byNumber.get(item.checkpoint);
    if (!cp) {
      problem({ kind: 'event_not_included', event_id: id, checkpoint: item.checkpoint, detail: 'its checkpoint is missing or did not verify' });
      return;
    }
    const path = item.audit_path.map(fromHex);
    const leaf = hashLeaf(canonicalJson(item.event));
    if (path.some((x) => !x) || !verifyInclusion(leaf, item.leaf_index, cp.p.tree_size, path as Buffer[], fromHex(cp.p.root)!)) {
      problem({ kind: 'event_not_included', event_id: id, checkpoint: item.checkpoint, detail: 'the event, its position or its proof was altered' });
    }
  });

  // Completeness: what the ranges prove about the newest checkpoint's tree.
  const c = report.completeness;
  const mine = c.ranges.filter((r) => r.checkpoint === newest.number).sort((a, b) => a.start - b.start);
  let covered = mine[0]?.start ?? newest.tree_size;
  for (const r of mine) if (r.start === covered) covered = r.end; // ranges never overlap (checked above)
  const prefix = mine[0]?.start ?? newest.tree_size;
  const prefixExpired = prefix === 0 || (retention !== undefined && expirable(prefix - 1));
  c.expired_prefix = prefixExpired ? prefix : 0;
  c.whole_trail = e.scope === 'trail' && mine.length > 0 && !overlapping && covered === newest.tree_size && prefixExpired;
  if (e.scope === 'trail' && e.ranges.length === 0) problem({ kind: 'incomplete', detail: 'trail evidence without a range' });
  if ((e.whole_trail || opts.requireWholeTrail) && !c.whole_trail) {
    problem({ kind: 'incomplete', checkpoint: newest.number, detail: `${e.whole_trail ? 'the evidence says it holds' : 'you asked for'} the whole trail, but it proves ${describeRanges(mine, newest.tree_size)}` });
  }
  c.statement = statement(e, c, newest, mine);

  await checkC2sp(e, byNumber, opts, report, problem);
  await checkRootLog(e, byNumber, opts, report, problem);

  if (opts.known !== undefined) {
    const k = await verifyCheckpoint(opts.known.trim(), pinned);
    if (!k.ok) throw new UnusableEvidenceError(`the known checkpoint does not verify: ${k.reason}`);
    if (k.payload.tenant !== e.tenant) {
      problem({ kind: 'foreign_tenant', checkpoint: k.payload.number, detail: `the checkpoint you hold is of tenant ${k.payload.tenant}, the evidence of ${e.tenant}` });
    } else {
      const same = byNumber.get(k.payload.number);
      if (same && same.jws !== opts.known.trim()) problem({ kind: 'split_view', checkpoint: k.payload.number, detail: 'differs from the checkpoint you hold under the same number' });
      if (k.payload.tree_size > newest.tree_size) {
        problem({ kind: 'rollback', checkpoint: newest.number, detail: `the newest checkpoint (${newest.tree_size} events) is older than the one you hold (${k.payload.tree_size})` });
      } else if (!same) {
        report.notes.push(`the checkpoint you hold (${k.payload.number}) is not in the evidence; relate it with GET /v1/integrity/consistency`);
      }
    }
  }
  return finish(report);
}

/**
 * C2SP: each signed note must verify with a pinned note key, name a log of this tenant, and state
 * the same tree head (size and root) as the JWS checkpoint of that size — a different root for
 * one size is a fork (split view). Each tlog-proof file must carry such a note and an inclusion
 * proof from its event (named by its `extra` line, the event as in this evidence) to that root.
 */
async function checkC2sp(e: Evidence, byNumber: Map<number, Signed>, opts: VerifyOptions, report: EvidenceReport, problem: (p: EvidenceProblem) => void): Promise<void> {
  const notes = e.notes ?? [];
  const proofs = e.tlog_proofs ?? [];
  if (notes.length === 0 && proofs.length === 0) return;
  if (!opts.noteKeys?.length) {
    report.c2sp = {
      checked: false,
      notes_verified: 0,
      tlog_proofs_verified: 0,
      statement: `C2SP: ${notes.length} checkpoint note(s) and ${proofs.length} tlog-proof file(s) not checked — pin the note keys (/.well-known/veritrail/note-keys) with --note-keys`,
    };
    return;
  }
  const keys = opts.noteKeys.map((k) => parseVerifierKey(k));
  if (keys.some((k) => !k)) throw new UnusableEvidenceError('a pinned note key is not a C2SP Ed25519 verifier key (name+id+base64 key)');
  const pinned = keys as VerifierKey[];
  const bySize = new Map([...byNumber.values()].map((c) => [c.p.tree_size, c.p]));
  const open = async (note: string, what: string) => {
    const r = await verifyCheckpointNote(note, pinned);
    if (!r.ok) {
      problem({ kind: 'c2sp_note', detail: `${what}: ${r.reason}` });
      return undefined;
    }
    const cp = r.checkpoint;
    if (!cp.origin.endsWith(`/${e.tenant}`)) {
      problem({ kind: 'foreign_tenant', detail: `${what}: its origin ${cp.origin} is not the log of tenant ${e.tenant}` });
      return undefined;
    }
    const jws = bySize.get(cp.treeSize);
    if (jws && jws.root !== hex(cp.root)) {
      problem({ kind: 'split_view', checkpoint: jws.number, detail: `${what} signs another root for tree size ${cp.treeSize} than the JWS checkpoint: two different trees of one size` });
      return undefined;
    }
    return { cp, jws, by: r.verifiedBy.map((k) => k.name) };
  };
  let notesOk = 0;
  let unmatched = 0;
  const signers = new Set<string>();
  for (const [i, note] of notes.entries()) {
    const r = await open(note, `note ${i + 1}`);
    if (!r) continue;
    notesOk++;
    r.by.forEach((n) => signers.add(n));
    if (!r.jws) unmatched++;
  }
  if (unmatched > 0) report.notes.push(`${unmatched} C2SP note(s) of tree sizes with no JWS checkpoint in the evidence: their signatures verify, nothing else is compared`);
  const events = new Map<string, Record<string, unknown>>();
  for (const item of e.events) if (typeof item.event.id === 'string') events.set(item.event.id, item.event);
  let proofsOk = 0;
  for (const [i, text] of proofs.entries()) {
    const what = `tlog-proof ${i + 1}`;
    const p = parseTlogProof(text);
    if (typeof p === 'string') {
      problem({ kind: 'tlog_proof', detail: `${what}: ${p}` });
      continue;
    }
    const id = p.extra?.toString('utf8');
    const event = id === undefined ? undefined : events.get(id);
    if (!event) {
      problem({ kind: 'tlog_proof', event_id: id, detail: `${what}: names no event of this evidence, so its leaf cannot be computed` });
      continue;
    }
    const r = await open(p.note, `${what} (event ${id})`);
    if (!r) continue;
    r.by.forEach((n) => signers.add(n));
    if (!verifyInclusion(hashLeaf(canonicalJson(event)), p.index, r.cp.treeSize, p.path, r.cp.root)) {
      problem({ kind: 'tlog_proof', event_id: id, leaf_index: p.index, detail: `${what}: the event, its index or its proof was altered: it does not lead to the signed root` });
      continue;
    }
    proofsOk++;
  }
  const by = [...signers].join(', ') || 'no pinned key';
  report.c2sp = {
    checked: true,
    notes_verified: notesOk,
    tlog_proofs_verified: proofsOk,
    statement:
      `C2SP: ${notesOk} of ${notes.length} checkpoint note(s) verify with the pinned note key(s) (${by}) and state the same tree heads as the JWS checkpoints; ` +
      `${proofsOk} of ${proofs.length} tlog-proof file(s) each prove, with the note key alone, that their event is the leaf they name in the signed tree — any C2SP tool (Go sumdb/note, Sigstore) can repeat these checks`,
  };
}

/**
 * Root log: each root proof (a tlog-proof whose extra line is a tenant checkpoint note) must
 * carry a tenant note of this tenant that verifies with a pinned note key and states the same
 * tree head as the JWS checkpoint of that size, an audit path from that note (the leaf) to the
 * root of a root checkpoint note (origin `…/root`) signed by a pinned note key, and — when
 * witness keys are pinned — at least `witnessThreshold` valid cosignatures by them. Two root
 * checkpoints of one size with different roots are a fork.
 */
async function checkRootLog(e: Evidence, byNumber: Map<number, Signed>, opts: VerifyOptions, report: EvidenceReport, problem: (p: EvidenceProblem) => void): Promise<void> {
  const proofs = e.root_proofs ?? [];
  if (proofs.length === 0) {
    if (opts.witnessKeys?.length) {
      problem({ kind: 'unwitnessed', detail: 'witness keys are pinned but the evidence proves no checkpoint to be in a witnessed root checkpoint' });
      report.root_log = { checked: true, proofs_verified: 0, tenant_tree_sizes: [], witnesses: [], statement: 'ROOT LOG: no checkpoint of this evidence is proven to be in a witnessed root checkpoint' };
    }
    return;
  }
  if (!opts.noteKeys?.length) {
    report.root_log = {
      checked: false,
      proofs_verified: 0,
      tenant_tree_sizes: [],
      witnesses: [],
      statement: `ROOT LOG: ${proofs.length} root-log proof(s) not checked — pin the note keys (/.well-known/veritrail/note-keys) with --note-keys, and the witness keys with --witness-keys`,
    };
    return;
  }
  const noteKeys = opts.noteKeys.map((k) => parseVerifierKey(k));
  if (noteKeys.some((k) => !k)) throw new UnusableEvidenceError('a pinned note key is not a C2SP Ed25519 verifier key (name+id+base64 key)');
  const witnessKeys = (opts.witnessKeys ?? []).map((k) => parseCosignerKey(k));
  if (witnessKeys.some((k) => !k)) throw new UnusableEvidenceError('a pinned witness key is not a C2SP Ed25519 cosigner key (name+id+base64 of 0x04 and the key)');
  const threshold = opts.witnessThreshold ?? (witnessKeys.length > 0 ? 1 : 0);
  if (threshold > witnessKeys.length) throw new UnusableEvidenceError(`${threshold} witness cosignature(s) required but ${witnessKeys.length} witness key(s) pinned`);
  const bySize = new Map([...byNumber.values()].map((c) => [c.p.tree_size, c.p]));
  const roots = new Map<string, Buffer>();
  const sizes: number[] = [];
  let ok = 0;
  let newestRoot: { origin: string; tree_size: number; root: string } | undefined;
  let witnessed: { name: string; cosigned_at: string }[] = [];
  const rootTexts = new Map<number, string>();
  for (const [i, text] of proofs.entries()) {
    const what = `root-log proof ${i + 1}`;
    const p = parseTlogProof(text);
    if (typeof p === 'string' || p.extra === undefined) {
      problem({ kind: 'root_log', detail: `${what}: ${typeof p === 'string' ? p : 'no extra line carrying the tenant checkpoint note'}` });
      continue;
    }
    const leafNote = p.extra.toString('utf8');
    const tenant = await verifyCheckpointNote(leafNote, noteKeys as VerifierKey[]);
    if (!tenant.ok) {
      problem({ kind: 'root_log', detail: `${what}: its tenant checkpoint note: ${tenant.reason}` });
      continue;
    }
    if (!tenant.checkpoint.origin.endsWith(`/${e.tenant}`)) {
      problem({ kind: 'foreign_tenant', detail: `${what}: proves the checkpoint of ${tenant.checkpoint.origin}, not of tenant ${e.tenant}` });
      continue;
    }
    const jws = bySize.get(tenant.checkpoint.treeSize);
    if (jws && jws.root !== hex(tenant.checkpoint.root)) {
      problem({ kind: 'split_view', checkpoint: jws.number, detail: `${what}: the root log holds another root for tree size ${tenant.checkpoint.treeSize} than the JWS checkpoint: two different trees of one size` });
      continue;
    }
    const root = await verifyCheckpointNote(p.note, noteKeys as VerifierKey[]);
    if (!root.ok) {
      problem({ kind: 'root_log', detail: `${what}: the root checkpoint: ${root.reason}` });
      continue;
    }
    const rc = root.checkpoint;
    if (!rc.origin.endsWith('/root')) {
      problem({ kind: 'root_log', detail: `${what}: ${rc.origin} is not a root log origin` });
      continue;
    }
    const key = `${rc.origin}\n${rc.treeSize}`;
    const seen = roots.get(key);
    if (seen && !seen.equals(rc.root)) {
      problem({ kind: 'split_view', detail: `${what}: two root checkpoints of size ${rc.treeSize} with different roots: the root log was forked` });
      continue;
    }
    roots.set(key, rc.root);
    if (!verifyInclusion(hashLeaf(leafNote), p.index, rc.treeSize, p.path, rc.root)) {
      problem({ kind: 'root_log', detail: `${what}: the tenant checkpoint note, its index or its proof was altered: it does not lead to the signed root` });
      continue;
    }
    const parsed = parseNote(p.note);
    const sigLines = typeof parsed === 'string' ? '' : p.note.slice(parsed.text.length + 1);
    let cosigners: { name: string; cosigned_at: string }[] = [];
    if (witnessKeys.length > 0) {
      const v = await verifyCosignatures(root.text, sigLines, witnessKeys as CosignerKey[]);
      if (typeof v === 'string') {
        problem({ kind: 'unwitnessed', detail: `${what}: ${v}` });
        continue;
      }
      cosigners = [...new Map(v.map((c) => [c.name, { name: c.name, cosigned_at: new Date(c.timestamp * 1000).toISOString() }])).values()];
      if (cosigners.length < threshold) {
        problem({
          kind: 'unwitnessed',
          detail: `${what}: the root checkpoint of size ${rc.treeSize} carries ${cosigners.length} cosignature(s) by pinned witnesses, ${threshold} required — a root no witness vouched for may be a fork shown only to you`,
        });
        continue;
      }
    }
    ok++;
    rootTexts.set(rc.treeSize, root.text);
    sizes.push(tenant.checkpoint.treeSize);
    if (!newestRoot || rc.treeSize > newestRoot.tree_size) {
      newestRoot = { origin: rc.origin, tree_size: rc.treeSize, root: hex(rc.root) };
      witnessed = cosigners;
    }
  }
  const stamps: { tree_size: number; time: string; tsa: string }[] = [];
  const tokens = e.root_timestamps ?? [];
  if (tokens.length > 0 && !opts.tsaCerts?.length) report.notes.push(`${tokens.length} RFC 3161 timestamp(s) of root checkpoints not checked — pin the TSA's certificate with --tsa-certs`);
  if (opts.tsaCerts?.length) {
    for (const t of tokens) {
      const text = rootTexts.get(t.tree_size);
      if (text === undefined) {
        report.notes.push(`the RFC 3161 timestamp of root checkpoint ${t.tree_size} is not of a root checkpoint proven here: not checked`);
        continue;
      }
      const r = await verifyTimestampToken(Buffer.from(t.token, 'base64'), text, opts.tsaCerts);
      if (!r.ok) {
        problem({ kind: 'timestamp', detail: `the RFC 3161 timestamp of root checkpoint ${t.tree_size}: ${r.reason}` });
        continue;
      }
      stamps.push({ tree_size: t.tree_size, time: r.genTime.toISOString(), tsa: r.tsa });
    }
  }
  const by = witnessed.map((w) => `${w.name} at ${w.cosigned_at}`).join(', ');
  const when = stamps.map((t) => ` The root checkpoint of size ${t.tree_size} existed by ${t.time} (RFC 3161 timestamp by ${t.tsa}, a pinned TSA): so did every checkpoint in it, and every event in those.`).join('');
  report.root_log = {
    checked: true,
    proofs_verified: ok,
    tenant_tree_sizes: sizes.sort((a, b) => a - b),
    ...(newestRoot ? { root: newestRoot } : {}),
    witnesses: witnessed,
    ...(opts.tsaCerts?.length ? { timestamps: stamps } : {}),
    statement:
      (ok === 0
        ? 'ROOT LOG: no checkpoint of this evidence is proven to be in the root log'
        : `ROOT LOG: the checkpoint(s) of tree size ${sizes.join(', ')} are leaves of the deployment's root log (${newestRoot!.origin}, size ${newestRoot!.tree_size}), signed with the pinned note key` +
          (witnessKeys.length > 0
            ? ` and cosigned by ${witnessed.length} pinned witness(es) (${by}): the witnesses saw this root extend every root they cosigned before, so the same history was shown to everyone who checks with them`
            : ' — no witness keys pinned (--witness-keys), so nothing shows the same root was shown to others')) + when,
  };
}

function finish(report: EvidenceReport): EvidenceReport {
  if (report.problems.length > 0) report.status = 'tampered';
  if (!report.completeness.statement) report.completeness.statement = 'nothing is proven: no checkpoint of this tenant verifies';
  return report;
}

/**
 * Checkpoints reachable from the newest through verified consistency proofs (each proof from an
 * older to a newer checkpoint). Any other checkpoint was added without proof: a problem.
 */
function linkCheckpoints(e: Evidence, byNumber: Map<number, Signed>, newest: number, problem: (p: EvidenceProblem) => void): Set<number> {
  const edges = new Map<number, number[]>();
  for (const proof of e.consistency) {
    const from = byNumber.get(proof.from);
    const to = byNumber.get(proof.to);
    if (!from || !to || proof.from >= proof.to) continue;
    const path = proof.proof.map(fromHex);
    if (path.some((x) => !x) || !verifyConsistency(from.p.tree_size, to.p.tree_size, path as Buffer[], fromHex(from.p.root)!, fromHex(to.p.root)!)) {
      problem({ kind: 'inconsistent_checkpoints', checkpoint: proof.to, detail: `not an append-only extension of checkpoint ${proof.from}` });
      continue;
    }
    edges.set(proof.from, [...(edges.get(proof.from) ?? []), proof.to]);
  }
  const linked = new Set([newest]);
  for (const n of [...byNumber.keys()].sort((a, b) => b - a)) {
    if (n === newest) continue;
    if ((edges.get(n) ?? []).some((to) => linked.has(to))) linked.add(n);
    else problem({ kind: 'unlinked_checkpoint', checkpoint: n, detail: `no consistency proof links checkpoint ${n} to the newest (${newest}): it was added to the evidence` });
  }
  return linked;
}

function retentionOf(opts: VerifyOptions, newest: CheckpointPayload): number | undefined {
  return opts.retentionDays ?? newest.retention_floor_days;
}

function describeRanges(ranges: readonly ProvenRange[], size: number): string {
  if (ranges.length === 0) return `no complete range of the newest checkpoint's ${size} leaves`;
  return `${ranges.map((r) => `leaves ${r.start}–${r.end - 1}`).join(', ')} of ${size}`;
}

function statement(e: Evidence, c: EvidenceReport['completeness'], newest: CheckpointPayload, mine: readonly ProvenRange[]): string {
  if (e.scope === 'selection') {
    return `SELECTION: each event is proven to be in the trail (checkpoint ${newest.number}, ${newest.tree_size} leaves); nothing is said about events the selection left out`;
  }
  const withheld = mine.reduce((n, r) => n + r.withheld, 0);
  const events = mine.reduce((n, r) => n + r.events, 0);
  const extra = [withheld > 0 ? `${withheld} withheld as expired` : '', c.expired_prefix > 0 ? `leaves 0–${c.expired_prefix - 1} expired before the range` : ''].filter(Boolean).join('; ');
  if (c.whole_trail) return `COMPLETE: the whole trail as of checkpoint ${newest.number} (${newest.tree_size} leaves, sealed ${newest.sealed_at}) — ${events} events, in order, none missing${extra ? `; ${extra}` : ''}`;
  return `PARTIAL: ${describeRanges(mine, newest.tree_size)} of checkpoint ${newest.number} proven complete and in order (${events} events${extra ? `; ${extra}` : ''}); the rest of the trail is not in this evidence`;
}

