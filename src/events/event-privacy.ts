import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { EventFilters } from './events.repository.js';

/**
 * What the events store needs from privacy, defined here and provided by privacy
 * (PrivacyCoreModule, src/privacy/event-privacy.provider.ts), which already depends on events:
 * so the events module never imports privacy. The same inversion as EVENT_PAGE_RENDERER.
 */
export const EVENT_PRIVACY = Symbol('EVENT_PRIVACY');

export interface EventPrivacy {
  /** `q` and `ip` filters rewritten to also match encrypted values, through their blind-index tokens. */
  blind(scope: TenantScope, filters: EventFilters): EventFilters;
  /** Stored payloads with personal data decrypted for this audience ([erased] once a subject's key is gone). */
  reveal(scope: TenantScope, stored: readonly string[], audience: { restricted: boolean }): Promise<{ texts: string[]; restrictedShown: number }>;
  /**
   * A trail entry (veritrail.*) with secrets redacted by the built-in detectors, as on customer
   * events; `scrubbed` tells whether anything was found.
   */
  scrubTrailEntry(input: Record<string, unknown>): { event: Record<string, unknown>; scrubbed: boolean };
}
