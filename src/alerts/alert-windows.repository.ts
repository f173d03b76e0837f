import { Injectable } from '@nestjs/common';
import { toClickhouseDateTime64 } from '../common/time.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ScopedWhere } from '../events/events.repository.js';
import { ClickHouseService, type QueryParams } from '../storage/clickhouse/clickhouse.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { GroupBy, RuleFilter } from './alerts.schema.js';
import { actionPatternsRe2 } from '../events/action-pattern.js';
import { ALERT_TRAIL_PREFIX } from './rule-definition.js';

/** Column of the key per group_by (an allow-list: identifiers never come from input). */
const KEY_COLUMN: Record<GroupBy, string> = { actor: 'actor_id', ip: 'ip', organization: 'organization_id' };
/** Column of the value a distinct count counts; `target` is the ARRAY JOIN of target_ids. */
const DISTINCT_COLUMN: Record<'target' | 'ip' | 'actor', string> = { target: 'dv', ip: 'ip', actor: 'actor_id' };
/** The value a new-value rule compares (country is derived from ip in the application). */
const VALUE_EXPR: Record<'country' | 'ip' | 'user_agent', string> = { country: 'ip', ip: 'ip', user_agent: "JSONExtractString(payload, 'context', 'user_agent')" };
/** Rows a single window query may return (the caller's chunk bounds the new events; this bounds the old ones around them). */
const MAX_ROWS = 50_000;

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
 * new events touched. Every statement starts from {@link ScopedWhere} (tenant first, retention
 * horizon), binds every value as a parameter, and looks only at occurred_at ranges around the
 * new events, so a query costs the windows it inspects, not the trail.
 */
@Injectable()
export class AlertWindowsRepository {
  private readonly readSettings: Record<string, number>;

  constructor(
    private readonly ch: ClickHouseService,
    @InjectConfig() config: AppConfig,
  ) {
    this.readSettings = { max_execution_time: Math.ceil(config.clickhouse.requestTimeoutMs / 1000) };
  }

