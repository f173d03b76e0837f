import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

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

/** Data-subject notices (PostgreSQL `privacy_notices`) and the notice job's position, always within one tenant except the job's to-do list. */
@Injectable()
export class NoticesRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly settings: SystemSettingsService,
  ) {}

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
