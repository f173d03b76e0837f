import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantSnapshot } from './principal.js';
import { parseOverrides } from './rate-limits.js';
import { TenantRetentionRegistry } from './tenant-retention.js';
import { TenantScope } from './tenant-scope.js';

/**
 * Read-only tenant lookups for background work (jobs act on a tenant without a request):
 * the one way a job obtains a tenant's scope and settings.
 */
@Injectable()
export class TenantDirectory {
  constructor(
    private readonly prisma: PrismaService,
    private readonly retention: TenantRetentionRegistry,
  ) {}

  async get(tenantId: string): Promise<(TenantSnapshot & { retentionFloorDays: number }) | undefined> {
    const t = await this.prisma.tenant.findUnique({ where: { id: tenantId } });
    if (!t) return undefined;
    const r = await this.retention.one(tenantId);
    return {
      id: t.id,
      name: t.name,
      status: t.status === 'suspended' ? 'suspended' : 'active',
      retentionDays: r.defaultDays,
      readAuditing: t.readAuditing,
      retention: r.rules,
      rateLimits: parseOverrides(t.rateLimits),
      retentionFloorDays: r.floorDays,
    };
  }

  /** Active tenant ids in id order after `after`, for jobs that visit every tenant. */
  async activeIds(after: string | undefined, limit: number): Promise<string[]> {
    const rows = await this.prisma.tenant.findMany({
      where: { status: 'active', ...(after !== undefined ? { id: { gt: after } } : {}) },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** Every tenant id (active or suspended) in id order after `after`, for per-tenant records other modules keep. */
  async ids(after: string | undefined, limit: number): Promise<string[]> {
    const rows = await this.prisma.tenant.findMany({
      where: after !== undefined ? { id: { gt: after } } : {},
      select: { id: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  async scope(tenantId: string): Promise<TenantScope | undefined> {
    const t = await this.get(tenantId);
    return t ? TenantScope.forTenant(t) : undefined;
  }
}
