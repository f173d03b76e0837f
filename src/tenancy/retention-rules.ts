/**
 * A tenant's retention as the read path applies it (stored and decided by src/retention, which
 * hands it to tenancy through TenantRetentionRegistry): a default, per-action overrides and legal
 * holds per organization. Expiry is a query predicate built from these rules (immediate on every
 * read); the retention job deletes what the same predicate no longer keeps.
 */
export interface RetentionRules {
  defaultDays: number;
  /** Most specific first: exact actions, then longer prefixes (`billing.*` → prefix `billing.`). */
  actions: readonly { action: string; prefix: boolean; days: number }[];
  /** Organizations under legal hold: their events never expire while the hold lasts. */
  heldOrganizations: readonly string[];
}

export function defaultRetention(days: number): RetentionRules {
  return { defaultDays: days, actions: [], heldOrganizations: [] };
}
