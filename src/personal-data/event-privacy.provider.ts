import { Injectable } from '@nestjs/common';
import type { EventFilters } from '../events/event-reads.service.js';
import { EventPrivacyRegistry, type EventPrivacy } from '../events/event-privacy.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { PersonalDataService } from './personal-data.service.js';
import { scrubEvent } from './scrubber.js';
import type { ScrubPolicy } from './scrubbing/types.js';

/** Meta-audit entries: the built-in detectors only, values redacted (no tenant policy applies). */
const TRAIL_SCRUB_POLICY: ScrubPolicy = { mode: 'redact' };

/** This module's side of the interface the events store defines (src/events/event-privacy.ts). */
@Injectable()
export class EventPrivacyProvider implements EventPrivacy {
  constructor(
    private readonly personal: PersonalDataService,
    registry: EventPrivacyRegistry,
  ) {
    // At construction, not in a start-up hook: other modules' hooks may already write trail entries.
    registry.register(this);
  }

  blind(scope: TenantScope, filters: EventFilters): EventFilters {
    return this.personal.blind(scope, filters);
  }

  reveal(scope: TenantScope, stored: readonly string[], audience: { restricted: boolean }): Promise<{ texts: string[]; restrictedShown: number }> {
    return this.personal.reveal(scope, stored, audience);
  }

  prepareReveal(scope: TenantScope): Promise<void> {
    return this.personal.prepareReveal(scope);
  }

  scrubTrailEntry(input: Record<string, unknown>): { event: Record<string, unknown>; scrubbed: boolean } {
    const { event, findings } = scrubEvent(input, TRAIL_SCRUB_POLICY);
    return { event, scrubbed: findings.length > 0 };
  }
}
