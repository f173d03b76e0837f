import { Injectable } from '@nestjs/common';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { SqlFragment } from './event-log.service.js';

/** A leaf of a tenant's Merkle log as the events module needs it: position, event, receipt time. */
export interface LogLeaf {
  idx: number;
  eventId: string;
  receivedAtMs: number;
}

/**
 * The leaves of the Merkle log, read by the module that owns them (integrity), for the events
 * module's walks in log order (feed, webhook and alert windows) and the subject disclosure.
 * Defined here, implemented by integrity: events does not import integrity (which builds on
 * events), so integrity plugs its reader in at start ({@link LogLeavesRegistry}).
 */
export interface LogLeaves {
  /** Leaves after `afterIdx` in committed checkpoints (`checkpoint <= committed`), in order, at most `scan`. */
  window(scope: TenantScope, afterIdx: number, committed: number, scan: number): Promise<LogLeaf[]>;
  /**
   * The same window as a subquery with the columns `idx`, `event_id` and `received_at`, for a
   * statement that joins the leaves with their events (one engine round trip per window).
   */
  windowSql(scope: TenantScope, afterIdx: number, committed: number, scan: number): SqlFragment;
  /** Index of the first committed leaf received at or after `horizonMs`, or undefined. */
  firstSince(scope: TenantScope, committed: number, horizonMs: number): Promise<number | undefined>;
  /** received_at (ms) of the leaf at `idx`, or undefined. */
  receivedAt(scope: TenantScope, idx: number): Promise<number | undefined>;
  /** Index of the first leaf whose event id is in `eventIds` (a subquery over events_v1), or undefined. */
  firstOf(scope: TenantScope, eventIds: SqlFragment): Promise<number | undefined>;
}

/** Where the owner of the Merkle log registers its {@link LogLeaves} reader. */
@Injectable()
export class LogLeavesRegistry {
  private reader: LogLeaves | undefined;

  register(reader: LogLeaves): void {
    if (this.reader && this.reader !== reader) throw new Error('a Merkle log leaf reader is already registered');
    this.reader = reader;
  }

  get leaves(): LogLeaves {
    if (!this.reader) throw new Error('no Merkle log leaf reader registered (IntegrityModule not loaded)');
    return this.reader;
  }
}
