import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors.js';
import { LogWalk } from '../events/log-walk.service.js';
import { EventReads, type EventFilters } from '../events/event-reads.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { EXPIRY_GRACE_MS } from './checkpoint.js';
import { EVIDENCE_FORMAT, ROOT_PROOF_PREFIX, type Evidence, type EvidenceEvent, type EvidenceRange, type WithheldLeaf } from './evidence.js';
import { IntegrityRepository, type CheckpointRecord } from './integrity.repository.js';
import { KeyRingService } from './key-ring.service.js';
import { NoteKeyService } from './note-keys.service.js';
import { formatTlogProof } from './tlog-proof.js';
import { fromHex, hex, inclusionPlan, evaluate, neededNodes, nodeKey, rangeProofPlan, type RangeSpec } from './merkle.js';
import { ProofService } from './proofs.service.js';
import { RootLogService } from './root-log.service.js';
import { SEAL_LOOKBACK_MS } from './sealer.service.js';

export type EvidenceDocument = Evidence & {
  /** Events received but not sealed yet, hence not in this evidence. */
  unsealed: number;
  /** Trail evidence cut by `limit`: ask again with `from_index` set to this. */
  next_from_index: number | null;
};

/**
 * Evidence does not hide events only when nothing narrows it: no filter, a tenant-wide
 * credential, no viewer narrowing. Then it covers the log itself (ranges, proven complete);
 * otherwise it is a selection (each event's inclusion, nothing about the events left out).
 */
export function coversTrail(scope: TenantScope, filters: EventFilters): boolean {
  return scope.organizationId === undefined && !scope.narrowing && Object.values(filters).every((v) => v === undefined);
}

/** Leaves per read when a trail range is assembled. */
const TRAIL_CHUNK = 5_000;

/**
 * Builds evidence for the offline verifier (src/integrity/offline-verifier.ts): the JSON of
 * `GET /v1/integrity/evidence`, and the parts of a trail bundle export.
 */
@Injectable()
export class EvidenceService {
  constructor(
    private readonly repo: IntegrityRepository,
    private readonly events: EventReads,
    private readonly walk: LogWalk,
    private readonly proofs: ProofService,
    private readonly keys: KeyRingService,
    private readonly tenants: TenantDirectory,
    private readonly clock: Clock,
    private readonly notes: NoteKeyService,
    private readonly rootLog: RootLogService,
  ) {}

  /** The root-log inclusion (tlog-proof files) of each checkpoint JWS that the newest final root checkpoint holds. */
  async rootProofsOf(scope: TenantScope, jwsList: readonly string[]): Promise<string[]> {
    return (await this.rootLog.proofsFor(scope.tenantId, sizesOf(jwsList))).map((p) => p.proof);
  }

  /** The RFC 3161 token of the root checkpoint those proofs lead to, if a TSA timestamped it. */
  async rootTimestampsOf(scope: TenantScope, jwsList: readonly string[]): Promise<{ tree_size: number; token: string }[]> {
    const { timestamp } = await this.rootLog.rootEvidence(scope.tenantId, sizesOf(jwsList));
    return timestamp ? [{ tree_size: timestamp.treeSize, token: Buffer.from(timestamp.token).toString('base64') }] : [];
  }

  /** The same as bundle files: `root-<tenant tree size>.tlog-proof`, and `root-checkpoint-<size>.tst` (binary). */
  async rootProofFiles(scope: TenantScope, jwsList: readonly string[]): Promise<[string, string | Buffer][]> {
    const { proofs, timestamp } = await this.rootLog.rootEvidence(scope.tenantId, sizesOf(jwsList));
    return [
      ...proofs.map((p): [string, string] => [`${ROOT_PROOF_PREFIX}${p.treeSize}.tlog-proof`, p.proof]),
      ...(timestamp ? [[`root-checkpoint-${timestamp.treeSize}.tst`, Buffer.from(timestamp.token)] as [string, Buffer]] : []),
    ];
  }

  /** The C2SP signed note of each checkpoint JWS (its tree size and root, as signed in the JWS). */
  notesOf(scope: TenantScope, jwsList: readonly string[]): string[] {
    return jwsList.map((jws) => {
      const p = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { tree_size: number; root: string };
      return this.notes.checkpointNote(scope.tenantId, p.tree_size, p.root);
    });
  }

  /** The C2SP tlog-proof of one event (extra = its id) against the note of `checkpoint`. */
  tlogProof(scope: TenantScope, checkpoint: CheckpointRecord, eventId: string, leafIndex: number, auditPath: readonly string[]): string {
    return formatTlogProof({
      extra: Buffer.from(eventId, 'utf8'),
      index: leafIndex,
      path: auditPath.map((h) => fromHex(h)!),
      note: this.notes.checkpointNote(scope.tenantId, checkpoint.treeSize, checkpoint.root),
    });
  }

