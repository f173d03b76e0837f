import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { timeRangeWhere, windowWhere, type DistinctValue, type EventMatch, type WindowKey } from './event-log.service.js';
import { ScopedWhere } from './events.repository.js';

/** Column of the key per group_by (an allow-list, as in EventLog). */
const KEY_COLUMN: Record<WindowKey, string> = { actor: 'actor_id', ip: 'ip', organization: 'organization_id', action: 'action' };
const DISTINCT_COLUMN: Record<DistinctValue, string> = { target: 'dv', ip: 'ip', actor: 'actor_id' };

/** An event as the columns rules other than Sigma rules read (no payload parsed). */
export interface ColumnEvent {
  id: string;
  t: number;
  receivedAtMs: number;
  action: string;
  outcome: string;
  actorType: string;
  actorId: string;
  ip: string;
  organizationId: string;
  userAgent: string;
}

/** A firing (or a matching event) of a range scan, with the columns an alert is built from. */
export interface ScanRow {
  key: string;
  t: number;
  eventId: string;
  /** Events (or distinct values, or failures) in the window ending there; 1 for plain matches. */
  count: number;
  action: string;
  outcome: string;
  actorType: string;
  actorId: string;
  ip: string;
  organizationId: string;
}

export interface RangeWindowSpec {
  kind: 'threshold' | 'sequence';
  match: EventMatch;
  groupBy: WindowKey;
  distinct?: DistinctValue;
  windowMs: number;
  count: number;
  /** Events that fire occur in [from, to); windows reach back `windowMs` before `from`. */
  fromMs: number;
  toMs: number;
  maxRows: number;
}

/**
 * Whole-range scans of `events_v1` for backtests: where live evaluation walks the log in steps
 * and reads each step's payloads, a backtest of a threshold, sequence or volume rule needs only
 * a few columns over a time range, and ClickHouse can count the windows of the whole range in
 * one statement. Rows come back already reduced to the firings (or per key and hour), never
 * the payloads, so nothing is parsed, decrypted or revealed per event. The predicates are the
 * ones EventLog's window queries apply (tenant first, retention, the rule's filter, never the
 * alerts' own trail entries), with bound parameters only.
 */
@Injectable()
export class EventScan {
  private readonly readSettings: Record<string, number>;

  constructor(
    private readonly ch: ClickHouseService,
    @InjectConfig() config: AppConfig,
  ) {
    this.readSettings = { max_execution_time: Math.ceil(config.clickhouse.requestTimeoutMs / 1000) };
  }

  /**
   * Events in [from, to) other than those starting with `excludeActionPrefix` (what a backtest
   * scans), and, when there are more than `limit`, the occurred_at (exclusive) up to which the
   * first `limit` of them (by occurred_at, id) reach without splitting an instant.
   */
  async rangeCount(scope: TenantScope, p: { fromMs: number; toMs: number; excludeActionPrefix: string; limit: number }, now: number): Promise<{ events: number; cutMs?: number; cutEvents?: number }> {
    const where = this.rangeWhere(scope, now, p);
    const [c] = await this.ch.query<{ n: number }>(`SELECT count() AS n FROM ${this.ch.tables.events} WHERE ${where}`, where.params, { settings: this.readSettings });
    const events = Number(c?.n ?? 0);
    if (events <= p.limit) return { events };
    // The limit-th and the next event: a cut between two instants, or before the limit-th's instant when they share it.
    const rows = await this.ch.query<{ t: number }>(
      `SELECT toUnixTimestamp64Milli(occurred_at) AS t FROM ${this.ch.tables.events} WHERE ${where} ORDER BY occurred_at, id LIMIT 2 OFFSET {scan_offset:UInt64}`,
      { ...where.params, scan_offset: Math.max(0, p.limit - 1) },
      { settings: this.readSettings },
    );
    const last = Number(rows[0]!.t);
    const next = Number(rows[1]!.t);
    const cutMs = p.limit === 0 ? p.fromMs : next > last ? last + 1 : last;
    const before = this.rangeWhere(scope, now, { ...p, toMs: cutMs });
    const [b] = await this.ch.query<{ n: number }>(`SELECT count() AS n FROM ${this.ch.tables.events} WHERE ${before}`, before.params, { settings: this.readSettings });
    return { events, cutMs, cutEvents: Number(b?.n ?? 0) };
  }