  /**
   * Window firings of several rules in one statement (one UNION ALL branch per rule), for a
   * chunk of the log:
   * - threshold: events at which the sliding window `[t - window, t]` of a key holds at least
   *   `count` matching events (distinct values with `distinct`) — every new event whose window
   *   is over the threshold, and every older event whose window the new events (arriving late)
   *   pushed over it, so each event fires once whatever the chunking of the log;
   * - sequence: successes preceded within the window by at least `count` failures of the same
   *   key, where the success is new or the new events completed the failures.
   * Result per spec, ordered by key and time.
   */
  async firings(scope: TenantScope, specs: FiringSpec[], chunkIds: string[], receivedUpTo: number, now = Date.now()): Promise<WindowFiring[][]> {
    if (specs.length === 0) return [];
    // Parameters travel in the URL in server mode: the chunk's ids once, not once per rule.
    const params: QueryParams = { chunk_ids: chunkIds };
    const branches = specs.map((p, i) => {
      const prefix = `r${i}_`;
      const key = KEY_COLUMN[p.groupBy];
      const where = p.kind === 'sequence' ? this.where(scope, { ...p.filter, outcome: undefined }, now, prefix).add("outcome IN ('failure', 'success')") : this.where(scope, p.filter, now, prefix);
      this.keysAndRange(where, key, { keys: p.keys, fromMs: p.fromMs, toMs: p.toMs, receivedUpTo }, prefix);
      Object.assign(params, where.params, { [`${prefix}window`]: p.windowMs, [`${prefix}n`]: p.count });
      if (p.newIds) params[`${prefix}new_ids`] = p.newIds;
      const frame = `WINDOW w AS (PARTITION BY k ORDER BY t RANGE BETWEEN {${prefix}window:UInt64} PRECEDING AND CURRENT ROW)`;
      // The filter is in the WHERE: among matching events, the chunk's are the rule's new ones.
      const isNew = `id IN {${p.newIds ? `${prefix}new_ids` : 'chunk_ids'}:Array(UUID)} AS is_new`;
      if (p.kind === 'sequence') {
        return `SELECT ${i} AS r, k, t, eid, f_all AS c FROM (
  SELECT ${key} AS k, toUnixTimestamp64Milli(occurred_at) AS t, toString(id) AS eid, outcome = 'success' AS ok, ${isNew},
    countIf(outcome = 'failure') OVER w AS f_all, countIf(outcome = 'failure' AND NOT is_new) OVER w AS f_old
  FROM ${this.ch.tables.events}
  WHERE ${where}
  ${frame}
) WHERE ok AND f_all >= {${prefix}n:UInt64} AND (is_new OR f_old < {${prefix}n:UInt64})`;
      }
      const distinct = p.distinct ? DISTINCT_COLUMN[p.distinct] : undefined;
      const all = distinct ? `uniqExact(${distinct})` : 'count()';
      const old = distinct ? `uniqExactIf(${distinct}, NOT is_new)` : 'countIf(NOT is_new)';
      return `SELECT ${i} AS r, k, t, eid, c_all AS c FROM (
  SELECT ${key} AS k, toUnixTimestamp64Milli(occurred_at) AS t, toString(id) AS eid, ${isNew}, ${all} OVER w AS c_all, ${old} OVER w AS c_old
  FROM ${this.ch.tables.events} ${p.distinct === 'target' ? 'ARRAY JOIN target_ids AS dv' : ''}
  WHERE ${where}
  ${frame}
) WHERE c_all >= {${prefix}n:UInt64} AND (is_new OR c_old < {${prefix}n:UInt64})`;
    });
    const rows = await this.ch.query<{ r: number; k: string; t: number; eid: string; c: number }>(
      `SELECT r, k, t, eid, c FROM (
${branches.join('\nUNION ALL\n')}
)
ORDER BY r, k, t, eid
LIMIT {max_rows:UInt32}`,
      { ...params, max_rows: MAX_ROWS * specs.length },
      { settings: this.readSettings },
    );
    const out: WindowFiring[][] = specs.map(() => []);
    const seen = new Set<string>();
    for (const row of rows) {
      const r = Number(row.r);
      // ARRAY JOIN repeats an event once per target: keep its first row.
      if (seen.has(`${r}|${row.eid}`)) continue;
      seen.add(`${r}|${row.eid}`);
      out[r]!.push({ key: row.k, t: Number(row.t), eventId: row.eid, count: Number(row.c) });
    }
    return out;
  }

