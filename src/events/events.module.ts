import { Module } from '@nestjs/common';
import { AuditTrailService } from './audit-trail.service.js';
import { EventWriter } from './event-writer.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { IdempotencyHousekeeping } from './idempotency-housekeeping.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { IngestService } from './ingest.service.js';
import { EventQueryService } from './query.service.js';
import { ScrubPolicyService } from '../privacy/scrub-policy.service.js';

@Module({
  controllers: [EventsController],
  providers: [EventWriter, EventsRepository, IdempotencyRepository, IdempotencyHousekeeping, IngestService, EventQueryService, AuditTrailService, ScrubPolicyService],
  exports: [AuditTrailService, EventsRepository, EventWriter, ScrubPolicyService, IngestService],
})
export class EventsModule {}
