import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export interface DisplayRow {
  action: string;
  template: string;
  locales: Record<string, string>;
  updatedAt: Date;
}

const toRow = (r: { action: string; template: string; locales: unknown; updatedAt: Date }): DisplayRow => ({
  action: r.action,
  template: r.template,
  locales: (r.locales ?? {}) as Record<string, string>,
  updatedAt: r.updatedAt,
});

/** The only code that reads or writes action_displays. Every statement is scoped to the tenant. */
@Injectable()
export class ActionDisplaysRepository {
  constructor(private readonly prisma: PrismaService) {}

  async put(scope: TenantScope, action: string, template: string, locales: Record<string, string>): Promise<DisplayRow> {
    const now = new Date();
    const row = await this.prisma.actionDisplay.upsert({
      where: { tenantId_action: { tenantId: scope.tenantId, action } },
      create: { tenantId: scope.tenantId, action, template, locales, updatedAt: now },
      update: { template, locales, updatedAt: now },
    });
    return toRow(row);
  }

  async get(scope: TenantScope, action: string): Promise<DisplayRow | undefined> {
    const row = await this.prisma.actionDisplay.findUnique({ where: { tenantId_action: { tenantId: scope.tenantId, action } } });
    return row ? toRow(row) : undefined;
  }

  /** Every template of the tenant (read into the per-process cache). */
  async all(scope: TenantScope, limit: number): Promise<DisplayRow[]> {
    const rows = await this.prisma.actionDisplay.findMany({ where: { tenantId: scope.tenantId }, orderBy: { action: 'asc' }, take: limit });
    return rows.map(toRow);
  }
}
