import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CheckedClock } from '../common/checked-clock.js';
import { ConflictError } from '../common/errors.js';
import { InjectConfig } from '../config/config.module.js';
import { isEmbeddedPostgres, type AppConfig } from '../config/config.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { checkpointHash, signCheckpoint, type CheckpointPayload } from './checkpoint.js';
import { IntegrityRepository, type CheckpointRecord, type LogHeadRecord, type NodeRow } from './integrity.repository.js';
import { KeyRingService } from './key-ring.service.js';
import { MerkleLog } from './merkle-log.service.js';
import { Frontier, fromHex, hex } from './merkle.js';
import { RootLogService } from './root-log.service.js';

/**
 * Events are looked for this far behind the newest appended received_at: an event may be
 * committed after events received later than it (group commit, several replicas, clock
 * skew). Such late events are appended after the ones already in the log — never skipped,
 * never appended twice (the candidate query excludes existing leaves).
 */
export const SEAL_LOOKBACK_MS = 10 * 60_000;
/**
 * The look-back of the frequent appends between two full look-backs (one per SEAL_INTERVAL, see
 * {@link SealerService.sealAll}): an event committed later than this after its receipt waits for
 * the next full look-back, at most one SEAL_INTERVAL.
 */
export const APPEND_LOOKBACK_MS = 60_000;
/** Leaves per append; a backlog is appended in several steps in one run. */
const MAX_LEAVES_PER_APPEND = 250_000;

export interface SealOutcome {
  checkpoint: CheckpointRecord;
  sealed: number;
}

/**
 * The tenant's Merkle log, in two steps on their own schedules:
 * - append (every LOG_APPEND_INTERVAL): newly received events become leaves and the tenant's log
 *   head moves (PostgreSQL, fenced by the lease). Feed, webhooks and alerts follow the head.
 * - sign (every SEAL_INTERVAL per tenant, and on demand): a checkpoint signs the current head.
 *   Proofs and evidence are only ever against signed checkpoints.
 * Runs on every replica; a per-tenant lease in PostgreSQL makes one replica work on a tenant at
 * a time, and both commits are fenced by that lease.
 */
@Injectable()
export class SealerService implements OnModuleInit {
  private readonly logger = new Logger('Sealer');
  /** When this process last looked back the full SEAL_LOOKBACK_MS (epoch ms). */
  private lastFullLookbackMs = 0;
  /**
   * Per tenant, the head number this process last left with no nodes above it (it committed that
   * head, or found nothing uncommitted): the next append skips that ClickHouse check. Only when
   * one process owns the stores (embedded PostgreSQL): then only this process appends, and every
   * attempt takes its tenant's entry out before it could leave nodes behind.
   */
  private readonly cleanHeads = new Map<string, number>();

  constructor(
    private readonly repo: IntegrityRepository,
    private readonly keys: KeyRingService,
    private readonly jobs: JobRunner,
    private readonly tenants: TenantDirectory,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clickhouse: ClickHouseService,
    private readonly clock: CheckedClock,
    private readonly rootLog: RootLogService,
    private readonly log: MerkleLog,
  ) {}

  onModuleInit(): void {
    const { appendIntervalMs, sealIntervalMs } = this.config.integrity;
    this.jobs.register({ kind: 'seal', intervalMs: Math.min(appendIntervalMs, sealIntervalMs), run: (ctx) => this.sealAll(ctx) });
  }

  private leaseTtlMs(): number {
    return Math.max(60_000, 6 * this.config.integrity.sealIntervalMs);
  }

  /**
   * One job run: appends every tenant with events in the look-back window that are not in its
   * log, and signs every tenant whose head is ahead of its newest checkpoint and whose last
   * checkpoint is at least SEAL_INTERVAL old. The look-back is the full SEAL_LOOKBACK_MS once
   * per SEAL_INTERVAL, APPEND_LOOKBACK_MS in between (the frequent runs stay cheap).
   */
  async sealAll(ctx: JobContext): Promise<JobCounts> {
    const now = this.clock.now();
    const { sealIntervalMs, appendIntervalMs } = this.config.integrity;
    const full = now - this.lastFullLookbackMs >= sealIntervalMs;
    const lookback = full ? SEAL_LOOKBACK_MS + sealIntervalMs : APPEND_LOOKBACK_MS + appendIntervalMs;
    const pending = await this.repo.oldestUnsealed(now - lookback, now + 60_000);
    if (full) this.lastFullLookbackMs = now;
    // Half a run's interval of slack: a run that comes a little early signs now, not one run late.
    const slack = Math.min(appendIntervalMs, sealIntervalMs) / 2;
    const due = new Set((await this.repo.unsignedHeads()).filter((u) => u.lastSealedAtMs === undefined || now - u.lastSealedAtMs >= sealIntervalMs - slack).map((u) => u.tenantId));
    const visit = [...new Set([...pending.map((p) => p.tenantId), ...due])];
    let tenants = 0;
    let appended = 0;
    let sealed = 0;
    let checkpoints = 0;
    let busy = 0;
    for (const tenantId of visit) {
      const scope = TenantScope.forTenant({ id: tenantId, retentionDays: 36_500 });
      const r = await ctx.withLease(`seal:${tenantId}`, this.leaseTtlMs(), async (holder) => {
        const n = await this.appendHeld(scope, holder, full ? SEAL_LOOKBACK_MS : APPEND_LOOKBACK_MS);
        return { appended: n, signed: due.has(tenantId) ? await this.signHeld(scope, holder) : undefined };
      });
      if (!r.acquired) {
        busy++;
        continue;
      }
      tenants++;
      appended += r.value.appended;
      if (r.value.signed) {
        checkpoints++;
        sealed += r.value.signed.sealed;
      }
    }
    return { tenants, appended, checkpoints, sealed, busy };
  }

