import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import { ClockSkewMonitor } from './clock-skew.js';
import { MetricsService } from './metrics.service.js';
import { HomeController } from './home.controller.js';
import { OpsController } from './ops.controller.js';

@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}

/** Points the breaker metric at the ClickHouse service (created outside Nest, by the storage module). */
@Injectable()
class StoreMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly clickhouse: ClickHouseService,
  ) {}

  onModuleInit(): void {
    this.metrics.watchClickHouseCircuit(() => this.clickhouse.breakerState);
  }
}

@Module({ controllers: [OpsController, HomeController], providers: [StoreMetrics, ClockSkewMonitor] })
export class OpsModule {}
