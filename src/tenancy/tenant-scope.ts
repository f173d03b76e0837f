import type { ApiKeyPrincipal, TenantSnapshot } from './principal.js';

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
  ) {
    if (token !== TOKEN) throw new Error('TenantScope is created through TenantScope.of()/forTenant()');
  }

  static of(principal: ApiKeyPrincipal): TenantScope {
    return new TenantScope(TOKEN, principal.tenant.id, principal.tenant.retentionDays, principal.organizationId);
  }

  /**
   * For operator and background work on a whole tenant, or on one organization when background
   * work carries out what an organization-scoped key asked for (e.g. an export job).
   */
  static forTenant(tenant: Pick<TenantSnapshot, 'id' | 'retentionDays'>, organizationId?: string): TenantScope {
    return new TenantScope(TOKEN, tenant.id, tenant.retentionDays, organizationId);
  }

  /** The same tenant without the organization restriction (tenant-wide structures: the Merkle log, checkpoints). */
  tenantWide(): TenantScope {
    return this.organizationId === undefined ? this : new TenantScope(TOKEN, this.tenantId, this.retentionDays, undefined);
  }

  /** Oldest received_at still visible under the tenant's retention at `now`. */
  retentionHorizon(now: number): Date {
    return new Date(now - this.retentionDays * 86_400_000);
  }
}
