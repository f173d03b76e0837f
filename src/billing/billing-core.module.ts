import { Module } from '@nestjs/common';
import { EventLogModule } from '../events/event-log.module.js';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { BillingRepository } from './billing.repository.js';
import { PlansService } from './plans.service.js';
import { QuotaService } from './quota.service.js';
import { UsageService } from './usage.service.js';

/**
 * What other features call: PlansService (limits per tenant) and QuotaService (the monthly quota
 * at ingest). Ingest, webhooks, exports and alerts import it; it needs only the event log, so
 * none of them imports the rest of billing (which sits above them).
 */
@Module({
  imports: [AuthModule, EventLogModule],
  providers: [BillingRepository, UsageService, PlansService, QuotaService],
  exports: [PlansService, QuotaService, UsageService],
})
export class BillingCoreModule {}
