// Above ~400 lines on purpose: this is the one file that writes SQL on the billing tables (plans,
// accounts, hourly usage, quota ledger and holds, Stripe events), and the plan-change outbox
// and quota statements share row mappers and transactions; splitting it by table would spread
// those transactions over several repositories.
import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { isForeignKeyViolation } from '../common/store-errors.js';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import { parseOverrides } from '../tenancy/rate-limits.js';
import { effectivePlan, type Plan, type PlanReason } from './plans.js';

export interface BillingAccount {
  tenantId: string;
  planId: string;
  overridePlanId: string | null;
  stripeCustomerId: string | null;
  subscriptionId: string | null;
  subscriptionStatus: string | null;
  subscriptionPlanId: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  subscriptionEventAt: Date | null;
  subscriptionEventRank: number;
  paymentFailedAt: Date | null;
  paymentSucceededAt: Date | null;
  graceUntil: Date | null;
  planChangePending: PlanChange | null;
  meteredThrough: Date;
}

/** A committed plan change waiting to be recorded in the tenant's trail (outbox). */
export interface PlanChange {
  from: string;
  to: string;
  reason: PlanReason;
  stripe_event_id?: string;
}

export type AccountPatch = Partial<
  Pick<
    BillingAccount,
    | 'overridePlanId'
    | 'subscriptionId'
    | 'subscriptionStatus'
    | 'subscriptionPlanId'
    | 'currentPeriodStart'
    | 'currentPeriodEnd'
    | 'subscriptionEventAt'
    | 'subscriptionEventRank'
    | 'paymentFailedAt'
    | 'paymentSucceededAt'
    | 'graceUntil'
  >
>;

export interface UsageHour {
  hourMs: number;
  events: number;
}

export interface UnreportedHour {
  hour: Date;
  events: number;
  stripeCustomerId: string;
  meterIdentifier: string;
  reportAttempts: number;
}

type Row = Record<string, unknown>;

function toPlan(r: Row): Plan {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: r.id as string,
    name: r.name as string,
    eventsPerMonth: n(r.eventsPerMonth),
    maxRetentionDays: Number(r.maxRetentionDays),
    webhooks: n(r.webhooks),
    exportsPerDay: n(r.exportsPerDay),
    alerts: n(r.alerts),
    overage: Boolean(r.overage),
    rateLimits: parseOverrides(r.rateLimits),
  };
}

function toAccount(r: Row): BillingAccount {
  return {
    tenantId: r.tenantId as string,
    planId: r.planId as string,
    overridePlanId: (r.overridePlanId as string | null) ?? null,
    stripeCustomerId: (r.stripeCustomerId as string | null) ?? null,
    subscriptionId: (r.subscriptionId as string | null) ?? null,
    subscriptionStatus: (r.subscriptionStatus as string | null) ?? null,
    subscriptionPlanId: (r.subscriptionPlanId as string | null) ?? null,
    currentPeriodStart: (r.currentPeriodStart as Date | null) ?? null,
    currentPeriodEnd: (r.currentPeriodEnd as Date | null) ?? null,
    subscriptionEventAt: (r.subscriptionEventAt as Date | null) ?? null,
    subscriptionEventRank: Number(r.subscriptionEventRank ?? 0),
    paymentFailedAt: (r.paymentFailedAt as Date | null) ?? null,
    paymentSucceededAt: (r.paymentSucceededAt as Date | null) ?? null,
    graceUntil: (r.graceUntil as Date | null) ?? null,
    planChangePending: (r.planChangePending as PlanChange | null) ?? null,
    meteredThrough: r.meteredThrough as Date,
  };
}

