import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
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

export interface NoticeRecord {
  id: string;
  subjectId: string;
  kind: string;
  eventId: string | undefined;
  action: string | undefined;
  fields: string[];
  actorType: string | undefined;
  actorId: string | undefined;
  organizationId: string | undefined;
  occurredAt: Date;
  createdAt: Date;
  announcedAt: Date | undefined;
}

export type NewNotice = Omit<NoticeRecord, 'createdAt' | 'announcedAt'>;

const WATERMARK_KEY = 'privacy_notice_watermark';

/** Erasure requests and data-subject notices (PostgreSQL), always within one tenant. */
@Injectable()
export class PrivacyRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly settings: SystemSettingsService,
  ) {}

  /** The tenant's privacy settings document as saved ({} when never set). */
  async privacySettings(tenantId: string): Promise<unknown> {
    const r = await this.prisma.privacySetting.findUnique({ where: { tenantId }, select: { settings: true } });
    return r?.settings ?? {};
  }

  async savePrivacySettings(tenantId: string, settings: object): Promise<void> {
    await this.prisma.privacySetting.upsert({ where: { tenantId }, create: { tenantId, settings }, update: { settings, updatedAt: new Date() } });
  }

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

  /** Inserts notices; one per (event, subject, kind): a rerun of the job adds nothing. */
  async insertNotices(scope: TenantScope, notices: readonly NewNotice[]): Promise<number> {
    if (notices.length === 0) return 0;
    const r = await this.prisma.privacyNotice.createMany({
      data: notices.map((n) => ({
        id: n.id,
        tenantId: scope.tenantId,
        subjectId: n.subjectId,
        kind: n.kind,
        eventId: n.eventId ?? null,
        action: n.action ?? null,
        fields: n.fields,
        actorType: n.actorType ?? null,
        actorId: n.actorId ?? null,
        organizationId: n.organizationId ?? null,
        occurredAt: n.occurredAt,
      })),
      skipDuplicates: true,
    });
    return r.count;
  }

  /** Notices not yet recorded in the trail (oldest first), across tenants: the job's to-do list. */
  async unannounced(limit: number): Promise<(NoticeRecord & { tenantId: string })[]> {
    const rows = await this.prisma.privacyNotice.findMany({ where: { announcedAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit });
    return rows.map((r) => ({ ...toNotice(r), tenantId: r.tenantId }));
  }

  async markAnnounced(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.privacyNotice.updateMany({ where: { id: { in: [...ids] }, announcedAt: null }, data: { announcedAt: at } });
  }

  async listNotices(scope: TenantScope, f: { subjectId?: string; kind?: string }, limit: number, before?: { createdAt: Date; id: string }): Promise<NoticeRecord[]> {
    const rows = await this.prisma.privacyNotice.findMany({
      where: {
        tenantId: scope.tenantId,
        ...(scope.organizationId !== undefined ? { organizationId: scope.organizationId } : {}),
        ...(f.subjectId !== undefined ? { subjectId: f.subjectId } : {}),
        ...(f.kind !== undefined ? { kind: f.kind } : {}),
        ...(before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map(toNotice);
  }

  /** The notice job's position: [received_at ms, event id] of the last flagged event handled. */
  async watermark(): Promise<readonly [number, string] | undefined> {
    const value = await this.settings.value(WATERMARK_KEY);
    if (value === undefined) return undefined;
    const [ms, id] = value.split(' ');
    return [Number(ms), id!];
  }

  async setWatermark(position: readonly [number, string]): Promise<void> {
    const value = `${position[0]} ${position[1]}`;
    await this.settings.setValue(WATERMARK_KEY, value);
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

function toNotice(r: {
  id: string;
  subjectId: string;
  kind: string;
  eventId: string | null;
  action: string | null;
  fields: string[];
  actorType: string | null;
  actorId: string | null;
  organizationId: string | null;
  occurredAt: Date;
  createdAt: Date;
  announcedAt: Date | null;
}): NoticeRecord {
  return {
    id: r.id,
    subjectId: r.subjectId,
    kind: r.kind,
    eventId: r.eventId ?? undefined,
    action: r.action ?? undefined,
    fields: r.fields,
    actorType: r.actorType ?? undefined,
    actorId: r.actorId ?? undefined,
    organizationId: r.organizationId ?? undefined,
    occurredAt: r.occurredAt,
    createdAt: r.createdAt,
    announcedAt: r.announcedAt ?? undefined,
  };
}
