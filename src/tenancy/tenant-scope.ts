import type { ApiKeyPrincipal, TenantSnapshot } from './principal.js';
import { defaultRetention, type RetentionRules } from './retention-rules.js';

const TOKEN = Symbol('TenantScope');

/**
 * The tenant (and optionally organization) a data access is confined to. Every repository
 * method that reads or writes tenant data takes one as its first parameter, and scoped SQL
 * builders derive their leading predicates from it, so a read without a tenant does not
 * compile. Instances come only from an authenticated principal or from an explicit operator
 * or background action on one tenant.
 */
export class TenantScope {
  private constructor(
    token: symbol,
    readonly tenantId: string,
    readonly retentionDays: number,
    readonly organizationId: string | undefined,
    /** Per-action overrides and legal holds on top of retentionDays (the default). */
    readonly retention: RetentionRules,
  ) {
    if (token !== TOKEN) throw new Error('TenantScope is created through TenantScope.of()/forTenant()');
  }

  static of(principal: ApiKeyPrincipal): TenantScope {
    const t = principal.tenant;
    return new TenantScope(TOKEN, t.id, t.retentionDays, principal.organizationId, t.retention ?? defaultRetention(t.retentionDays));
  }

  /**
   * For operator and background work on a whole tenant, or on one organization when background
   * work carries out what an organization-scoped key asked for (e.g. an export job).
   */
  static forTenant(tenant: Pick<TenantSnapshot, 'id' | 'retentionDays'> & { retention?: RetentionRules }, organizationId?: string): TenantScope {
    return new TenantScope(TOKEN, tenant.id, tenant.retentionDays, organizationId, tenant.retention ?? defaultRetention(tenant.retentionDays));
  }

  /** The same tenant without the organization restriction (tenant-wide structures: the Merkle log, checkpoints). */
  tenantWide(): TenantScope {
    return this.organizationId === undefined ? this : new TenantScope(TOKEN, this.tenantId, this.retentionDays, undefined, this.retention);
  }

  /** The same tenant and organization with another organization restriction (background work on behalf of a destination or job). */
  withOrganization(organizationId: string | undefined): TenantScope {
    return new TenantScope(TOKEN, this.tenantId, this.retentionDays, organizationId, this.retention);
  }

  /** Oldest received_at still visible under the tenant's DEFAULT retention at `now`. */
  retentionHorizon(now: number): Date {
    return new Date(now - this.retentionDays * 86_400_000);
  }

  /**
   * Oldest received_at any event may still be visible with (the longest per-action retention;
   * the epoch while a legal hold exists): a lower bound for pruning, never the predicate itself.
   */
  earliestVisible(now: number): Date {
    if (this.retention.heldOrganizations.length > 0) return new Date(0);
    const days = Math.max(this.retentionDays, ...this.retention.actions.map((a) => a.days));
    return new Date(now - days * 86_400_000);
  }
}
