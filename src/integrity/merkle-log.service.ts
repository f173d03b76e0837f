import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { IntegrityRepository, type CheckpointRecord, type LogHeadRecord, type StoredLeaf } from './integrity.repository.js';

export type { CheckpointRecord, LogHeadRecord, StoredLeaf };

/**
 * What other modules read of a tenant's Merkle log and checkpoints (integrity owns both tables):
 * the newest committed checkpoint, where a cursor over the log starts or stops, and the leaves
 * of given events.
 */
@Injectable()
export class MerkleLog {
  constructor(private readonly repo: IntegrityRepository) {}

  /** The newest committed checkpoint of the tenant, or undefined before the first seal. */
  latestCheckpoint(scope: TenantScope): Promise<CheckpointRecord | undefined> {
    return this.repo.latestCheckpoint(scope);
  }

  /** The tenant's committed checkpoint with this number, or undefined. */
  checkpoint(scope: TenantScope, number: number): Promise<CheckpointRecord | undefined> {
    return this.repo.checkpoint(scope, number);
  }

  /**
   * The committed end of the tenant's log, or undefined before the first append: what the walks
   * over the log (feed, webhooks, alerts) follow. It runs ahead of the newest checkpoint by up to
   * SEAL_INTERVAL; its `number` bounds node reads like a checkpoint's `logNumber`.
   */
  head(scope: TenantScope): Promise<LogHeadRecord | undefined> {
    return this.repo.head(scope);
  }

  /** Leaves of these events in committed checkpoints (up to `committed`), by event id. */
  leavesOf(scope: TenantScope, eventIds: readonly string[], committed: number): Promise<Map<string, StoredLeaf>> {
    return this.repo.leavesOf(scope, eventIds, committed);
  }
}
