import { Injectable, Logger } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AuditTrailService } from '../events/audit-trail.service.js';
import { BillingAccountsService, STRIPE_ACTOR } from './billing-accounts.service.js';
import { BillingDisabledError, InvalidSignatureError } from './billing.errors.js';
import { BillingRepository, type BillingAccount } from './billing.repository.js';
import { PlansService } from './plans.service.js';
import { changeFor, customerOf, HANDLED_EVENT_TYPES, type StripeEventLike } from './stripe-events.js';
import { StripeGateway } from './stripe.gateway.js';
import { Clock } from '../common/clock.js';

export interface WebhookOutcome {
  received: true;
  /** applied | stale | ignored | duplicate | unknown_customer | unhandled_type */
  outcome: string;
}

/**
 * POST /v1/billing/stripe/webhook: verifies Stripe-Signature over the raw body (and its age:
 * an old event replayed is refused), then applies the event once — its id is stored in the same
 * transaction as its effect, so Stripe's redeliveries change nothing. Unknown event types are
 * acknowledged and logged, never applied.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger('StripeWebhook');

  constructor(
    private readonly stripe: StripeGateway,
    private readonly repo: BillingRepository,
    private readonly accounts: BillingAccountsService,
    private readonly plans: PlansService,
    private readonly trail: AuditTrailService,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async receive(rawBody: unknown, signature: string | undefined, now = this.clock.now()): Promise<WebhookOutcome> {
    if (!this.plans.enabled) throw new BillingDisabledError();
    if (!Buffer.isBuffer(rawBody)) throw new InvalidSignatureError();
    const event = this.stripe.constructEvent(rawBody, signature);
    const e: StripeEventLike = {
      id: event.id,
      type: event.type,
      createdMs: event.created * 1000,
      object: (event.data?.object ?? {}) as unknown as Record<string, unknown>,
    };
    if (!HANDLED_EVENT_TYPES.has(e.type)) {
      this.logger.log({ stripe_event_id: e.id, type: e.type.slice(0, 100) }, 'ignored a Stripe event of an unhandled type');
      return { received: true, outcome: 'unhandled_type' };
    }
    const rules = { prices: this.config.billing.stripe!, plans: new Set((await this.plans.plans()).keys()), gracePeriodMs: this.config.billing.gracePeriodMs };
    let before: BillingAccount | undefined;
    const r = await this.repo.applyStripeEvent(e, customerOf(e), now, (a) => {
      before = a;
      const c = changeFor(a, e, rules);
      return c.outcome === 'ignored' ? undefined : { patch: c.patch, outcome: c.outcome };
    });
    if (r.duplicate) {
      this.logger.log({ stripe_event_id: e.id, type: e.type }, 'Stripe event already applied; redelivery ignored');
      return { received: true, outcome: 'duplicate' };
    }
    this.logger.log({ stripe_event_id: e.id, type: e.type, tenant_id: r.tenantId, outcome: r.outcome }, 'Stripe event received');
    if (r.outcome === 'applied' && r.tenantId && r.account && before) {
      this.plans.invalidate(r.tenantId);
      await this.recordEvent(r.tenantId, e, before, r.account);
    }
    if (r.planChange && r.tenantId) await this.accounts.afterPlanChange(r.tenantId, r.planChange, STRIPE_ACTOR);
    return { received: true, outcome: r.outcome };
  }

  /** The billing fact itself in the tenant's trail (the plan change, if any, is recorded separately). */
  private async recordEvent(tenantId: string, e: StripeEventLike, before: BillingAccount, after: BillingAccount): Promise<void> {
    const scope = await this.accounts.scopeOf(tenantId);
    if (!scope) return;
    const metadata: Record<string, unknown> = { stripe_event_id: e.id, stripe_event_type: e.type };
    let action: `veritrail.${string}` | undefined;
    if (e.type.startsWith('customer.subscription.') || e.type === 'checkout.session.completed') {
      action = e.type === 'checkout.session.completed' ? 'veritrail.billing.checkout_completed' : 'veritrail.billing.subscription_updated';
      Object.assign(metadata, { subscription_id: after.subscriptionId, status: after.subscriptionStatus, plan: after.subscriptionPlanId });
    } else if (e.type === 'invoice.payment_failed') {
      action = 'veritrail.billing.payment_failed';
      Object.assign(metadata, { grace_until: after.graceUntil?.toISOString() ?? null });
    } else if (before.graceUntil && !after.graceUntil) {
      action = 'veritrail.billing.payment_recovered';
    }
    if (!action) return;
    await this.trail.record(scope, { action, actor: STRIPE_ACTOR, targets: [{ type: 'tenant', id: tenantId }], metadata, outcome: action === 'veritrail.billing.payment_failed' ? 'failure' : 'success' });
  }
}
