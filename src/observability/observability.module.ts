import { Global, Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { MetricsService } from './metrics.service.js';
import { OpsController } from './ops.controller.js';

@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}

@Module({ imports: [EventsModule], controllers: [OpsController] })
export class OpsModule {}
