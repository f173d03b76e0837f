import type { Provider } from '@nestjs/common';
import { EVENT_PRIVACY, type EventPrivacy } from '../events/event-privacy.js';
import { PersonalDataService } from './personal-data.service.js';
import { scrubEvent } from './scrubber.js';
import type { ScrubPolicy } from './scrubbing/types.js';

/** Meta-audit entries: the built-in detectors only, values redacted (no tenant policy applies). */
const TRAIL_SCRUB_POLICY: ScrubPolicy = { mode: 'redact' };

/** Privacy's side of the interface the events store defines (src/events/event-privacy.ts). */
export const eventPrivacyProvider: Provider = {
  provide: EVENT_PRIVACY,
  useFactory: (personal: PersonalDataService): EventPrivacy => ({
    blind: (scope, filters) => personal.blind(scope, filters),
    reveal: (scope, stored, audience) => personal.reveal(scope, stored, audience),
    scrubTrailEntry: (input) => {
      const { event, findings } = scrubEvent(input, TRAIL_SCRUB_POLICY);
      return { event, scrubbed: findings.length > 0 };
    },
  }),
  inject: [PersonalDataService],
};
