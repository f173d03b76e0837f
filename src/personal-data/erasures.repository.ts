import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface ErasureRecord {
  id: string;
  subjectId: string;
  subjectHash: string;
  status: 'pending' | 'completed';
  heldBy: string[];
  requestedBy: string;
  keyIds: string[];
  eventsAffected: number;
  /** The context of the subject's own events (received before completion) is blanked too. */
  blankContext: boolean;
  receipt: string | undefined;
  requestedAt: Date;
  completedAt: Date | undefined;
}

/** Erasure requests (PostgreSQL `privacy_erasures`), always within one tenant; used through ErasureLedger. */
@Injectable()
export class ErasuresRepository {
  constructor(private readonly prisma: PrismaService) {}

  async pendingErasure(scope: TenantScope, subjectHash: string): Promise<ErasureRecord | undefined> {
    const r = await this.prisma.privacyErasure.findFirst({ where: { tenantId: scope.tenantId, subjectHash, status: 'pending' }, orderBy: { requestedAt: 'asc' } });
    return r ? toErasure(r) : undefined;
  }

  async pendingErasures(scope: TenantScope): Promise<ErasureRecord[]> {
    const rows = await this.prisma.privacyErasure.findMany({ where: { tenantId: scope.tenantId, status: 'pending' }, orderBy: { requestedAt: 'asc' }, take: 1000 });
    return rows.map(toErasure);
  }

  async createErasure(scope: TenantScope, e: { id: string; subjectId: string; subjectHash: string; heldBy: string[]; requestedBy: string; blankContext: boolean }): Promise<ErasureRecord> {
    const r = await this.prisma.privacyErasure.create({ data: { ...e, tenantId: scope.tenantId, status: 'pending', keyIds: [] } });
    return toErasure(r);
  }

  async updateHeldBy(scope: TenantScope, id: string, heldBy: string[], blankContext?: boolean): Promise<void> {
    await this.prisma.privacyErasure.updateMany({ where: { tenantId: scope.tenantId, id, status: 'pending' }, data: { heldBy, ...(blankContext ? { blankContext } : {}) } });
  }

  /** Completed erasures that blanked context: subject id and when (events received up to then are blanked). */
  async contextErasures(scope: TenantScope): Promise<{ subjectId: string; completedAt: Date }[]> {
    const rows = await this.prisma.privacyErasure.findMany({
      where: { tenantId: scope.tenantId, status: 'completed', blankContext: true },
      select: { subjectId: true, completedAt: true },
      take: 100_000,
    });
    return rows.map((r) => ({ subjectId: r.subjectId, completedAt: r.completedAt ?? new Date(0) }));
  }

  /** Marks an erasure completed (or records a completed one made without waiting). */
  async completeErasure(
    scope: TenantScope,
    e: { id: string; subjectId: string; subjectHash: string; requestedBy: string; keyIds: string[]; eventsAffected: number; receipt: string; completedAt: Date; requestedAt: Date; blankContext: boolean },
  ): Promise<ErasureRecord> {
    const data = { status: 'completed', heldBy: [], keyIds: e.keyIds, eventsAffected: e.eventsAffected, receipt: e.receipt, completedAt: e.completedAt, blankContext: e.blankContext };
    const r = await this.prisma.privacyErasure.upsert({
      where: { id: e.id },
      create: { id: e.id, tenantId: scope.tenantId, subjectId: e.subjectId, subjectHash: e.subjectHash, requestedBy: e.requestedBy, requestedAt: e.requestedAt, ...data },
      update: data,
    });
    return toErasure(r);
  }

  async erasures(scope: TenantScope, subjectHash: string): Promise<ErasureRecord[]> {
    const rows = await this.prisma.privacyErasure.findMany({ where: { tenantId: scope.tenantId, subjectHash }, orderBy: { requestedAt: 'asc' }, take: 100 });
    return rows.map(toErasure);
  }
}

function toErasure(r: {
  id: string;
  subjectId: string;
  subjectHash: string;
  status: string;
  heldBy: string[];
  requestedBy: string;
  keyIds: string[];
  eventsAffected: number;
  blankContext: boolean;
  receipt: string | null;
  requestedAt: Date;
  completedAt: Date | null;
}): ErasureRecord {
  return {
    id: r.id,
    subjectId: r.subjectId,
    subjectHash: r.subjectHash,
    status: r.status === 'completed' ? 'completed' : 'pending',
    heldBy: r.heldBy,
    requestedBy: r.requestedBy,
    keyIds: r.keyIds,
    eventsAffected: r.eventsAffected,
    blankContext: r.blankContext,
    receipt: r.receipt ?? undefined,
    requestedAt: r.requestedAt,
    completedAt: r.completedAt ?? undefined,
  };
}
