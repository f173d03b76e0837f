import { Injectable } from '@nestjs/common';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export type ExportStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type ExportFormatName = 'ndjson' | 'csv' | 'ocsf' | 'ecs' | 'cef' | 'bundle';

export interface ExportRecord {
  id: string;
  tenantId: string;
  organizationId: string | undefined;
  /** TenantScope.narrowingKey() of the viewer token that requested it (actor / action narrowing). */
  scopeNarrowing: string | undefined;
  status: ExportStatus;
  format: ExportFormatName;
  gzip: boolean;
  /** The request's filters, as validated (query-parameter names). */
  filters: Record<string, unknown>;
  requestedBy: string;
  /** Restricted values are written in clear (requested with the privacy scope). */
  includeRestricted: boolean;
  snapshotAt: Date;
  rowCount: number;
  bytes: number;
  sha256: string | undefined;
  fileKey: string | undefined;
  errorCode: string | undefined;
  errorMessage: string | undefined;
  cancelRequested: boolean;
  attempts: number;
  createdAt: Date;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
  expiresAt: Date | undefined;
  fileDeletedAt: Date | undefined;
}

export interface NewExport {
  id: string;
  format: ExportFormatName;
  gzip: boolean;
  filters: Record<string, unknown>;
  requestedBy: string;
  includeRestricted: boolean;
  snapshotAt: Date;
}

type Row = {
  id: string;
  tenantId: string;
  organizationId: string | null;
  scopeNarrowing: string | null;
  status: string;
  format: string;
  gzip: boolean;
  filters: unknown;
  requestedBy: string;
  includeRestricted: boolean;
  snapshotAt: Date;
  rowCount: bigint;
  bytes: bigint;
  sha256: string | null;
  fileKey: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  cancelRequested: boolean;
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  expiresAt: Date | null;
  fileDeletedAt: Date | null;
};

function toRecord(r: Row): ExportRecord {
  return {
    id: r.id,
    tenantId: r.tenantId,
    organizationId: r.organizationId ?? undefined,
    scopeNarrowing: r.scopeNarrowing ?? undefined,
    status: r.status as ExportStatus,
    format: r.format as ExportFormatName,
    gzip: r.gzip,
    filters: (r.filters ?? {}) as Record<string, unknown>,
    requestedBy: r.requestedBy,
    includeRestricted: r.includeRestricted,
    snapshotAt: r.snapshotAt,
    rowCount: Number(r.rowCount),
    bytes: Number(r.bytes),
    sha256: r.sha256 ?? undefined,
    fileKey: r.fileKey ?? undefined,
    errorCode: r.errorCode ?? undefined,
    errorMessage: r.errorMessage ?? undefined,
    cancelRequested: r.cancelRequested,
    attempts: r.attempts,
    createdAt: r.createdAt,
    startedAt: r.startedAt ?? undefined,
    finishedAt: r.finishedAt ?? undefined,
    expiresAt: r.expiresAt ?? undefined,
    fileDeletedAt: r.fileDeletedAt ?? undefined,
  };
}

/** Columns of raw statements, mapped to the Prisma field names. */
const RETURNING = `id, tenant_id AS "tenantId", organization_id AS "organizationId", scope_narrowing AS "scopeNarrowing", status, format, gzip, filters,
  requested_by AS "requestedBy", include_restricted AS "includeRestricted", snapshot_at AS "snapshotAt", row_count AS "rowCount", bytes, sha256, file_key AS "fileKey",
  error_code AS "errorCode", error_message AS "errorMessage", cancel_requested AS "cancelRequested", attempts,
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt", expires_at AS "expiresAt", file_deleted_at AS "fileDeletedAt"`;

/**
 * Export jobs in PostgreSQL. API reads are scoped by tenant (and organization for organization
 * keys); the worker's statements are fenced by its lease: a worker that lost its lease (it was
 * presumed dead and another one took the export over) can no longer change the row.
 */
