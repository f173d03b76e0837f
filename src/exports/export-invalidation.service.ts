import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors.js';
import { AuditTrailService } from '../events/audit-trail.service.js';
import type { EventInput } from '../events/event.schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { ExportsRepository, type ExportRecord } from './exports.repository.js';
import { EXPORT_FILE_STORE, type ExportFileStore } from './storage/file-store.js';

export const EXPORT_INVALIDATED = 'export_invalidated';
const MESSAGE = 'A data subject in this export was erased after it was produced; its file was deleted. Request a new export (it shows the erased values as [erased]).';

/**
 * Erasure reaches exports produced before it (PROMISE-03): their files held the subject's
 * values decrypted, for up to EXPORT_RETENTION. Privacy calls this; the exports table stays
 * owned by this module. Files are deleted; GET /v1/exports/{id} shows error.code
 * `export_invalidated`, and a download answers 410 with that code.
 */
@Injectable()
export class ExportInvalidationService {
  private readonly logger = new Logger('ExportInvalidation');

  constructor(
    private readonly repo: ExportsRepository,
    private readonly trail: AuditTrailService,
    @Inject(EXPORT_FILE_STORE) private readonly store: ExportFileStore,
  ) {}

  /**
   * Invalidates the tenant's exports created up to `before` that could contain a subject seen in
   * `organizations` (the subject's events without an organization reach only exports of the whole
   * tenant; 'all' when the organizations are not all known). Returns how many.
   */
  async invalidateForErasure(scope: TenantScope, organizations: readonly string[] | 'all', before: Date, actor: EventInput['actor'], erasureId: string): Promise<number> {
    const marked = await this.repo.invalidateForErasure(scope, organizations, before, MESSAGE);
    for (const e of marked) {
      // A running export was asked to stop; its worker removes the partial file.
      if (e.status === 'succeeded' && e.fileKey) {
        try {
          await this.store.remove(e.fileKey);
          await this.repo.markFileDeleted(e.id);
        } catch (err) {
          // Already refused for download (export_invalidated); the expiry job removes the file at the latest.
          this.logger.error({ tenant_id: scope.tenantId, export_id: e.id, err: (err as Error).message }, 'could not delete an invalidated export file');
        }
      }
    }
    if (marked.length > 0) {
      await this.trail.record(
        scope,
        marked.map((e) => ({
          action: 'veritrail.export.invalidated' as const,
          actor,
          targets: [{ type: 'export', id: e.id }],
          metadata: { reason: 'erasure', erasure_id: erasureId },
          organizationId: e.organizationId,
        })),
      );
    }
    return marked.length;
  }
}

/** 410 export_invalidated for an export an erasure invalidated (checked before any other download rule). */
export function assertNotInvalidated(r: ExportRecord): void {
  if (r.errorCode === EXPORT_INVALIDATED) throw new AppError(410, EXPORT_INVALIDATED, r.errorMessage ?? MESSAGE);
}