/** Raw rows use snake_case columns; map them to the model's field names. */
function accountFromSql(r: Row): BillingAccount {
  return toAccount({
    tenantId: r.tenant_id,
    planId: r.plan_id,
    overridePlanId: r.override_plan_id,
    stripeCustomerId: r.stripe_customer_id,
    subscriptionId: r.subscription_id,
    subscriptionStatus: r.subscription_status,
    subscriptionPlanId: r.subscription_plan_id,
    currentPeriodStart: r.current_period_start,
    currentPeriodEnd: r.current_period_end,
    subscriptionEventAt: r.subscription_event_at,
    subscriptionEventRank: r.subscription_event_rank,
    paymentFailedAt: r.payment_failed_at,
    paymentSucceededAt: r.payment_succeeded_at,
    graceUntil: r.grace_until,
    planChangePending: r.plan_change_pending,
    meteredThrough: r.metered_through,
  });
}

type Tx = Pick<PrismaService, '$queryRaw' | '$executeRaw' | 'billingAccount'>;

/**
 * The only code that reads or writes billing tables in PostgreSQL (plans, accounts, hourly usage,
 * quota ledger, Stripe events). A plan change's retention clamp is src/retention's (clampTo).
 * Every method on tenant data takes the tenant id first.
 */
@Injectable()
export class BillingRepository {
  constructor(private readonly prisma: PrismaService) {}

  // ---------- plans ----------

  async plans(): Promise<Plan[]> {
    const rows = await this.prisma.billingPlan.findMany({ orderBy: { id: 'asc' } });
    return rows.map((r) => toPlan(r as unknown as Row));
  }

  async upsertPlan(p: Plan): Promise<Plan> {
    const data = {
      name: p.name,
      eventsPerMonth: p.eventsPerMonth === null ? null : BigInt(p.eventsPerMonth),
      maxRetentionDays: p.maxRetentionDays,
      webhooks: p.webhooks,
      exportsPerDay: p.exportsPerDay,
      alerts: p.alerts,
      overage: p.overage,
      rateLimits: p.rateLimits ?? {},
      updatedAt: new Date(),
    };
    const r = await this.prisma.billingPlan.upsert({ where: { id: p.id }, create: { id: p.id, ...data }, update: data });
    return toPlan(r as unknown as Row);
  }

  // ---------- accounts ----------

  async account(tenantId: string): Promise<BillingAccount | undefined> {
    const r = await this.prisma.billingAccount.findUnique({ where: { tenantId } });
    return r ? toAccount(r as unknown as Row) : undefined;
  }

  /**
   * Creates the tenant's account on the free plan if it has none; metering starts at
   * `meteredFrom`. Undefined when the tenant does not exist (the foreign key refuses the row).
   */
  async ensureAccount(tenantId: string, meteredFrom: Date): Promise<BillingAccount | undefined> {
    try {
      await this.prisma.$executeRaw`
        INSERT INTO billing_accounts (tenant_id, plan_id, metered_through)
        VALUES (${tenantId}, 'free', ${meteredFrom}::timestamptz)
        ON CONFLICT (tenant_id) DO NOTHING`;
    } catch (err) {
      if (isForeignKeyViolation(err)) return undefined;
      throw err;
    }
    return this.account(tenantId);
  }

  /**
   * Accounts for those of `tenantIds` that have none yet (tenants created since the last run);
   * returns the tenants whose account was created. A tenant deleted meanwhile is skipped.
   */
  async ensureAccounts(tenantIds: string[], meteredFrom: Date): Promise<string[]> {
    if (tenantIds.length === 0) return [];
    const insert = (ids: string[]) => this.prisma.$queryRaw<{ tenant_id: string }[]>`
      INSERT INTO billing_accounts (tenant_id, plan_id, metered_through)
      SELECT t.id, 'free', ${meteredFrom}::timestamptz FROM unnest(${ids}::text[]) AS t(id)
      WHERE NOT EXISTS (SELECT 1 FROM billing_accounts a WHERE a.tenant_id = t.id)
      ON CONFLICT (tenant_id) DO NOTHING
      RETURNING tenant_id`;
    try {
      return (await insert(tenantIds)).map((r) => r.tenant_id);
    } catch (err) {
      if (!isForeignKeyViolation(err)) throw err;
    }
    const created: string[] = [];
    for (const id of tenantIds) {
      try {
        created.push(...(await insert([id])).map((r) => r.tenant_id));
      } catch (err) {
        if (!isForeignKeyViolation(err)) throw err;
      }
    }
    return created;
  }

