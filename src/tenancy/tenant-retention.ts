import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { defaultRetention, type RetentionRules } from './retention-rules.js';

/** A tenant's retention as tenancy hands it on (principal, scope, directory): rules plus the floor. */
export interface TenantRetention {
  /** Retention of events without a per-action override, in days. */
  defaultDays: number;
  /** The shortest retention ever in force (only goes down): older events may be gone lawfully. */
  floorDays: number;
  rules: RetentionRules;
}

/**
 * What tenancy needs from the retention module (src/retention owns the retention_policies
 * table). Defined here, implemented there and plugged in at start through
 * {@link TenantRetentionRegistry}, so tenancy does not import the module that sits above it.
 */
export interface TenantRetentionSource {
  /** The retention of each tenant that has one (a tenant without a row gets {@link FALLBACK_RETENTION_DAYS}). */
  of(tenantIds: readonly string[]): Promise<Map<string, TenantRetention>>;
  /** Writes a new tenant's retention in the transaction that creates the tenant. */
  create(tx: Prisma.TransactionClient, tenantId: string, days: number): Promise<void>;
  /** Sets the default retention (operator PATCH retention_days), lowering the floor if needed; in the caller's transaction. */
  setDefault(tx: Prisma.TransactionClient, tenantId: string, days: number): Promise<void>;
}

/** The retention of a tenant without a stored policy (the old column default). */
export const FALLBACK_RETENTION_DAYS = 365;

export function fallbackRetention(): TenantRetention {
  return { defaultDays: FALLBACK_RETENTION_DAYS, floorDays: FALLBACK_RETENTION_DAYS, rules: defaultRetention(FALLBACK_RETENTION_DAYS) };
}

/** Where the retention module plugs its {@link TenantRetentionSource} in (provided by AuthModule). */
@Injectable()
export class TenantRetentionRegistry {
  private source: TenantRetentionSource | undefined;

  use(source: TenantRetentionSource): void {
    this.source = source;
  }

  private get current(): TenantRetentionSource {
    if (!this.source) throw new Error('no retention source registered (RetentionModule is not loaded)');
    return this.source;
  }

  async of(tenantIds: readonly string[]): Promise<Map<string, TenantRetention>> {
    return tenantIds.length === 0 ? new Map() : this.current.of(tenantIds);
  }

  async one(tenantId: string): Promise<TenantRetention> {
    return (await this.of([tenantId])).get(tenantId) ?? fallbackRetention();
  }

  create(tx: Prisma.TransactionClient, tenantId: string, days: number): Promise<void> {
    return this.current.create(tx, tenantId, days);
  }

  setDefault(tx: Prisma.TransactionClient, tenantId: string, days: number): Promise<void> {
    return this.current.setDefault(tx, tenantId, days);
  }
}
