import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import { SCOPES, type Scope } from './principal.js';
import { parseOverrides } from './rate-limits.js';
import { TenantRetentionRegistry } from './tenant-retention.js';
import type { NewApiKey, Tenant } from './tenants.repository.js';

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  organizationId: string | undefined;
  createdAt: Date;
  lastUsedAt: Date | undefined;
  expiresAt: Date | undefined;
  revokedAt: Date | undefined;
}

type KeyRow = {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  scopes: string[];
  organizationId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

function toRecord(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
    organizationId: row.organizationId ?? undefined,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt ?? undefined,
    expiresAt: row.expiresAt ?? undefined,
    revokedAt: row.revokedAt ?? undefined,
  };
}

const PUBLIC_COLUMNS = {
  id: true,
  tenantId: true,
  name: true,
  prefix: true,
  scopes: true,
  organizationId: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
} as const;

@Injectable()
export class ApiKeysRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly retention: TenantRetentionRegistry,
  ) {}

  async create(tenantId: string, key: NewApiKey & { expiresAt?: Date }): Promise<ApiKeyRecord> {
    const row = await this.prisma.apiKey.create({
      data: {
        id: key.id,
        tenantId,
        name: key.name,
        prefix: key.prefix,
        secretHash: key.hash,
        scopes: key.scopes,
        organizationId: key.organizationId ?? null,
        expiresAt: key.expiresAt ?? null,
      },
      select: PUBLIC_COLUMNS,
    });
    return toRecord(row);
  }

  /** Keyset page ordered by (created_at, id), within one tenant. */
  async list(tenantId: string, limit: number, opts: { after?: { createdAt: Date; id: string }; includeRevoked: boolean }): Promise<ApiKeyRecord[]> {
    const rows = await this.prisma.apiKey.findMany({
      where: {
        tenantId,
        ...(opts.includeRevoked ? {} : { revokedAt: null }),
        ...(opts.after
          ? { OR: [{ createdAt: { gt: opts.after.createdAt } }, { createdAt: opts.after.createdAt, id: { gt: opts.after.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: PUBLIC_COLUMNS,
    });
    return rows.map(toRecord);
  }

  async get(tenantId: string, id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.prisma.apiKey.findFirst({ where: { tenantId, id }, select: PUBLIC_COLUMNS });
    return row ? toRecord(row) : undefined;
  }

  /** Resolves a presented key (by its hash) to the key and its tenant. The one unscoped read. */
  async findByHash(hash: string): Promise<{ key: ApiKeyRecord; tenant: Tenant } | undefined> {
    const row = await this.prisma.apiKey.findUnique({
      where: { secretHash: hash },
      select: { ...PUBLIC_COLUMNS, tenant: true },
    });
    if (!row) return undefined;
    const { tenant, ...key } = row;
    const retention = await this.retention.one(tenant.id);
    return {
      key: toRecord(key),
      tenant: {
        id: tenant.id,
        name: tenant.name,
        status: tenant.status === 'suspended' ? 'suspended' : 'active',
        retentionDays: retention.defaultDays,
        readAuditing: tenant.readAuditing,
        retention: retention.rules,
        rateLimits: parseOverrides(tenant.rateLimits),
        createdAt: tenant.createdAt,
        updatedAt: tenant.updatedAt,
      },
    };
  }

  /** Revokes a live key; undefined when no live key of this tenant has the id. */
  async revoke(tenantId: string, id: string, at: Date): Promise<ApiKeyRecord | undefined> {
    const rows = await this.prisma.apiKey.updateManyAndReturn({
      where: { tenantId, id, revokedAt: null },
      data: { revokedAt: at },
      select: PUBLIC_COLUMNS,
    });
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
  }
}
