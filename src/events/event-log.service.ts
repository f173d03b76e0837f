// Above ~400 lines on purpose: EventLog is the only reader of events_v1 for other modules
// (window walks, counts, subject reads, erasure, retention deletes); keeping every such query
// here is what lets the module boundary check hold.
import { Injectable } from '@nestjs/common';
import type { ClickHouseSettings } from '@clickhouse/client';
import { toClickhouseDateTime64 } from '../common/time.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ClickHouseService, type QueryParams } from '../storage/clickhouse/clickhouse.service.js';
import { TenantDataRemovalRegistry, type TenantDataRemoval } from '../tenancy/tenant-data-removal.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { Clock } from '../common/clock.js';
import {
  applyDeletedMask,
  blankSubjectContext,
  deleteExpiredEvents,
  deleteTenantEvents,
  eraseSubjectTokens,
  eventsDataTable,
  partitionsWithDeletedRows,
  pendingMutations,
} from '../storage/clickhouse/ddl.js';
import { derivedMismatchSql } from './derived-columns.js';
import { buildListQuery, retentionPredicate, ScopedWhere, SUBJECT_PREDICATE, type EventPageRow } from './events.repository.js';
import { LogLeavesRegistry } from './log-leaves.js';

/**
 * A piece of SQL another module owns (a subquery over its own table) with its bound
 * parameters. Parameter names must not collide with the statement's own; `compose` checks.
 */
export interface SqlFragment {
  sql: string;
  params: QueryParams;
}

/** What a window query matches, besides the scope and its retention. */
export interface EventMatch {
  /** An RE2 alternation of action patterns (`actionPatternsRe2`). */
  actionsRe2: string;
  /** Actions starting with this prefix never match (the evaluator's own trail entries). */
  excludeActionPrefix: string;
  outcome?: string;
  actorTypes?: string[];
  organizations?: string[];
}

export type WindowKey = 'actor' | 'ip' | 'organization' | 'action';
export type DistinctValue = 'target' | 'ip' | 'actor';
export type HistoryValue = 'country' | 'ip' | 'user_agent' | 'action';

export interface WindowSpec {
  kind: 'threshold' | 'sequence';
  match: EventMatch;
  groupBy: WindowKey;
  distinct?: DistinctValue;
  windowMs: number;
  /** threshold: events (or distinct values); sequence: failures. */
  count: number;
  keys: string[];
  /** The spec's new events; undefined: every event of the chunk. */
  newIds: string[] | undefined;
  fromMs: number;
  toMs: number;
}

export interface WindowRow {
  /** Index of the spec. */
  r: number;
  key: string;
  t: number;
  eventId: string;
  count: number;
}

/** Column of the key per group_by (an allow-list: identifiers never come from input). */
const KEY_COLUMN: Record<WindowKey, string> = { actor: 'actor_id', ip: 'ip', organization: 'organization_id', action: 'action' };
/** Column of the value a distinct count counts; `target` is the ARRAY JOIN of target_ids. */
const DISTINCT_COLUMN: Record<DistinctValue, string> = { target: 'dv', ip: 'ip', actor: 'actor_id' };
/** The value a new-value history compares (country is derived from ip in the application). */
const VALUE_EXPR: Record<HistoryValue, string> = { country: 'ip', ip: 'ip', user_agent: "JSONExtractString(payload, 'context', 'user_agent')", action: 'action' };

function compose(own: QueryParams, ...fragments: SqlFragment[]): QueryParams {
  const params: QueryParams = { ...own };
  for (const f of fragments) {
    for (const [k, v] of Object.entries(f.params)) {
      if (k in params) throw new Error(`SQL fragment parameter ${k} collides with the statement's own`);
      params[k] = v;
    }
  }
  return params;
}

/**
 * The events module's side for other modules: every statement against `events_v1` that billing
 * (usage counts), alerts (sliding windows), integrity (what the sealer appends, what
 * verification compares), privacy (data subjects, erasure, retention, notices) and tenancy
 * (deleting a tenant) need. Nobody outside src/events names the table; where a statement
 * combines events with another module's table (the Merkle log), that module passes its part as
 * a {@link SqlFragment}.
 */
