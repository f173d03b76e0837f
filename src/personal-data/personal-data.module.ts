import { Module } from '@nestjs/common';
import { EventLogModule } from '../events/event-log.module.js';
import { ErasureLedger } from './erasure-ledger.service.js';
import { ErasuresRepository } from './erasures.repository.js';
import { EventPrivacyProvider } from './event-privacy.provider.js';
import { EventScrubber } from './event-scrubber.service.js';
import { PersonalDataService } from './personal-data.service.js';
import { PrivacySettingsRepository } from './privacy-settings.repository.js';
import { ScrubPolicyService } from './scrub-policy.service.js';
import { SubjectKeyringService } from './subject-keyring.service.js';
import { SubjectKeysRepository } from './subject-keys.repository.js';

/**
 * What every read and write path needs from privacy: the tenant's privacy settings (scrubbing,
 * classification, notices), the per-subject encryption of personal data and the record of
 * erasures that reading it depends on. Imported by ingest, integrity, exports, webhooks and the
 * privacy duties (src/privacy); the events store reaches it through EVENT_PRIVACY, which it
 * plugs into EventLogModule's registry.
 */
@Module({
  imports: [EventLogModule],
  providers: [
    EventPrivacyProvider,
    EventScrubber,
    ScrubPolicyService,
    PrivacySettingsRepository,
    SubjectKeysRepository,
    SubjectKeyringService,
    ErasuresRepository,
    ErasureLedger,
    PersonalDataService,
  ],
  exports: [EventScrubber, ScrubPolicyService, PersonalDataService, ErasureLedger],
})
export class PersonalDataModule {}
