import { Injectable, Logger } from '@nestjs/common';
import { AuditTrailService, OPERATOR_ACTOR, type RequestMeta, type TrailEntry } from '../events/audit-trail.service.js';
import { RetentionPolicyService } from '../retention/retention-policy.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { BillingRepository, type BillingAccount, type PlanChange } from './billing.repository.js';
import { monthOf } from './plans.js';
import { PlansService } from './plans.service.js';
import { Clock } from '../common/clock.js';

export const STRIPE_ACTOR: TrailEntry['actor'] = { type: 'system', id: 'stripe', name: 'Stripe' };
/** Tenants looked at per statement when accounts are created for new tenants. */
const ACCOUNT_PAGE = 1000;

export const BILLING_ACTOR: TrailEntry['actor'] = { type: 'system', id: 'billing', name: 'Veritrail billing' };

/**
 * Billing accounts and what follows a change of plan: the change is recorded in the tenant's
 * trail (`veritrail.billing.plan_changed`), the quota ledger restarts from a fresh count, and a
 * retention above the new plan's maximum is lowered (`veritrail.billing.retention_clamped`).
 * Plan changes are committed with a pending marker first (outbox), so a crash before the trail
 * entry is written is completed by the next billing job run.
 */
@Injectable()
export class BillingAccountsService {
  private readonly logger = new Logger('Billing');

  constructor(
    private readonly repo: BillingRepository,
    private readonly plans: PlansService,
    private readonly trail: AuditTrailService,
    private readonly tenants: TenantDirectory,
    private readonly retention: RetentionPolicyService,
    private readonly clock: Clock,
  ) {}

  async ensure(tenantId: string, now = this.clock.now()): Promise<BillingAccount> {
    const existing = await this.repo.account(tenantId);
    if (existing) return existing;
    const a = await this.repo.ensureAccount(tenantId, monthOf(now).start);
    if (!a) throw new Error('tenant vanished while its billing account was created');
    await this.clampRetention(tenantId, undefined, {});
    return a;
  }

  /** The operator puts a tenant on a plan regardless of Stripe (null: back to the subscription or free). */
  async setOverride(tenantId: string, planId: string | null, meta: RequestMeta): Promise<BillingAccount> {
    await this.ensure(tenantId);
    const r = await this.repo.updateAccount(tenantId, this.clock.now(), (a) => (a.overridePlanId === planId ? undefined : { patch: { overridePlanId: planId } }));
    if (r?.planChange) await this.afterPlanChange(tenantId, r.planChange, OPERATOR_ACTOR, meta);
    return r!.account;
  }

  /**
   * Everything a change of plan implies, after it was committed. Safe to repeat (the job replays
   * pending changes): at worst the trail holds the entry twice.
   */
  async afterPlanChange(tenantId: string, change: PlanChange, actor: TrailEntry['actor'], meta: RequestMeta = {}): Promise<void> {
    this.plans.invalidate(tenantId);
    await this.repo.resetQuota(tenantId);
    const scope = await this.tenants.scope(tenantId);
    if (!scope) return; // tenant deleted meanwhile
    const plan = await this.plans.plan(change.to);
    await this.trail.record(
      scope,
      {
        action: 'veritrail.billing.plan_changed',
        actor,
        targets: [{ type: 'tenant', id: tenantId }],
        changes: [{ field: 'plan', before: change.from, after: change.to }],
        metadata: { reason: change.reason, ...(change.stripe_event_id ? { stripe_event_id: change.stripe_event_id } : {}) },
      },
      meta,
    );
    await this.repo.clearPlanChange(tenantId, change);
    this.logger.log({ tenant_id: tenantId, from: change.from, to: change.to, reason: change.reason }, 'plan changed');
    if (plan) await this.clampRetention(tenantId, plan.maxRetentionDays, meta, actor);
  }

  /**
   * Lowers the tenant's retention (default and per-action overrides) to its plan's maximum
   * (events older than that disappear from every read at once, as with any retention change)
   * and records it.
   */
  async clampRetention(tenantId: string, maxDays: number | undefined, meta: RequestMeta, actor: TrailEntry['actor'] = BILLING_ACTOR): Promise<void> {
    const max = maxDays ?? (await this.plans.limitsFor(tenantId)).maxRetentionDays;
    const r = await this.retention.clampTo(tenantId, max);
    if (!r) return;
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) return;
    const scope = TenantScope.forTenant(tenant);
    await this.trail.record(
      scope,
      {
        action: 'veritrail.billing.retention_clamped',
        actor,
        targets: [{ type: 'tenant', id: tenantId, name: tenant.name }],
        changes: r.before !== r.after ? [{ field: 'retention_days', before: r.before, after: r.after }] : undefined,
        metadata: { reason: 'plan_maximum', max_retention_days: max, action_overrides_lowered: r.actionsClamped },
      },
      meta,
    );
    this.logger.log({ tenant_id: tenantId, before: r.before, after: r.after, actions: r.actionsClamped }, 'retention lowered to the plan maximum');
  }

  /**
   * The account part of a billing job run: accounts for new tenants, grace periods that ran
   * out (downgrade to free), plan changes whose trail entry is still pending, retentions above
   * their plan's maximum (e.g. after the operator lowered a plan's limit).
   */
  async sweep(now: number): Promise<{ accounts: number; downgraded: number; recorded: number; clamped: number }> {
    let created = 0;
    let after: string | undefined;
    for (;;) {
      const ids = await this.tenants.ids(after, ACCOUNT_PAGE);
      if (ids.length === 0) break;
      created += (await this.repo.ensureAccounts(ids, monthOf(now).start)).length;
      after = ids.at(-1);
    }
    let downgraded = 0;
    for (const tenantId of await this.repo.accountsWithExpiredGrace(new Date(now), 100)) {
      const r = await this.repo.updateAccount(tenantId, now, () => undefined);
      if (r?.planChange) {
        downgraded++;
        await this.afterPlanChange(tenantId, r.planChange, BILLING_ACTOR);
      }
    }
    let recorded = 0;
    for (const a of await this.repo.accountsWithPendingPlanChange(100)) {
      recorded++;
      await this.afterPlanChange(a.tenantId, a.planChangePending!, BILLING_ACTOR);
    }
    let clamped = 0;
    for (const t of await this.retention.above(this.repo.retentionCeilingsSql(), 100)) {
      clamped++;
      await this.clampRetention(t.tenantId, t.maxDays, {});
    }
    return { accounts: created, downgraded, recorded, clamped };
  }

  scopeOf(tenantId: string): Promise<TenantScope | undefined> {
    return this.tenants.scope(tenantId);
  }
}