  /**
   * Every firing of a threshold (count > 1) or sequence rule in [from, to), in one statement:
   * the same window functions as EventLog.windowFirings over the whole range (history from
   * `windowMs` before it), keeping the events of the range whose window reaches the count
   * (thresholds) or the successes preceded by enough failures (sequences). Ordered by time and
   * id; an event repeated by the ARRAY JOIN of targets comes back once per target.
   */
  async windowFiringsInRange(scope: TenantScope, p: RangeWindowSpec, now: number): Promise<ScanRow[]> {
    const key = KEY_COLUMN[p.groupBy];
    const where = this.matchWhere(scope, p.kind === 'sequence' ? { ...p.match, outcome: undefined } : p.match, now);
    if (p.kind === 'sequence') where.add("outcome IN ('failure', 'success')");
    where.add(`${key} != ''`);
    this.addRange(where, { fromMs: p.fromMs - p.windowMs, toMs: p.toMs });
    const frame = 'WINDOW w AS (PARTITION BY k ORDER BY t RANGE BETWEEN {scan_window:UInt64} PRECEDING AND CURRENT ROW)';
    const cols = `toString(id) AS eid, action AS a, outcome AS oc, actor_type AS aty, actor_id AS aid, ip AS i, organization_id AS o`;
    const distinct = p.distinct ? DISTINCT_COLUMN[p.distinct] : undefined;
    const counted =
      p.kind === 'sequence'
        ? `countIf(outcome = 'failure') OVER w AS c`
        : `${distinct ? `uniqExact(${distinct})` : 'count()'} OVER w AS c`;
    const keep = p.kind === 'sequence' ? `oc = 'success' AND c >= {scan_n:UInt64}` : `c >= {scan_n:UInt64}`;
    const rows = await this.ch.query<{ k: string; t: number; eid: string; c: number; a: string; oc: string; aty: string; aid: string; i: string; o: string }>(
      `SELECT k, t, eid, c, a, oc, aty, aid, i, o FROM (
  SELECT ${key} AS k, toUnixTimestamp64Milli(occurred_at) AS t, ${cols}, ${counted}
  FROM ${this.ch.tables.events} ${p.distinct === 'target' && p.kind === 'threshold' ? 'ARRAY JOIN target_ids AS dv' : ''}
  WHERE ${where}
  ${frame}
) WHERE ${keep} AND t >= {scan_from_fire:Int64}
ORDER BY t, eid
LIMIT {scan_max:UInt32}`,
      { ...where.params, scan_window: p.windowMs, scan_n: p.count, scan_from_fire: p.fromMs, scan_max: p.maxRows },
      { settings: this.readSettings },
    );
    return rows.map(toScanRow);
  }

  /** The matching events (with a key) in [from, to), by time and id: the firings of a rule that fires on every matching event. */
  async matchesInRange(scope: TenantScope, p: { match: EventMatch; groupBy: WindowKey; fromMs: number; toMs: number; maxRows: number }, now: number): Promise<ScanRow[]> {
    const key = KEY_COLUMN[p.groupBy];
    const where = this.matchWhere(scope, p.match, now);
    where.add(`${key} != ''`);
    this.addRange(where, p);
    const rows = await this.ch.query<{ k: string; t: number; eid: string; c: number; a: string; oc: string; aty: string; aid: string; i: string; o: string }>(
      `SELECT ${key} AS k, toUnixTimestamp64Milli(occurred_at) AS t, toString(id) AS eid, 1 AS c, action AS a, outcome AS oc, actor_type AS aty, actor_id AS aid, ip AS i, organization_id AS o
FROM ${this.ch.tables.events}
WHERE ${where}
ORDER BY occurred_at, id
LIMIT {scan_max:UInt32}`,
      { ...where.params, scan_max: p.maxRows },
      { settings: this.readSettings },
    );
    return rows.map(toScanRow);
  }

