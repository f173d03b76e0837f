import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AlertsModule } from './alerts/alerts.module.js';
import { BillingModule } from './billing/billing.module.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/config.js';
import { EventsModule } from './events/events.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { FeedModule } from './feed/feed.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { IntegrityModule } from './integrity/integrity.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule, OpsModule } from './observability/observability.module.js';
import { PersonalDataModule } from './personal-data/personal-data.module.js';
import { StorageModule } from './storage/storage.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { TenancyModule } from './tenancy/tenancy.module.js';
import { ViewerModule } from './viewer/viewer.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        StorageModule.forRoot(config),
        JobsModule,
        PersonalDataModule,
        EventsModule,
        IngestModule,
        TenancyModule,
        IntegrityModule,
        FeedModule,
        ExportsModule,
        WebhooksModule,
        PrivacyModule,
        RetentionModule,
        AlertsModule,
        ViewerModule,
        BillingModule,
        OpsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