  /** Appends and signs one tenant now (on demand). 409 when another replica is sealing it. */
  async sealTenant(scope: TenantScope): Promise<SealOutcome[]> {
    const r = await this.jobs.context.withLease(`seal:${scope.tenantId}`, this.leaseTtlMs(), async (holder) => {
      await this.appendHeld(scope, holder, SEAL_LOOKBACK_MS);
      return this.signHeld(scope, holder);
    });
    if (!r.acquired) throw new ConflictError('seal_in_progress', 'The trail is being sealed right now; retry in a moment.', { 'retry-after': '1' });
    return r.value ? [r.value] : [];
  }

  /** Appends every unlogged event of the look-back to the tenant's log; returns how many. */
  private async appendHeld(scope: TenantScope, holder: string, lookbackMs: number): Promise<number> {
    let appended = 0;
    for (;;) {
      const n = await this.appendOnce(scope, holder, lookbackMs);
      appended += n;
      if (n < MAX_LEAVES_PER_APPEND) return appended;
    }
  }

  private async appendOnce(scope: TenantScope, holder: string, lookbackMs: number): Promise<number> {
    const head = await this.repo.head(scope);
    const committed = head?.number ?? 0;
    const clean = isEmbeddedPostgres(this.config) && this.cleanHeads.get(scope.tenantId) === committed;
    this.cleanHeads.delete(scope.tenantId);
    if (!clean) {
      const removed = await this.repo.deleteUncommittedNodes(scope, committed);
      if (removed > 0) this.logger.warn({ tenant_id: scope.tenantId, removed, committed }, 'removed nodes of an interrupted append');
    }
    const from = (head?.watermarkMs ?? 0) - lookbackMs;
    // On a cluster, candidates are read with sequential consistency (rows up to the last INSERT that
    // reached its replica quorum), so a logged row is provable whichever replica answers; what this
    // does not cover with parallel quorum inserts is in docs/operations.md.
    const candidates = await this.repo.unsealed(scope, Math.max(0, from), committed, MAX_LEAVES_PER_APPEND, { settings: this.clickhouse.sealerReadSettings });
    if (candidates.length === 0) {
      this.cleanHeads.set(scope.tenantId, committed);
      return 0;
    }

    const number = committed + 1;
    const frontier = head ? Frontier.of(head.treeSize, head.frontier.map((h) => fromHex(h)!)) : Frontier.empty();
    const rows: NodeRow[] = [];
    let watermark = head?.watermarkMs ?? 0;
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
    const next = { number, treeSize: frontier.size, root: hex(frontier.root()), frontier: frontier.nodes.map(hex), watermarkMs: watermark, appendedAt: new Date(this.clock.now()) };
    const ok = await this.repo.commitHead(scope, next, { key: `seal:${scope.tenantId}`, holder });
    if (!ok) throw new Error(`lost the seal lease of ${scope.tenantId} before committing log head ${number}; its nodes will be discarded`);
    this.cleanHeads.set(scope.tenantId, number);
    this.log.headMoved(scope.tenantId, next.treeSize);
    return candidates.length;
  }

  /** Signs the tenant's head when it is ahead of the newest checkpoint. */
  private async signHeld(scope: TenantScope, holder: string): Promise<SealOutcome | undefined> {
    const head = await this.repo.head(scope);
    const last = await this.repo.latestCheckpoint(scope);
    if (!head || head.treeSize <= (last?.treeSize ?? 0)) return undefined;
    const checkpoint = await this.signCheckpoint(scope, holder, head, last);
    return { checkpoint, sealed: head.treeSize - (last?.treeSize ?? 0) };
  }

  /** A tenant checkpoint is signed and committed here, and only here. */
  private async signCheckpoint(scope: TenantScope, holder: string, head: LogHeadRecord, last: CheckpointRecord | undefined): Promise<CheckpointRecord> {
    const number = (last?.number ?? 0) + 1;
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
      tree_size: head.treeSize,
      root: head.root,
      prev: last ? checkpointHash(last.jws) : null,
      sealed_at: sealedAt.toISOString(),
      watermark: new Date(head.watermarkMs).toISOString(),
      ...(floor !== undefined ? { retention_floor_days: floor } : {}),
    };
    const signer = this.keys.ring;
    const jws = await signCheckpoint(payload, signer);
    const record: CheckpointRecord = {
      tenantId: scope.tenantId,
      number,
      treeSize: head.treeSize,
      root: payload.root,
      prevHash: payload.prev,
      frontier: head.frontier,
      watermarkMs: head.watermarkMs,
      kid: signer.kid,
      jws,
      sealedAt,
      logNumber: head.number,
    };
    const ok = await this.repo.commitCheckpoint(scope, record, { key: `seal:${scope.tenantId}`, holder });
    if (!ok) throw new Error(`lost the seal lease of ${scope.tenantId} before committing checkpoint ${number}`);
    // Its note becomes a leaf of the deployment's root log (what witnesses cosign).
    await this.rootLog.appendTenantCheckpoint(scope.tenantId, record.treeSize, record.root);
    return record;
  }
}
