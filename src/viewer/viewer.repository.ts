import { Injectable } from '@nestjs/common';
import { prefixedId } from '../common/ids.js';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** Viewer sessions' control-plane state in PostgreSQL: revocations and the CORS allow-list. */
@Injectable()
export class ViewerRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly settings: SystemSettingsService,
  ) {}

  async revoke(scope: TenantScope, organizationId: string, userId: string | undefined, revokedBy: string): Promise<Date> {
    const row = await this.prisma.viewerRevocation.create({
      data: { id: prefixedId('vrv'), tenantId: scope.tenantId, organizationId, userId: userId ?? null, revokedBy },
    });
    return row.revokedAt;
  }

  /**
   * The newest revocation per user of one organization (user null: the whole organization)
   * made since `sinceMs` (older ones cannot concern a token that is still valid).
   */
  async revocations(scope: TenantScope, organizationId: string, sinceMs: number): Promise<{ userId: string | null; revokedAtMs: number }[]> {
    const rows = await this.prisma.viewerRevocation.groupBy({
      by: ['userId'],
      where: { tenantId: scope.tenantId, organizationId, revokedAt: { gt: new Date(sinceMs) } },
      _max: { revokedAt: true },
    });
    return rows.map((r) => ({ userId: r.userId, revokedAtMs: r._max.revokedAt!.getTime() }));
  }

  /** Install-wide housekeeping: revocations made before `before`, every tenant. */
  async pruneRevocations(before: Date): Promise<number> {
    const r = await this.prisma.viewerRevocation.deleteMany({ where: { revokedAt: { lt: before } } });
    return r.count;
  }

  /**
   * Claims the recording of a session's use for `claimMs`. `claimed`: this caller writes the
   * trail entry (then calls markSessionRecorded); otherwise `recorded` tells whether it is
   * already written (false: another caller holds a live claim).
   */
  async claimSession(scope: TenantScope, s: { sessionId: string; organizationId: string; expiresAt: Date }, claimMs: number): Promise<{ claimed: boolean; recorded: boolean }> {
    const rows = await this.prisma.$queryRaw<{ claimed: boolean; recorded: boolean | null }[]>`
      WITH claim AS (
        INSERT INTO viewer_sessions (tenant_id, session_id, organization_id, expires_at, claim_until)
        VALUES (${scope.tenantId}, ${s.sessionId}, ${s.organizationId}, ${s.expiresAt}, now() + make_interval(secs => ${claimMs / 1000}))
        ON CONFLICT (tenant_id, session_id) DO UPDATE SET claim_until = EXCLUDED.claim_until
          WHERE viewer_sessions.recorded_at IS NULL AND viewer_sessions.claim_until < now()
        RETURNING 1)
      SELECT EXISTS (SELECT 1 FROM claim) AS claimed,
        (SELECT recorded_at IS NOT NULL FROM viewer_sessions WHERE tenant_id = ${scope.tenantId} AND session_id = ${s.sessionId}) AS recorded`;
    return { claimed: rows[0]!.claimed, recorded: rows[0]!.recorded === true };
  }

  async markSessionRecorded(scope: TenantScope, sessionId: string): Promise<void> {
    await this.prisma.viewerSession.updateMany({ where: { tenantId: scope.tenantId, sessionId }, data: { recordedAt: new Date() } });
  }

  /** Gives a claim up at once (the entry could not be written): the next request tries again. */
  async releaseSession(scope: TenantScope, sessionId: string): Promise<void> {
    await this.prisma.viewerSession.updateMany({ where: { tenantId: scope.tenantId, sessionId, recordedAt: null }, data: { claimUntil: new Date(0) } });
  }

  /** Install-wide housekeeping: sessions whose token expired before `before`. */
  async pruneSessions(before: Date): Promise<number> {
    const r = await this.prisma.viewerSession.deleteMany({ where: { expiresAt: { lt: before } } });
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
    return this.settings.value('viewer_demo_tenant');
  }

  async setDemoTenantId(id: string): Promise<void> {
    await this.settings.setValue('viewer_demo_tenant', id);
  }
}
