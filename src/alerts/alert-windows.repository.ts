import { Injectable } from '@nestjs/common';
import { actionPatternsRe2 } from '../events/action-pattern.js';
import { EventLog, type EventMatch } from '../events/event-log.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { GroupBy, RuleFilter } from './alerts.schema.js';
import { ALERT_TRAIL_PREFIX } from './rule-definition.js';
import { Clock } from '../common/clock.js';

/** Rows a single window query may return (the caller's chunk bounds the new events; this bounds the old ones around them). */
export const MAX_ROWS = 50_000;

export interface WindowFiring {
  key: string;
  /** occurred_at (ms) of the event at which the window reached the threshold. */
  t: number;
  eventId: string;
  /** Events (or distinct values) in the window ending there. */
  count: number;
}

export interface FiringSpec {
  kind: 'threshold' | 'sequence';
  filter: RuleFilter;
  groupBy: GroupBy;
  distinct?: 'target' | 'ip' | 'actor';
  windowMs: number;
  /** threshold: events (or distinct values); sequence: failures. */
  count: number;
  /** Keys the new events touched, their ids, and [first − window, last + window] of their occurred_at. */
  keys: string[];
  /** The rule's new events; undefined: every event of the chunk (the common case, sent once for all rules). */
  newIds: string[] | undefined;
  fromMs: number;
  toMs: number;
}

export interface Evidence {
  /** Newest first, at most `limit`. */
  ids: string[];
  count: number;
  firstMs: number;
  lastMs: number;
  /** Distinct organization ids of the window's events ('' for events without one). */
  organizations: string[];
}

export interface ValueHistoryRow {
  actor: string;
  value: string;
  /** Earliest and latest occurrence within one hour bucket. */
  lo: number;
  hi: number;
}

/**
 * The ClickHouse side of alert evaluation: sliding windows over the events of the keys that
 * new events touched, read through the events module's {@link EventLog} (which owns the events table
 * and writes the SQL). This class turns a rule's filter into an {@link EventMatch} and shapes
 * the rows for the evaluator. Every window starts from the scope (tenant first, retention
 * horizon) and looks only at occurred_at ranges around the new events, so a query costs the
 * windows it inspects, not the trail.
 */
@Injectable()
export class AlertWindowsRepository {
  constructor(
    private readonly eventLog: EventLog,
    private readonly clock: Clock,
  ) {}

  /**
   * Window firings of several rules in one statement, for a chunk of the log (see
   * {@link EventLog.windowFirings}: thresholds and sequences, each event firing once whatever
   * the chunking of the log). Result per spec, ordered by key and time.
   */
  async firings(scope: TenantScope, specs: FiringSpec[], chunkIds: string[], receivedUpTo: number, now = this.clock.now()): Promise<WindowFiring[][]> {
    if (specs.length === 0) return [];
    const rows = await this.eventLog.windowFirings(
      scope,
      specs.map((p) => ({ ...p, match: toMatch(p.filter) })),
      chunkIds,
      receivedUpTo,
      MAX_ROWS * specs.length,
      now,
    );
    const out: WindowFiring[][] = specs.map(() => []);
    const seen = new Set<string>();
    for (const row of rows) {
      // ARRAY JOIN repeats an event once per target: keep its first row.
      if (seen.has(`${row.r}|${row.eventId}`)) continue;
      seen.add(`${row.r}|${row.eventId}`);
      out[row.r]!.push({ key: row.key, t: row.t, eventId: row.eventId, count: row.count });
    }
    return out;
  }

  /** Matching events per key and interval in [from, to), with each key's newest event (silence rules). */
  async intervalCounts(scope: TenantScope, p: { filter: RuleFilter; groupBy: GroupBy; fromMs: number; toMs: number; intervalMs: number; keys?: string[]; receivedUpTo?: number; maxRows?: number }, now = this.clock.now()) {
    const { filter, maxRows, ...rest } = p;
    return this.eventLog.intervalCounts(scope, { ...rest, match: toMatch(filter), maxRows: maxRows ?? 4 * MAX_ROWS }, now);
  }