  async evidence(scope: TenantScope, filters: EventFilters, limit: number, opts: { since?: number; fromIndex?: number } = {}): Promise<EvidenceDocument> {
    const latest = await this.repo.latestCheckpoint(scope);
    if (!latest) throw new ConflictError('not_yet_sealed', 'Nothing is sealed yet.', { 'retry-after': '5' });
    if (!coversTrail(scope, filters)) {
      if (opts.fromIndex !== undefined) {
        throw new ValidationError([{ field: 'from_index', code: 'not_applicable', message: 'from_index pages through the whole trail: it applies only without filters, with a tenant-wide key.' }]);
      }
      return this.selection(scope, filters, limit, latest, opts.since);
    }
    const size = latest.treeSize;
    const first = await this.trailStart(scope, latest);
    const start = opts.fromIndex ?? first;
    if (start > size) {
      throw new ValidationError([{ field: 'from_index', code: 'out_of_range', message: `The newest checkpoint holds ${size} leaves.` }]);
    }
    const end = Math.min(size, start + limit);
    const { events, withheld } = await this.trailLeaves(scope, latest, start, end);
    const { checkpoints, consistency } = await this.checkpointsFor(scope, latest, { bound: withheld.length > 0 || start > 0, since: opts.since });
    return {
      ...this.header(scope, 'trail', start <= first && end === size),
      checkpoints,
      consistency,
      ranges: [await this.range(scope, latest, start, end)],
      withheld,
      events,
      notes: this.notesOf(scope, checkpoints),
      tlog_proofs: [],
      root_proofs: await this.rootProofsOf(scope, checkpoints),
      root_timestamps: await this.rootTimestampsOf(scope, checkpoints),
      unsealed: await this.repo.countUnsealed(scope, latest.watermarkMs - SEAL_LOOKBACK_MS, latest.logNumber),
      next_from_index: end < size ? end : null,
    };
  }

  header(scope: TenantScope, kind: Evidence['scope'], wholeTrail: boolean) {
    return {
      format: EVIDENCE_FORMAT,
      tenant: scope.tenantId,
      generated_at: new Date().toISOString(),
      scope: kind,
      whole_trail: wholeTrail,
      jwks: this.keys.jwks,
      note_keys: this.notes.verifierKeys(),
    };
  }

  /**
   * Where trail evidence starts by default: the first leaf whose event may still be retained.
   * Leaves before it are left out; the verifier accepts that only if a signed checkpoint shows
   * they were sealed before the retention horizon.
   */
  async trailStart(scope: TenantScope, latest: CheckpointRecord): Promise<number> {
    return (await this.walk.firstRetainedLeaf(scope, latest.logNumber)) ?? latest.treeSize;
  }

  /**
   * Leaves [start, end) of the newest checkpoint in log order: each leaf's event in its sealed
   * form (personal data encrypted), or — when retention removed it — its leaf hash, "withheld".
   * Whatever storage holds goes in: a tampered event makes the range fail offline.
   */
  async trailLeaves(scope: TenantScope, latest: CheckpointRecord, start: number, end: number): Promise<{ events: EvidenceEvent[]; withheld: WithheldLeaf[] }> {
    const events: EvidenceEvent[] = [];
    const withheld: WithheldLeaf[] = [];
    for (let a = start; a < end; a += TRAIL_CHUNK) {
      const leaves = await this.repo.leafRange(scope, a, Math.min(end, a + TRAIL_CHUNK), latest.logNumber);
      if (leaves.length === 0) continue;
      const times = leaves.map((l) => l.receivedAtMs);
      const stored = await this.events.sealedPayloads(
        scope,
        leaves.map((l) => l.eventId),
        { receivedBetween: [Math.min(...times), Math.max(...times)] },
      );
      for (const leaf of leaves) {
        const s = stored.get(leaf.eventId);
        if (s) events.push({ event: JSON.parse(s.payload) as Record<string, unknown>, leaf_index: leaf.idx, checkpoint: latest.number, audit_path: [] });
        else withheld.push({ leaf_index: leaf.idx, leaf_hash: leaf.hash, reason: 'expired' });
      }
    }
    return { events, withheld };
  }

  /** The range [start, end) of the newest checkpoint with its boundary hashes. */
  async range(scope: TenantScope, latest: CheckpointRecord, start: number, end: number): Promise<EvidenceRange> {
    const plan = rangeProofPlan(start, end, latest.treeSize);
    const nodes = await this.repo.nodes(scope, [...plan.left, ...plan.right], latest.logNumber);
    const get = (r: { level: number; index: number }) => {
      const h = nodes.get(nodeKey(r));
      if (!h) throw new Error(`Merkle node ${nodeKey(r)} is missing`);
      return h;
    };
    return { checkpoint: latest.number, start, end, left: plan.left.map(get), right: plan.right.map(get) };
  }

