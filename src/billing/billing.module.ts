import { Injectable, Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { RetentionCeilingRegistry } from '../retention/retention-ceiling.js';
import { RetentionModule } from '../retention/retention.module.js';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { PlanRateLimitsRegistry } from '../tenancy/rate-limits.js';
import { BillingAccountsService } from './billing-accounts.service.js';
import { BillingCoreModule } from './billing-core.module.js';
import { BillingAdminController, BillingController } from './billing.controller.js';
import { BillingRepository } from './billing.repository.js';
import { BillingService } from './billing.service.js';
import { MeteringService } from './metering.service.js';
import { PlansService } from './plans.service.js';
import { StripeWebhookService } from './stripe-webhook.service.js';
import { StripeGateway } from './stripe.gateway.js';

/**
 * Plugs the plans' limits into the modules below billing that define the interfaces: tenancy's
 * rate limiter (PlanRateLimitsRegistry) and retention's ceiling (RetentionCeilingRegistry).
 */
@Injectable()
export class PlanLimitSources {
  constructor(plans: PlansService, rateLimits: PlanRateLimitsRegistry, ceilings: RetentionCeilingRegistry) {
    rateLimits.use({ rateLimitsFor: async (tenantId) => (plans.enabled ? (await plans.limitsFor(tenantId)).rateLimits : undefined) });
    ceilings.use({ maxDaysFor: async (tenantId) => (await plans.limitsFor(tenantId)).maxRetentionDays });
  }
}

/** Billing: plans, quotas, metering to Stripe, Checkout, Customer Portal and Stripe webhooks. */
@Module({
  imports: [AuthModule, BillingCoreModule, EventsModule, RetentionModule, JobsModule],
  controllers: [BillingController, BillingAdminController],
  providers: [BillingRepository, StripeGateway, BillingAccountsService, BillingService, StripeWebhookService, MeteringService, PlanLimitSources],
})
export class BillingModule {}
