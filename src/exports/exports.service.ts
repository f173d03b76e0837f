import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { bindingOf } from '../common/cursor.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../common/errors.js';
import { isUuid, uuidv7 } from '../common/ids.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AuditTrailService, keyActor } from '../events/audit-trail.service.js';
import type { EventInput } from '../events/event.schema.js';
import { filterProps } from '../events/event-query.schema.js';
import { parseFilters } from '../events/query.service.js';
import { JobRunner } from '../jobs/job-runner.service.js';
import { PlansService } from '../billing/plans.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { DownloadLinks } from './download-links.js';
import { assertNotInvalidated } from './export-invalidation.service.js';
import { ExportProducer, exportFileType, type LineCounter } from './export-producer.js';
import type { DirectExportQuery, ExportCreate, ExportFilters, ExportListQuery, ExportView, OcsfSettings } from './exports.schema.js';
import { ExportsRepository, type ExportRecord } from './exports.repository.js';
import type { OcsfMapping } from './formats/ocsf.js';
import { EXPORT_FILE_STORE, type ExportFileStore } from './storage/file-store.js';
import { Clock } from '../common/clock.js';

export const EXPORT_JOB = 'export';
/** Retry-After of `429 export_queue_full`: about one short export's time; long ones finish later, and the client simply retries. */
const QUEUE_FULL_RETRY_AFTER_S = 30;

/** The actor of veritrail.export.* events written by the worker and by signed-link downloads. */
export const EXPORTER_ACTOR: EventInput['actor'] = { type: 'system', id: 'exporter', name: 'Veritrail exports' };
const LINK_ACTOR: EventInput['actor'] = { type: 'system', id: 'download_link', name: 'Signed download link' };

const FILTER_NAMES = Object.keys(filterProps) as (keyof typeof filterProps)[];

/** The filters part of a request body or query string. */
export function filtersOf(q: ExportCreate | DirectExportQuery): ExportFilters {
  const out: Record<string, string> = {};
  for (const name of FILTER_NAMES) if (q[name] !== undefined) out[name] = q[name] as string;
  return out as ExportFilters;
}

export interface Download {
  record: ExportRecord;
  body: Readable;
  contentType: string;
  fileName: string;
}

