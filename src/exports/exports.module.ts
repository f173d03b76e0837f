import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { BillingCoreModule } from '../billing/billing-core.module.js';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { EventsModule } from '../events/events.module.js';
import { IntegrityModule } from '../integrity/integrity.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { PersonalDataModule } from '../personal-data/personal-data.module.js';
import { DownloadLinks } from './download-links.js';
import { ExportInvalidationService } from './export-invalidation.service.js';
import { ExportProducer } from './export-producer.js';
import { ExportWorker } from './export-worker.service.js';
import { DirectExportController, ExportsController, OcsfSettingsController } from './exports.controller.js';
import { ExportsRepository } from './exports.repository.js';
import { ExportsService } from './exports.service.js';
import { EVENT_PAGE_RENDERER } from '../events/event-page-renderer.js';
import { EventFormats } from './event-formats.js';
import { EXPORT_FILE_STORE, type ExportFileStore } from './storage/file-store.js';
import { LocalExportFileStore } from './storage/local-file-store.js';

/** Exports: jobs, the worker, downloads and signed links, direct streaming, OCSF settings. */
@Module({
  imports: [AuthModule, BillingCoreModule, EventsModule, IntegrityModule, JobsModule, PersonalDataModule],
  controllers: [ExportsController, DirectExportController, OcsfSettingsController],
  providers: [
    ExportsRepository,
    EventFormats,
    { provide: EVENT_PAGE_RENDERER, useExisting: EventFormats },
    ExportProducer,
    ExportsService,
    ExportWorker,
    DownloadLinks,
    ExportInvalidationService,
    {
      provide: EXPORT_FILE_STORE,
      inject: [APP_CONFIG],
      // The S3 store (and the AWS SDK, ~20 MB) is loaded only when exports go to S3.
      useFactory: async (config: AppConfig): Promise<ExportFileStore> =>
        config.exports.s3
          ? new (await import('./storage/s3-file-store.js')).S3ExportFileStore(config.exports.s3)
          : new LocalExportFileStore(join(config.dataDir, 'exports')),
    },
  ],
  exports: [EventFormats, EVENT_PAGE_RENDERER, ExportsService, ExportProducer, ExportInvalidationService, EXPORT_FILE_STORE],
})
export class ExportsModule {}
