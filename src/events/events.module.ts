import { Module } from '@nestjs/common';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { ActionCatalogRepository } from './action-catalog.repository.js';
import { ActionCatalogService } from './action-catalog.service.js';
import { ActionDisplaysRepository } from './action-displays.repository.js';
import { ActionDisplaysService } from './action-displays.service.js';
import { ActionSchemasRepository } from './action-schemas.repository.js';
import { ActionSchemasService } from './action-schemas.service.js';
import { ActionsController } from './actions.controller.js';
import { AuditTrailService } from './audit-trail.service.js';
import { CrossTenantGuard } from './cross-tenant-guard.js';
import { EventLogModule } from './event-log.module.js';
import { EventReads } from './event-reads.service.js';
import { EventWriter } from './event-writer.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { IdempotencyHousekeeping } from './idempotency-housekeeping.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { IdempotencyService } from './idempotency.service.js';
import { EventValidator } from './event-validation.js';
import { EventQueryService } from './query.service.js';

@Module({
  imports: [AuthModule, EventLogModule],
  controllers: [EventsController, ActionsController],
  providers: [EventReads, ActionCatalogRepository, ActionCatalogService, ActionDisplaysRepository, ActionDisplaysService, ActionSchemasRepository, ActionSchemasService, EventWriter, EventsRepository, IdempotencyRepository, IdempotencyHousekeeping, IdempotencyService, EventValidator, EventQueryService, AuditTrailService, CrossTenantGuard],
  exports: [EventLogModule, ActionDisplaysService, AuditTrailService, EventReads, EventWriter, EventQueryService, EventValidator, IdempotencyService],
})
export class EventsModule {}