@Injectable()
export class EventLog implements TenantDataRemoval {
  private readonly readSettings: Record<string, number>;

  constructor(
    private readonly ch: ClickHouseService,
    @InjectConfig() config: AppConfig,
    private readonly clock: Clock,
    private readonly log: LogLeavesRegistry,
    tenancy: TenantDataRemovalRegistry,
  ) {
    this.readSettings = { max_execution_time: Math.ceil(config.clickhouse.requestTimeoutMs / 1000) };
    tenancy.use(this);
  }

  // ------------------------------------------------------------ usage (billing)

  /**
   * Customer events received in [from, to): the trail's own `veritrail.*` entries are not
   * usage, and received_at is the server's clock, so a client cannot move usage between periods.
   */
  async customerEventCount(scope: TenantScope, fromMs: number, toMs: number): Promise<number> {
    if (toMs <= fromMs) return 0;
    const rows = await this.ch.query<{ n: number }>(
      `SELECT count() AS n FROM ${this.ch.tables.events}
WHERE tenant_id = {tenant_id:String} AND received_at >= {from:DateTime64(3)} AND received_at < {to:DateTime64(3)}
  AND NOT startsWith(action, 'veritrail.')`,
      { tenant_id: scope.tenantId, from: toClickhouseDateTime64(fromMs), to: toClickhouseDateTime64(toMs) },
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The same count per hour (start, epoch ms) within [from, to); hours without events are absent. */
  async customerEventsPerHour(scope: TenantScope, fromMs: number, toMs: number): Promise<{ hourMs: number; events: number }[]> {
    if (toMs <= fromMs) return [];
    const rows = await this.ch.query<{ h: number; n: number }>(
      `SELECT toUnixTimestamp(toStartOfHour(received_at)) AS h, count() AS n FROM ${this.ch.tables.events}
WHERE tenant_id = {tenant_id:String} AND received_at >= {from:DateTime64(3)} AND received_at < {to:DateTime64(3)}
  AND NOT startsWith(action, 'veritrail.')
GROUP BY h ORDER BY h`,
      { tenant_id: scope.tenantId, from: toClickhouseDateTime64(fromMs), to: toClickhouseDateTime64(toMs) },
    );
    return rows.map((r) => ({ hourMs: Number(r.h) * 1000, events: Number(r.n) }));
  }

  // ------------------------------------------------------------ sliding windows (alerts)

  /**
   * Window firings of several specs in one statement (one UNION ALL branch per spec), for a
   * chunk of the log:
   * - threshold: events at which the sliding window `[t - window, t]` of a key holds at least
   *   `count` matching events (distinct values with `distinct`) — every new event whose window
   *   is over the threshold, and every older event whose window the new events (arriving late)
   *   pushed over it, so each event fires once whatever the chunking of the log;
   * - sequence: successes preceded within the window by at least `count` failures of the same
   *   key, where the success is new or the new events completed the failures.
   * Rows ordered by spec, key, time and id, at most `maxRows`; an event repeated by the ARRAY
   * JOIN of targets comes back once per target (the caller keeps the first).
   */
  async windowFirings(scope: TenantScope, specs: WindowSpec[], chunkIds: string[], receivedUpTo: number, maxRows: number, now: number): Promise<WindowRow[]> {
    if (specs.length === 0) return [];
    // Parameters travel in the URL in server mode: the chunk's ids once, not once per spec.
    const params: QueryParams = { chunk_ids: chunkIds };
    const branches = specs.map((p, i) => {
      const prefix = `r${i}_`;
      const key = KEY_COLUMN[p.groupBy];
      const where = p.kind === 'sequence' ? this.windowWhere(scope, { ...p.match, outcome: undefined }, now, prefix).add("outcome IN ('failure', 'success')") : this.windowWhere(scope, p.match, now, prefix);
      this.keysAndRange(where, key, { keys: p.keys, fromMs: p.fromMs, toMs: p.toMs, receivedUpTo }, prefix);
      Object.assign(params, where.params, { [`${prefix}window`]: p.windowMs, [`${prefix}n`]: p.count });
      if (p.newIds) params[`${prefix}new_ids`] = p.newIds;
      const frame = `WINDOW w AS (PARTITION BY k ORDER BY t RANGE BETWEEN {${prefix}window:UInt64} PRECEDING AND CURRENT ROW)`;
      // The filter is in the WHERE: among matching events, the chunk's are the spec's new ones.
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
      { ...params, max_rows: maxRows },
      { settings: this.readSettings },
    );
    return rows.map((row) => ({ r: Number(row.r), key: row.k, t: Number(row.t), eventId: row.eid, count: Number(row.c) }));
  }

  /**
   * The values each actor was seen with, per hour bucket, in [from, to]: enough to tell
   * exactly whether a value occurred in any look-back of at least a day before an event.
   */
  async valueHistory(
    scope: TenantScope,
    p: { match: EventMatch; field: HistoryValue; actors: string[]; fromMs: number; toMs: number; receivedUpTo: number; maxRows: number },
    now: number,
  ): Promise<{ actor: string; value: string; lo: number; hi: number }[]> {
    const where = this.windowWhere(scope, p.match, now);
    this.keysAndRange(where, 'actor_id', { keys: p.actors, fromMs: p.fromMs, toMs: p.toMs, receivedUpTo: p.receivedUpTo });
    const rows = await this.ch.query<{ a: string; v: string; lo: number; hi: number }>(
      `SELECT actor_id AS a, ${VALUE_EXPR[p.field]} AS v, toStartOfHour(occurred_at) AS h,
  toUnixTimestamp64Milli(min(occurred_at)) AS lo, toUnixTimestamp64Milli(max(occurred_at)) AS hi
FROM ${this.ch.tables.events}
WHERE ${where} AND v != ''
GROUP BY a, v, h
LIMIT {max_rows:UInt32}`,
      { ...where.params, max_rows: p.maxRows },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ actor: r.a, value: r.v, lo: Number(r.lo), hi: Number(r.hi) }));
  }

  /** Matching events of these keys in [from, to] (occurred_at), newest first, at most `maxRows`. */
  async windowEvents(
    scope: TenantScope,
    p: { match: EventMatch; groupBy: WindowKey; keys: string[]; fromMs: number; toMs: number; receivedUpTo: number; maxRows: number },
    now: number,
  ): Promise<{ key: string; eventId: string; t: number; organizationId: string }[]> {
    const where = this.windowWhere(scope, p.match, now);
    const key = KEY_COLUMN[p.groupBy];
    this.keysAndRange(where, key, { keys: p.keys, fromMs: p.fromMs, toMs: p.toMs, receivedUpTo: p.receivedUpTo });
    const rows = await this.ch.query<{ k: string; eid: string; t: number; o: string }>(
      `SELECT ${key} AS k, toString(id) AS eid, toUnixTimestamp64Milli(occurred_at) AS t, organization_id AS o
FROM ${this.ch.tables.events}
WHERE ${where}
ORDER BY occurred_at DESC, id DESC
LIMIT {max_rows:UInt32}`,
      { ...where.params, max_rows: p.maxRows },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ key: r.k, eventId: r.eid, t: Number(r.t), organizationId: r.o }));
  }

  /**
   * Matching events per key and interval in [from, to) (occurred_at; intervals aligned to UTC
   * multiples of `intervalMs`), with each key's newest event in the range: what silence and
   * volume rules compare with history. Keys without a value ('') are left out; optionally only
   * some keys and events received up to a time. At most `maxRows` rows.
   */
  async intervalCounts(
    scope: TenantScope,
    p: { match: EventMatch; groupBy: WindowKey; fromMs: number; toMs: number; intervalMs: number; maxRows: number; keys?: string[]; receivedUpTo?: number },
    now: number,
  ): Promise<{ key: string; bucketMs: number; n: number; lastMs: number; lastId: string }[]> {
    const where = this.windowWhere(scope, p.match, now);
    const key = KEY_COLUMN[p.groupBy];
    where.add(`${key} != ''`);
    if (p.keys) where.add(`${key} IN {keys:Array(String)}`, { keys: p.keys });
    if (p.receivedUpTo !== undefined) where.add(`received_at <= {received_up_to:DateTime64(3)}`, { received_up_to: toClickhouseDateTime64(p.receivedUpTo) });
    where.add(`occurred_at >= fromUnixTimestamp64Milli({range_from:Int64}, 'UTC')`, { range_from: p.fromMs });
    where.add(`occurred_at < fromUnixTimestamp64Milli({range_to:Int64}, 'UTC')`, { range_to: p.toMs });
    const rows = await this.ch.query<{ k: string; b: number; n: number; lt: number; li: string }>(
      `SELECT ${key} AS k, intDiv(toUnixTimestamp64Milli(occurred_at), {interval:UInt64}) * {interval:UInt64} AS b, count() AS n,
  toUnixTimestamp64Milli(max(occurred_at)) AS lt, toString(argMax(id, occurred_at)) AS li
FROM ${this.ch.tables.events}
WHERE ${where}
GROUP BY k, b
ORDER BY k, b
LIMIT {max_rows:UInt32}`,
      { ...where.params, interval: p.intervalMs, max_rows: p.maxRows },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ key: r.k, bucketMs: Number(r.b), n: Number(r.n), lastMs: Number(r.lt), lastId: r.li }));
  }

  /**
   * A page of the scope's events with occurred_at in [from, to), in (occurred_at, id) order after
   * `after`, with their stored payloads, never the alerts' own trail entries: what a backtest
   * replays a rule over (retention applies, as in live windows).
   */
  async eventsByTime(
    scope: TenantScope,
    p: { fromMs: number; toMs: number; after?: readonly [number, string]; excludeActionPrefix: string; limit: number; receivedUpTo?: number },
    now: number,
  ): Promise<{ id: string; t: number; receivedAtMs: number; payload: string }[]> {
    const where = timeRangeWhere(scope, now, p);
    if (p.receivedUpTo !== undefined) where.add(`received_at <= {bt_received_up_to:DateTime64(3)}`, { bt_received_up_to: toClickhouseDateTime64(p.receivedUpTo) });
    if (p.after) {
      where.add(`(occurred_at, id) > (fromUnixTimestamp64Milli({bt_after_t:Int64}, 'UTC'), toUUID({bt_after_id:String}))`, { bt_after_t: p.after[0], bt_after_id: p.after[1] });
    }
    const rows = await this.ch.query<{ eid: string; t: number; r: number; body: string }>(
      `SELECT toString(id) AS eid, toUnixTimestamp64Milli(occurred_at) AS t, toUnixTimestamp64Milli(received_at) AS r, payload AS body
FROM ${this.ch.tables.events}
WHERE ${where}
ORDER BY occurred_at, id
LIMIT {bt_limit:UInt32}`,
      { ...where.params, bt_limit: p.limit },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ id: r.eid, t: Number(r.t), receivedAtMs: Number(r.r), payload: r.body }));
  }

  private windowWhere(scope: TenantScope, m: EventMatch, now: number, p = ''): ScopedWhere {
    return windowWhere(scope, m, now, p);
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

  // ------------------------------------------------------------ the Merkle log's view of events (integrity)

  /**
   * Events received since `fromMs` whose id is not in `logged` (a subquery of event ids), in the
   * log's order (received_at, id), with SHA-256(0x00 ‖ payload) computed from the stored payload.
   */
  async unlogged(
    scope: TenantScope,
    fromMs: number,
    logged: SqlFragment,
    limit: number,
    opts: { settings?: ClickHouseSettings } = {},
  ): Promise<{ eventId: string; receivedAtMs: number; leafHash: string }[]> {
    const rows = await this.ch.query<{ event_id: string; r: number; leaf: string }>(
      `SELECT toString(id) AS event_id, toUnixTimestamp64Milli(received_at) AS r, lower(hex(SHA256(concat(char(0), payload)))) AS leaf
FROM ${this.ch.tables.events}
WHERE tenant_id = {t:String} AND received_at >= {from:DateTime64(3)}
  AND id NOT IN (
    ${logged.sql})
ORDER BY received_at, id
LIMIT {limit:UInt32}`,
      compose({ t: scope.tenantId, from: toClickhouseDateTime64(fromMs), limit }, logged),
      { settings: opts.settings },
    );
    return rows.map((r) => ({ eventId: r.event_id, receivedAtMs: Number(r.r), leafHash: r.leaf }));
  }

  /** How many events received since `fromMs` are not in `logged`. */
  async countUnlogged(scope: TenantScope, fromMs: number, logged: SqlFragment): Promise<number> {
    const [row] = await this.ch.query<{ n: number }>(
      `SELECT count() AS n FROM ${this.ch.tables.events}
WHERE tenant_id = {t:String} AND received_at >= {from:DateTime64(3)}
  AND id NOT IN (${logged.sql})`,
      compose({ t: scope.tenantId, from: toClickhouseDateTime64(fromMs) }, logged),
    );
    return Number(row?.n ?? 0);
  }

  /** Events received before `beforeMs` whose id is not in `logged`, oldest first. */
  async unloggedBefore(scope: TenantScope, beforeMs: number, logged: SqlFragment, limit: number): Promise<{ eventId: string; receivedAtMs: number }[]> {
    const rows = await this.ch.query<{ event_id: string; r: number }>(
      `SELECT toString(id) AS event_id, toUnixTimestamp64Milli(received_at) AS r FROM ${this.ch.tables.events}
WHERE tenant_id = {t:String} AND received_at < {before:DateTime64(3)}
  AND id NOT IN (${logged.sql})
ORDER BY received_at, id LIMIT {limit:UInt32}`,
      compose({ t: scope.tenantId, before: toClickhouseDateTime64(beforeMs), limit }, logged),
    );
    return rows.map((r) => ({ eventId: r.event_id, receivedAtMs: Number(r.r) }));
  }

  /**
   * Per tenant, the oldest event received in [fromMs, beforeMs) whose (tenant_id, id) is not in
   * `logged`, and how many there are. Every tenant at once (background work).
   */
  async oldestUnloggedPerTenant(fromMs: number, beforeMs: number, logged: SqlFragment): Promise<{ tenantId: string; oldestMs: number; count: number }[]> {
    const rows = await this.ch.query<{ tenant_id: string; oldest: number; n: number }>(
      `SELECT tenant_id, toUnixTimestamp64Milli(min(received_at)) AS oldest, count() AS n FROM ${this.ch.tables.events}
WHERE received_at >= {from:DateTime64(3)} AND received_at < {before:DateTime64(3)}
  AND (tenant_id, id) NOT IN (${logged.sql})
GROUP BY tenant_id`,
      compose({ from: toClickhouseDateTime64(fromMs), before: toClickhouseDateTime64(beforeMs) }, logged),
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, oldestMs: Number(r.oldest), count: Number(r.n) }));
  }

  /** Event ids stored in more than one row, whatever their columns say. One pass over the tenant's ids. */
  async duplicateIds(scope: TenantScope, limit: number): Promise<{ eventId: string; copies: number }[]> {
    const rows = await this.ch.query<{ eid: string; n: number }>(
      `SELECT toString(id) AS eid, count() AS n FROM ${this.ch.tables.events}
WHERE tenant_id = {t:String}
GROUP BY id HAVING count() > 1 LIMIT {limit:UInt32}`,
      { t: scope.tenantId, limit },
    );
    return rows.map((r) => ({ eventId: r.eid, copies: Number(r.n) }));
  }

  /**
   * A subquery for a statement that names a set of leaves `leaves` (a CTE with `event_id` and
   * `received_at`): per stored event of those leaves, `id`, `found` (1), `actual` (the payload's
   * SHA-256(0x00 ‖ payload)) and `mismatch` (derived columns that no longer match the payload,
   * src/events/derived-columns.ts; its erasure bounds are bound by the caller with
   * `contextErasureParams`). Bound here: the tenant.
   */
  payloadChecks(scope: TenantScope, leaves: string): SqlFragment {
    if (!/^[a-z_]+$/.test(leaves)) throw new Error(`invalid CTE name ${leaves}`);
    return {
      sql: `SELECT id, found, payload_leaf_hash AS actual, derived_mismatch AS mismatch FROM (
      SELECT id, 1 AS found, ${derivedMismatchSql()}
      FROM ${this.ch.tables.events}
      WHERE tenant_id = {checked_tenant:String}
        AND received_at >= (SELECT min(received_at) FROM ${leaves}) - INTERVAL 1 SECOND
        AND received_at <= (SELECT max(received_at) FROM ${leaves}) + INTERVAL 1 SECOND
        AND id IN (SELECT event_id FROM ${leaves}))`,
      params: { checked_tenant: scope.tenantId },
    };
  }

  // ------------------------------------------------------------ the trail's own entries (outboxes)

  /**
   * Whether the scope's trail holds an entry with this action naming this target, occurred at or
   * after `fromMs` (retention applies): how an outbox tells an entry written before a crash from
   * one that was never written.
   */
  async hasTrailEntry(scope: TenantScope, action: `veritrail.${string}`, targetId: string, fromMs: number): Promise<boolean> {
    const q = buildListQuery(this.ch.tables.events, scope, { action, targetId, fromMs }, { limit: 1, order: 'desc' }, this.clock.now());
    const rows = await this.ch.query<{ event_id: string }>(q.sql, q.params, { settings: this.readSettings });
    return rows.length > 0;
  }

  // ------------------------------------------------------------ data subjects, retention, tenants (privacy, tenancy)

  /**
   * A data subject's footprint in the stored trail (whatever retention says: erasure must reach
   * rows not yet deleted too): how many events name the subject as actor or target, and in
   * which organizations.
   */
  async subjectFootprint(scope: TenantScope, subject: string): Promise<{ events: number; organizations: string[] }> {
    const where = new ScopedWhere(scope, this.clock.now(), { retention: false }).add(SUBJECT_PREDICATE, { subject });
    const rows = await this.ch.query<{ n: number; orgs: string[] }>(
      `SELECT count() AS n, groupUniqArray(1000)(organization_id) AS orgs FROM ${this.ch.tables.events} WHERE ${where}`,
      where.params,
      { settings: this.readSettings },
    );
    return { events: Number(rows[0]?.n ?? 0), organizations: (rows[0]?.orgs ?? []).filter((o) => o !== '') };
  }

  /** A page of the events naming the subject as actor or target (retained ones), oldest first, after a keyset position. */
  async subjectEvents(scope: TenantScope, subject: string, limit: number, after?: readonly [number, string], now = this.clock.now()): Promise<EventPageRow[]> {
    const where = new ScopedWhere(scope, now, { retention: true }).add(SUBJECT_PREDICATE, { subject });
    if (after) {
      where.add(`occurred_at >= fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC')`, { after_ts: after[0], after_id: after[1] });
      where.add(`(occurred_at, id) > (fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC'), {after_id:UUID})`);
    }
    const rows = await this.ch.query<{ payload: string; ts: number; event_id: string; row_tenant: string }>(
      `SELECT payload, toUnixTimestamp64Milli(occurred_at) AS ts, toString(id) AS event_id, toString(tenant_id) AS row_tenant FROM ${this.ch.tables.events}
WHERE ${where} ORDER BY occurred_at, id LIMIT {limit:UInt32}`,
      { ...where.params, limit },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ payload: r.payload, occurredAtMs: Number(r.ts), id: r.event_id, tenantId: r.row_tenant }));
  }

  /** Distinct (action, organization) pairs and the first Merkle-log position of a subject's events (who may have received them). */
  async subjectDisclosure(scope: TenantScope, subject: string): Promise<{ pairs: { action: string; organizationId: string }[]; firstLeaf: number | undefined }> {
    const where = new ScopedWhere(scope, this.clock.now(), { retention: false }).add(SUBJECT_PREDICATE, { subject });
    const pairs = await this.ch.query<{ action: string; organization_id: string }>(
      `SELECT DISTINCT action, organization_id FROM ${this.ch.tables.events} WHERE ${where} LIMIT 1000`,
      where.params,
      { settings: this.readSettings },
    );
    const firstLeaf = await this.log.leaves.firstOf(scope, { sql: `SELECT id FROM ${this.ch.tables.events} WHERE ${where}`, params: where.params });
    return { pairs: pairs.map((p) => ({ action: p.action, organizationId: p.organization_id })), firstLeaf };
  }

  /** Erasure: removes one subject's blind-index tokens (derived columns only; payloads and hashes stay). */
  async eraseSubjectTokens(scope: TenantScope, tag: string): Promise<void> {
    await this.ch.command(eraseSubjectTokens(this.ch.target), { tenant_id: scope.tenantId, tag });
  }

  /** Erasure with blank_context: empties the `ip` column and cuts context values out of `search_text` for the subject's own events received up to `untilMs`. */
  async blankSubjectContext(scope: TenantScope, subject: string, untilMs: number): Promise<void> {
    await this.ch.command(blankSubjectContext(this.ch.target), { tenant_id: scope.tenantId, subject, until: toClickhouseDateTime64(untilMs) });
  }

  /** Rows the scope's retention no longer keeps, not yet physically deleted. */
  async countExpired(scope: TenantScope, now = this.clock.now()): Promise<number> {
    const kept = retentionPredicate(scope, now);
    const rows = await this.ch.query<{ n: number }>(
      `SELECT count() AS n FROM ${this.ch.tables.events} WHERE tenant_id = {tenant_id:String} AND NOT (${kept.sql})`,
      { ...kept.params, tenant_id: scope.tenantId },
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Deletes what the scope's retention no longer keeps (the Merkle leaves stay). A lightweight
   * DELETE: the rows are gone from every read at once, their bytes until {@link purgeDeletedRows}.
   */
  async deleteExpired(scope: TenantScope, now = this.clock.now()): Promise<void> {
    const kept = retentionPredicate(scope, now);
    await this.ch.command(deleteExpiredEvents(this.ch.target, kept.sql), { ...kept.params, tenant_id: scope.tenantId });
  }

  /**
   * Physical deletion, install-wide (background work, deliberately not tenant-scoped): queues a
   * rewrite, without the masked rows, of every partition where lightweight DELETEs (retention,
   * tenant deletion) left rows on disk. Nothing is queued while an earlier rewrite of the table
   * still runs. Returns the partitions queued and, when skipped, what is still pending.
   */
  async purgeDeletedRows(): Promise<{ partitions: string[]; pending: number; failure?: string }> {
    const params = { database: this.ch.target.database, table: eventsDataTable(this.ch.target) };
    const [running] = await this.ch.query<{ n: number; failure: string }>(pendingMutations(this.ch.target), params);
    const pending = Number(running?.n ?? 0);
    if (pending > 0) return { partitions: [], pending, failure: running?.failure || undefined };
    const rows = await this.ch.query<{ partition_id: string }>(partitionsWithDeletedRows(this.ch.target), params);
    for (const r of rows) await this.ch.command(applyDeletedMask(this.ch.target, r.partition_id));
    return { partitions: rows.map((r) => r.partition_id), pending: 0 };
  }

  /**
   * Background work across tenants (the notice job): events flagged `privacy_notice` received
   * after the position, oldest first. Deliberately unscoped; the job scopes each row to its tenant.
   */
  async flaggedSince(flag: string, after: readonly [number, string], untilMs: number, limit: number): Promise<{ tenantId: string; id: string; receivedAtMs: number; payload: string }[]> {
    const rows = await this.ch.query<{ tenant_id: string; eid: string; r: number; payload: string }>(
      `SELECT tenant_id, toString(id) AS eid, toUnixTimestamp64Milli(received_at) AS r, payload FROM ${this.ch.tables.events}
WHERE received_at >= fromUnixTimestamp64Milli({after_r:Int64}, 'UTC') AND received_at <= fromUnixTimestamp64Milli({until_r:Int64}, 'UTC')
  AND has(flags, {flag:String})
  AND (received_at, id) > (fromUnixTimestamp64Milli({after_r:Int64}, 'UTC'), {after_id:UUID})
ORDER BY received_at, id LIMIT {limit:UInt32}`,
      { after_r: after[0], after_id: after[1], until_r: untilMs, flag, limit },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, id: r.eid, receivedAtMs: Number(r.r), payload: r.payload }));
  }

  /**
   * Background work across tenants: the metadata of every stored trail entry with this action
   * (the erasure reconciler reads the key ids of veritrail.privacy.subject_erased).
   */
  async trailMetadataAllTenants(action: `veritrail.${string}`, limit: number): Promise<{ tenantId: string; metadata: Record<string, unknown> }[]> {
    const rows = await this.ch.query<{ tenant_id: string; m: string }>(
      `SELECT tenant_id, JSONExtractRaw(payload, 'metadata') AS m FROM ${this.ch.tables.events} WHERE action = {action:String} ORDER BY received_at LIMIT {limit:UInt32}`,
      { action, limit },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, metadata: (r.m ? JSON.parse(r.m) : {}) as Record<string, unknown> }));
  }

  /** Removes every event of a tenant (the operator deletes the tenant; tenancy calls it through TenantDataRemovalRegistry). */
  async deleteTenant(scope: TenantScope): Promise<void> {
    for (const statement of deleteTenantEvents(this.ch.target)) await this.ch.command(statement, { tenant_id: scope.tenantId });
  }
}

