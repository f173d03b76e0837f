import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { Scope, TenantSnapshot } from './principal.js';
import { parseOverrides, type RateLimitOverrides } from './rate-limits.js';
import { TenantRetentionRegistry, fallbackRetention, type TenantRetention } from './tenant-retention.js';

export interface Tenant extends TenantSnapshot {
  createdAt: Date;
  updatedAt: Date;
}

export interface NewApiKey {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: Scope[];
  organizationId?: string;
}

export interface TenantPatch {
  name?: string;
  status?: 'active' | 'suspended';
  retentionDays?: number;
  readAuditing?: boolean;
  rateLimits?: RateLimitOverrides;
}

type TenantRow = {
  id: string;
  name: string;
  status: string;
  readAuditing: boolean;
  rateLimits?: unknown;
  createdAt: Date;
  updatedAt: Date;
};

/** A tenants row with its retention (owned by src/retention, reached through the registry). */
export function toTenant(row: TenantRow, retention: TenantRetention = fallbackRetention()): Tenant {
  return {
    id: row.id,
    name: row.name,
    status: row.status === 'suspended' ? 'suspended' : 'active',
    retentionDays: retention.defaultDays,
    readAuditing: row.readAuditing,
    retention: retention.rules,
    rateLimits: parseOverrides(row.rateLimits),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Control-plane rows for tenants (the operator's view: not tenant-scoped by design). */
@Injectable()
export class TenantsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly retention: TenantRetentionRegistry,
  ) {}

  private async withRetention(rows: TenantRow[]): Promise<Tenant[]> {
    const r = await this.retention.of(rows.map((t) => t.id));
    return rows.map((t) => toTenant(t, r.get(t.id)));
  }

  /** Creates the tenant, its retention and its first key atomically. */
  async create(tenant: { id: string; name: string; retentionDays: number }, key: NewApiKey): Promise<Tenant> {
    const row = await this.prisma.$transaction(async (tx) => {
      const t = await tx.tenant.create({ data: { id: tenant.id, name: tenant.name } });
      await this.retention.create(tx, t.id, tenant.retentionDays);
      await tx.apiKey.create({
        data: {
          id: key.id,
          tenantId: t.id,
          name: key.name,
          prefix: key.prefix,
          secretHash: key.hash,
          scopes: key.scopes,
          organizationId: key.organizationId ?? null,
        },
      });
      return t;
    });
    return toTenant(row, await this.retention.one(row.id));
  }

  /** Keyset page ordered by (created_at, id). */
  async list(limit: number, after?: { createdAt: Date; id: string }): Promise<Tenant[]> {
    const rows = await this.prisma.tenant.findMany({
      where: after
        ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
        : undefined,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return this.withRetention(rows);
  }

  async get(id: string): Promise<Tenant | undefined> {
    const row = await this.prisma.tenant.findUnique({ where: { id } });
    return row ? toTenant(row, await this.retention.one(id)) : undefined;
  }

  async update(id: string, patch: TenantPatch): Promise<Tenant | undefined> {
    const { retentionDays, ...columns } = patch;
    const rows = await this.prisma.$transaction(async (tx) => {
      const r = await tx.tenant.updateManyAndReturn({ where: { id }, data: columns });
      // The retention module keeps the floor (the shortest retention ever in force).
      if (r[0] && retentionDays !== undefined) await this.retention.setDefault(tx, id, retentionDays);
      return r;
    });
    return rows[0] ? toTenant(rows[0], await this.retention.one(id)) : undefined;
  }

  /** Removes the tenant and (by cascade) its keys and idempotency records. */
  async delete(id: string): Promise<boolean> {
    const r = await this.prisma.tenant.deleteMany({ where: { id } });
    return r.count > 0;
  }
}