  /**
   * Matching events per key and clock hour in [from, to) (every key, not only some): the
   * hourly counts a volume rule's baseline and hours are made of, in one read for a whole range.
   */
  async hourCounts(scope: TenantScope, p: { match: EventMatch; groupBy: WindowKey; fromMs: number; toMs: number; maxRows: number }, now: number): Promise<{ key: string; hourMs: number; n: number }[]> {
    const key = KEY_COLUMN[p.groupBy];
    const where = this.matchWhere(scope, p.match, now);
    where.add(`${key} != ''`);
    this.addRange(where, p);
    const rows = await this.ch.query<{ k: string; h: number; n: number }>(
      `SELECT ${key} AS k, intDiv(toUnixTimestamp64Milli(occurred_at), 3600000) * 3600000 AS h, count() AS n
FROM ${this.ch.tables.events}
WHERE ${where}
GROUP BY k, h
ORDER BY k, h
LIMIT {scan_max:UInt32}`,
      { ...where.params, scan_max: p.maxRows },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ key: r.k, hourMs: Number(r.h), n: Number(r.n) }));
  }

  /**
   * The `rank`-th matching event (by occurred_at, id; 1 = first) of each (key, clock hour)
   * asked: the event at which a volume rule's hour reached its count.
   */
  async rankedInHours(scope: TenantScope, p: { match: EventMatch; groupBy: WindowKey; hours: { key: string; hourMs: number; rank: number }[] }, now: number): Promise<ScanRow[]> {
    if (p.hours.length === 0) return [];
    const key = KEY_COLUMN[p.groupBy];
    const where = this.matchWhere(scope, p.match, now);
    where.add(`${key} IN {scan_keys:Array(String)}`, { scan_keys: [...new Set(p.hours.map((h) => h.key))] });
    where.add(`intDiv(toUnixTimestamp64Milli(occurred_at), 3600000) * 3600000 IN {scan_hours:Array(Int64)}`, { scan_hours: [...new Set(p.hours.map((h) => h.hourMs))] });
    const wanted = p.hours.map((h) => `${h.key}|${h.hourMs}|${h.rank}`);
    const rows = await this.ch.query<{ k: string; t: number; eid: string; c: number; a: string; oc: string; aty: string; aid: string; i: string; o: string }>(
      `SELECT k, t, eid, rn AS c, a, oc, aty, aid, i, o FROM (
  SELECT ${key} AS k, toUnixTimestamp64Milli(occurred_at) AS t, toString(id) AS eid, action AS a, outcome AS oc, actor_type AS aty, actor_id AS aid, ip AS i, organization_id AS o,
    row_number() OVER (PARTITION BY k, intDiv(t, 3600000) ORDER BY t, id) AS rn
  FROM ${this.ch.tables.events}
  WHERE ${where}
) WHERE concat(k, '|', toString(intDiv(t, 3600000) * 3600000), '|', toString(rn)) IN {scan_wanted:Array(String)}
ORDER BY t, eid`,
      { ...where.params, scan_wanted: wanted },
      { settings: this.readSettings },
    );
    return rows.map(toScanRow);
  }

  /**
   * A page of the scope's events with occurred_at in [from, to), in (occurred_at, id) order after
   * `after` — EventLog.eventsByTime without the payloads: the fields a rule other than a Sigma
   * rule looks at, as columns (context.ip and .user_agent as the payload has them), so a replay
   * neither ships nor parses each event's JSON.
   */
  async eventsByTimeColumns(
    scope: TenantScope,
    p: { fromMs: number; toMs: number; after?: readonly [number, string]; excludeActionPrefix: string; limit: number },
    now: number,
  ): Promise<ColumnEvent[]> {
    const where = this.rangeWhere(scope, now, p);
    if (p.after) {
      where.add(`(occurred_at, id) > (fromUnixTimestamp64Milli({scan_after_t:Int64}, 'UTC'), toUUID({scan_after_id:String}))`, { scan_after_t: p.after[0], scan_after_id: p.after[1] });
    }
    return this.columnEvents(where, p.limit);
  }

  /**
   * The matching events (with a key) in [from, to), by occurred_at and id, as the columns of
   * {@link eventsByTimeColumns}: what a backtest of a rule judged event by event against history
   * judges. At most `maxRows`.
   */
  async matchingEventColumns(scope: TenantScope, p: { match: EventMatch; groupBy: WindowKey; fromMs: number; toMs: number; maxRows: number }, now: number): Promise<ColumnEvent[]> {
    const where = this.matchWhere(scope, p.match, now);
    where.add(`${KEY_COLUMN[p.groupBy]} != ''`);
    this.addRange(where, p);
    return this.columnEvents(where, p.maxRows);
  }

  private async columnEvents(where: ScopedWhere, limit: number): Promise<ColumnEvent[]> {
    const rows = await this.ch.query<{ eid: string; t: number; r: number; a: string; oc: string; aty: string; aid: string; i: string; o: string; ua: string }>(
      `SELECT toString(id) AS eid, toUnixTimestamp64Milli(occurred_at) AS t, toUnixTimestamp64Milli(received_at) AS r, action AS a, outcome AS oc, actor_type AS aty, actor_id AS aid,
  JSONExtractString(payload, 'context', 'ip') AS i, organization_id AS o, JSONExtractString(payload, 'context', 'user_agent') AS ua
FROM ${this.ch.tables.events}
WHERE ${where}
ORDER BY occurred_at, id
LIMIT {scan_limit:UInt32}`,
      { ...where.params, scan_limit: limit },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ id: r.eid, t: Number(r.t), receivedAtMs: Number(r.r), action: r.a, outcome: r.oc, actorType: r.aty, actorId: r.aid, ip: r.i, organizationId: r.o, userAgent: r.ua }));
  }

  private rangeWhere(scope: TenantScope, now: number, p: { fromMs: number; toMs: number; excludeActionPrefix: string }): ScopedWhere {
    return timeRangeWhere(scope, now, p);
  }

  /** Tenant, retention and the match: the predicates of EventLog's window queries (and of the alert filter in JavaScript). */
  private matchWhere(scope: TenantScope, m: EventMatch, now: number): ScopedWhere {
    return windowWhere(scope, m, now);
  }

  /** occurred_at in [from, to). */
  private addRange(where: ScopedWhere, p: { fromMs: number; toMs: number }): void {
    where.add(`occurred_at >= fromUnixTimestamp64Milli({scan_from:Int64}, 'UTC')`, { scan_from: p.fromMs });
    where.add(`occurred_at < fromUnixTimestamp64Milli({scan_to:Int64}, 'UTC')`, { scan_to: p.toMs });
  }
}

function toScanRow(r: { k: string; t: number; eid: string; c: number; a: string; oc: string; aty: string; aid: string; i: string; o: string }): ScanRow {
  return { key: r.k, t: Number(r.t), eventId: r.eid, count: Number(r.c), action: r.a, outcome: r.oc, actorType: r.aty, actorId: r.aid, ip: r.i, organizationId: r.o };
}
