import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { randomBase62 } from '../common/secrets.js';
import { InjectConfig } from '../config/config.module.js';
import { isEmbeddedPostgres, type AppConfig } from '../config/config.js';
import { AuditTrailService } from '../events/audit-trail.service.js';
import { parseFilters } from '../events/query.service.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { ExportProducer, exportFileType, type ExportProgress } from './export-producer.js';
import { ExportsRepository, type ExportRecord } from './exports.repository.js';
import { EXPORT_JOB, EXPORTER_ACTOR, ExportsService } from './exports.service.js';
import type { OcsfMapping } from './formats/ocsf.js';
import { EXPORT_FILE_STORE, type ExportFileStore } from './storage/file-store.js';
import { Clock } from '../common/clock.js';

export const EXPORT_CLEANUP_JOB = 'export-cleanup';
/** A worker that stops heartbeating for this long is presumed dead; another one takes the export over. */
const LEASE_MS = 60_000;
const HEARTBEAT_MS = 2_000;
/** Runs of one export (crashes included) before it is failed for good. */
const MAX_ATTEMPTS = 3;
/** Temporary files untouched for this long belong to a crashed run. */
const STALE_TMP_MS = 3_600_000;
/** An idle lane looks for new work this often while another lane is still producing a file. */
const IDLE_POLL_MS = 1_000;

class Stop extends Error {
  constructor(readonly why: 'cancel' | 'lost' | 'shutdown') {
    super(`export stopped: ${why}`);
  }
}

/** A failure to hand the finished file to the store. */
class PublishError extends Error {}

/**
 * The export worker, EXPORT_WORKERS exports at a time per process ("lanes"): claims exports from
 * PostgreSQL — tenants in turn, at most EXPORT_TENANT_CONCURRENCY per tenant across replicas
 * (ExportsRepository.claim) — so one tenant's long exports cannot hold another's short one
 * behind them. Each lane writes the file into DATA_DIR/tmp/exports while
 * heartbeating its lease, publishes it to the file store and records the outcome. A crashed
 * worker's export is taken over when its lease runs out (at most MAX_ATTEMPTS runs); a shutdown
 * hands the export back to the queue at the next chunk. A second job deletes expired files.
 */
@Injectable()
export class ExportWorker implements OnModuleInit {
  private readonly logger = new Logger('Exports');
  private readonly tmpDir: string;

  constructor(
    private readonly repo: ExportsRepository,
    private readonly producer: ExportProducer,
    private readonly exportsService: ExportsService,
    private readonly trail: AuditTrailService,
    private readonly jobs: JobRunner,
    private readonly directory: TenantDirectory,
    @Inject(EXPORT_FILE_STORE) private readonly store: ExportFileStore,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.tmpDir = join(config.dataDir, 'tmp', 'exports');
  }

  /**
   * Embedded PostgreSQL belongs to one process (the data directory is locked), so an export found
   * running under a live lease at start was left by a process that died: it is taken over now
   * rather than after LEASE_MS. With a PostgreSQL server other replicas may be running them.
   */
  async onModuleInit(): Promise<void> {
    if (isEmbeddedPostgres(this.config)) {
      const released = await this.repo.releaseAllLeases();
      if (released > 0) this.logger.log({ count: released }, 'released exports of a previous process');
    }
    this.jobs.register({ kind: EXPORT_JOB, intervalMs: 2_000, run: (ctx) => this.runQueue(ctx) });
    this.jobs.register({ kind: EXPORT_CLEANUP_JOB, intervalMs: 5 * 60_000, run: () => this.cleanup() });
  }

