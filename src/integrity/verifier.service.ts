import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { checkpointHash, EXPIRY_GRACE_MS, receivedBound, verifyCheckpoint } from './checkpoint.js';
import { IntegrityRepository, type CheckpointRecord } from './integrity.repository.js';
import { KeyRingService } from './key-ring.service.js';
import { Frontier, fromHex, hex } from './merkle.js';
import { SEAL_LOOKBACK_MS } from './sealer.service.js';
import { PersonalDataService } from '../personal-data/personal-data.service.js';

const CHUNK = 100_000;
const MAX_FINDINGS = 1000;

export type Finding =
  | { kind: 'modified'; event_id: string; leaf_index: number; checkpoint: number; detail: string }
  | { kind: 'column_modified'; event_id: string; leaf_index: number; checkpoint: number; columns: string[]; detail: string }
  | { kind: 'deleted'; event_id: string; leaf_index: number; checkpoint: number; detail: string }
  | { kind: 'inserted'; event_id: string; detail: string }
  | { kind: 'duplicated'; event_id: string; detail: string }
  | { kind: 'log_rewritten'; checkpoint: number; leaf_index?: number; detail: string }
  | { kind: 'checkpoint_signature'; checkpoint: number; detail: string }
  | { kind: 'checkpoint_chain'; checkpoint: number; detail: string }
  | { kind: 'rollback' | 'split_view'; checkpoint: number; detail: string };

export interface ExpiredRange {
  from_index: number;
  to_index: number;
  count: number;
}

export interface VerifyReport {
  status: 'ok' | 'tampered';
  tree_size: number;
  checkpoints_checked: number;
  events_checked: number;
  newest_checkpoint: number | null;
  tampered: Finding[];
  expired: ExpiredRange[];
  /** Events received but not in a checkpoint yet (they are sealed within one interval). */
  unsealed_recent: number;
  truncated: boolean;
}

/**
 * Server-side verification of a tenant's trail against its own signed checkpoints: every
 * checkpoint's signature and chain, every stored event against its leaf, every checkpoint root
 * recomputed from the leaves, events present but never logged, and — given a checkpoint the
 * tenant holds — rollback and rewritten history. Ranges removed by retention are reported as
 * expired, not as tampering; whether a missing event may have expired is judged from signed
 * data only (the receipt-time bound of the checkpoint that sealed it), never from a stored
 * time. Every derived filter column is checked against the sealed payload.
 */
@Injectable()
export class VerifierService {
  constructor(
    private readonly repo: IntegrityRepository,
    private readonly keys: KeyRingService,
    private readonly clock: Clock,
    private readonly personal: PersonalDataService,
  ) {}