  /**
   * The values each actor was seen with, per hour bucket, in [from, to]: enough to tell
   * exactly whether a value occurred in any look-back of at least a day before an event.
   */
  async valueHistory(
    scope: TenantScope,
    p: { filter: RuleFilter; field: 'country' | 'ip' | 'user_agent'; actors: string[]; fromMs: number; toMs: number; receivedUpTo: number },
    now = Date.now(),
  ): Promise<ValueHistoryRow[]> {
    const where = this.where(scope, p.filter, now);
    this.keysAndRange(where, 'actor_id', { keys: p.actors, fromMs: p.fromMs, toMs: p.toMs, receivedUpTo: p.receivedUpTo });
    const rows = await this.ch.query<{ a: string; v: string; lo: number; hi: number }>(
      `SELECT actor_id AS a, ${VALUE_EXPR[p.field]} AS v, toStartOfHour(occurred_at) AS h,
  toUnixTimestamp64Milli(min(occurred_at)) AS lo, toUnixTimestamp64Milli(max(occurred_at)) AS hi
FROM ${this.ch.tables.events}
WHERE ${where} AND v != ''
GROUP BY a, v, h
LIMIT {max_rows:UInt32}`,
      { ...where.params, max_rows: 4 * MAX_ROWS },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ actor: r.a, value: r.v, lo: Number(r.lo), hi: Number(r.hi) }));
  }

  /**
   * Evidence of several alerts of one rule in one read: for each window (a key and [from, to]),
   * its matching events (newest first, up to `limit`), their count and time span.
   */
  async evidence(
    scope: TenantScope,
    p: { filter: RuleFilter; groupBy: GroupBy; windows: { key: string; fromMs: number; toMs: number }[]; limit: number; receivedUpTo: number },
    now = Date.now(),
  ): Promise<Evidence[]> {
    if (p.windows.length === 0) return [];
    const where = this.where(scope, p.filter, now);
    const key = KEY_COLUMN[p.groupBy];
    this.keysAndRange(where, key, {
      keys: [...new Set(p.windows.map((w) => w.key))],
      fromMs: Math.min(...p.windows.map((w) => w.fromMs)),
      toMs: Math.max(...p.windows.map((w) => w.toMs)),
      receivedUpTo: p.receivedUpTo,
    });
    const rows = await this.ch.query<{ k: string; eid: string; t: number; o: string }>(
      `SELECT ${key} AS k, toString(id) AS eid, toUnixTimestamp64Milli(occurred_at) AS t, organization_id AS o
FROM ${this.ch.tables.events}
WHERE ${where}
ORDER BY occurred_at DESC, id DESC
LIMIT {max_rows:UInt32}`,
      { ...where.params, max_rows: 4 * MAX_ROWS },
      { settings: this.readSettings },
    );
    // Rows per key once, so many windows over many rows cost their keys' rows, not windows × rows.
    const byKey = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = byKey.get(r.k);
      if (list) list.push(r);
      else byKey.set(r.k, [r]);
    }
    return p.windows.map((w) => {
      const inside = (byKey.get(w.key) ?? []).filter((r) => Number(r.t) >= w.fromMs && Number(r.t) <= w.toMs);
      return inside.length === 0
        ? { ids: [], count: 0, firstMs: w.fromMs, lastMs: w.toMs, organizations: [] }
        : {
            ids: inside.slice(0, p.limit).map((r) => r.eid),
            count: inside.length,
            firstMs: Number(inside[inside.length - 1]!.t),
            lastMs: Number(inside[0]!.t),
            organizations: [...new Set(inside.map((r) => r.o))],
          };
    });
  }

  /** Tenant, retention and the rule's filter: the same predicates filterMatcher() applies in JavaScript. */
  private where(scope: TenantScope, f: RuleFilter, now: number, p = ''): ScopedWhere {
    const where = new ScopedWhere(scope, now, { retention: true });
    // ClickHouse's match() is RE2: linear in the action, whatever the pattern (PEN-01).
    where.add(`match(action, {${p}f_actions:String})`, { [`${p}f_actions`]: actionPatternsRe2(f.actions) });
    where.add(`NOT startsWith(action, {${p}f_alert_prefix:String})`, { [`${p}f_alert_prefix`]: ALERT_TRAIL_PREFIX });
    if (f.outcome !== undefined) where.add(`outcome = {${p}f_outcome:String}`, { [`${p}f_outcome`]: f.outcome });
    if (f.actor_types !== undefined) where.add(`actor_type IN {${p}f_actor_types:Array(String)}`, { [`${p}f_actor_types`]: f.actor_types });
    if (f.organizations !== undefined) where.add(`organization_id IN {${p}f_orgs:Array(String)}`, { [`${p}f_orgs`]: f.organizations });
    return where;
  }

  /**
   * The keys, the occurred_at range, and only events received up to the chunk being evaluated:
   * events received later are not in the log before it, so they are neither history nor new
   * yet (they count when their own chunk is evaluated).
   */
  private keysAndRange(where: ScopedWhere, keyColumn: string, r: { keys: string[]; fromMs: number; toMs: number; receivedUpTo: number }, p = ''): void {
    where.add(`${keyColumn} IN {${p}keys:Array(String)}`, { [`${p}keys`]: r.keys });
    where.add(`received_at <= {${p}received_up_to:DateTime64(3)}`, { [`${p}received_up_to`]: toClickhouseDateTime64(r.receivedUpTo) });
    where.add(`occurred_at >= fromUnixTimestamp64Milli({${p}range_from:Int64}, 'UTC')`, { [`${p}range_from`]: r.fromMs });
    where.add(`occurred_at <= fromUnixTimestamp64Milli({${p}range_to:Int64}, 'UTC')`, { [`${p}range_to`]: r.toMs });
  }
}