@Injectable()
export class ExportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(scope: TenantScope, e: NewExport): Promise<ExportRecord> {
    const row = await this.prisma.export.create({
      data: {
        id: e.id,
        tenantId: scope.tenantId,
        organizationId: scope.organizationId ?? null,
        scopeNarrowing: scope.narrowingKey() ?? null,
        format: e.format,
        gzip: e.gzip,
        filters: e.filters as object,
        requestedBy: e.requestedBy,
        includeRestricted: e.includeRestricted,
        snapshotAt: e.snapshotAt,
      },
    });
    return toRecord(row as Row);
  }

  /** Exports the whole tenant requested since `since` (the plan's daily allowance). */
  async countSince(scope: TenantScope, since: Date): Promise<number> {
    return this.prisma.export.count({ where: { tenantId: scope.tenantId, createdAt: { gte: since } } });
  }

  /** One export as this scope may see it: an organization key sees its organization's exports only. */
  async get(scope: TenantScope, id: string): Promise<ExportRecord | undefined> {
    const row = await this.prisma.export.findFirst({ where: { id, tenantId: scope.tenantId, ...this.orgWhere(scope) } });
    return row ? toRecord(row as Row) : undefined;
  }

  /** Newest first, keyset by (created_at, id). */
  async list(scope: TenantScope, limit: number, before?: { createdAt: Date; id: string }): Promise<ExportRecord[]> {
    const rows = await this.prisma.export.findMany({
      where: {
        tenantId: scope.tenantId,
        ...this.orgWhere(scope),
        ...(before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) => toRecord(r as Row));
  }

  /**
   * Cancels: a queued export (or a running one whose worker is gone) at once; a running one is
   * flagged and its worker stops at the next chunk. Returns the row after the change.
   */
  async requestCancel(scope: TenantScope, id: string): Promise<ExportRecord | undefined> {
    const rows = await this.prisma.$queryRawUnsafe<Row[]>(
      `UPDATE exports SET
         cancel_requested = true,
         status = CASE WHEN status = 'queued' OR (status = 'running' AND lease_until < now()) THEN 'cancelled' ELSE status END,
         finished_at = CASE WHEN status = 'queued' OR (status = 'running' AND lease_until < now()) THEN now() ELSE finished_at END
       WHERE id = $1 AND tenant_id = $2 AND ($3::text IS NULL OR organization_id = $3) AND ($4::text IS NULL OR scope_narrowing = $4)
         AND status IN ('queued', 'running')
       RETURNING ${RETURNING}`,
      id,
      scope.tenantId,
      scope.organizationId ?? null,
      scope.narrowingKey() ?? null,
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Marks a finished export's file as deleted (DELETE on a finished export, or expiry). */
  async markFileDeleted(id: string): Promise<void> {
    await this.prisma.export.updateMany({ where: { id, fileDeletedAt: null }, data: { fileDeletedAt: new Date() } });
  }

  // ------------------------------------------------------------------ worker

  /**
   * Claims the next export for `holder`: a running one whose worker's lease ran out (crashed)
   * first, then a queued one — tenants take turns (round-robin by when each was last served, a
   * tenant never served first), oldest request first within a tenant, and a tenant already
   * running `tenantConcurrency` exports (live leases, any replica) is passed over. Claims
   * serialise on a transaction-scoped advisory lock so replicas claiming at once cannot exceed a
   * tenant's concurrency; the lock is held for this one statement only.
   */
  async claim(holder: string, leaseMs: number, tenantConcurrency: number): Promise<ExportRecord | undefined> {
    const rows = await this.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('veritrail.exports.claim'))`);
      return tx.$queryRawUnsafe<Row[]>(
        `WITH busy AS (
           SELECT tenant_id, count(*) AS n FROM exports WHERE status = 'running' AND lease_until >= now() GROUP BY tenant_id
         ), head AS (
           -- each tenant's next export: an orphaned run first, else its oldest queued request
           SELECT DISTINCT ON (e.tenant_id) e.id, e.tenant_id, e.created_at, (e.status = 'running') AS orphaned
           FROM exports e LEFT JOIN busy b ON b.tenant_id = e.tenant_id
           WHERE (e.status = 'queued' OR (e.status = 'running' AND e.lease_until < now())) AND NOT e.cancel_requested
             AND COALESCE(b.n, 0) < $3
           ORDER BY e.tenant_id, (e.status = 'running') DESC, e.created_at, e.id
         ), pick AS (
           SELECT h.id FROM head h
           ORDER BY h.orphaned DESC,
             (SELECT max(x.started_at) FROM exports x WHERE x.tenant_id = h.tenant_id) ASC NULLS FIRST,
             h.created_at, h.id
           LIMIT 1
         )
         UPDATE exports SET status = 'running', lease_holder = $1, lease_until = now() + make_interval(secs => $2::double precision),
           attempts = attempts + 1, started_at = clock_timestamp(), row_count = 0, bytes = 0
         WHERE id = (SELECT id FROM pick)
         RETURNING ${RETURNING}`,
        holder,
        leaseMs / 1000,
        tenantConcurrency,
      );
    });
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Exports of the tenant that are queued or running (the per-tenant queue cap). */
  async countUnfinished(scope: TenantScope): Promise<number> {
    return this.prisma.export.count({ where: { tenantId: scope.tenantId, status: { in: ['queued', 'running'] } } });
  }

  /**
   * Records progress and extends the lease. Returns 'cancel' when a cancel was requested, 'lost'
   * when the lease is no longer ours, 'ok' otherwise.
   */
  async heartbeat(id: string, holder: string, leaseMs: number, progress: { rows: number; bytes: number }): Promise<'ok' | 'cancel' | 'lost'> {
    const rows = await this.prisma.$queryRawUnsafe<{ cancel: boolean }[]>(
      `UPDATE exports SET lease_until = now() + make_interval(secs => $3::double precision), row_count = $4::bigint, bytes = $5::bigint
       WHERE id = $1 AND lease_holder = $2 AND status = 'running'
       RETURNING cancel_requested AS cancel`,
      id,
      holder,
      leaseMs / 1000,
      progress.rows,
      progress.bytes,
    );
    if (rows.length === 0) return 'lost';
    return rows[0]!.cancel ? 'cancel' : 'ok';
  }

  /** Ends a run. False when the lease was lost in the meantime (the row is someone else's now). */
  async finish(
    id: string,
    holder: string,
    outcome:
      | { status: 'succeeded'; rows: number; bytes: number; sha256: string; fileKey: string; expiresAt: Date }
      | { status: 'failed'; code: string; message: string; rows: number; bytes: number }
      | { status: 'cancelled'; rows: number; bytes: number },
  ): Promise<boolean> {
    const data =
      outcome.status === 'succeeded'
        ? { sha256: outcome.sha256, fileKey: outcome.fileKey, expiresAt: outcome.expiresAt }
        : outcome.status === 'failed'
          ? { errorCode: outcome.code, errorMessage: outcome.message }
          : {};
    const r = await this.prisma.export.updateMany({
      where: { id, leaseHolder: holder, status: 'running' },
      data: { status: outcome.status, rowCount: outcome.rows, bytes: outcome.bytes, finishedAt: new Date(), leaseHolder: null, leaseUntil: null, ...data },
    });
    return r.count === 1;
  }

  /**
   * Ends the lease of every running export, whoever holds it, so the next claim takes them over
   * at once as orphans (the attempt counts, as after any crash). Only for a process that alone
   * uses the database (embedded PostgreSQL): there every holder found is a process that died.
   * Returns how many were released.
   */
  async releaseAllLeases(): Promise<number> {
    return this.prisma.$executeRawUnsafe(`UPDATE exports SET lease_until = now() - interval '1 millisecond' WHERE status = 'running' AND lease_until >= now()`);
  }

  /** Hands a running export back to the queue (this process is shutting down); the attempt does not count. */
  async release(id: string, holder: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `UPDATE exports SET status = 'queued', lease_holder = NULL, lease_until = NULL, started_at = NULL, row_count = 0, bytes = 0, attempts = GREATEST(attempts - 1, 0)
       WHERE id = $1 AND lease_holder = $2 AND status = 'running'`,
      id,
      holder,
    );
  }

  /** Gives up on an export that keeps failing (e.g. its worker crashes every time). */
  async failUnclaimed(id: string, holder: string, code: string, message: string): Promise<void> {
    await this.prisma.export.updateMany({
      where: { id, leaseHolder: holder, status: 'running' },
      data: { status: 'failed', errorCode: code, errorMessage: message, finishedAt: new Date(), leaseHolder: null, leaseUntil: null },
    });
  }

  /**
   * Erasure (src/privacy): marks `export_invalidated` every export of the tenant created up to
   * `before` that can hold a subject's decrypted values — succeeded with its file still there, or
   * running (asked to stop) — and could contain the subject's organizations: exports of another
   * organization (organization keys, or an organization_id filter) cannot. Bundles keep sealed
   * values only and stay. Returns the exports marked, with their files to delete.
   */
  async invalidateForErasure(
    scope: TenantScope,
    organizations: readonly string[] | 'all',
    before: Date,
    message: string,
  ): Promise<{ id: string; fileKey: string | undefined; status: string; organizationId: string | undefined }[]> {
    const rows = await this.prisma.$queryRawUnsafe<{ id: string; file_key: string | null; status: string; organization_id: string | null }[]>(
      `UPDATE exports SET error_code = 'export_invalidated', error_message = $4,
         cancel_requested = CASE WHEN status = 'running' THEN true ELSE cancel_requested END
       WHERE tenant_id = $1 AND created_at <= $3 AND format <> 'bundle'
         AND ((status = 'succeeded' AND file_deleted_at IS NULL) OR status = 'running')
         AND ($2::text[] IS NULL OR organization_id IS NULL OR organization_id = ANY($2::text[]))
         AND ($2::text[] IS NULL OR filters->>'organization_id' IS NULL OR filters->>'organization_id' = ANY($2::text[]))
       RETURNING id, file_key, status, organization_id`,
      scope.tenantId,
      organizations === 'all' ? null : [...organizations],
      before,
      message,
    );
    return rows.map((r) => ({ id: r.id, fileKey: r.file_key ?? undefined, status: r.status, organizationId: r.organization_id ?? undefined }));
  }

  /** Finished exports whose file is past its expiry and not deleted yet. */
  async expiredFiles(now: Date, limit: number): Promise<{ id: string; fileKey: string }[]> {
    const rows = await this.prisma.export.findMany({
      where: { expiresAt: { lt: now }, fileDeletedAt: null, fileKey: { not: null } },
      select: { id: true, fileKey: true },
      orderBy: { expiresAt: 'asc' },
      take: limit,
    });
    return rows.map((r) => ({ id: r.id, fileKey: r.fileKey! }));
  }

  /** The tenant's OCSF mapping (action pattern → class uid); none stored: `{}`, the export defaults. */
  async ocsfMapping(scope: TenantScope): Promise<Record<string, number>> {
    const r = await this.prisma.ocsfMapping.findUnique({ where: { tenantId: scope.tenantId }, select: { mapping: true } });
    return (r?.mapping ?? {}) as Record<string, number>;
  }

  async setOcsfMapping(scope: TenantScope, mapping: Record<string, number>): Promise<void> {
    await this.prisma.ocsfMapping.upsert({
      where: { tenantId: scope.tenantId },
      create: { tenantId: scope.tenantId, mapping },
      update: { mapping },
    });
  }

  /** An organization key sees its organization's exports; a narrowed viewer token only those requested with the same narrowing. */
  private orgWhere(scope: TenantScope): { organizationId?: string; scopeNarrowing?: string } {
    if (scope.organizationId === undefined) return {};
    const narrowing = scope.narrowingKey();
    return narrowing === undefined ? { organizationId: scope.organizationId } : { organizationId: scope.organizationId, scopeNarrowing: narrowing };
  }
}
