import { Injectable } from '@nestjs/common';
import { parseStreamsPolicy, type StreamsPolicy } from './streams-policy.js';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { Scope, TenantSnapshot } from './principal.js';
import { parseOverrides, type RateLimitOverrides } from './rate-limits.js';
import { retentionRules } from './retention-rules.js';

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
  retentionDays: number;
  readAuditing: boolean;
  retentionPolicy: unknown;
  rateLimits?: unknown;
  createdAt: Date;
  updatedAt: Date;
};

function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    name: row.name,
    status: row.status === 'suspended' ? 'suspended' : 'active',
    retentionDays: row.retentionDays,
    readAuditing: row.readAuditing,
    retention: retentionRules(row.retentionDays, row.retentionPolicy),
    rateLimits: parseOverrides(row.rateLimits),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Control-plane rows for tenants (the operator's view: not tenant-scoped by design). */
@Injectable()
export class TenantsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the tenant and its first key atomically. */
  async create(tenant: { id: string; name: string; retentionDays: number }, key: NewApiKey): Promise<Tenant> {
    const row = await this.prisma.$transaction(async (tx) => {
      const t = await tx.tenant.create({
        data: { id: tenant.id, name: tenant.name, retentionDays: tenant.retentionDays, retentionFloorDays: tenant.retentionDays },
      });
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
    return toTenant(row);
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
    return rows.map(toTenant);
  }

  async get(id: string): Promise<Tenant | undefined> {
    const row = await this.prisma.tenant.findUnique({ where: { id } });
    return row ? toTenant(row) : undefined;
  }

  async update(id: string, patch: TenantPatch): Promise<Tenant | undefined> {
    const r = await this.prisma.$transaction(async (tx) => {
      const rows = await tx.tenant.updateManyAndReturn({ where: { id }, data: patch });
      // Remember the shortest retention ever set: older events may have been removed lawfully.
      if (rows[0] && patch.retentionDays !== undefined && patch.retentionDays < rows[0].retentionFloorDays) {
        return tx.tenant.updateManyAndReturn({ where: { id }, data: { retentionFloorDays: patch.retentionDays } });
      }
      return rows;
    });
    return r[0] ? toTenant(r[0]) : undefined;
  }

  /**
   * Sets the default retention and the per-action / legal-hold policy at once; the floor (the
   * shortest retention ever in force, which the verifier trusts) only ever goes down.
   */
  async updateRetention(id: string, retentionDays: number, policy: object, shortestDays: number): Promise<(Tenant & { retentionPolicy: unknown; retentionFloorDays: number }) | undefined> {
    // One statement, no interactive transaction: the floor only ever goes down.
    const rows = await this.prisma.$queryRaw<TenantRow[]>`
      UPDATE tenants SET retention_days = ${retentionDays}, retention_policy = ${JSON.stringify(policy)}::jsonb,
        retention_floor_days = LEAST(retention_floor_days, ${shortestDays}), updated_at = now()
      WHERE id = ${id}
      RETURNING id, name, status, retention_days AS "retentionDays", read_auditing AS "readAuditing", retention_policy AS "retentionPolicy", rate_limits AS "rateLimits",
        retention_floor_days AS "retentionFloorDays", created_at AS "createdAt", updated_at AS "updatedAt"`;
    const r = rows[0] as (TenantRow & { retentionFloorDays: number }) | undefined;
    return r ? { ...toTenant(r), retentionPolicy: r.retentionPolicy, retentionFloorDays: r.retentionFloorDays } : undefined;
  }

  async retentionOf(id: string): Promise<{ retentionDays: number; retentionPolicy: unknown; retentionFloorDays: number } | undefined> {
    const r = await this.prisma.tenant.findUnique({ where: { id }, select: { retentionDays: true, retentionPolicy: true, retentionFloorDays: true } });
    return r ?? undefined;
  }

  /** Removes the tenant and (by cascade) its keys and idempotency records. */
  async streamsPolicy(id: string): Promise<StreamsPolicy> {
    const r = await this.prisma.tenant.findUnique({ where: { id }, select: { streamsPolicy: true } });
    return parseStreamsPolicy(r?.streamsPolicy);
  }

  async setStreamsPolicy(id: string, policy: StreamsPolicy): Promise<StreamsPolicy> {
    const r = await this.prisma.tenant.update({ where: { id }, data: { streamsPolicy: policy }, select: { streamsPolicy: true } });
    return parseStreamsPolicy(r.streamsPolicy);
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.prisma.tenant.deleteMany({ where: { id } });
    return r.count > 0;
  }
}