  async verify(
    scope: TenantScope,
    opts: { fromIndex?: number; toIndex?: number; known?: string; retentionFloorDays: number },
    now = this.clock.now(),
  ): Promise<VerifyReport> {
    const findings: Finding[] = [];
    const add = (f: Finding) => {
      if (findings.length < MAX_FINDINGS) findings.push(f);
    };
    const checkpoints: CheckpointRecord[] = [];
    for (let after: number | undefined; ; ) {
      const page = await this.repo.checkpoints(scope, { afterNumber: after, limit: 1000, order: 'asc' });
      checkpoints.push(...page);
      if (page.length < 1000) break;
      after = page[page.length - 1]!.number;
    }
    const latest = checkpoints[checkpoints.length - 1];

    // 1. Signatures, contents, chain. Only a checkpoint that verifies vouches for a time.
    const jwks = this.keys.jwks;
    const signedBound = new Map<number, number>();
    let prev: CheckpointRecord | undefined;
    for (const c of checkpoints) {
      const v = await verifyCheckpoint(c.jws, jwks);
      if (v.ok && v.payload.tenant === scope.tenantId && v.payload.number === c.number && v.payload.tree_size === c.treeSize && v.payload.root === c.root) {
        signedBound.set(c.number, receivedBound(v.payload));
      }
      if (!v.ok) add({ kind: 'checkpoint_signature', checkpoint: c.number, detail: v.reason });
      else if (!signedBound.has(c.number)) {
        add({ kind: 'checkpoint_signature', checkpoint: c.number, detail: 'the stored checkpoint differs from what was signed' });
      } else if (c.number !== (prev?.number ?? 0) + 1) {
        add({ kind: 'checkpoint_chain', checkpoint: c.number, detail: `checkpoint ${(prev?.number ?? 0) + 1} is missing` });
      } else if (v.payload.prev !== (prev ? checkpointHash(prev.jws) : null)) {
        add({ kind: 'checkpoint_chain', checkpoint: c.number, detail: `does not chain to checkpoint ${prev?.number ?? 'genesis'}` });
      }
      prev = c;
    }

    // 2. Leaves, in log order: each stored event against its leaf; every root recomputed.
    const treeSize = latest?.treeSize ?? 0;
    const committed = latest?.logNumber ?? 0;
    const from = Math.max(0, opts.fromIndex ?? 0);
    const to = Math.min(treeSize, opts.toIndex ?? treeSize);
    const horizon = now - opts.retentionFloorDays * 86_400_000 + EXPIRY_GRACE_MS;
    const frontier = Frontier.empty();
    const rootsBySize = new Map<number, CheckpointRecord[]>();
    for (const c of checkpoints) rootsBySize.set(c.treeSize, [...(rootsBySize.get(c.treeSize) ?? []), c]);
    const expired: ExpiredRange[] = [];
    let checked = 0;
    let rewritten = false;
    const checkRoots = () => {
      for (const c of rootsBySize.get(frontier.size) ?? []) {
        if (hex(frontier.root()) !== c.root) {
          rewritten = true;
          add({ kind: 'log_rewritten', checkpoint: c.number, detail: 'the leaves no longer produce the signed root: leaves were changed, removed, inserted or reordered' });
        }
      }
    };
    checkRoots();
    // The next chunk is read while this one is hashed: ClickHouse and the frontier overlap.
    // Rows an erasure with blank_context changed on purpose (their context columns) are expected so.
    const erasures = await this.personal.contextErasureBounds(scope);
    const read = (a: number) => {
      const p = this.repo.verifiedLeaves(scope, a, Math.min(treeSize, a + CHUNK), committed, erasures);
      p.catch(() => undefined); // awaited below; never an unhandled rejection if we stop early
      return p;
    };
    let next = treeSize > 0 ? read(0) : undefined;
    for (let a = 0; a < treeSize; a += CHUNK) {
      const b = Math.min(treeSize, a + CHUNK);
      const rows = await next!;
      next = b < treeSize ? read(b) : undefined;
      let expected = a;
      let seen = 0;
      for (let i = 0; i < rows.length; ) {
        // A leaf comes back once per stored copy of its event.
        const leaf = rows[i]!;
        let j = i + 1;
        while (j < rows.length && rows[j]!.idx === leaf.idx) j++;
        const copies = rows.slice(i, j);
        i = j;
        seen++;
        if (leaf.idx !== expected || copies.some((c) => c.hash !== leaf.hash)) {
          if (!rewritten) add({ kind: 'log_rewritten', checkpoint: checkpointOf(checkpoints, expected), leaf_index: expected, detail: `leaf ${expected} is missing or duplicated in the log` });
          rewritten = true;
        }
        expected = leaf.idx + 1;
        frontier.append(fromHex(leaf.hash) ?? Buffer.alloc(32));
        checkRoots();
        if (leaf.idx < from || leaf.idx >= to) continue;
        checked++;
        if (copies.every((c) => c.state === 'ok')) continue;
        const checkpoint = checkpointOf(checkpoints, leaf.idx);
        const eventId = copies.find((c) => c.eventId !== '')!.eventId;
        if (leaf.state === 'missing') {
          // Expired only if the signed checkpoint that sealed it proves it was received before
          // the retention horizon; a stored time (the leaf's received_at) proves nothing.
          const bound = signedBound.get(checkpoint);
          if (bound !== undefined && bound < horizon) {
            const last = expired[expired.length - 1];
            if (last && last.to_index === leaf.idx) {
              last.to_index++;
              last.count++;
            } else expired.push({ from_index: leaf.idx, to_index: leaf.idx + 1, count: 1 });
          } else {
            add({ kind: 'deleted', event_id: eventId, leaf_index: leaf.idx, checkpoint, detail: 'the event is gone but it was sealed within the retention period' });
          }
        } else if (copies.some((c) => c.state === 'modified')) {
          add({ kind: 'modified', event_id: eventId, leaf_index: leaf.idx, checkpoint, detail: 'the stored event no longer matches its sealed hash' });
        } else {
          const columns = [...new Set(copies.flatMap((c) => c.mismatch))];
          add({ kind: 'column_modified', event_id: eventId, leaf_index: leaf.idx, checkpoint, columns, detail: `${columns.join(', ')} no longer match${columns.length === 1 ? 'es' : ''} the sealed event` });
        }
      }
      if (seen < b - a && !rewritten) {
        add({ kind: 'log_rewritten', checkpoint: checkpointOf(checkpoints, expected), leaf_index: expected, detail: 'leaves are missing from the log' });
        rewritten = true;
      }
    }

    // 3. Events present but never logged (older than the sealing window), and duplicates.
    if (latest) {
      for (const e of await this.repo.unlogged(scope, latest.watermarkMs - SEAL_LOOKBACK_MS, committed, 100)) {
        add({ kind: 'inserted', event_id: e.eventId, detail: 'the event is stored but was never sealed: it was added behind the log' });
      }
      for (const id of await this.repo.duplicateLeaves(scope, committed, 100)) add({ kind: 'duplicated', event_id: id, detail: 'the event appears twice in the log' });
      for (const d of await this.repo.duplicateEvents(scope, 100)) add({ kind: 'duplicated', event_id: d.eventId, detail: `the event is stored ${d.copies} times: a copy was added` });
    }

    // 4. A checkpoint the tenant holds: not newer than ours, and the same history.
    if (opts.known !== undefined) {
      const k = await verifyCheckpoint(opts.known.trim(), jwks);
      if (!k.ok || k.payload.tenant !== scope.tenantId) {
        add({ kind: 'checkpoint_signature', checkpoint: k.ok ? k.payload.number : 0, detail: k.ok ? 'the checkpoint you hold belongs to another tenant' : `the checkpoint you hold does not verify: ${k.reason}` });
      } else if (k.payload.tree_size > treeSize || k.payload.number > (latest?.number ?? 0)) {
        add({ kind: 'rollback', checkpoint: k.payload.number, detail: `the trail is behind the checkpoint you hold (${k.payload.tree_size} events, ours ${treeSize})` });
      } else {
        const ours = checkpoints.find((c) => c.number === k.payload.number);
        if (!ours || ours.jws !== opts.known.trim()) add({ kind: 'split_view', checkpoint: k.payload.number, detail: 'our checkpoint under that number differs from the one you hold' });
      }
    }

    const unsealed = await this.repo.countUnsealed(scope, latest ? latest.watermarkMs - SEAL_LOOKBACK_MS : 0, committed);
    return {
      status: findings.length > 0 ? 'tampered' : 'ok',
      tree_size: treeSize,
      checkpoints_checked: checkpoints.length,
      events_checked: checked,
      newest_checkpoint: latest?.number ?? null,
      tampered: findings,
      expired,
      unsealed_recent: unsealed,
      truncated: findings.length >= MAX_FINDINGS,
    };
  }
}

/** The first checkpoint whose tree contains leaf `index`. */
function checkpointOf(checkpoints: readonly CheckpointRecord[], index: number): number {
  for (const c of checkpoints) if (c.treeSize > index) return c.number;
  return checkpoints[checkpoints.length - 1]?.number ?? 0;
}
