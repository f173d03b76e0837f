import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppError } from '../common/errors.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { BillingAccountsService } from './billing-accounts.service.js';
import { BillingRepository, type BillingAccount } from './billing.repository.js';
import { effectivePlan, hasHardQuota, HOUR_MS, meterIdentifier, startOfHour } from './plans.js';
import { PlansService } from './plans.service.js';
import { QuotaService } from './quota.service.js';
import { StripeGateway } from './stripe.gateway.js';
import { EventLog } from '../events/event-log.service.js';
import { Clock } from '../common/clock.js';

export const BILLING_JOB = 'billing';
/**
 * An hour is counted this long after it ended: a write either lands within its request or fails,
 * so by then every event received in the hour is in ClickHouse (the sealer relies on the same).
 */
export const METER_SETTLE_MS = 10 * 60_000;
/** Stripe accepts meter events up to 35 days old; older unreported hours are given up (and logged). */
const STRIPE_METER_WINDOW_MS = 35 * 86_400_000 - HOUR_MS;
const MAX_HOURS_PER_RUN = 24 * 40;
const LEASE_MS = 5 * 60_000;
/** A meter event Stripe refuses this many times (not an outage: e.g. an unknown customer) stays unbilled, with the reason. */
const MAX_REPORT_ATTEMPTS = 20;

/**
 * The billing job (leased, any replica): account upkeep (see BillingAccountsService.sweep), then
 * per tenant and closed hour the count of customer events in ClickHouse — stored in
 * billing_usage_hours — and, for tenants with a live subscription, one Stripe meter event per
 * hour. Identifier and idempotency key of that meter event are `vt-<tenant>-<yyyymmddhh>`, and an
 * hour is marked reported only after Stripe answered: two replicas (a per-tenant lease, and a
 * compare-and-set on the metering position) or a retry never bill an hour twice.
 */
@Injectable()
export class MeteringService implements OnModuleInit {
  private readonly logger = new Logger('Metering');
  private lastHousekeeping = 0;

  constructor(
    private readonly repo: BillingRepository,
    private readonly eventLog: EventLog,
    private readonly accounts: BillingAccountsService,
    private readonly plans: PlansService,
    private readonly quota: QuotaService,
    private readonly stripe: StripeGateway,
    private readonly jobs: JobRunner,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Billing off: no job at all.
    if (this.plans.enabled) this.jobs.register({ kind: BILLING_JOB, intervalMs: this.config.billing.jobIntervalMs, run: (ctx) => this.run(ctx) });
  }

  async run(ctx: JobContext, now = this.clock.now()): Promise<JobCounts> {
    const swept = await this.accounts.sweep(now);
    const closedBefore = startOfHour(now - METER_SETTLE_MS);
    let tenants = 0;
    let hours = 0;
    let busy = 0;
    for (const a of await this.repo.accountsDueForMetering(new Date(closedBefore), 200)) {
      const r = await ctx.withLease(`billing:${a.tenantId}`, LEASE_MS, () => this.meterTenant(a.tenantId, closedBefore, now));
      if (!r.acquired) {
        busy++;
        continue;
      }
      tenants++;
      hours += r.value;
    }
    let reported = 0;
    let failed = 0;
    for (const tenantId of await this.repo.tenantsWithUnreportedHours(200)) {
      const r = await ctx.withLease(`billing:${tenantId}`, LEASE_MS, () => this.reportTenant(tenantId, now));
      if (!r.acquired) {
        busy++;
        continue;
      }
      reported += r.value.reported;
      failed += r.value.failed;
      if (r.value.unavailable) break; // Stripe down or rate limiting: try again next run
    }
    const removed = await this.housekeeping(now);
    return { ...swept, tenants_metered: tenants, hours_counted: hours, hours_reported: reported, report_failures: failed, busy, removed };
  }

  /** Once an hour: Stripe event ids past Stripe's redelivery window, old usage hours and quota ledgers. */
  private async housekeeping(now: number): Promise<number> {
    if (now - this.lastHousekeeping < HOUR_MS) return 0;
    this.lastHousekeeping = now;
    const d = new Date(now);
    const events = await this.repo.deleteStripeEventsBefore(new Date(now - 90 * 86_400_000));
    const hours = await this.repo.deleteUsageHoursBefore(new Date(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth() - 1, 1)));
    await this.repo.deleteQuotaBefore(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)));
    return events + hours;
  }

  /** Counts the tenant's closed hours since its metering position; returns the hours with events. */
  private async meterTenant(tenantId: string, closedBefore: number, now: number): Promise<number> {
    const a = await this.repo.account(tenantId); // re-read under the lease
    if (!a || a.meteredThrough.getTime() >= closedBefore) return 0;
    const from = a.meteredThrough.getTime();
    const to = Math.min(closedBefore, from + MAX_HOURS_PER_RUN * HOUR_MS);
    // Counting is not a read of the trail: the whole stored history counts, whatever the retention.
    const scope = TenantScope.forTenant({ id: tenantId, retentionDays: 36_500 });
    const hours = await this.eventLog.customerEventsPerHour(scope, from, to);
    const billing = this.billable(a, now) ? { customerId: a.stripeCustomerId!, identifier: (h: number) => meterIdentifier(tenantId, h) } : undefined;
    if (!(await this.repo.recordHours(tenantId, new Date(from), new Date(to), hours, billing))) return 0;
    if (hasHardQuota(await this.plans.limitsFor(tenantId, now))) await this.quota.reconcile(scope, now, true);
    return hours.length;
  }

  /** Hours are billed to Stripe while a subscription is what puts the tenant on its plan. */
  private billable(a: BillingAccount, now: number): boolean {
    return a.stripeCustomerId !== null && effectivePlan(a, now).reason === 'subscription';
  }

  private async reportTenant(tenantId: string, now: number): Promise<{ reported: number; failed: number; unavailable: boolean }> {
    let reported = 0;
    let failed = 0;
    for (const h of await this.repo.unreportedHours(tenantId, 100)) {
      if (now - h.hour.getTime() > STRIPE_METER_WINDOW_MS) {
        failed++;
        this.logger.error({ tenant_id: tenantId, hour: h.hour.toISOString(), events: h.events }, 'usage hour too old for Stripe; left unbilled');
        await this.repo.markReportFailed(tenantId, h.hour, 'older than the 35 days Stripe accepts', true);
        continue;
      }
      try {
        await this.stripe.reportUsage({ customerId: h.stripeCustomerId, value: h.events, identifier: h.meterIdentifier, timestampS: Math.floor(h.hour.getTime() / 1000) });
        await this.repo.markReported(tenantId, h.hour);
        reported++;
      } catch (err) {
        failed++;
        const code = err instanceof AppError ? err.code : 'error';
        const unavailable = code === 'billing_provider_unavailable';
        const giveUp = !unavailable && h.reportAttempts + 1 >= MAX_REPORT_ATTEMPTS;
        await this.repo.markReportFailed(tenantId, h.hour, code, giveUp);
        if (giveUp) this.logger.error({ tenant_id: tenantId, hour: h.hour.toISOString(), events: h.events }, 'Stripe kept refusing a usage hour; left unbilled');
        if (unavailable) return { reported, failed, unavailable: true };
      }
    }
    return { reported, failed, unavailable: false };
  }
}
