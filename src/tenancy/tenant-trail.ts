import { Injectable } from '@nestjs/common';
import type { RequestMetaValue } from '../common/request-meta.js';
import type { ApiKeyPrincipal } from './principal.js';
import type { TenantScope } from './tenant-scope.js';

/** The actor of a trail entry about tenants and keys (a subset of the event actor). */
export interface TrailActor {
  type: 'api_key' | 'user' | 'system';
  id: string;
  name?: string;
}

export interface TrailTarget {
  type: string;
  id: string;
  name?: string;
}

export interface TrailChange {
  field: string;
  before?: unknown;
  after?: unknown;
}

/** A `veritrail.*` entry tenancy records in a tenant's own trail. */
export interface TenancyTrailEntry {
  action: `veritrail.${string}`;
  actor: TrailActor;
  targets?: TrailTarget[];
  metadata?: Record<string, unknown>;
  changes?: TrailChange[];
}

/**
 * What tenancy needs from the audit trail (src/events writes it). Defined here, implemented by
 * the events module's AuditTrailService and plugged in at start through
 * {@link TenantTrailRegistry}, so tenancy does not import the module that sits above it.
 */
export interface TenantTrail {
  /** Writes the entries and waits for the commit. */
  record(scope: TenantScope, entry: TenancyTrailEntry | TenancyTrailEntry[], meta?: RequestMetaValue): Promise<void>;
  /** Records a tenant admin's settings change (`veritrail.settings.updated`) and waits for the commit. */
  settingsUpdated(scope: TenantScope, principal: ApiKeyPrincipal, changes: TrailChange[], meta?: RequestMetaValue): Promise<void>;
}

/** The actor of a meta-audit event made with an API key. */
export function keyActor(principal: ApiKeyPrincipal): TrailActor {
  // A viewer token acts for the end user it was minted for, or else for the key that minted it.
  if (principal.viewer?.userId !== undefined) return { type: 'user', id: principal.viewer.userId };
  return { type: 'api_key', id: principal.keyId, name: principal.keyName };
}

export const OPERATOR_ACTOR: TrailActor = { type: 'system', id: 'operator', name: 'Veritrail operator' };

/** Where the events module plugs its {@link TenantTrail} in (provided by AuthModule). */
@Injectable()
export class TenantTrailRegistry implements TenantTrail {
  private trail: TenantTrail | undefined;

  use(trail: TenantTrail): void {
    this.trail = trail;
  }

  private get current(): TenantTrail {
    if (!this.trail) throw new Error('no audit trail registered (EventsModule is not loaded)');
    return this.trail;
  }

  record(scope: TenantScope, entry: TenancyTrailEntry | TenancyTrailEntry[], meta?: RequestMetaValue): Promise<void> {
    return this.current.record(scope, entry, meta);
  }

  settingsUpdated(scope: TenantScope, principal: ApiKeyPrincipal, changes: TrailChange[], meta?: RequestMetaValue): Promise<void> {
    return this.current.settingsUpdated(scope, principal, changes, meta);
  }
}
