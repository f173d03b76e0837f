import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { EventLog } from '../events/event-log.service.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';

/**
 * The `retention` job: physically deletes what retention no longer keeps. Expiry itself is a
 * query predicate (every read hides an expired event at once); the job removes the bytes: a lightweight DELETE per tenant, then a
 * rewrite of the partitions holding deleted rows, whose old parts ClickHouse removes from disk
 * shortly after (docs/operations.md: within RETENTION_INTERVAL plus a few minutes, well inside
 * the promised 24 h). The Merkle leaves of deleted events stay, so verification reports them as
 * expired.
 */
@Injectable()
export class RetentionSweepService implements OnModuleInit {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly directory: TenantDirectory,
    private readonly events: EventLog,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ kind: 'retention', intervalMs: this.config.retention.jobIntervalMs, run: (ctx) => this.sweep(ctx) });
  }

  /** One job run: every active tenant's expired events are deleted (one tenant at a time, leased). */
  async sweep(ctx: JobContext, now = this.clock.now()): Promise<JobCounts> {
    let tenants = 0;
    let deleted = 0;
    let after: string | undefined;
    for (;;) {
      const ids = await this.directory.activeIds(after, 500);
      for (const id of ids) {
        if (this.jobs.stopping) return { tenants, deleted };
        const r = await ctx.withLease(`retention:${id}`, 30 * 60_000, async () => {
          const scope = await this.directory.scope(id);
          if (!scope) return 0;
          const n = await this.events.countExpired(scope, now);
          if (n > 0) await this.events.deleteExpired(scope, now);
          return n;
        });
        if (r.acquired) {
          tenants++;
          deleted += r.value;
        }
      }
      if (ids.length < 500) break;
      after = ids[ids.length - 1];
    }
    if (deleted > 0) this.logger.log({ tenants, deleted }, 'expired events deleted');
    // Physical deletion: the DELETEs above (and tenant deletions) only masked rows; rewrite the
    // partitions that hold them so their bytes leave the disk. Install-wide, one process at a time.
    let purged = 0;
    if (!this.jobs.stopping) {
      const p = await ctx.withLease('retention:purge', 30 * 60_000, () => this.events.purgeDeletedRows());
      if (p.acquired) {
        purged = p.value.partitions.length;
        if (p.value.failure) this.logger.warn({ pending: p.value.pending, failure: p.value.failure }, 'an earlier rewrite of the events table keeps failing; deleted rows stay on disk until it succeeds');
        else if (purged > 0) this.logger.log({ partitions: p.value.partitions }, 'partitions with deleted rows queued for rewrite');
      }
    }
    return { tenants, deleted, purged_partitions: purged };
  }
}
