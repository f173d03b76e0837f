import { Injectable } from '@nestjs/common';
import { toClickhouseDateTime64 } from '../common/time.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ScopedWhere } from '../events/events.repository.js';
import { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { GroupBy, RuleFilter } from './alerts.schema.js';
import { actionsRegex, ALERT_TRAIL_PREFIX } from './rule-definition.js';

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

export interface Evidence {
  /** Newest first, at most `limit`. */
  ids: string[];
  count: number;
  firstMs: number;
  lastMs: number;
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
   * Events at which the sliding window `[t - window, t]` of a key holds at least `count`
   * matching events (distinct values with `distinct`): every new event whose window is over the
   * threshold, and every older event whose window the new events (arriving late) pushed over it.
   * So each event fires once, whatever the chunking of the log. Ordered by key and time.
   */
  async thresholdFirings(
    scope: TenantScope,
    p: { filter: RuleFilter; groupBy: GroupBy; distinct?: 'target' | 'ip' | 'actor'; windowMs: number; count: number; keys: string[]; newIds: string[]; fromMs: number; toMs: number; receivedUpTo: number },
    now = Date.now(),
  ): Promise<WindowFiring[]> {
    const where = this.where(scope, p.filter, now);
    const key = KEY_COLUMN[p.groupBy];
    const distinct = p.distinct ? DISTINCT_COLUMN[p.distinct] : undefined;
    const arrayJoin = p.distinct === 'target' ? 'ARRAY JOIN target_ids AS dv' : '';
    const all = distinct ? `uniqExact(${distinct})` : 'count()';
    const old = distinct ? `uniqExactIf(${distinct}, NOT is_new)` : 'countIf(NOT is_new)';
    this.keysAndRange(where, key, p);
    const rows = await this.ch.query<{ k: string; t: number; eid: string; c: number }>(
      `SELECT k, t, eid, c_all AS c FROM (
  SELECT ${key} AS k, toUnixTimestamp64Milli(occurred_at) AS t, toString(id) AS eid, id IN {new_ids:Array(UUID)} AS is_new,
    ${all} OVER w AS c_all, ${old} OVER w AS c_old
  FROM ${this.ch.tables.events} ${arrayJoin}
  WHERE ${where}
  WINDOW w AS (PARTITION BY k ORDER BY t RANGE BETWEEN {window:UInt64} PRECEDING AND CURRENT ROW)
)
WHERE c_all >= {n:UInt64} AND (is_new OR c_old < {n:UInt64})
ORDER BY k, t, eid
LIMIT {max_rows:UInt32}`,
      { ...where.params, new_ids: p.newIds, window: p.windowMs, n: p.count, max_rows: MAX_ROWS },
      { settings: this.readSettings },
    );
    return dedupe(rows.map((r) => ({ key: r.k, t: Number(r.t), eventId: r.eid, count: Number(r.c) })));
  }

  /**
   * Successes preceded, within `[t - window, t]`, by at least `failures` failures of the same
   * key, where the success is new or the new events completed the failures.
   */
  async sequenceFirings(
    scope: TenantScope,
    p: { filter: RuleFilter; groupBy: GroupBy; windowMs: number; failures: number; keys: string[]; newIds: string[]; fromMs: number; toMs: number; receivedUpTo: number },
    now = Date.now(),
  ): Promise<WindowFiring[]> {
    const where = this.where(scope, { ...p.filter, outcome: undefined }, now).add("outcome IN ('failure', 'success')");
    const key = KEY_COLUMN[p.groupBy];
    this.keysAndRange(where, key, p);
    const rows = await this.ch.query<{ k: string; t: number; eid: string; c: number }>(
      `SELECT k, t, eid, f_all AS c FROM (
  SELECT ${key} AS k, toUnixTimestamp64Milli(occurred_at) AS t, toString(id) AS eid, outcome = 'success' AS ok, id IN {new_ids:Array(UUID)} AS is_new,
    countIf(outcome = 'failure') OVER w AS f_all, countIf(outcome = 'failure' AND NOT is_new) OVER w AS f_old
  FROM ${this.ch.tables.events}
  WHERE ${where}
  WINDOW w AS (PARTITION BY k ORDER BY t RANGE BETWEEN {window:UInt64} PRECEDING AND CURRENT ROW)
)
WHERE ok AND f_all >= {n:UInt64} AND (is_new OR f_old < {n:UInt64})
ORDER BY k, t, eid
LIMIT {max_rows:UInt32}`,
      { ...where.params, new_ids: p.newIds, window: p.windowMs, n: p.failures, max_rows: MAX_ROWS },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ key: r.k, t: Number(r.t), eventId: r.eid, count: Number(r.c) }));
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

  /** The matching events of one key in [from, to] (newest first, up to `limit`), with their count and time span. */
  async evidence(
    scope: TenantScope,
    p: { filter: RuleFilter; groupBy: GroupBy; key: string; fromMs: number; toMs: number; limit: number; receivedUpTo: number },
    now = Date.now(),
  ): Promise<Evidence> {
    const where = this.where(scope, p.filter, now);
    this.keysAndRange(where, KEY_COLUMN[p.groupBy], { keys: [p.key], fromMs: p.fromMs, toMs: p.toMs, receivedUpTo: p.receivedUpTo });
    const rows = await this.ch.query<{ eid: string; t: number; n: number; lo: number; hi: number }>(
      `SELECT toString(id) AS eid, toUnixTimestamp64Milli(occurred_at) AS t, count() OVER () AS n, min(t) OVER () AS lo, max(t) OVER () AS hi
FROM ${this.ch.tables.events}
WHERE ${where}
ORDER BY occurred_at DESC, id DESC
LIMIT {limit:UInt32}`,
      { ...where.params, limit: p.limit },
      { settings: this.readSettings },
    );
    const first = rows[0];
    return first
      ? { ids: rows.map((r) => r.eid), count: Number(first.n), firstMs: Number(first.lo), lastMs: Number(first.hi) }
      : { ids: [], count: 0, firstMs: p.fromMs, lastMs: p.toMs };
  }

  /** Tenant, retention and the rule's filter: the same predicates filterMatcher() applies in JavaScript. */
  private where(scope: TenantScope, f: RuleFilter, now: number): ScopedWhere {
    const where = new ScopedWhere(scope, now, { retention: true });
    where.add('match(action, {f_actions:String})', { f_actions: actionsRegex(f.actions) });
    where.add('NOT startsWith(action, {f_alert_prefix:String})', { f_alert_prefix: ALERT_TRAIL_PREFIX });
    if (f.outcome !== undefined) where.add('outcome = {f_outcome:String}', { f_outcome: f.outcome });
    if (f.actor_types !== undefined) where.add('actor_type IN {f_actor_types:Array(String)}', { f_actor_types: f.actor_types });
    if (f.organizations !== undefined) where.add('organization_id IN {f_orgs:Array(String)}', { f_orgs: f.organizations });
    return where;
  }

  /**
   * The keys, the occurred_at range, and only events received up to the chunk being evaluated:
   * events received later are not in the log before it, so they are neither history nor new
   * yet (they count when their own chunk is evaluated).
   */
  private keysAndRange(where: ScopedWhere, keyColumn: string, p: { keys: string[]; fromMs: number; toMs: number; receivedUpTo: number }): void {
    where.add(`${keyColumn} IN {keys:Array(String)}`, { keys: p.keys });
    where.add('received_at <= {received_up_to:DateTime64(3)}', { received_up_to: toClickhouseDateTime64(p.receivedUpTo) });
    where.add("occurred_at >= fromUnixTimestamp64Milli({range_from:Int64}, 'UTC')", { range_from: p.fromMs });
    where.add("occurred_at <= fromUnixTimestamp64Milli({range_to:Int64}, 'UTC')", { range_to: p.toMs });
  }
}

/** ARRAY JOIN repeats an event once per target: keep its first row. */
function dedupe(rows: WindowFiring[]): WindowFiring[] {
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.eventId) ? false : (seen.add(r.eventId), true)));
}
