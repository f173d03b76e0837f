import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors.js';
import { isUuid, uuidv7Timestamp } from '../common/ids.js';
import { EventReads } from '../events/event-reads.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { IntegrityRepository, type CheckpointRecord } from './integrity.repository.js';
import { KeyRingService } from './key-ring.service.js';
import { verifyCheckpoint } from './checkpoint.js';
import { consistencyPlan, evaluate, fromHex, hashLeaf, hex, inclusionPlan, neededNodes, rangeSpec, verifyInclusion, type RangeSpec } from './merkle.js';
import { PersonalDataService } from '../personal-data/personal-data.service.js';

export interface CheckpointView {
  number: number;
  tree_size: number;
  root: string;
  prev: string | null;
  sealed_at: string;
  kid: string;
  jws: string;
}

export function checkpointView(c: CheckpointRecord): CheckpointView {
  return { number: c.number, tree_size: c.treeSize, root: c.root, prev: c.prevHash, sealed_at: c.sealedAt.toISOString(), kid: c.kid, jws: c.jws };
}

export interface InclusionProof {
  event_id: string;
  leaf_index: number;
  leaf_hash: string;
  tree_size: number;
  audit_path: string[];
  checkpoint: CheckpointView;
  sealed_event: string;
}

/** Inclusion and consistency proofs, computed from stored complete subtrees. */
@Injectable()
export class ProofService {
  constructor(
    private readonly repo: IntegrityRepository,
    private readonly events: EventReads,
    private readonly keys: KeyRingService,
    private readonly personal: PersonalDataService,
  ) {}

  async inclusion(scope: TenantScope, rawId: string, checkpointNumber?: number): Promise<InclusionProof> {
    const id = rawId.toLowerCase();
    if (!isUuid(id)) throw new NotFoundError('event');
    // Visible to this credential at all? (organization scope, retention) — else 404.
    const payload = await this.events.get(scope, id, uuidv7Timestamp(id));
    if (payload === undefined) throw new NotFoundError('event');
    const checkpoint = await this.pickCheckpoint(scope, checkpointNumber);
    const leaf = checkpoint ? await this.repo.leafOf(scope, id, checkpoint.logNumber) : undefined;
    if (!checkpoint || !leaf || leaf.idx >= checkpoint.treeSize) {
      if (checkpointNumber !== undefined && leaf && checkpoint) {
        throw new ConflictError('not_in_checkpoint', `The event was sealed after checkpoint ${checkpoint.number}; ask for a later one.`);
      }
      throw new ConflictError('not_yet_sealed', 'The event is not in a checkpoint yet; it is sealed within one seal interval.', { 'retry-after': '5' });
    }
    const plan = inclusionPlan(leaf.idx, checkpoint.treeSize);
    const path = await this.evaluateAll(scope, plan, checkpoint.logNumber);
    return { event_id: id, leaf_index: leaf.idx, leaf_hash: leaf.hash, tree_size: checkpoint.treeSize, audit_path: path, checkpoint: checkpointView(checkpoint), sealed_event: payload };
  }

  async consistency(scope: TenantScope, fromSize: number, toSize: number) {
    const latest = await this.repo.latestCheckpoint(scope);
    const max = latest?.treeSize ?? 0;
    if (fromSize > toSize || toSize > max) {
      throw new ValidationError([{ field: 'to', code: 'out_of_range', message: `Tree sizes must satisfy 0 ≤ from ≤ to ≤ ${max} (the newest checkpoint).` }]);
    }
    const specs: RangeSpec[] = [...consistencyPlan(fromSize, toSize)];
    if (fromSize > 0) specs.push(rangeSpec(0, fromSize));
    if (toSize > 0) specs.push(rangeSpec(0, toSize));
    const hashes = await this.evaluateAll(scope, specs, latest?.logNumber ?? 0);
    const proofLength = specs.length - (fromSize > 0 ? 1 : 0) - (toSize > 0 ? 1 : 0);
    const emptyRoot = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    return {
      from: fromSize,
      to: toSize,
      proof: hashes.slice(0, proofLength),
      from_root: fromSize > 0 ? hashes[proofLength]! : emptyRoot,
      to_root: toSize > 0 ? hashes[hashes.length - 1]! : emptyRoot,
    };
  }

