import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { ExportsModule } from '../exports/exports.module.js';
import { IntegrityModule } from '../integrity/integrity.module.js';
import { PersonalDataModule } from '../personal-data/personal-data.module.js';
import { RetentionModule } from '../retention/retention.module.js';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { AccessService } from './access.service.js';
import { ErasureService } from './erasure.service.js';
import { NoticeService } from './notices.service.js';
import { PrivacySettingsController } from './privacy-settings.controller.js';
import { PrivacySettingsService } from './privacy-settings.service.js';
import { PrivacyController } from './privacy.controller.js';
import { NoticesRepository } from './notices.repository.js';
import { JobsModule } from '../jobs/jobs.module.js';

/**
 * Privacy duties: settings, erasure, subject access, notices (retention is src/retention). The encryption of
 * personal data itself (used by every read and write path) is PersonalDataModule (src/personal-data).
 */
@Module({
  imports: [AuthModule, EventsModule, ExportsModule, IntegrityModule, JobsModule, PersonalDataModule, RetentionModule, TenancyModule, WebhooksModule],
  controllers: [PrivacySettingsController, PrivacyController],
  providers: [NoticesRepository, ErasureService, AccessService, NoticeService, PrivacySettingsService],
  exports: [ErasureService],
})
export class PrivacyModule {}