  /**
   * Works through the queue with EXPORT_WORKERS lanes until nothing is claimable and no lane is
   * busy (or the process stops). A lane with nothing to claim keeps polling while another lane
   * is still producing, so an export requested meanwhile (another tenant's, say) starts at once
   * instead of after the long one.
   */
  async runQueue(ctx: JobContext): Promise<JobCounts> {
    const counts = { succeeded: 0, failed: 0, cancelled: 0, handed_back: 0 };
    await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    const state = { busy: 0 };
    const lanes = Array.from({ length: this.config.exports.workers }, () => this.lane(ctx, counts, state));
    // Every lane ends before the run does (a run must not overlap the next one); the first failure is reported.
    const failure = (await Promise.allSettled(lanes)).find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    return counts;
  }

  private async lane(ctx: JobContext, counts: Record<'succeeded' | 'failed' | 'cancelled' | 'handed_back', number>, state: { busy: number }): Promise<void> {
    while (!this.jobs.stopping) {
      const holder = `${ctx.holder}:${randomBase62(6)}`;
      state.busy++; // claiming counts as busy: another lane must not end the run meanwhile
      let job: ExportRecord | undefined;
      try {
        job = await this.repo.claim(holder, LEASE_MS, this.config.exports.tenantConcurrency);
        if (job) {
          const outcome = await this.process(job, holder);
          if (outcome !== 'lost') counts[outcome]++;
        }
      } finally {
        state.busy--;
      }
      if (job) continue;
      if (state.busy === 0) return;
      await new Promise((r) => setTimeout(r, IDLE_POLL_MS).unref());
    }
  }

  private async process(job: ExportRecord, holder: string): Promise<'succeeded' | 'failed' | 'cancelled' | 'handed_back' | 'lost'> {
    const tenant = await this.directory.get(job.tenantId);
    if (!tenant) {
      await this.repo.failUnclaimed(job.id, holder, 'export_failed', 'The tenant no longer exists.');
      return 'failed';
    }
    const scope = TenantScope.forTenant(tenant, job.organizationId, TenantScope.parseNarrowingKey(job.scopeNarrowing));
    if (job.attempts > MAX_ATTEMPTS) {
      const message = `The export was interrupted ${MAX_ATTEMPTS} times; request it again.`;
      await this.repo.failUnclaimed(job.id, holder, 'export_abandoned', message);
      await this.recordFailed(scope, job, 'export_abandoned');
      return 'failed';
    }

    const tmp = join(this.tmpDir, `${job.id}-${job.attempts}`);
    let progress: ExportProgress = { rows: 0, bytes: 0 };
    let signal: Stop['why'] | undefined;
    const beat = async () => {
      const s = await this.repo.heartbeat(job.id, holder, LEASE_MS, progress);
      if (s !== 'ok') signal ??= s;
    };
    const timer = setInterval(() => {
      beat().catch((err: unknown) => this.logger.warn({ export_id: job.id, err: (err as Error).message }, 'export heartbeat failed'));
    }, HEARTBEAT_MS);
    const onProgress = async (p: ExportProgress) => {
      progress = p;
      if (this.jobs.stopping) throw new Stop('shutdown');
      if (signal) throw new Stop(signal);
    };
    const started = performance.now();
    try {
      const produced = await this.producer.toFile(
        {
          scope,
          filters: parseFilters(job.filters),
          snapshotMs: job.snapshotAt.getTime(),
          format: job.format,
          gzip: job.gzip,
          tenantName: tenant.name,
          ocsfMapping: (await this.repo.ocsfMapping(scope)) as OcsfMapping,
          exportId: job.id,
          requestFilters: job.filters,
          includeRestricted: job.includeRestricted,
        },
        tmp,
        onProgress,
      );
      clearInterval(timer);
      if (signal) throw new Stop(signal);
      const type = exportFileType(job.format, job.gzip);
      const fileKey = `${job.tenantId}/${job.id}-${job.attempts}.${type.extension}`;
      try {
        await this.store.publish(fileKey, tmp, type.contentType);
      } catch (err) {
        throw new PublishError((err as Error).message);
      }
      const expiresAt = this.clock.date(this.config.exports.retentionMs);
      const mine = await this.repo.finish(job.id, holder, { status: 'succeeded', rows: produced.rows, bytes: produced.bytes, sha256: produced.sha256, fileKey, expiresAt });
      if (!mine) {
        await this.store.remove(fileKey).catch(() => undefined);
        return 'lost';
      }
      this.logger.log({ export_id: job.id, tenant_id: job.tenantId, format: job.format, rows: produced.rows, bytes: produced.bytes, ms: Math.round(performance.now() - started) }, 'export succeeded');
      await this.trail.record(scope, {
        action: 'veritrail.export.completed',
        actor: EXPORTER_ACTOR,
        targets: [{ type: 'export', id: job.id }],
        metadata: { format: job.format, gzip: job.gzip, rows: produced.rows, bytes: produced.bytes, sha256: produced.sha256 },
        organizationId: job.organizationId,
      });
      if (produced.restrictedShown > 0) {
        // Restricted values read in clear through an export are recorded like any other such read.
        await this.trail.record(scope, {
          action: 'veritrail.privacy.restricted_read',
          actor: EXPORTER_ACTOR,
          targets: [{ type: 'export', id: job.id }],
          metadata: { via: 'export', values: produced.restrictedShown, events: produced.rows, requested_by_key: job.requestedBy },
          organizationId: job.organizationId,
        });
      }
      return 'succeeded';
    } catch (err) {
      clearInterval(timer);
      await rm(tmp, { force: true });
      if (err instanceof Stop) {
        if (err.why === 'lost') return 'lost';
        if (err.why === 'shutdown') {
          await this.repo.release(job.id, holder);
          return 'handed_back';
        }
        if (await this.repo.finish(job.id, holder, { status: 'cancelled', rows: progress.rows, bytes: progress.bytes })) {
          await this.exportsService.recordCancelled(scope, { ...job, rowCount: progress.rows }, EXPORTER_ACTOR);
        }
        return 'cancelled';
      }
      const code = err instanceof PublishError ? 'export_storage_unavailable' : 'export_failed';
      const message =
        code === 'export_storage_unavailable'
          ? 'The export file could not be stored; request the export again later.'
          : 'The export could not be produced; request it again later.';
      // Internal detail goes to the application log only (no event data in it).
      this.logger.error({ export_id: job.id, tenant_id: job.tenantId, code, err: (err as Error).message }, 'export failed');
      if (await this.repo.finish(job.id, holder, { status: 'failed', code, message, rows: progress.rows, bytes: progress.bytes })) {
        await this.recordFailed(scope, job, code);
      }
      return 'failed';
    }
  }

