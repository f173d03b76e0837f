import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Counter } from 'prom-client';
import { uuidv7 } from '../common/ids.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { MetricsService } from '../observability/metrics.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { BillingRepository } from './billing.repository.js';
import { QuotaExceededError } from './billing.errors.js';
import { hasHardQuota, monthOf, type PlanLimits } from './plans.js';
import { PlansService } from './plans.service.js';
import { UsageService } from './usage.service.js';

/** A refused request re-counts the month in ClickHouse at most this often (unless a dead request's hold was dropped). */
const RECOUNT_AFTER_MS = 60_000;

/**
 * The monthly event quota at ingest. Only plans with a hard quota (the free plan) pay anything:
 * with billing off or on a plan that bills overage, `admit` just runs the write.
 *
 * Under a hard quota the request first reserves its events on the period's ledger row in
 * PostgreSQL — one conditional UPDATE, so concurrent requests on every replica serialise and
 * the N+1th event is refused (429 quota_exceeded, nothing stored) — then writes; reservations
 * are settled in batches off the request path. The ledger starts from, and is corrected by, counts of the stored events in
 * ClickHouse: a refusal is confirmed by a fresh count first, and a request that died holding a
 * reservation is found by its expired lease.
 */
@Injectable()
export class QuotaService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Quota');
  private readonly holdLeaseMs: number;
  private readonly refused: Counter<'plan'>;
  private readonly unsettled: { id: string; stored: boolean }[] = [];
  private settling: Promise<void> | undefined;
  private flushScheduled = false;

  constructor(
    private readonly plans: PlansService,
    private readonly repo: BillingRepository,
    private readonly usage: UsageService,
    metrics: MetricsService,
    @InjectConfig() config: AppConfig,
  ) {
    // A write either lands or fails within the ClickHouse timeout; the lease outlives it.
    this.holdLeaseMs = Math.max(60_000, 2 * config.clickhouse.requestTimeoutMs);
    this.refused = new Counter({
      name: 'veritrail_quota_refused_events_total',
      help: 'Events refused at ingest because the monthly quota of the plan was used up',
      labelNames: ['plan'] as const,
      registers: [metrics.registry],
    });
  }

  /**
   * Runs `write` (storing `n` customer events) if the tenant's quota allows them; otherwise throws
   * 429 quota_exceeded before anything is written. Replays that store nothing pass n = 0.
   */
  async admit<T>(scope: TenantScope, n: number, now: number, write: () => Promise<T>): Promise<T> {
    if (!this.plans.enabled || n <= 0) return write();
    const limits = await this.plans.limitsFor(scope.tenantId, now);
    if (!hasHardQuota(limits)) return write();
    const holdId = await this.reserve(scope, limits, n, now);
    let stored = false;
    try {
      const r = await write();
      stored = true;
      return r;
    } finally {
      // Settled off the request path, many at once: until then the hold still counts (a failed
      // write most likely stored nothing; if it did, the next count finds it).
      this.settleSoon(holdId, stored);
    }
  }

  /** Settles every reservation still pending in this process (shutdown, and before a recount). */
  async flush(): Promise<void> {
    while (this.settling) await this.settling;
    if (this.unsettled.length === 0) return;
    this.settling = (async () => {
      while (this.unsettled.length > 0) {
        const batch = this.unsettled.splice(0, 500);
        await this.repo.settle(batch).catch((err: unknown) =>
          this.logger.warn({ holds: batch.length, err: (err as Error).message }, 'could not settle quota reservations; they expire on their own'),
        );
      }
    })().finally(() => {
      this.settling = undefined;
      if (this.unsettled.length > 0) this.scheduleFlush();
    });
    await this.settling;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private settleSoon(id: string, stored: boolean): void {
    this.unsettled.push({ id, stored });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /**
   * Corrects the period's ledger from ClickHouse when no request is in flight (the billing job,
   * and before a refusal). `force` ignores the recount interval.
   */
  async reconcile(scope: TenantScope, now: number, force = false): Promise<void> {
    await this.flush();
    const period = monthOf(now);
    const reaped = await this.repo.reapHolds(scope.tenantId, period.start);
    const q = await this.repo.quota(scope.tenantId, period.start);
    if (!q || q.held > 0) return;
    if (!force && reaped === 0 && now - q.countedAt.getTime() < RECOUNT_AFTER_MS) return;
    const used = await this.usage.events(scope, period.start, period.end);
    if ((await this.repo.recount(scope.tenantId, period.start, q.version, used)) && used !== q.used) {
      this.logger.log({ tenant_id: scope.tenantId, before: q.used, after: used }, 'quota ledger corrected from stored events');
    }
  }

  private async reserve(scope: TenantScope, limits: PlanLimits & { eventsPerMonth: number }, n: number, now: number): Promise<string> {
    const period = monthOf(now);
    const holdId = uuidv7(now).id;
    const limit = limits.eventsPerMonth;
    let counted = false;
    for (let attempt = 0; attempt < 4; attempt++) {
      const r = await this.repo.hold(scope.tenantId, period.start, holdId, n, limit, this.holdLeaseMs);
      if (!r) {
        // First request of the period under this quota: start the ledger at the stored count.
        await this.repo.startQuota(scope.tenantId, period.start, await this.usage.events(scope, period.start, period.end));
        counted = true;
        continue;
      }
      if (r.ok) return holdId;
      if (!counted) {
        // Confirm a refusal against the stored events (a dead request may still hold events).
        counted = true;
        await this.reconcile(scope, now);
        continue;
      }
      this.refused.inc({ plan: limits.planId }, n);
      throw new QuotaExceededError({ planId: limits.planId, limit, used: Math.min(limit, r.used + r.held), resetAt: period.end, now });
    }
    throw new Error('quota ledger could not be started');
  }
}
