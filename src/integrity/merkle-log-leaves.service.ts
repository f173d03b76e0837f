import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { SqlFragment } from '../events/event-log.service.js';
import { LogLeavesRegistry, type LogLeaf, type LogLeaves } from '../events/log-leaves.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { IntegrityRepository } from './integrity.repository.js';

/**
 * Integrity's reader of Merkle-log leaves, plugged into the events module's walks (feed,
 * webhooks, alerts) and subject disclosure at start: merkle_nodes_v1 is read only here.
 */
@Injectable()
export class MerkleLogLeaves implements LogLeaves, OnModuleInit {
  private readonly readSettings: Record<string, number>;

  constructor(
    private readonly repo: IntegrityRepository,
    private readonly registry: LogLeavesRegistry,
    @InjectConfig() config: AppConfig,
  ) {
    this.readSettings = { max_execution_time: Math.ceil(config.clickhouse.requestTimeoutMs / 1000) };
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  window(scope: TenantScope, afterIdx: number, committed: number, scan: number): Promise<LogLeaf[]> {
    return this.repo.leavesAfter(scope, afterIdx, committed, scan);
  }

  windowSql(scope: TenantScope, afterIdx: number, committed: number, scan: number): SqlFragment {
    return this.repo.leavesAfterSql(scope, afterIdx, committed, scan);
  }

  firstSince(scope: TenantScope, committed: number, horizonMs: number): Promise<number | undefined> {
    return this.repo.firstLeafSince(scope, committed, horizonMs, this.readSettings);
  }

  receivedAt(scope: TenantScope, idx: number): Promise<number | undefined> {
    return this.repo.leafReceivedAt(scope, idx);
  }

  firstOf(scope: TenantScope, eventIds: SqlFragment): Promise<number | undefined> {
    return this.repo.firstLeafOf(scope, eventIds, this.readSettings);
  }
}
