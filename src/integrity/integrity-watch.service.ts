import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CheckedClock } from '../common/checked-clock.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AuditTrailService } from '../events/audit-trail.service.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { MetricsService } from '../observability/metrics.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { IntegrityRepository } from './integrity.repository.js';

/** Events older than this are expected to be sealed long since; the watch looks this far back. */
const WATCH_WINDOW_MS = 2 * 3_600_000;

/**
 * Detects that sealing stopped (IG-08): a tenant with events left unsealed for more than three
 * seal intervals gets a `veritrail.integrity.stale` event in its trail (at most once per three
 * intervals, whichever replica notices) and the metrics say so.
 */
@Injectable()
export class IntegrityWatchService implements OnModuleInit {
  constructor(
    private readonly repo: IntegrityRepository,
    private readonly trail: AuditTrailService,
    private readonly metrics: MetricsService,
    private readonly jobs: JobRunner,
    private readonly tenants: TenantDirectory,
    @InjectConfig() private readonly config: AppConfig,
    private readonly stamps: CheckedClock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ kind: 'integrity-watch', intervalMs: this.config.integrity.sealIntervalMs, run: (ctx) => this.check(ctx) });
  }

  async check(ctx: JobContext): Promise<JobCounts> {
    // Against the clock received_at is stamped with, not the rules' Clock: a frozen Clock must
    // not make every tenant look unsealed.
    const now = this.stamps.now();
    const interval = this.config.integrity.sealIntervalMs;
    const pending = await this.repo.oldestUnsealed(now - WATCH_WINDOW_MS, now);
    const oldest = pending.reduce((min, p) => Math.min(min, p.oldestMs), now);
    this.metrics.integrityOldestUnsealed.set((now - oldest) / 1000);
    const stale = pending.filter((p) => p.oldestMs < now - 3 * interval);
    this.metrics.integrityStaleTenants.set(stale.length);
    let alerts = 0;
    for (const s of stale) {
      // The lease is the deduplication: it is never released, it just expires.
      const scope = await this.tenants.scope(s.tenantId);
      if (!scope) continue;
      if (!(await this.jobs.claimOnce(`alert:stale:${s.tenantId}`, ctx.holder, 3 * interval))) continue;
      await this.trail.record(scope, {
        action: 'veritrail.integrity.stale',
        actor: { type: 'system', id: 'veritrail', name: 'Veritrail' },
        outcome: 'failure',
        metadata: {
          oldest_unsealed_at: new Date(s.oldestMs).toISOString(),
          unsealed_events: s.count,
          seal_interval_seconds: interval / 1000,
        },
      });
      alerts++;
    }
    return { stale_tenants: stale.length, alerts };
  }
}
