import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CheckedClock } from '../common/checked-clock.js';
import { ConflictError } from '../common/errors.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { checkpointHash, signCheckpoint, type CheckpointPayload } from './checkpoint.js';
import { IntegrityRepository, type CheckpointRecord, type NodeRow } from './integrity.repository.js';
import { KeyRingService } from './key-ring.service.js';
import { Frontier, fromHex, hex } from './merkle.js';
import { RootLogService } from './root-log.service.js';

/**
 * Events are looked for this far behind the newest sealed received_at: an event may be
 * committed after events received later than it (group commit, several replicas, clock
 * skew). Such late events are appended after the ones already sealed — never skipped, never
 * sealed twice (the candidate query excludes existing leaves).
 */
export const SEAL_LOOKBACK_MS = 10 * 60_000;
/** Leaves per checkpoint; a backlog is sealed as several checkpoints in one run. */
const MAX_LEAVES_PER_CHECKPOINT = 250_000;

export interface SealOutcome {
  checkpoint: CheckpointRecord;
  sealed: number;
}

/**
 * Appends each tenant's newly received events to its Merkle log and signs a checkpoint.
 * Runs every SEAL_INTERVAL on every replica; a per-tenant lease in PostgreSQL makes one
 * replica seal a tenant at a time, and the checkpoint commit is fenced by that lease.
 */
@Injectable()
export class SealerService implements OnModuleInit {
  private readonly logger = new Logger('Sealer');

  constructor(
    private readonly repo: IntegrityRepository,
    private readonly keys: KeyRingService,
    private readonly jobs: JobRunner,
    private readonly tenants: TenantDirectory,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clickhouse: ClickHouseService,
    private readonly clock: CheckedClock,
    private readonly rootLog: RootLogService,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ kind: 'seal', intervalMs: this.config.integrity.sealIntervalMs, run: (ctx) => this.sealAll(ctx) });
  }

  private leaseTtlMs(): number {
    return Math.max(60_000, 6 * this.config.integrity.sealIntervalMs);
  }

  /** One job run: every tenant with events in the look-back window that no checkpoint covers. */
  async sealAll(ctx: JobContext): Promise<JobCounts> {
    const now = this.clock.now();
    const pending = await this.repo.oldestUnsealed(now - SEAL_LOOKBACK_MS - this.config.integrity.sealIntervalMs, now + 60_000);
    let tenants = 0;
    let sealed = 0;
    let checkpoints = 0;
    let busy = 0;
    for (const { tenantId } of pending) {
      const scope = TenantScope.forTenant({ id: tenantId, retentionDays: 36_500 });
      const r = await ctx.withLease(`seal:${tenantId}`, this.leaseTtlMs(), (holder) => this.sealTenantHeld(scope, holder));
      if (!r.acquired) {
        busy++;
        continue;
      }
      tenants++;
      for (const o of r.value) {
        sealed += o.sealed;
        checkpoints++;
      }
    }
    return { tenants, checkpoints, sealed, busy };
  }

  /** Seals one tenant now (on demand). 409 when another replica is sealing it. */
  async sealTenant(scope: TenantScope): Promise<SealOutcome[]> {
    const r = await this.jobs.context.withLease(`seal:${scope.tenantId}`, this.leaseTtlMs(), (holder) => this.sealTenantHeld(scope, holder));
    if (!r.acquired) throw new ConflictError('seal_in_progress', 'The trail is being sealed right now; retry in a moment.', { 'retry-after': '1' });
    return r.value;
  }

  private async sealTenantHeld(scope: TenantScope, holder: string): Promise<SealOutcome[]> {
    const out: SealOutcome[] = [];
    for (;;) {
      const o = await this.sealOnce(scope, holder);
      if (!o) return out;
      out.push(o);
      if (o.sealed < MAX_LEAVES_PER_CHECKPOINT) return out;
    }
  }

  private async sealOnce(scope: TenantScope, holder: string): Promise<SealOutcome | undefined> {
    const last = await this.repo.latestCheckpoint(scope);
    const committed = last?.number ?? 0;
    const removed = await this.repo.deleteUncommittedNodes(scope, committed);
    if (removed > 0) this.logger.warn({ tenant_id: scope.tenantId, removed, committed }, 'removed nodes of an interrupted seal');
    const from = (last?.watermarkMs ?? 0) - SEAL_LOOKBACK_MS;
    // On a cluster, candidates are read with sequential consistency (rows up to the last INSERT that
    // reached its replica quorum), so a sealed row is provable whichever replica answers; what this
    // does not cover with parallel quorum inserts is in docs/operations.md.
    const candidates = await this.repo.unsealed(scope, Math.max(0, from), committed, MAX_LEAVES_PER_CHECKPOINT, { settings: this.clickhouse.sealerReadSettings });
    if (candidates.length === 0) return undefined;

    const number = committed + 1;
    const frontier = last ? Frontier.of(last.treeSize, last.frontier.map((h) => fromHex(h)!)) : Frontier.empty();
    const rows: NodeRow[] = [];
    let watermark = last?.watermarkMs ?? 0;
    for (const c of candidates) {
      const leaf = fromHex(c.leafHash)!;
      for (const node of frontier.append(leaf)) {
        rows.push(
          node.level === 0
            ? { level: 0, idx: node.index, hash: c.leafHash, eventId: c.eventId, receivedAtMs: c.receivedAtMs, checkpoint: number }
            : { level: node.level, idx: node.index, hash: hex(node.hash), checkpoint: number },
        );
      }
      if (c.receivedAtMs > watermark) watermark = c.receivedAtMs;
    }
    await this.repo.insertNodes(scope, rows);

    // Signed with the root: the bound on every leaf's receipt time and the shortest retention
    // ever in force, so a verifier (online or offline) can tell expiry from deletion from
    // signed data alone (PEN-07).
    const floor = (await this.tenants.get(scope.tenantId))?.retentionFloorDays;
    // The checked clock (LD-02), and never earlier than the previous checkpoint's time: a replica
    // whose clock ran ahead before its skew was measured must not make the next checkpoint,
    // sealed by a replica with a correct clock, look older than its predecessor.
    const sealedAt = new Date(Math.max(this.clock.now(), last?.sealedAt.getTime() ?? 0));
    const payload: CheckpointPayload = {
      v: 1,
      iss: 'veritrail',
      tenant: scope.tenantId,
      number,
      tree_size: frontier.size,
      root: hex(frontier.root()),
      prev: last ? checkpointHash(last.jws) : null,
      sealed_at: sealedAt.toISOString(),
      watermark: new Date(watermark).toISOString(),
      ...(floor !== undefined ? { retention_floor_days: floor } : {}),
    };
    const signer = this.keys.ring;
    const jws = await signCheckpoint(payload, signer);
    const record: CheckpointRecord = {
      tenantId: scope.tenantId,
      number,
      treeSize: frontier.size,
      root: payload.root,
      prevHash: payload.prev,
      frontier: frontier.nodes.map(hex),
      watermarkMs: watermark,
      kid: signer.kid,
      jws,
      sealedAt,
    };
    const ok = await this.repo.commitCheckpoint(scope, record, { key: `seal:${scope.tenantId}`, holder });
    if (!ok) throw new Error(`lost the seal lease of ${scope.tenantId} before committing checkpoint ${number}; its nodes will be discarded`);
    // Its note becomes a leaf of the deployment's root log (what witnesses cosign).
    await this.rootLog.appendTenantCheckpoint(scope.tenantId, record.treeSize, record.root);
    return { checkpoint: record, sealed: candidates.length };
  }
}