/**
 * The API side of exports: requests become rows in PostgreSQL that the export worker
 * (export-worker.service.ts) claims; finished files are streamed from the file store, with
 * an API key holding `exports` or a signed link. Everything is scoped by tenant, and by
 * organization for organization keys.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger('Exports');

  constructor(
    private readonly repo: ExportsRepository,
    private readonly producer: ExportProducer,
    private readonly links: DownloadLinks,
    private readonly trail: AuditTrailService,
    private readonly settings: SystemSettingsService,
    private readonly tenants: TenantDirectory,
    private readonly jobs: JobRunner,
    private readonly plans: PlansService,
    @Inject(EXPORT_FILE_STORE) private readonly store: ExportFileStore,
    @InjectConfig() private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async create(principal: ApiKeyPrincipal, body: ExportCreate, meta: RequestMetaValue, baseUrl: string): Promise<ExportView> {
    const scope = TenantScope.of(principal);
    const filters = filtersOf(body);
    parseFilters(filters); // 400 now rather than a failed job later
    if (body.format === 'bundle' && principal.organizationId !== undefined) {
      // A bundle carries checkpoints and inclusion proofs of the tenant's whole Merkle log: tree
      // sizes and leaf positions tell how much the tenant's other organizations did.
      throw new ForbiddenError('insufficient_scope', 'A verifiable bundle covers the whole trail; it needs a key that is not limited to one organization.');
    }
    // Before anything is recorded: a refused request changes nothing.
    const unfinished = await this.repo.countUnfinished(scope);
    if (unfinished >= this.config.exports.tenantQueueMax) {
      throw new AppError(
        429,
        'export_queue_full',
        `This tenant already has ${unfinished} exports queued or running (at most ${this.config.exports.tenantQueueMax}); retry when one has finished.`,
        undefined,
        { 'retry-after': String(QUEUE_FULL_RETRY_AFTER_S) },
      );
    }
    await this.plans.assertDailyLimit(scope.tenantId, 'exportsPerDay', (since) => this.repo.countSince(scope, since));
    const now = Date.now();
    const id = uuidv7(now).id;
    const gzip = body.gzip ?? false;
    // The request is recorded before the snapshot instant: the export contains its own request.
    await this.trail.record(
      scope,
      {
        action: 'veritrail.export.requested',
        actor: keyActor(principal),
        targets: [{ type: 'export', id }],
        metadata: { format: body.format, gzip, filters },
        organizationId: principal.organizationId,
      },
      meta,
    );
    const record = await this.repo.create(scope, { id, format: body.format, gzip, filters, requestedBy: principal.keyId, includeRestricted: principal.scopes.has('privacy'), snapshotAt: new Date(Date.now()) });
    this.jobs.kick(EXPORT_JOB);
    return this.view(record, baseUrl);
  }

  async get(principal: ApiKeyPrincipal, id: string, baseUrl: string): Promise<ExportView> {
    return this.view(await this.find(TenantScope.of(principal), id), baseUrl);
  }

  async list(principal: ApiKeyPrincipal, q: ExportListQuery, baseUrl: string): Promise<{ data: ExportView[]; next_cursor: string | null }> {
    const scope = TenantScope.of(principal);
    const limit = q.limit ?? 20;
    const binding = bindingOf({ s: scope.organizationId ?? null });
    const before = this.settings.cursors.decodeKeyset(q.cursor, 'exports', scope.tenantId, binding);
    const rows = await this.repo.list(scope, limit + 1, before);
    const { page, next } = this.settings.cursors.keysetPage(rows, limit, 'exports', scope.tenantId, binding);
    return { data: page.map((r) => this.view(r, baseUrl)), next_cursor: next };
  }

  /**
   * DELETE: cancels a queued or running export (a running one stops at its next chunk, within
   * seconds); on a succeeded export it deletes the file now instead of at expiry. A failed or
   * cancelled export is left as it is.
   */
  async cancel(principal: ApiKeyPrincipal, id: string, meta: RequestMetaValue, baseUrl: string): Promise<ExportView> {
    const scope = TenantScope.of(principal);
    const current = await this.find(scope, id);
    if (current.status === 'queued' || current.status === 'running') {
      const after = (await this.repo.requestCancel(scope, id)) ?? (await this.find(scope, id));
      if (after.status === 'cancelled') await this.recordCancelled(scope, after, keyActor(principal), meta);
      return this.view(after, baseUrl);
    }
    if (current.status === 'succeeded' && current.fileKey && !current.fileDeletedAt) {
      await this.store.remove(current.fileKey);
      await this.repo.markFileDeleted(current.id);
      await this.trail.record(
        scope,
        { action: 'veritrail.export.deleted', actor: keyActor(principal), targets: [{ type: 'export', id }], organizationId: current.organizationId },
        meta,
      );
      return this.view(await this.find(scope, id), baseUrl);
    }
    return this.view(current, baseUrl);
  }

  async recordCancelled(scope: TenantScope, r: ExportRecord, actor: EventInput['actor'], meta: RequestMetaValue = {}): Promise<void> {
    await this.trail.record(
      scope,
      { action: 'veritrail.export.cancelled', actor, targets: [{ type: 'export', id: r.id }], metadata: { format: r.format, rows_written: r.rowCount }, organizationId: r.organizationId },
      meta,
    );
  }

  /** The file of a succeeded export, for a key holding `exports` (principal) or a signed link. */
  async download(
    id: string,
    auth: { principal: ApiKeyPrincipal } | { link: { tenant?: string; expires?: string; signature?: string } },
    meta: RequestMetaValue,
  ): Promise<Download> {
    let scope: TenantScope;
    let actor: EventInput['actor'];
    if ('principal' in auth) {
      scope = TenantScope.of(auth.principal);
      actor = keyActor(auth.principal);
    } else {
      const tenantId = this.links.verify(id, auth.link);
      const tenant = await this.tenants.get(tenantId);
      if (!tenant || tenant.status !== 'active') throw new NotFoundError('export');
      scope = TenantScope.forTenant(tenant);
      actor = LINK_ACTOR;
    }
    const record = await this.find(scope, id);
    assertNotInvalidated(record);
    if (record.status !== 'succeeded') throw new ConflictError('export_not_ready', `The export is ${record.status}; only a succeeded export can be downloaded.`);
    const now = this.clock.now();
    if (!record.fileKey || record.fileDeletedAt || (record.expiresAt && record.expiresAt.getTime() <= now)) {
      throw new AppError(410, 'export_expired', 'The export file has expired or was deleted; request a new export.');
    }
    const type = exportFileType(record.format, record.gzip);
    // Recorded (committed) before the file is opened: no download goes unrecorded.
    await this.trail.record(
      scope,
      { action: 'veritrail.export.downloaded', actor, targets: [{ type: 'export', id }], metadata: { format: record.format, bytes: record.bytes }, organizationId: record.organizationId },
      meta,
    );
    let body: Readable | undefined;
    try {
      body = await this.store.open(record.fileKey);
    } catch (err) {
      this.logger.error({ export_id: id, err: (err as Error).message }, 'export file store unavailable');
      throw new AppError(503, 'export_storage_unavailable', 'The export file cannot be read right now; retry later.', undefined, { 'retry-after': '5' });
    }
    if (!body) throw new AppError(410, 'export_expired', 'The export file has expired or was deleted; request a new export.');
    return { record, body, contentType: type.contentType, fileName: `veritrail-export-${id}.${type.extension}` };
  }

  /**
   * GET /v1/events/export: the export streamed in the response, for ranges up to
   * EXPORT_DIRECT_MAX_EVENTS (counted first: a larger range is refused before any byte is sent).
   */
  async direct(principal: ApiKeyPrincipal, q: DirectExportQuery, meta: RequestMetaValue): Promise<{ body: Readable; contentType: string; fileName: string; count: number }> {
    const scope = TenantScope.of(principal);
    const requested = filtersOf(q);
    const filters = parseFilters(requested);
    const snapshotMs = Date.now();
    const count = await this.producer.count({ scope, filters, snapshotMs });
    const max = this.config.exports.directMaxEvents;
    if (count > max) {
      throw new UnprocessableError('export_too_large', `The range holds ${count} events; direct export serves at most ${max}. Narrow the filters or use POST /v1/exports.`);
    }
    const gzip = q.gzip ?? false;
    const mapping = q.format === 'ocsf' || q.format === 'ecs' ? await this.repo.ocsfMapping(scope) : {};
    const counter: LineCounter = { rows: 0 };
    const source = Readable.from(
      this.producer.lines(
        { scope, filters, snapshotMs, format: q.format, gzip, tenantName: principal.tenant.name, ocsfMapping: mapping as OcsfMapping, includeRestricted: principal.scopes.has('privacy') },
        counter,
      ),
    );
    source.once('end', () => {
      // Restricted values read in clear through this download, recorded once the stream is done.
      if ((counter.restrictedShown ?? 0) === 0) return;
      this.trail.recordInBackground(
        scope,
        { action: 'veritrail.privacy.restricted_read', actor: keyActor(principal), metadata: { via: 'export', values: counter.restrictedShown!, events: counter.rows }, organizationId: principal.organizationId },
        meta,
      );
    });
    const body = gzip
      ? pipeline(source, createGzip(), (err) => {
          if (err) this.logger.warn({ err: err.message }, 'direct export stream ended early');
        })
      : source;
    await this.trail.record(
      scope,
      { action: 'veritrail.export.streamed', actor: keyActor(principal), metadata: { format: q.format, gzip, filters: requested, events: count }, organizationId: principal.organizationId },
      meta,
    );
    const type = exportFileType(q.format, gzip);
    return { body, contentType: type.contentType, fileName: `veritrail-events.${type.extension}`, count };
  }

  async getOcsf(principal: ApiKeyPrincipal): Promise<OcsfSettings> {
    return { mapping: (await this.repo.ocsfMapping(TenantScope.of(principal))) as OcsfSettings['mapping'] };
  }

  async putOcsf(principal: ApiKeyPrincipal, body: OcsfSettings, meta: RequestMetaValue): Promise<OcsfSettings> {
    const scope = TenantScope.of(principal);
    const before = await this.repo.ocsfMapping(scope);
    await this.repo.setOcsfMapping(scope, body.mapping);
    await this.trail.settingsUpdated(scope, principal, [{ field: 'ocsf_mapping', before, after: body.mapping }], meta);
    return { mapping: body.mapping };
  }

  private async find(scope: TenantScope, id: string): Promise<ExportRecord> {
    if (!isUuid(id)) throw new NotFoundError('export');
    const r = await this.repo.get(scope, id);
    if (!r) throw new NotFoundError('export');
    return r;
  }

  view(r: ExportRecord, baseUrl: string, now = this.clock.now()): ExportView {
    const downloadable = r.status === 'succeeded' && r.fileKey && !r.fileDeletedAt && r.expiresAt && r.expiresAt.getTime() > now;
    const link = downloadable ? this.links.sign(r.tenantId, r.id, now) : undefined;
    return {
      id: r.id,
      status: r.status,
      format: r.format,
      gzip: r.gzip,
      filters: r.filters as Record<string, string>,
      organization_id: r.organizationId ?? null,
      snapshot_at: r.snapshotAt.toISOString(),
      row_count: r.rowCount,
      bytes: r.bytes,
      sha256: r.sha256 ?? null,
      error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? '' } : null,
      created_at: r.createdAt.toISOString(),
      started_at: r.startedAt?.toISOString() ?? null,
      finished_at: r.finishedAt?.toISOString() ?? null,
      expires_at: r.expiresAt?.toISOString() ?? null,
      // A link never outlives the file.
      download_link: link
        ? { url: `${baseUrl}${link.path}`, expires_at: new Date(Math.min(link.expiresAt.getTime(), r.expiresAt!.getTime())).toISOString() }
        : null,
    };
  }
}
