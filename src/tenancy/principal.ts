import type { RateLimitOverrides } from './rate-limits.js';
import type { RetentionRules } from './retention-rules.js';

export const SCOPES = ['events:write', 'events:read', 'exports', 'webhooks', 'privacy', 'admin', 'alerts', 'streams'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Scopes an organization-scoped key may hold: its organization's events, feed and exports, and
 * `streams`: self-service destinations (/v1/webhooks) and alert rules (/v1/alert-rules, /v1/alerts)
 * confined to its organization, unless the tenant forbids it for that organization.
 */
export const ORGANIZATION_KEY_SCOPES: readonly Scope[] = ['events:write', 'events:read', 'exports', 'streams'];

/** Scopes only an organization-scoped key (or viewer token) may hold: tenant-wide keys use webhooks and alerts. */
export const ORGANIZATION_ONLY_SCOPES: readonly Scope[] = ['streams'];

export interface TenantSnapshot {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  retentionDays: number;
  readAuditing: boolean;
  /** Per-action retention and legal holds (absent: retentionDays for everything). */
  retention?: RetentionRules;
  /** The operator's per-tenant rate limits (absent fields: the plan's, then RATE_LIMIT_*). */
  rateLimits?: RateLimitOverrides;
}

/** Who is calling, as established by an auth strategy. */
export interface ApiKeyPrincipal {
  kind: 'api_key';
  tenant: TenantSnapshot;
  keyId: string;
  keyName: string;
  scopes: ReadonlySet<Scope>;
  /** Set for organization-scoped keys: every read and write is narrowed to this organization. */
  organizationId?: string;
  /**
   * Set when the credential is a viewer token (src/viewer) rather than an API key: the token's
   * organization is `organizationId`, its scopes are read-only, and `keyId` names the key that
   * minted it. TenantScope.of() carries the narrowing below into every repository read.
   */
  viewer?: ViewerGrant;
}

/** What a viewer token grants beyond its tenant and organization. */
export interface ViewerGrant {
  /** The token's session id (jti): the same for every token of one page load and its refreshes. */
  sessionId: string;
  /** Who looks at the viewer (defaults to actorId); DELETE /v1/viewer-sessions?actor_id= matches it. */
  userId?: string;
  /** Only events whose actor is this one ("my activity"). */
  actorId?: string;
  /** Only events whose action matches one of these patterns (exact, or `prefix.*`). */
  actions?: readonly string[];
  /**
   * The minting key allowed the page to fetch inclusion proofs (GET /v1/events/{id}/proof) so the
   * viewer checks them itself; a proof reveals the size of the tenant's whole log.
   */
  proofs?: boolean;
  issuedAtMs: number;
  expiresAtMs: number;
}

export interface OperatorPrincipal {
  kind: 'operator';
}

export type Principal = ApiKeyPrincipal | OperatorPrincipal;
