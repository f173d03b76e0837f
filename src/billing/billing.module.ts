import { Global, Module } from '@nestjs/common';
import { EventLogModule } from '../events/event-log.module.js';
import { EventsModule } from '../events/events.module.js';
import { RETENTION_CEILING, type RetentionCeiling } from '../retention/retention-ceiling.js';
import { RetentionModule } from '../retention/retention.module.js';
import { PLAN_RATE_LIMITS, type PlanRateLimitSource } from '../tenancy/rate-limits.js';
import { BillingAccountsService } from './billing-accounts.service.js';
import { BillingAdminController, BillingController } from './billing.controller.js';
import { BillingRepository } from './billing.repository.js';
import { BillingService } from './billing.service.js';
import { MeteringService } from './metering.service.js';
import { PlansService } from './plans.service.js';
import { QuotaService } from './quota.service.js';
import { StripeWebhookService } from './stripe-webhook.service.js';
import { StripeGateway } from './stripe.gateway.js';
import { UsageService } from './usage.service.js';
import { JobsModule } from '../jobs/jobs.module.js';

/**
 * What other features call (global, so ingest, webhooks and exports reach it without an import
 * cycle): PlansService (limits per tenant) and QuotaService (the monthly quota at ingest).
 */
@Global()
@Module({
  imports: [EventLogModule],
  providers: [
    BillingRepository,
    UsageService,
    PlansService,
    QuotaService,
    {
      // The plan's rate limits, for tenancy's rate limiter (which defines the interface).
      provide: PLAN_RATE_LIMITS,
      useFactory: (plans: PlansService): PlanRateLimitSource => ({
        rateLimitsFor: async (tenantId) => (plans.enabled ? (await plans.limitsFor(tenantId)).rateLimits : undefined),
      }),
      inject: [PlansService],
    },
    {
      // The plan's maximum retention, for the retention module (which defines the interface).
      provide: RETENTION_CEILING,
      useFactory: (plans: PlansService): RetentionCeiling => ({ maxDaysFor: async (tenantId) => (await plans.limitsFor(tenantId)).maxRetentionDays }),
      inject: [PlansService],
    },
  ],
  exports: [PlansService, QuotaService, UsageService, PLAN_RATE_LIMITS, RETENTION_CEILING],
})
export class BillingCoreModule {}

/** Billing: plans, quotas, metering to Stripe, Checkout, Customer Portal and Stripe webhooks. */
@Module({
  imports: [EventsModule, RetentionModule, JobsModule],
  controllers: [BillingController, BillingAdminController],
  providers: [BillingRepository, StripeGateway, BillingAccountsService, BillingService, StripeWebhookService, MeteringService],
})
export class BillingModule {}
