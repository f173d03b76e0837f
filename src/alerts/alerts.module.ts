import { Module } from '@nestjs/common';
import { BillingCoreModule } from '../billing/billing-core.module.js';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { EventsModule } from '../events/events.module.js';
import { IntegrityModule } from '../integrity/integrity.module.js';
import { AlertBacktest } from './alert-backtest.service.js';
import { AlertEvaluatorService } from './alert-evaluator.service.js';
import { AlertOutbox } from './alert-outbox.service.js';
import { AlertRulesController } from './alert-rules.controller.js';
import { AlertRulesService } from './alert-rules.service.js';
import { AlertWindowsRepository } from './alert-windows.repository.js';
import { ColumnarBacktest } from './backtest-columnar.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsRepository } from './alerts.repository.js';
import { AlertsService } from './alerts.service.js';
import { ChunkEvaluator } from './chunk-evaluator.service.js';
import { GeoService } from './geo.service.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { RuleFirings } from './rule-firings.service.js';

/** Security alerts on the tenant's own trail: rules, the evaluator (job alerts), alerts and their triage. */
@Module({
  imports: [AuthModule, BillingCoreModule, EventsModule, IntegrityModule, JobsModule],
  controllers: [AlertRulesController, AlertsController],
  providers: [AlertsRepository, AlertWindowsRepository, ColumnarBacktest, GeoService, RuleFirings, ChunkEvaluator, AlertOutbox, AlertBacktest, AlertEvaluatorService, AlertRulesService, AlertsService],
  exports: [AlertEvaluatorService],
})
export class AlertsModule {}
