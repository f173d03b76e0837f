import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../common/errors.js';
import { uuidv7 } from '../common/ids.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AuditTrailService, keyActor } from '../events/audit-trail.service.js';
import { JobRunner } from '../jobs/job-runner.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { BillingAccountsService } from './billing-accounts.service.js';
import { BillingDisabledError } from './billing.errors.js';
import { BillingRepository, type BillingAccount } from './billing.repository.js';
import { PLAN_ID_PATTERN, type CheckoutCreate, type PlanUpsert, type PortalCreate } from './billing.schema.js';
import { BILLING_JOB } from './metering.service.js';
import { effectivePlan, hasHardQuota, isLiveSubscription, monthOf, type Plan } from './plans.js';
import { PlansService } from './plans.service.js';
import { StripeGateway } from './stripe.gateway.js';
import { UsageService } from './usage.service.js';
import type { RateLimitOverrides } from '../tenancy/rate-limits.js';
import { Clock } from '../common/clock.js';

export interface PlanView {
  id: string;
  name: string;
  overage: boolean;
  limits: { events_per_month: number | null; max_retention_days: number; webhooks: number | null; exports_per_day: number | null; alerts: number | null };
  rate_limits: RateLimitOverrides;
}

export function planView(p: Plan): PlanView {
  return {
    id: p.id,
    name: p.name,
    overage: p.overage,
    limits: { events_per_month: p.eventsPerMonth, max_retention_days: p.maxRetentionDays, webhooks: p.webhooks, exports_per_day: p.exportsPerDay, alerts: p.alerts },
    rate_limits: p.rateLimits ?? {},
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The billing API: the tenant's plan and usage, Stripe Checkout and Customer Portal, and the operator's plan controls. */
@Injectable()
export class BillingService {
  constructor(
    private readonly plans: PlansService,
    private readonly accounts: BillingAccountsService,
    private readonly repo: BillingRepository,
    private readonly usage: UsageService,
    private readonly stripe: StripeGateway,
    private readonly trail: AuditTrailService,
    private readonly tenants: TenantDirectory,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  private assertEnabled(): void {
    if (!this.plans.enabled) throw new BillingDisabledError();
  }

  /** GET /v1/billing: plan, limits, the current period and its exact usage. */
  async view(principal: ApiKeyPrincipal, now = this.clock.now()) {
    this.assertEnabled();
    const scope = TenantScope.of(principal);
    const account = await this.accounts.ensure(scope.tenantId, now);
    const limits = await this.plans.limitsFor(scope.tenantId, now);
    // The plan the limits came from (same cache): no fresh read of every plan per request.
    const plan = (await this.plans.plan(limits.planId))!;
    const eff = effectivePlan(account, now);
    const period =
      eff.reason === 'subscription' && account.currentPeriodStart && account.currentPeriodEnd && account.currentPeriodEnd.getTime() > now
        ? { start: account.currentPeriodStart, end: account.currentPeriodEnd }
        : monthOf(now);
    const events = await this.usage.events(scope.tenantWide(), period.start, period.end, account.meteredThrough);
    const included = limits.eventsPerMonth;
    return {
      plan: planView(plan),
      period: { start: period.start.toISOString(), end: period.end.toISOString() },
      usage: {
        events,
        included_events: included,
        overage_events: included === null ? 0 : Math.max(0, events - included),
        remaining_events: hasHardQuota(limits) ? Math.max(0, limits.eventsPerMonth - events) : null,
      },
      subscription: account.subscriptionId
        ? {
            id: account.subscriptionId,
            status: account.subscriptionStatus ?? 'unknown',
            plan: account.subscriptionPlanId,
            current_period_start: iso(account.currentPeriodStart),
            current_period_end: iso(account.currentPeriodEnd),
          }
        : null,
      payment: { failed_at: iso(account.paymentFailedAt), grace_until: iso(account.graceUntil) },
      plan_set_by_operator: account.overridePlanId !== null,
      stripe_customer_id: account.stripeCustomerId,
    };
  }

  /** POST /v1/billing/checkout: a Stripe Checkout Session subscribing the tenant to a plan. */
  async checkout(principal: ApiKeyPrincipal, body: CheckoutCreate, meta: RequestMetaValue) {
    this.assertEnabled();
    const scope = TenantScope.of(principal);
    const plan = await this.plan(body.plan);
    if (!plan || !this.config.billing.stripe!.prices[plan.id]) {
      throw new UnprocessableError('plan_not_available', `The plan ${JSON.stringify(body.plan)} cannot be bought: it does not exist or has no Stripe price.`);
    }
    const account = await this.accounts.ensure(scope.tenantId);
    if (account.overridePlanId) throw new ConflictError('plan_set_by_operator', 'Your plan is managed by the operator; contact them to change it.');
    if (account.subscriptionId && isLiveSubscription(account.subscriptionStatus)) {
      throw new ConflictError('subscription_exists', 'The tenant already has a subscription; change or cancel it in the customer portal (POST /v1/billing/portal).');
    }
    const customerId = await this.customer(principal, account);
    const session = await this.stripe.createCheckoutSession({
      tenantId: scope.tenantId,
      planId: plan.id,
      customerId,
      successUrl: body.success_url,
      cancelUrl: body.cancel_url,
      idempotencyKey: `vt-checkout-${uuidv7().id}`,
    });
    await this.trail.record(
      scope,
      { action: 'veritrail.billing.checkout_started', actor: keyActor(principal), targets: [{ type: 'tenant', id: scope.tenantId }], metadata: { plan: plan.id, checkout_session_id: session.id } },
      meta,
    );
    return { id: session.id, url: session.url, expires_at: session.expiresAt ? new Date(session.expiresAt * 1000).toISOString() : null };
  }

  /** POST /v1/billing/portal: a Stripe Customer Portal session (invoices, payment methods, plan changes, cancellation). */
  async portal(principal: ApiKeyPrincipal, body: PortalCreate, meta: RequestMetaValue) {
    this.assertEnabled();
    const scope = TenantScope.of(principal);
    const account = await this.accounts.ensure(scope.tenantId);
    const customerId = await this.customer(principal, account);
    const session = await this.stripe.createPortalSession(customerId, body.return_url, `vt-portal-${uuidv7().id}`);
    await this.trail.record(scope, { action: 'veritrail.billing.portal_opened', actor: keyActor(principal), targets: [{ type: 'tenant', id: scope.tenantId }] }, meta);
    return { url: session.url };
  }

  // ---------- operator ----------

  async listPlans() {
    this.assertEnabled();
    return { data: [...(await this.plans.plans(this.clock.now(), true)).values()].map(planView) };
  }

  async upsertPlan(id: string, body: PlanUpsert) {
    this.assertEnabled();
    if (!PLAN_ID_PATTERN.test(id)) throw new ValidationError([{ field: 'id', code: 'invalid_format', message: 'Plan ids are 1–64 of a-z 0-9 _ -.' }]);
    const plan = await this.repo.upsertPlan({
      id,
      name: body.name,
      eventsPerMonth: body.events_per_month,
      maxRetentionDays: body.max_retention_days,
      webhooks: body.webhooks,
      exportsPerDay: body.exports_per_day,
      alerts: body.alerts,
      overage: body.overage,
      rateLimits: body.rate_limits ?? {},
    });
    this.plans.invalidate();
    // Retentions above a lowered maximum are clamped (and recorded) by the next job run; start it now.
    this.jobs.kick(BILLING_JOB);
    return planView(plan);
  }

  async setTenantPlan(tenantId: string, planId: string | null, meta: RequestMetaValue) {
    this.assertEnabled();
    if (!(await this.tenants.get(tenantId))) throw new NotFoundError('tenant');
    if (planId !== null && !(await this.plan(planId))) throw new UnprocessableError('plan_not_available', `There is no plan ${JSON.stringify(planId)}.`);
    const a = await this.accounts.setOverride(tenantId, planId, meta);
    return { tenant_id: tenantId, plan: a.planId, plan_set_by_operator: a.overridePlanId !== null };
  }

  private async plan(id: string): Promise<Plan | undefined> {
    return (await this.plans.plans(this.clock.now(), true)).get(id);
  }

  /** The tenant's Stripe customer, created on first use (one per tenant, even under concurrent calls). */
  private async customer(principal: ApiKeyPrincipal, account: BillingAccount): Promise<string> {
    if (account.stripeCustomerId) return account.stripeCustomerId;
    const id = await this.stripe.createCustomer({ id: principal.tenant.id, name: principal.tenant.name });
    return this.repo.linkCustomer(principal.tenant.id, id);
  }
}
