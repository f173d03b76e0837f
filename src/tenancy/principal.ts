import type { RetentionRules } from './retention-rules.js';

export const SCOPES = ['events:write', 'events:read', 'exports', 'webhooks', 'privacy', 'admin', 'alerts'] as const;
export type Scope = (typeof SCOPES)[number];

/** Scopes an organization-scoped key may hold: its organization's events, feed and exports only. */
export const ORGANIZATION_KEY_SCOPES: readonly Scope[] = ['events:write', 'events:read', 'exports'];

export interface TenantSnapshot {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  retentionDays: number;
  readAuditing: boolean;
  /** Per-action retention and legal holds (absent: retentionDays for everything). */
  retention?: RetentionRules;
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
}

export interface OperatorPrincipal {
  kind: 'operator';
}

export type Principal = ApiKeyPrincipal | OperatorPrincipal;
