import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { ErasuresRepository, type ErasureRecord } from './erasures.repository.js';

export type { ErasureRecord };

/**
 * The record of erasure requests (pending under legal hold, completed with their receipt). Kept
 * with the personal data, not with the erasure workflow (src/privacy): every read path blanks the
 * context of completed erasures (PersonalDataService.reveal) and integrity verification accepts
 * exactly those blanks, so the data they read sits below both.
 */
@Injectable()
export class ErasureLedger {
  constructor(private readonly repo: ErasuresRepository) {}

  /** The oldest pending erasure of a subject, if any. */
  pending(scope: TenantScope, subjectHash: string): Promise<ErasureRecord | undefined> {
    return this.repo.pendingErasure(scope, subjectHash);
  }

  /** The tenant's pending erasures, oldest first (at most 1000). */
  allPending(scope: TenantScope): Promise<ErasureRecord[]> {
    return this.repo.pendingErasures(scope);
  }

  create(scope: TenantScope, e: { id: string; subjectId: string; subjectHash: string; heldBy: string[]; requestedBy: string; blankContext: boolean }): Promise<ErasureRecord> {
    return this.repo.createErasure(scope, e);
  }

  /** The holds a pending erasure waits for (and whether it blanks context, once asked). */
  updateHeldBy(scope: TenantScope, id: string, heldBy: string[], blankContext?: boolean): Promise<void> {
    return this.repo.updateHeldBy(scope, id, heldBy, blankContext);
  }

  /** Marks an erasure completed (or records a completed one made without waiting). */
  complete(
    scope: TenantScope,
    e: { id: string; subjectId: string; subjectHash: string; requestedBy: string; keyIds: string[]; eventsAffected: number; receipt: string; completedAt: Date; requestedAt: Date; blankContext: boolean },
  ): Promise<ErasureRecord> {
    return this.repo.completeErasure(scope, e);
  }

  /** A subject's erasures, oldest first (at most 100). */
  history(scope: TenantScope, subjectHash: string): Promise<ErasureRecord[]> {
    return this.repo.erasures(scope, subjectHash);
  }
}
