import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { IntegrityRepository, type CheckpointRecord, type LogHeadRecord, type StoredLeaf } from './integrity.repository.js';

export type { CheckpointRecord, LogHeadRecord, StoredLeaf };

/** Told when this process moved a tenant's log head: the tenant and the log's new size. */
export type HeadListener = (tenantId: string, treeSize: number) => void;

/**
 * What other modules read of a tenant's Merkle log and checkpoints (integrity owns both tables):
 * the newest committed checkpoint, where a cursor over the log starts or stops, and the leaves
 * of given events.
 */
@Injectable()
export class MerkleLog {
  private readonly listeners = new Set<HeadListener>();

  constructor(private readonly repo: IntegrityRepository) {}

  /**
   * Calls `listener` each time this process appends to a tenant's log, so followers in this
   * process (webhook deliveries) look at once instead of at their next poll. In-process only: a
   * head moved by another replica is found by polling. Returns the unsubscribe function.
   */
  onHeadMoved(listener: HeadListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called by the sealer after it committed a new head (integrity only). */
  headMoved(tenantId: string, treeSize: number): void {
    for (const l of this.listeners) {
      try {
        l(tenantId, treeSize);
      } catch {
        // a follower's failure must not fail the append
      }
    }
  }

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
