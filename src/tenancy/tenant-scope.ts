import type { ApiKeyPrincipal, TenantSnapshot } from './principal.js';

const TOKEN = Symbol('TenantScope');

/**
 * Narrowing below one organization, from a viewer token: only events of one actor and/or
 * whose action matches one of the patterns (exact `user.login` or prefix `user.*`).
 */
export interface ScopeNarrowing {
  actorId?: string;
  actions?: readonly string[];
}

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
    /** Viewer-token narrowing; only ever set together with an organization. */
    readonly narrowing?: Readonly<ScopeNarrowing>,
  ) {
    if (token !== TOKEN) throw new Error('TenantScope is created through TenantScope.of()/forTenant()');
    if (narrowing && organizationId === undefined) throw new Error('A narrowed scope needs an organization');
  }

  static of(principal: ApiKeyPrincipal): TenantScope {
    const v = principal.viewer;
    const narrowing = v && (v.actorId !== undefined || v.actions?.length) ? { actorId: v.actorId, actions: v.actions?.length ? [...v.actions] : undefined } : undefined;
    return new TenantScope(TOKEN, principal.tenant.id, principal.tenant.retentionDays, principal.organizationId, narrowing);
  }

  /**
   * For operator and background work on a whole tenant, or on one organization when background
   * work carries out what an organization-scoped key asked for (e.g. an export job).
   */
  static forTenant(tenant: Pick<TenantSnapshot, 'id' | 'retentionDays'>, organizationId?: string, narrowing?: ScopeNarrowing): TenantScope {
    return new TenantScope(TOKEN, tenant.id, tenant.retentionDays, organizationId, narrowing);
  }

  /**
   * The narrowing as one canonical string (stored with an export a viewer token requested, so
   * the worker applies it and other tokens see that export only with the same narrowing), or
   * undefined when the scope is not narrowed.
   */
  narrowingKey(): string | undefined {
    if (!this.narrowing) return undefined;
    const n: { actions?: string[]; actor_id?: string } = {};
    if (this.narrowing.actions?.length) n.actions = [...new Set(this.narrowing.actions)].sort();
    if (this.narrowing.actorId !== undefined) n.actor_id = this.narrowing.actorId;
    return JSON.stringify(n);
  }

  static parseNarrowingKey(key: string | null | undefined): ScopeNarrowing | undefined {
    if (!key) return undefined;
    const n = JSON.parse(key) as { actions?: string[]; actor_id?: string };
    return { actorId: n.actor_id, actions: n.actions };
  }

  /** The same tenant without the organization restriction (tenant-wide structures: the Merkle log, checkpoints). */
  tenantWide(): TenantScope {
    return this.organizationId === undefined ? this : new TenantScope(TOKEN, this.tenantId, this.retentionDays, undefined, undefined);
  }

  /** Oldest received_at still visible under the tenant's retention at `now`. */
  retentionHorizon(now: number): Date {
    return new Date(now - this.retentionDays * 86_400_000);
  }
}