  /** Links the Stripe customer unless another request linked one first; returns the customer in force. */
  async linkCustomer(tenantId: string, customerId: string): Promise<string> {
    await this.prisma.$executeRaw`
      UPDATE billing_accounts SET stripe_customer_id = ${customerId}, updated_at = now()
      WHERE tenant_id = ${tenantId} AND stripe_customer_id IS NULL`;
    const a = await this.account(tenantId);
    return a!.stripeCustomerId!;
  }

  /**
   * Changes an account in one transaction: `change` sees the locked row and returns the fields to
   * set (or undefined for no change); the plan in force is then recomputed, and a change of plan
   * is stored with a pending trail record (see {@link PlanChange}).
   */
  async updateAccount(
    tenantId: string,
    now: number,
    change: (a: BillingAccount) => { patch: AccountPatch; stripeEventId?: string } | undefined,
    tx?: Tx,
  ): Promise<{ account: BillingAccount; planChange?: PlanChange } | undefined> {
    const run = async (db: Tx) => {
      const rows = await db.$queryRaw<Row[]>`SELECT * FROM billing_accounts WHERE tenant_id = ${tenantId} FOR UPDATE`;
      if (rows.length === 0) return undefined;
      const before = accountFromSql(rows[0]!);
      const c = change(before);
      const merged: BillingAccount = { ...before, ...(c?.patch ?? {}) };
      const eff = effectivePlan(merged, now);
      let planChange: PlanChange | undefined;
      if (eff.planId !== before.planId) {
        planChange = { from: before.planId, to: eff.planId, reason: eff.reason };
        if (c?.stripeEventId) planChange.stripe_event_id = c.stripeEventId;
      }
      if (!c && !planChange) return { account: before };
      const data: Record<string, unknown> = { ...(c?.patch ?? {}), updatedAt: new Date() };
      if (planChange) {
        data.planId = planChange.to;
        // Two unrecorded changes in a row (e.g. a crash before recording): keep the first origin.
        data.planChangePending = { ...planChange, from: before.planChangePending?.from ?? planChange.from } as object;
      }
      const updated = await db.billingAccount.update({ where: { tenantId }, data });
      return { account: toAccount(updated as unknown as Row), planChange };
    };
    return tx ? run(tx) : this.prisma.$transaction((t) => run(t as unknown as Tx));
  }