  private async recordFailed(scope: TenantScope, job: ExportRecord, code: string): Promise<void> {
    await this.trail.record(scope, {
      action: 'veritrail.export.failed',
      actor: EXPORTER_ACTOR,
      outcome: 'failure',
      targets: [{ type: 'export', id: job.id }],
      metadata: { format: job.format, error: code },
      organizationId: job.organizationId,
    });
  }

  /** Deletes files past their expiry (downloads then answer 410) and temporary files of crashed runs. */
  async cleanup(): Promise<JobCounts> {
    let deleted = 0;
    for (;;) {
      const batch = await this.repo.expiredFiles(this.clock.date(), 100);
      if (batch.length === 0) break;
      for (const f of batch) {
        await this.store.remove(f.fileKey);
        await this.repo.markFileDeleted(f.id);
        deleted++;
      }
      if (batch.length < 100) break;
    }
    let tmpRemoved = 0;
    const now = Date.now();
    for (const name of await readdir(this.tmpDir).catch(() => [] as string[])) {
      const path = join(this.tmpDir, name);
      const s = await stat(path).catch(() => undefined);
      if (s && now - s.mtimeMs > STALE_TMP_MS) {
        await rm(path, { force: true });
        tmpRemoved++;
      }
    }
    return { files_deleted: deleted, tmp_removed: tmpRemoved };
  }
}
