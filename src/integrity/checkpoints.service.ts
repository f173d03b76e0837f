import { Injectable } from '@nestjs/common';
import { bindingOf } from '../common/cursor.js';
import { ConflictError, NotFoundError } from '../common/errors.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { IntegrityRepository } from './integrity.repository.js';
import type { CheckpointListQuery, VerifyRequest } from './integrity.schema.js';
import { NoteKeyService } from './note-keys.service.js';
import { checkpointView, type CheckpointView } from './proofs.service.js';
import { VerifierService, type VerifyReport } from './verifier.service.js';

/** What the integrity API reads of the checkpoints besides proofs and evidence: pages, signed notes, a verification run. */
@Injectable()
export class CheckpointsService {
  constructor(
    private readonly repo: IntegrityRepository,
    private readonly settings: SystemSettingsService,
    private readonly notes: NoteKeyService,
    private readonly verifier: VerifierService,
    private readonly tenants: TenantDirectory,
  ) {}

  /** A page of the tenant's checkpoints (newest first by default), with the cursor of the next. */
  async list(scope: TenantScope, q: CheckpointListQuery): Promise<{ data: CheckpointView[]; next_cursor: string | null }> {
    const order = q.order ?? 'desc';
    const limit = q.limit ?? 100;
    const binding = bindingOf({ order });
    const after = q.cursor ? Number(this.settings.cursors.decode(q.cursor, 'checkpoints', scope.tenantId, binding)[0]) : undefined;
    const rows = await this.repo.checkpoints(scope, { afterNumber: after, limit: limit + 1, order });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(checkpointView),
      next_cursor: rows.length > limit && last ? this.settings.cursors.encode('checkpoints', scope.tenantId, binding, [last.number]) : null,
    };
  }

  /**
   * The newest checkpoint (or the one of tree size `size`) as a C2SP signed note: 404 for an
   * unknown size, 409 not_yet_sealed before the first seal.
   */
  async note(scope: TenantScope, size: number | undefined): Promise<string> {
    const checkpoint = size === undefined ? await this.repo.latestCheckpoint(scope) : await this.repo.checkpointBySize(scope, size);
    if (!checkpoint) {
      if (size !== undefined) throw new NotFoundError('checkpoint of that tree size');
      throw new ConflictError('not_yet_sealed', 'Nothing is sealed yet.', { 'retry-after': '5' });
    }
    return this.notes.checkpointNote(scope.tenantId, checkpoint.treeSize, checkpoint.root);
  }

  /** Verifies the trail for a request (ranges already checked), with the tenant's retention floor. */
  async verify(key: ApiKeyPrincipal, body: VerifyRequest): Promise<VerifyReport> {
    const tenant = await this.tenants.get(key.tenant.id);
    return this.verifier.verify(TenantScope.of(key), {
      fromIndex: body.from_index,
      toIndex: body.to_index,
      known: body.known_checkpoint,
      retentionFloorDays: tenant?.retentionFloorDays ?? key.tenant.retentionDays,
    });
  }
}