  /**
   * The newest checkpoint, plus the newest one in the witnessed root log, plus — when leaves are left out as expired — the newest checkpoint
   * whose signed watermark predates the retention horizon (it bounds the receipt time of every
   * leaf that may lawfully be gone), plus `since`; each older one with its consistency proof.
   */
  async checkpointsFor(scope: TenantScope, latest: CheckpointRecord, opts: { bound: boolean; since?: number }): Promise<Pick<Evidence, 'checkpoints' | 'consistency'>> {
    const older = new Map<number, CheckpointRecord>();
    if (opts.bound) {
      const floor = (await this.tenants.get(scope.tenantId))?.retentionFloorDays ?? scope.retentionDays;
      const h = await this.repo.lastCheckpointReceivedBefore(scope, this.clock.now() - floor * 86_400_000 + EXPIRY_GRACE_MS);
      if (h && h.number < latest.number) older.set(h.number, h);
    }
    // The newest checkpoint that the newest final root checkpoint holds: its root-log proof
    // (root_proofs) ties the evidence, through the consistency proof, to the witnessed root.
    const rooted = await this.rootLog.newestRootedSize(scope.tenantId);
    if (rooted !== undefined && rooted < latest.treeSize) {
      const c = await this.repo.checkpointBySize(scope, rooted);
      if (c && c.number < latest.number) older.set(c.number, c);
    }
    if (opts.since !== undefined && opts.since < latest.number) {
      const old = await this.repo.checkpoint(scope, opts.since);
      if (!old) throw new NotFoundError('checkpoint');
      older.set(old.number, old);
    }
    const list = [...older.values()].sort((a, b) => a.number - b.number);
    const consistency: Evidence['consistency'] = [];
    for (const c of list) consistency.push({ from: c.number, to: latest.number, proof: (await this.proofs.consistency(scope, c.treeSize, latest.treeSize)).proof });
    return { checkpoints: [...list.map((c) => c.jws), latest.jws], consistency };
  }

  /**
   * Up to `limit` events matching the filters, oldest first, each with its inclusion proof
   * against the newest checkpoint. Events not sealed yet are left out (counted).
   */
  private async selection(scope: TenantScope, filters: EventFilters, limit: number, latest: CheckpointRecord, since?: number): Promise<EvidenceDocument> {
    const rows = await this.events.list(scope, filters, { limit, order: 'asc' });
    const leaves = await this.repo.leavesOf(
      scope,
      rows.map((r) => r.id),
      latest.logNumber,
    );
    const sealed = rows.filter((r) => {
      const l = leaves.get(r.id);
      return l !== undefined && l.idx < latest.treeSize;
    });
    const plans = sealed.map((r) => inclusionPlan(leaves.get(r.id)!.idx, latest.treeSize));
    const nodes = await this.fetch(scope, plans.flat(), latest.logNumber);
    const events: EvidenceEvent[] = sealed.map((r, i) => ({
      event: JSON.parse(r.payload) as Record<string, unknown>,
      leaf_index: leaves.get(r.id)!.idx,
      checkpoint: latest.number,
      audit_path: plans[i]!.map((s) => hex(evaluate(s, nodes))),
    }));
    const { checkpoints, consistency } = await this.checkpointsFor(scope, latest, { bound: false, since });
    return {
      ...this.header(scope, 'selection', false),
      checkpoints,
      consistency,
      ranges: [],
      withheld: [],
      events,
      notes: this.notesOf(scope, checkpoints),
      tlog_proofs: events.map((e) => this.tlogProof(scope, latest, String(e.event.id), e.leaf_index, e.audit_path)),
      root_proofs: await this.rootProofsOf(scope, checkpoints),
      root_timestamps: await this.rootTimestampsOf(scope, checkpoints),
      unsealed: rows.length - sealed.length,
      next_from_index: null,
    };
  }

  private async fetch(scope: TenantScope, specs: readonly RangeSpec[], committed: number): Promise<Map<string, Buffer>> {
    const stored = await this.repo.nodes(scope, neededNodes(specs), committed);
    return new Map([...stored].map(([k, v]) => [k, fromHex(v)!]));
  }
}

/** The tree sizes signed in checkpoint JWSs. */
function sizesOf(jwsList: readonly string[]): number[] {
  return jwsList.map((jws) => (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { tree_size: number }).tree_size);
}