  /** Clears the pending trail record once it was written (unless another change replaced it meanwhile). */
  async clearPlanChange(tenantId: string, change: PlanChange): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE billing_accounts SET plan_change_pending = NULL
      WHERE tenant_id = ${tenantId} AND plan_change_pending->>'to' = ${change.to}`;
  }

  /** Plan changes whose trail entry was not written (the process died in between); recent ones are still in progress. */
  async accountsWithPendingPlanChange(limit: number): Promise<BillingAccount[]> {
    const rows = await this.prisma.$queryRaw<Row[]>`SELECT * FROM billing_accounts
      WHERE plan_change_pending IS NOT NULL AND updated_at < now() - interval '30 seconds' LIMIT ${limit}`;
    return rows.map(accountFromSql);
  }

  /** Accounts whose payment grace period ran out while a paid plan is still in force. */
  async accountsWithExpiredGrace(now: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ tenant_id: string }[]>`
      SELECT tenant_id FROM billing_accounts
      WHERE grace_until IS NOT NULL AND grace_until <= ${now} AND override_plan_id IS NULL AND plan_id <> 'free'
      LIMIT ${limit}`;
    return rows.map((r) => r.tenant_id);
  }

  // ---------- Stripe events ----------

  /**
   * Records a Stripe event and applies it in the same transaction, so each event takes effect
   * once: a redelivery (same id) finds the row and changes nothing.
   */
  async applyStripeEvent(
    event: { id: string; type: string; createdMs: number },
    customerId: string | undefined,
    now: number,
    change: (a: BillingAccount) => { patch: AccountPatch; outcome: 'applied' | 'stale' } | undefined,
  ): Promise<{ duplicate: true } | { duplicate: false; tenantId?: string; outcome: string; account?: BillingAccount; planChange?: PlanChange }> {
    return this.prisma.$transaction(async (t) => {
      const tx = t as unknown as Tx;
      const inserted = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO billing_stripe_events (id, type, outcome, created_at)
        VALUES (${event.id}, ${event.type}, 'received', ${new Date(event.createdMs)})
        ON CONFLICT (id) DO NOTHING RETURNING id`;
      if (inserted.length === 0) return { duplicate: true as const };
      const tenant = customerId
        ? (await tx.$queryRaw<{ tenant_id: string }[]>`SELECT tenant_id FROM billing_accounts WHERE stripe_customer_id = ${customerId}`)[0]?.tenant_id
        : undefined;
      let outcome = tenant ? 'ignored' : 'unknown_customer';
      let result: { account: BillingAccount; planChange?: PlanChange } | undefined;
      if (tenant) {
        result = await this.updateAccount(
          tenant,
          now,
          (a) => {
            const c = change(a);
            if (!c) return undefined;
            outcome = c.outcome;
            return c.outcome === 'applied' ? { patch: c.patch, stripeEventId: event.id } : undefined;
          },
          tx,
        );
      }
      await tx.$executeRaw`UPDATE billing_stripe_events SET outcome = ${outcome}, tenant_id = ${tenant ?? null} WHERE id = ${event.id}`;
      return { duplicate: false as const, tenantId: tenant, outcome, account: result?.account, planChange: result?.planChange };
    });
  }

  async deleteStripeEventsBefore(before: Date): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM billing_stripe_events WHERE received_at < ${before}`;
  }

  // ---------- retention ----------

  /** (tenant_id, max_days): the retention ceiling of every tenant with an account (its plan's maximum), for RetentionPolicyService.above. */
  retentionCeilingsSql(): Prisma.Sql {
    return Prisma.sql`SELECT a.tenant_id, p.max_retention_days AS max_days FROM billing_accounts a JOIN billing_plans p ON p.id = a.plan_id`;
  }

  // ---------- hourly usage and metering ----------

  /** Accounts with at least one closed hour not yet counted. */
  async accountsDueForMetering(closedBefore: Date, limit: number): Promise<BillingAccount[]> {
    const rows = await this.prisma.billingAccount.findMany({
      where: { meteredThrough: { lt: closedBefore } },
      orderBy: { meteredThrough: 'asc' },
      take: limit,
    });
    return rows.map((r) => toAccount(r as unknown as Row));
  }

  /**
   * Stores the counted hours [from, to) and advances the account's metering position, only if no
   * other replica advanced it meanwhile (compare-and-set on metered_through). Hours with events
   * get the meter identifier when `customerId` is set (billable).
   */
  async recordHours(tenantId: string, from: Date, to: Date, hours: UsageHour[], billing: { customerId: string; identifier: (hourMs: number) => string } | undefined): Promise<boolean> {
    return this.prisma.$transaction(async (t) => {
      const tx = t as unknown as Tx;
      const n = await tx.$executeRaw`
        UPDATE billing_accounts SET metered_through = ${to}, updated_at = now()
        WHERE tenant_id = ${tenantId} AND metered_through = ${from}`;
      if (n !== 1) return false;
      for (const h of hours) {
        if (h.events <= 0) continue;
        const hour = new Date(h.hourMs);
        const customer = billing?.customerId ?? null;
        const identifier = billing ? billing.identifier(h.hourMs) : null;
        await tx.$executeRaw`
          INSERT INTO billing_usage_hours (tenant_id, hour, events, stripe_customer_id, meter_identifier)
          VALUES (${tenantId}, ${hour}, ${h.events}, ${customer}, ${identifier})
          ON CONFLICT (tenant_id, hour) DO NOTHING`;
      }
      return true;
    });
  }

  async unreportedHours(tenantId: string, limit: number): Promise<UnreportedHour[]> {
    const rows = await this.prisma.billingUsageHour.findMany({
      where: { tenantId, reportedAt: null, stripeCustomerId: { not: null }, meterIdentifier: { not: null } },
      orderBy: { hour: 'asc' },
      take: limit,
    });
    return rows.map((r) => ({
      hour: r.hour,
      events: Number(r.events),
      stripeCustomerId: r.stripeCustomerId!,
      meterIdentifier: r.meterIdentifier!,
      reportAttempts: r.reportAttempts,
    }));
  }

  /** Tenants with billable hours not reported yet. */
  async tenantsWithUnreportedHours(limit: number): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ tenant_id: string }[]>`
      SELECT DISTINCT tenant_id FROM billing_usage_hours
      WHERE reported_at IS NULL AND stripe_customer_id IS NOT NULL AND meter_identifier IS NOT NULL LIMIT ${limit}`;
    return rows.map((r) => r.tenant_id);
  }

  async markReported(tenantId: string, hour: Date): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE billing_usage_hours SET reported_at = now(), report_attempts = report_attempts + 1, last_error = NULL
      WHERE tenant_id = ${tenantId} AND hour = ${hour} AND reported_at IS NULL`;
  }

  async markReportFailed(tenantId: string, hour: Date, error: string, giveUp: boolean): Promise<void> {
    // Given up (too old for Stripe, or refused for good): the hour keeps its count and customer for
    // a manual follow-up but loses its identifier, so it is no longer sent.
    await this.prisma.$executeRaw`
      UPDATE billing_usage_hours SET report_attempts = report_attempts + 1, last_error = ${error.slice(0, 500)},
        meter_identifier = CASE WHEN ${giveUp} THEN NULL ELSE meter_identifier END
      WHERE tenant_id = ${tenantId} AND hour = ${hour} AND reported_at IS NULL`;
  }

  /** Customer events counted in closed hours within [from, to). */
  async countedEvents(tenantId: string, from: Date, to: Date): Promise<number> {
    const r = await this.prisma.billingUsageHour.aggregate({ where: { tenantId, hour: { gte: from, lt: to } }, _sum: { events: true } });
    return Number(r._sum.events ?? 0);
  }

  async deleteUsageHoursBefore(before: Date): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM billing_usage_hours WHERE hour < ${before} AND (reported_at IS NOT NULL OR meter_identifier IS NULL)`;
  }

  // ---------- monthly quota ledger ----------

  async quota(tenantId: string, periodStart: Date): Promise<{ used: number; held: number; version: number; countedAt: Date } | undefined> {
    const r = await this.prisma.billingQuotaUsage.findUnique({ where: { tenantId_periodStart: { tenantId, periodStart } } });
    return r ? { used: Number(r.used), held: Number(r.held), version: Number(r.version), countedAt: r.countedAt } : undefined;
  }

  /** Starts the period's ledger at the counted usage, unless another request started it first. */
  async startQuota(tenantId: string, periodStart: Date, used: number): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO billing_quota_usage (tenant_id, period_start, used) VALUES (${tenantId}, ${periodStart}, ${used})
      ON CONFLICT (tenant_id, period_start) DO NOTHING`;
  }

  /**
   * Reserves `n` events if used + held + n stays within `limit`: one statement, so concurrent
   * requests on any replica serialise on the ledger row and the limit cannot be overshot.
   * Returns the ledger after the reservation, or `refused` with the ledger as it stands.
   */
  async hold(tenantId: string, periodStart: Date, holdId: string, n: number, limit: number, leaseMs: number): Promise<{ ok: boolean; used: number; held: number } | undefined> {
    const rows = await this.prisma.$queryRaw<{ used: bigint; held: bigint }[]>`
      WITH upd AS (
        UPDATE billing_quota_usage SET held = held + ${n}, version = version + 1
        WHERE tenant_id = ${tenantId} AND period_start = ${periodStart} AND used + held + ${n} <= ${limit}
        RETURNING used, held
      ), ins AS (
        INSERT INTO billing_quota_holds (id, tenant_id, period_start, n, lease_until)
        SELECT ${holdId}::text, ${tenantId}::text, ${periodStart}::timestamptz, ${n}::int, now() + make_interval(secs => ${leaseMs / 1000}) FROM upd
        RETURNING id
      )
      SELECT used, held FROM upd WHERE EXISTS (SELECT 1 FROM ins)`;
    if (rows[0]) return { ok: true, used: Number(rows[0].used), held: Number(rows[0].held) };
    const q = await this.quota(tenantId, periodStart);
    return q ? { ok: false, used: q.used, held: q.held } : undefined;
  }

  /**
   * Ends holds in one statement: the events of `stored` holds count as used, the others are
   * released. Holds already reaped (expired) are left alone.
   */
  async settle(holds: { id: string; stored: boolean }[]): Promise<void> {
    if (holds.length === 0) return;
    const ids = holds.map((h) => h.id);
    const storedIds = holds.filter((h) => h.stored).map((h) => h.id);
    await this.prisma.$executeRaw`
      WITH d AS (DELETE FROM billing_quota_holds WHERE id = ANY(${ids}::text[]) RETURNING id, tenant_id, period_start, n),
      s AS (
        SELECT tenant_id, period_start, sum(n)::bigint AS held_n, sum(CASE WHEN id = ANY(${storedIds}::text[]) THEN n ELSE 0 END)::bigint AS used_n
        FROM d GROUP BY tenant_id, period_start
      )
      UPDATE billing_quota_usage u SET used = u.used + s.used_n, held = u.held - s.held_n, version = u.version + 1
      FROM s WHERE u.tenant_id = s.tenant_id AND u.period_start = s.period_start`;
  }

  /** Drops holds of requests that died (lease expired); their events, if stored, are found by the next count. */
  async reapHolds(tenantId: string, periodStart: Date): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      WITH d AS (
        DELETE FROM billing_quota_holds WHERE tenant_id = ${tenantId} AND period_start = ${periodStart} AND lease_until < now()
        RETURNING n
      ), s AS (SELECT coalesce(sum(n), 0)::bigint AS n FROM d)
      UPDATE billing_quota_usage SET held = held - s.n, version = version + 1
      FROM s WHERE tenant_id = ${tenantId} AND period_start = ${periodStart} AND s.n > 0
      RETURNING s.n`;
    return rows[0] ? Number(rows[0].n) : 0;
  }

  /**
   * Replaces `used` by a fresh count, only if nothing was reserved or settled since `version` was
   * read and no request is in flight: then the count is exactly the stored events.
   */
  async recount(tenantId: string, periodStart: Date, version: number, used: number): Promise<boolean> {
    const n = await this.prisma.$executeRaw`
      UPDATE billing_quota_usage SET used = ${used}, version = version + 1, counted_at = now()
      WHERE tenant_id = ${tenantId} AND period_start = ${periodStart} AND version = ${version} AND held = 0`;
    return n === 1;
  }

  /** Forgets the tenant's ledgers: the next request under a hard quota starts from a fresh count. */
  async resetQuota(tenantId: string): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM billing_quota_usage WHERE tenant_id = ${tenantId}`;
  }

  async deleteQuotaBefore(before: Date): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM billing_quota_usage WHERE period_start < ${before}`;
    await this.prisma.$executeRaw`DELETE FROM billing_quota_holds WHERE period_start < ${before}`;
  }
}
