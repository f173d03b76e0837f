import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { EventFilters } from './events.repository.js';

/**
 * What the events store needs from the personal-data module, defined here and implemented there
 * (src/personal-data/event-privacy.provider.ts), which already depends on events: so the events
 * module never imports it. The implementation registers itself in {@link EventPrivacyRegistry}
 * (one per app, in EventLogModule), which is what EVENT_PRIVACY resolves to.
 */
export const EVENT_PRIVACY = Symbol('EVENT_PRIVACY');

export interface EventPrivacy {
  /** `q` and `ip` filters rewritten to also match encrypted values, through their blind-index tokens. */
  blind(scope: TenantScope, filters: EventFilters): EventFilters;
  /** Stored payloads with personal data decrypted for this audience ([erased] once a subject's key is gone). */
  reveal(scope: TenantScope, stored: readonly string[], audience: { restricted: boolean }): Promise<{ texts: string[]; restrictedShown: number }>;
  /**
   * Loads (into the cache reveal reads) what reveal needs of the tenant before the payloads are
   * known, so it can load while the events are read. Never rejects: a failure shows in reveal.
   */
  prepareReveal(scope: TenantScope): Promise<void>;
  /**
   * A trail entry (veritrail.*) with secrets redacted by the built-in detectors, as on customer
   * events; `scrubbed` tells whether anything was found.
   */
  scrubTrailEntry(input: Record<string, unknown>): { event: Record<string, unknown>; scrubbed: boolean };
}

/** Where the personal-data module plugs in its {@link EventPrivacy}; every call is passed on to it. */
@Injectable()
export class EventPrivacyRegistry implements EventPrivacy {
  private impl: EventPrivacy | undefined;

  register(impl: EventPrivacy): void {
    if (this.impl && this.impl !== impl) throw new Error('an event privacy implementation is already registered');
    this.impl = impl;
  }

  private get privacy(): EventPrivacy {
    if (!this.impl) throw new Error('no event privacy implementation registered (PersonalDataModule not loaded)');
    return this.impl;
  }

  blind(scope: TenantScope, filters: EventFilters): EventFilters {
    return this.privacy.blind(scope, filters);
  }

  reveal(scope: TenantScope, stored: readonly string[], audience: { restricted: boolean }): Promise<{ texts: string[]; restrictedShown: number }> {
    return this.privacy.reveal(scope, stored, audience);
  }

  prepareReveal(scope: TenantScope): Promise<void> {
    return this.privacy.prepareReveal(scope);
  }

  scrubTrailEntry(input: Record<string, unknown>): { event: Record<string, unknown>; scrubbed: boolean } {
    return this.privacy.scrubTrailEntry(input);
  }
}
