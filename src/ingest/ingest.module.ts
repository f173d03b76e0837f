import { Module } from '@nestjs/common';
import { BillingCoreModule } from '../billing/billing-core.module.js';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { EventsModule } from '../events/events.module.js';
import { PersonalDataModule } from '../personal-data/personal-data.module.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';

/**
 * The ingest pipeline (POST /v1/events, /v1/events/batch): orchestrates the stages owned by
 * events (validation, idempotency, the writer), personal data (scrubbing, protection;
 * PersonalDataModule) and billing (the quota; BillingCoreModule).
 */
@Module({
  imports: [AuthModule, BillingCoreModule, EventsModule, PersonalDataModule],
  controllers: [IngestController],
  providers: [IngestService],
  exports: [IngestService],
})
export class IngestModule {}
