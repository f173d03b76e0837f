import { Injectable } from '@nestjs/common';
import { prefixedId } from '../common/ids.js';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** Viewer sessions' control-plane state in PostgreSQL: revocations and the CORS allow-list. */
@Injectable()
export class ViewerRepository {
  constructor(private readonly prisma: PrismaService) {}

  async revoke(scope: TenantScope, organizationId: string, userId: string | undefined, revokedBy: string): Promise<Date> {
    const row = await this.prisma.viewerRevocation.create({
      data: { id: prefixedId('vrv'), tenantId: scope.tenantId, organizationId, userId: userId ?? null, revokedBy },
    });
    return row.revokedAt;
  }

  /**
   * The newest revocation per user of one organization (user null: the whole organization)
   * made within `windowMs` (older ones cannot concern a token that is still valid).
   */
  async revocations(scope: TenantScope, organizationId: string, windowMs: number): Promise<{ userId: string | null; revokedAtMs: number }[]> {
    const rows = await this.prisma.viewerRevocation.groupBy({
      by: ['userId'],
      where: { tenantId: scope.tenantId, organizationId, revokedAt: { gt: new Date(Date.now() - windowMs) } },
      _max: { revokedAt: true },
    });
    return rows.map((r) => ({ userId: r.userId, revokedAtMs: r._max.revokedAt!.getTime() }));
  }

  /** Install-wide housekeeping: revocations made before `before`, every tenant. */
  async pruneRevocations(before: Date): Promise<number> {
    const r = await this.prisma.viewerRevocation.deleteMany({ where: { revokedAt: { lt: before } } });
    return r.count;
  }

  async allowedOrigins(scope: TenantScope): Promise<string[]> {
    const row = await this.prisma.viewerSettings.findUnique({ where: { tenantId: scope.tenantId } });
    return row?.allowedOrigins ?? [];
  }

  async setAllowedOrigins(scope: TenantScope, origins: string[]): Promise<void> {
    await this.prisma.viewerSettings.upsert({
      where: { tenantId: scope.tenantId },
      create: { tenantId: scope.tenantId, allowedOrigins: origins },
      update: { allowedOrigins: origins, updatedAt: new Date() },
    });
  }

  /** The demo tenant of this install (one per install, created by the first visit of /demo). */
  async demoTenantId(): Promise<string | undefined> {
    const row = await this.prisma.systemSetting.findUnique({ where: { key: 'viewer_demo_tenant' } });
    return row?.value;
  }

  async setDemoTenantId(id: string): Promise<void> {
    await this.prisma.systemSetting.upsert({ where: { key: 'viewer_demo_tenant' }, create: { key: 'viewer_demo_tenant', value: id }, update: { value: id } });
  }
}
