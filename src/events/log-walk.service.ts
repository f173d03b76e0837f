import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { applyFilters, ScopedWhere, type EventFilters } from './events.repository.js';
import { LogLeavesRegistry } from './log-leaves.js';

/**
 * A sealed event whose row cannot be read yet, received less than this long ago, holds a walk
 * back (a ClickHouse replica that has not caught up with the one the sealer read). An older
 * missing row was deleted on purpose (tenant deletion, retention) and is passed over.
 */
export const REPLICA_GRACE_MS = 120_000;

/** What a walk may filter in ClickHouse (the rest is up to the caller). */
export type LogWalkFilters = Pick<EventFilters, 'action' | 'actionPrefix' | 'organizationId'>;

/** One leaf of the log with its stored event, as this scope sees it. */
export interface LogRow {
  idx: number;
  receivedAtMs: number;
  /** The stored payload when this scope may see the event and it matches the filters. */
  payload: string | undefined;
  /** The event's action and organization (undefined: none), when `payload` is there: what routing needs without parsing it. */
  action?: string;
  organizationId?: string;
  /** The event row is not readable at all (replica lag, or deleted since it was sealed). */
  missing: boolean;
}

/** A leaf whose row is missing and young enough to be replica lag: the walk waits for it. */
export function holdsBack(row: Pick<LogRow, 'missing' | 'receivedAtMs'>, now: number): boolean {
  return row.missing && row.receivedAtMs > now - REPLICA_GRACE_MS;
}

/** The rows before the first one that {@link holdsBack}, and whether one did. */
export function upToHold<R extends Pick<LogRow, 'missing' | 'receivedAtMs'>>(rows: R[], now: number): { rows: R[]; held: boolean } {
  const hold = rows.findIndex((r) => holdsBack(r, now));
  return hold >= 0 ? { rows: rows.slice(0, hold), held: true } : { rows, held: false };
}

export interface WalkOptions {
  /** Leaf index the walk starts after (-1: the log's start). */
  after: number;
  /** Last leaf index to read (the log head's tree size - 1). */
  end: number;
  /** The log head's number: only leaves committed up to it are read. */
  committed: number;
  filters: LogWalkFilters;
  now: number;
  /** Leaves of the first window; each further one doubles, up to `maxWindow`. */
  firstWindow: number;
  maxWindow: number;
  /** The walk stops once this many leaves were scanned. */
  maxScanned: number;
  /** Whether the last window is cut so the walk never reads more than `maxScanned` leaves. */
  trimToMaxScanned: boolean;
  /** Stop at a leaf that {@link holdsBack} (default); off when re-reading a range already delivered. */
  hold?: boolean;
}

/**
 * The one walk over a tenant's Merkle log, in the order every consumer delivers events in (the
 * SIEM feed, webhook destinations, the alert evaluator): append-only, one position per event,
 * late events appended later — so a cursor over leaf indexes never skips or repeats. Integrity
 * owns the leaves ({@link LogLeavesRegistry}); this joins them with the events they name and
 * applies the replica-lag rule ({@link REPLICA_GRACE_MS}) in one place.
 */
@Injectable()
export class LogWalk {
  private readonly readSettings: Record<string, number>;

  constructor(
    private readonly ch: ClickHouseService,
    @InjectConfig() config: AppConfig,
    private readonly clock: Clock,
    private readonly log: LogLeavesRegistry,
  ) {
    // Reads are bounded server-side: a runaway query is cancelled and answered 504.
    this.readSettings = { max_execution_time: Math.ceil(config.clickhouse.requestTimeoutMs / 1000) };
  }

