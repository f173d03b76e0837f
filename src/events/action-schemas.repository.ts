import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export type SchemaMode = 'enforce' | 'warn';

export interface SchemaVersionRow {
  action: string;
  version: number;
  mode: SchemaMode;
  createdAt: Date;
}

export interface SchemaRow extends SchemaVersionRow {
  schema: unknown;
}

/** The only code that reads or writes action_schemas. Every statement is scoped to the tenant. */
@Injectable()
export class ActionSchemasRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Adds the next version of an action's schema. Two concurrent writers cannot take the same
   * number: the primary key refuses the second, which retries with the next one.
   */
  async addVersion(scope: TenantScope, action: string, mode: SchemaMode, schema: unknown, maxVersions: number): Promise<SchemaVersionRow | 'too_many_versions'> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const last = await this.prisma.actionSchema.findFirst({ where: { tenantId: scope.tenantId, action }, orderBy: { version: 'desc' }, select: { version: true } });
      const version = (last?.version ?? 0) + 1;
      if (version > maxVersions) return 'too_many_versions';
      try {
        const row = await this.prisma.actionSchema.create({ data: { tenantId: scope.tenantId, action, version, mode, schema: schema as object } });
        return { action: row.action, version: row.version, mode: row.mode as SchemaMode, createdAt: row.createdAt };
      } catch (err) {
        if ((err as { code?: string }).code !== 'P2002') throw err;
      }
    }
    throw new Error('could not allocate a schema version after 5 attempts');
  }

  /** Every version of every action of the tenant, without the schema bodies (the ingest index). */
  async index(scope: TenantScope): Promise<SchemaVersionRow[]> {
    const rows = await this.prisma.actionSchema.findMany({
      where: { tenantId: scope.tenantId },
      select: { action: true, version: true, mode: true, createdAt: true },
      orderBy: [{ action: 'asc' }, { version: 'asc' }],
    });
    return rows.map((r) => ({ action: r.action, version: r.version, mode: r.mode as SchemaMode, createdAt: r.createdAt }));
  }

  /** One version, or the latest when `version` is undefined. */
  async get(scope: TenantScope, action: string, version?: number): Promise<SchemaRow | undefined> {
    const row =
      version === undefined
        ? await this.prisma.actionSchema.findFirst({ where: { tenantId: scope.tenantId, action }, orderBy: { version: 'desc' } })
        : await this.prisma.actionSchema.findUnique({ where: { tenantId_action_version: { tenantId: scope.tenantId, action, version } } });
    return row ? { action: row.action, version: row.version, mode: row.mode as SchemaMode, createdAt: row.createdAt, schema: row.schema } : undefined;
  }

  /** Versions of the given actions (for the action catalog). */
  async versionsOf(scope: TenantScope, actions: string[]): Promise<SchemaVersionRow[]> {
    if (actions.length === 0) return [];
    const rows = await this.prisma.actionSchema.findMany({
      where: { tenantId: scope.tenantId, action: { in: actions } },
      select: { action: true, version: true, mode: true, createdAt: true },
      orderBy: [{ action: 'asc' }, { version: 'asc' }],
    });
    return rows.map((r) => ({ action: r.action, version: r.version, mode: r.mode as SchemaMode, createdAt: r.createdAt }));
  }
}