/**
 * Tenant, retention and the match: the same predicates the alert filter applies in JavaScript
 * (window queries here, whole-range scans in EventScan).
 */
export function windowWhere(scope: TenantScope, m: EventMatch, now: number, p = ''): ScopedWhere {
  const where = new ScopedWhere(scope, now, { retention: true });
  // ClickHouse's match() is RE2: linear in the action, whatever the pattern (PEN-01).
  where.add(`match(action, {${p}f_actions:String})`, { [`${p}f_actions`]: m.actionsRe2 });
  where.add(`NOT startsWith(action, {${p}f_alert_prefix:String})`, { [`${p}f_alert_prefix`]: m.excludeActionPrefix });
  if (m.outcome !== undefined) where.add(`outcome = {${p}f_outcome:String}`, { [`${p}f_outcome`]: m.outcome });
  if (m.actorTypes !== undefined) where.add(`actor_type IN {${p}f_actor_types:Array(String)}`, { [`${p}f_actor_types`]: m.actorTypes });
  if (m.organizations !== undefined) where.add(`organization_id IN {${p}f_orgs:Array(String)}`, { [`${p}f_orgs`]: m.organizations });
  return where;
}

/** Tenant, retention, occurred_at in [from, to), never entries starting with `excludeActionPrefix`: the events a replay or a backtest reads. */
export function timeRangeWhere(scope: TenantScope, now: number, p: { fromMs: number; toMs: number; excludeActionPrefix: string }): ScopedWhere {
  const where = new ScopedWhere(scope, now, { retention: true });
  where.add(`NOT startsWith(action, {bt_exclude:String})`, { bt_exclude: p.excludeActionPrefix });
  where.add(`occurred_at >= fromUnixTimestamp64Milli({bt_from:Int64}, 'UTC')`, { bt_from: p.fromMs });
  where.add(`occurred_at < fromUnixTimestamp64Milli({bt_to:Int64}, 'UTC')`, { bt_to: p.toMs });
  return where;
}