  /**
   * Consecutive windows of the log after `after` up to `end`, the first `firstWindow` leaves,
   * each further one twice as large up to `maxWindow`, until `maxScanned` leaves were read. A
   * window is cut before a leaf that holds the walk back (`held`), and nothing follows it. The
   * next window starts after the last leaf of the previous one: a caller that stops inside a
   * window stops iterating.
   */
  async *windows(scope: TenantScope, o: WalkOptions): AsyncGenerator<{ rows: LogRow[]; held: boolean }> {
    let position = o.after;
    let scanned = 0;
    let size = Math.min(o.maxWindow, o.firstWindow);
    while (position < o.end && scanned < o.maxScanned) {
      const scan = Math.min(size, o.end - position, o.trimToMaxScanned ? o.maxScanned - scanned : Infinity);
      const rows = await this.window(scope, position, o.committed, o.filters, scan, o.now);
      size = Math.min(o.maxWindow, size * 2);
      if (rows.length === 0) return;
      const w = o.hold === false ? { rows, held: false } : upToHold(rows, o.now);
      yield w;
      if (w.held) return;
      position = rows[rows.length - 1]!.idx;
      scanned += rows.length;
    }
  }

  /**
   * One window: leaves of the Merkle log after `afterIdx` (committed up to `committed`, at most
   * `scan`), each with its stored event when this scope may see it and it matches the filters,
   * and `missing` when its row is not readable at all — the caller applies {@link upToHold}.
   */
  async window(scope: TenantScope, afterIdx: number, committed: number, filters: LogWalkFilters, scan: number, now = this.clock.now()): Promise<LogRow[]> {
    // One statement per window: the embedded engine runs one statement at a time, so under load
    // every statement of a walk waits its turn behind the others (ingest above all); the leaves
    // and their events are read together. Which rows match is computed per row rather than
    // filtered, so a filtered-out event can be told apart from a row that is not there (found = 0).
    const leaves = this.log.leaves.windowSql(scope, afterIdx, committed, scan);
    const match = new ScopedWhere(scope, now, { retention: true });
    applyFilters(match, filters);
    // ANY: one row per leaf even if an event id were stored twice. The received_at bounds (the
    // window's own, a second either side) let the engine skip the parts the window cannot be in.
    const rows = await this.ch.query<{ idx: number; r: number; found: number; m: number; body: string; a: string; o: string }>(
      `WITH leaves AS (${leaves.sql})
SELECT l.idx AS idx, toUnixTimestamp64Milli(l.received_at) AS r, e.found AS found, e.m AS m, e.body AS body, e.a AS a, e.o AS o
FROM leaves AS l
LEFT ANY JOIN (
  SELECT id AS eid, toUInt8(1) AS found, toUInt8(${match}) AS m, if(m, payload, '') AS body, if(m, action, '') AS a, if(m, organization_id, '') AS o
  FROM ${this.ch.tables.events}
  WHERE tenant_id = {tenant_id:String}
    AND received_at BETWEEN (SELECT min(received_at) FROM leaves) - INTERVAL 1 SECOND AND (SELECT max(received_at) FROM leaves) + INTERVAL 1 SECOND
    AND id IN (SELECT event_id FROM leaves)
) AS e ON e.eid = l.event_id
ORDER BY l.idx`,
      { ...match.params, ...leaves.params },
      { settings: { ...this.readSettings, join_use_nulls: 0 } },
    );
    return rows.map((row) => {
      const found = Number(row.found) === 1;
      if (!found || Number(row.m) !== 1) return { idx: Number(row.idx), receivedAtMs: Number(row.r), payload: undefined, missing: !found };
      return { idx: Number(row.idx), receivedAtMs: Number(row.r), payload: row.body, action: row.a, organizationId: row.o === '' ? undefined : row.o, missing: false };
    });
  }

  /**
   * Index of the first committed leaf received within the scope's retention horizon (and at or
   * after `sinceMs`): where a new walk starts, older leaves only pointing at expired rows.
   */
  firstRetainedLeaf(scope: TenantScope, committed: number, now = this.clock.now(), sinceMs?: number): Promise<number | undefined> {
    const horizon = Math.max(scope.earliestVisible(now).getTime(), sinceMs ?? 0);
    return this.log.leaves.firstSince(scope, committed, horizon);
  }

  /** received_at (ms) of the leaf at `idx` of the tenant's log, or undefined. */
  leafReceivedAt(scope: TenantScope, idx: number): Promise<number | undefined> {
    return this.log.leaves.receivedAt(scope, idx);
  }
}