  /**
   * Checks a few events (a page of the viewer) against the newest checkpoint: its signature
   * (pinned key ring), each stored event's hash against its sealed leaf, and each leaf's audit
   * path to the signed root. Events outside the scope answer not_found, as unknown ids do.
   */
  async verifyEvents(scope: TenantScope, rawIds: readonly string[]): Promise<{
    checkpoint: { number: number; sealed_at: string } | null;
    events: { id: string; status: 'verified' | 'unsealed' | 'failed' | 'not_found' }[];
  }> {
    const ids = [...new Set(rawIds.map((i) => i.toLowerCase()))];
    if (ids.some((i) => !isUuid(i))) throw new ValidationError([{ field: 'ids', code: 'invalid_format', message: 'Event ids are UUIDs.' }]);
    const stored = await this.events.sealedPayloads(scope, ids, { contextErasures: await this.personal.contextErasureBounds(scope) });
    const payloads = new Map([...stored].map(([id, s]) => [id, s.payload]));
    const latest = await this.repo.latestCheckpoint(scope);
    if (!latest) return { checkpoint: null, events: ids.map((id) => ({ id, status: payloads.has(id) ? 'unsealed' : 'not_found' })) };
    const signed = await verifyCheckpoint(latest.jws, this.keys.jwks);
    const root = fromHex(latest.root)!;
    const checkpointOk =
      signed.ok && signed.payload.tenant === scope.tenantId && signed.payload.root === latest.root && signed.payload.tree_size === latest.treeSize;
    const visible = ids.filter((id) => payloads.has(id));
    const leaves = await this.repo.leavesOf(scope, visible, latest.logNumber);
    const sealed = visible.filter((id) => (leaves.get(id)?.idx ?? Infinity) < latest.treeSize);
    const paths = await this.auditPaths(
      scope,
      latest,
      sealed.map((id) => leaves.get(id)!.idx),
    );
    const verdict = new Map<string, 'verified' | 'failed'>();
    sealed.forEach((id, i) => {
      const leaf = leaves.get(id)!;
      const recomputed = hashLeaf(payloads.get(id)!);
      const ok =
        checkpointOk &&
        stored.get(id)!.mismatch.length === 0 && // its filter columns still say what was sealed (PEN-08)
        hex(recomputed) === leaf.hash &&
        verifyInclusion(
          recomputed,
          leaf.idx,
          latest.treeSize,
          paths[i]!.map((h) => fromHex(h)!),
          root,
        );
      verdict.set(id, ok ? 'verified' : 'failed');
    });
    return {
      checkpoint: { number: latest.number, sealed_at: latest.sealedAt.toISOString() },
      events: ids.map((id) => ({ id, status: !payloads.has(id) ? 'not_found' : (verdict.get(id) ?? 'unsealed') })),
    };
  }

  /** Audit paths (hex) of these leaf indexes in `checkpoint`, in the same order; one node fetch for all. */
  async auditPaths(scope: TenantScope, checkpoint: CheckpointRecord, leafIdxs: readonly number[]): Promise<string[][]> {
    const plans = leafIdxs.map((i) => inclusionPlan(i, checkpoint.treeSize));
    const nodes = await this.fetch(scope, plans.flat(), checkpoint.logNumber);
    return plans.map((p) => p.map((s) => hex(evaluate(s, nodes))));
  }

  private async pickCheckpoint(scope: TenantScope, number?: number): Promise<CheckpointRecord | undefined> {
    if (number === undefined) return this.repo.latestCheckpoint(scope);
    const c = await this.repo.checkpoint(scope, number);
    if (!c) throw new NotFoundError('checkpoint');
    return c;
  }

  private async fetch(scope: TenantScope, specs: readonly RangeSpec[], committed: number): Promise<Map<string, Buffer>> {
    const stored = await this.repo.nodes(scope, neededNodes(specs), committed);
    return new Map([...stored].map(([k, v]) => [k, fromHex(v)!]));
  }

  private async evaluateAll(scope: TenantScope, specs: readonly RangeSpec[], committed: number): Promise<string[]> {
    const nodes = await this.fetch(scope, specs, committed);
    return specs.map((s) => hex(evaluate(s, nodes)));
  }
}
