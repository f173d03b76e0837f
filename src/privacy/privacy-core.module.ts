import { Global, Module } from '@nestjs/common';
import { EVENT_PRIVACY } from '../events/event-privacy.js';
import { eventPrivacyProvider } from './event-privacy.provider.js';
import { EventScrubber } from './event-scrubber.service.js';
import { PersonalDataService } from './personal-data.service.js';
import { PrivacyRepository } from './privacy.repository.js';
import { ScrubPolicyService } from './scrub-policy.service.js';
import { SubjectKeyringService } from './subject-keyring.service.js';
import { SubjectKeysRepository } from './subject-keys.repository.js';

/**
 * What every read and write path needs from privacy: the tenant's privacy settings (scrubbing,
 * classification, notices) and the per-subject encryption of personal data. Global, because
 * ingest, queries, the feed, exports and webhooks all reveal or protect personal data.
 */
@Global()
@Module({
  providers: [eventPrivacyProvider, EventScrubber, ScrubPolicyService, SubjectKeysRepository, SubjectKeyringService, PrivacyRepository, PersonalDataService],
  exports: [EVENT_PRIVACY, EventScrubber, ScrubPolicyService, PersonalDataService],
})
export class PrivacyCoreModule {}
