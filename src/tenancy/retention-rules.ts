/**
 * A tenant's retention as the read path applies it: a default, per-action overrides and legal
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

/** The stored form (tenants.retention_policy), as written by PUT /v1/settings/retention. */
export interface StoredRetentionPolicy {
  actions?: { action: string; days: number }[];
  legal_holds?: { organization_id: string; reason: string; since: string }[];
  pci_dss?: boolean;
}

export function retentionRules(defaultDays: number, stored: unknown): RetentionRules {
  const p = (stored && typeof stored === 'object' ? stored : {}) as StoredRetentionPolicy;
  const actions = (p.actions ?? [])
    .map((a) => (a.action.endsWith('.*') ? { action: a.action.slice(0, -1), prefix: true, days: a.days } : { action: a.action, prefix: false, days: a.days }))
    // Exact matches first, then the longest prefix: the most specific rule wins.
    .sort((x, y) => Number(x.prefix) - Number(y.prefix) || y.action.length - x.action.length);
  return { defaultDays, actions, heldOrganizations: (p.legal_holds ?? []).map((h) => h.organization_id) };
}

export function defaultRetention(days: number): RetentionRules {
  return { defaultDays: days, actions: [], heldOrganizations: [] };
}