  /** Matching events of these keys in [from, to] (occurred_at), oldest first (volume rules: which event made an hour reach its count). */
  async keyEvents(scope: TenantScope, p: { filter: RuleFilter; groupBy: GroupBy; keys: string[]; fromMs: number; toMs: number; receivedUpTo: number }, now = this.clock.now()) {
    const { filter, ...rest } = p;
    const rows = await this.eventLog.windowEvents(scope, { ...rest, match: toMatch(filter), maxRows: 4 * MAX_ROWS }, now);
    return rows.reverse();
  }

  /** A page of the tenant's events by occurred_at in [from, to) after `after`, with payloads (a backtest's input). */
  async replayEvents(scope: TenantScope, p: { fromMs: number; toMs: number; after?: readonly [number, string]; limit: number; receivedUpTo?: number }, now = this.clock.now()) {
    return this.eventLog.eventsByTime(scope, { ...p, excludeActionPrefix: ALERT_TRAIL_PREFIX }, now);
  }

  /**
   * The values each actor was seen with, per hour bucket, in [from, to]: enough to tell
   * exactly whether a value occurred in any look-back of at least a day before an event.
   */
  async valueHistory(
    scope: TenantScope,
    p: { filter: RuleFilter; field: 'country' | 'ip' | 'user_agent' | 'action'; actors: string[]; fromMs: number; toMs: number; receivedUpTo: number; maxRows?: number },
    now = this.clock.now(),
  ): Promise<ValueHistoryRow[]> {
    const { filter, maxRows, ...rest } = p;
    return this.eventLog.valueHistory(scope, { ...rest, match: toMatch(filter), maxRows: maxRows ?? 4 * MAX_ROWS }, now);
  }

  /**
   * Evidence of several alerts of one rule in one read: for each window (a key and [from, to]),
   * its matching events (newest first, up to `limit`), their count and time span.
   */
  async evidence(
    scope: TenantScope,
    p: { filter: RuleFilter; groupBy: GroupBy; windows: { key: string; fromMs: number; toMs: number }[]; limit: number; receivedUpTo: number },
    now = this.clock.now(),
  ): Promise<Evidence[]> {
    if (p.windows.length === 0) return [];
    const rows = await this.eventLog.windowEvents(
      scope,
      {
        match: toMatch(p.filter),
        groupBy: p.groupBy,
        keys: [...new Set(p.windows.map((w) => w.key))],
        fromMs: Math.min(...p.windows.map((w) => w.fromMs)),
        toMs: Math.max(...p.windows.map((w) => w.toMs)),
        receivedUpTo: p.receivedUpTo,
        maxRows: 4 * MAX_ROWS,
      },
      now,
    );
    // Rows per key once, so many windows over many rows cost their keys' rows, not windows × rows.
    const byKey = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = byKey.get(r.key);
      if (list) list.push(r);
      else byKey.set(r.key, [r]);
    }
    return p.windows.map((w) => {
      const inside = (byKey.get(w.key) ?? []).filter((r) => r.t >= w.fromMs && r.t <= w.toMs);
      return inside.length === 0
        ? { ids: [], count: 0, firstMs: w.fromMs, lastMs: w.toMs, organizations: [] }
        : {
            ids: inside.slice(0, p.limit).map((r) => r.eventId),
            count: inside.length,
            firstMs: inside[inside.length - 1]!.t,
            lastMs: inside[0]!.t,
            organizations: [...new Set(inside.map((r) => r.organizationId))],
          };
    });
  }
}

/** A rule's filter as the events module matches it: the same predicates filterMatcher() applies in JavaScript, never the evaluator's own trail entries. */
export function toMatch(f: RuleFilter): EventMatch {
  return { actionsRe2: actionPatternsRe2(f.actions), excludeActionPrefix: ALERT_TRAIL_PREFIX, outcome: f.outcome, actorTypes: f.actor_types, organizations: f.organizations };
}
