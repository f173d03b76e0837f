import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { AppConfig } from '../config/config.js';
import { ClickHouseService } from './clickhouse/clickhouse.service.js';
import { EngineLaneInterceptor } from './engine-lane.interceptor.js';
import { PrismaService } from './postgres/prisma.service.js';
import { closeStores, openStores, type Stores } from './storage.service.js';
import { SystemSettingsService } from './system-settings.service.js';

export const STORES = Symbol('STORES');

@Injectable()
class StorageLifecycle implements OnApplicationShutdown {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  /** Runs after every beforeApplicationShutdown hook, i.e. after the ingest writer drained. */
  async onApplicationShutdown(): Promise<void> {
    await closeStores(this.stores);
  }
}

/** Provides PrismaService and ClickHouseService; the only module that knows embedded vs server. */
@Global()
@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StorageModule,
      providers: [
        { provide: STORES, useFactory: () => openStores(config, { migrate: true }) },
        { provide: PrismaService, useFactory: (s: Stores) => s.prisma, inject: [STORES] },
        { provide: ClickHouseService, useFactory: (s: Stores) => s.clickhouse, inject: [STORES] },
        StorageLifecycle,
        SystemSettingsService,
        // Each request's ClickHouse statements are scheduled in its tenant's lane.
        { provide: APP_INTERCEPTOR, useClass: EngineLaneInterceptor },
      ],
      exports: [PrismaService, ClickHouseService, SystemSettingsService, STORES],
    };
  }
}
