// Above ~400 lines on purpose: the events module's own queries on events_v1 (list, get,
// stats, export chunks) and the scoped WHERE builder they all use; apart, the tenant and
// retention predicate would have to be shared across files.
import { Inject, Injectable } from '@nestjs/common';
import { uuidv7Timestamp } from '../common/ids.js';
import { toClickhouseDateTime, toClickhouseDateTime64 } from '../common/time.js';
import { Clock } from '../common/clock.js';
import { EVENT_PRIVACY, type EventPrivacy } from './event-privacy.js';
import { contextErasureParams, derivedMismatchSql, UNPARSED, type ContextErasureBounds } from './derived-columns.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ClickHouseService, type QueryParams } from '../storage/clickhouse/clickhouse.service.js';
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
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { prefixPattern } from './action-pattern.js';

export interface EventFilters {
  organizationId?: string;
  actorId?: string;
  actorType?: string;
  /** actor.on_behalf_of.id (docs/api.md "Delegation"). */
  onBehalfOf?: string;
  /** actor.impersonator.id. */
  impersonator?: string;
  /** Events involving this id as actor, on_behalf_of or impersonator ("my activity"). */
  involving?: string;
  /** Exact action, or a prefix when `actionPrefix` is true (`user.*` → `user.`). */
  action?: string;
  actionPrefix?: boolean;
  /** Leave out this exact action, or every action starting with it when `excludeActionPrefix` is true. */
  excludeAction?: string;
  excludeActionPrefix?: boolean;
  targetId?: string;
  targetType?: string;
  outcome?: string;
  ip?: string;
  fromMs?: number;
  toMs?: number;
  /** Lower-cased terms; an event matches when its text contains every term. */
  terms?: string[];
  /** Blind-index token per term (same order): a term also matches an encrypted sensitive value. */
  termTokens?: string[];
  /** Blind-index token of `ip`, for events whose IP is encrypted. */
  ipToken?: string;
}

export interface PageRequest {
  limit: number;
  order: 'asc' | 'desc';
  /** Exclusive position: [occurred_at ms, id]. */
  after?: readonly [number, string];
}

export interface EventPageRow {
  payload: string;
  occurredAtMs: number;
  id: string;
  /** The tenant the row is stored under: the read path checks it is the reader's (PR-06, docs/security.md "Breach drill"). */
  tenantId: string;
}

export interface EventStats {
  total: number;
  byAction: { action: string; count: number }[];
  byOutcome: { outcome: string; count: number }[];
  byDay: { day: string; count: number }[];
}

/**
 * WHERE clause that starts with the scope's predicates — tenant, organization for
 * organization-scoped credentials, and the retention horizon — before anything else can be
 * added. The only way this repository builds a read.
 */
export class ScopedWhere {
  private readonly clauses: string[] = [];
  readonly params: QueryParams = {};

  constructor(scope: TenantScope, now: number, opts: { retention: boolean }) {
    this.add('tenant_id = {tenant_id:String}', { tenant_id: scope.tenantId });
    if (scope.organizationId !== undefined) this.add('organization_id = {scope_organization_id:String}', { scope_organization_id: scope.organizationId });
    // A viewer token's narrowing is part of the scope, not of the caller's filters: whatever
    // the browser asks for is ANDed with it.
    const n = scope.narrowing;
    // Narrowed to an actor ("my activity"): what they did and what was done on their behalf
    // (an agent or a colleague acting for them, actor.on_behalf_of). An impersonated session is
    // already theirs (actor = them, impersonator = who was at the keyboard).
    if (n?.actorId !== undefined) this.add('(actor_id = {scope_actor_id:String} OR on_behalf_of_id = {scope_actor_id:String})', { scope_actor_id: n.actorId });
    if (n?.actions?.length) {
      const params: QueryParams = {};
      const terms = n.actions.map((p, i) => {
        const { value, prefix } = prefixPattern(p);
        params[`scope_action_${i}`] = value;
        return actionMatch(`scope_action_${i}`, prefix);
      });
      this.add(`(${terms.join(' OR ')})`, params);
    }
    if (opts.retention) {
      // Expired rows vanish at once, whatever the retention job has or has not deleted yet.
      const kept = retentionPredicate(scope, now);
      this.add(kept.sql, kept.params);
    }
  }

  add(clause: string, params: QueryParams = {}): this {
    this.clauses.push(clause);
    Object.assign(this.params, params);
    return this;
  }

  toString(): string {
    return this.clauses.join('\n  AND ');
  }
}

/**
 * The rows a scope's retention keeps at `now`, as one SQL predicate: received within the
 * retention of their action (most specific override first, else the default), or belonging to
 * an organization under legal hold. A plain `received_at >=` bound on the longest retention
 * comes first so partitions and granules are pruned.
 */
export function retentionPredicate(scope: TenantScope, now: number): { sql: string; params: QueryParams } {
  const r = scope.retention;
  const horizon = (days: number) => toClickhouseDateTime64(now - days * 86_400_000);
  const params: QueryParams = { horizon: horizon(scope.retentionDays) };
  if (r.actions.length === 0 && r.heldOrganizations.length === 0) return { sql: 'received_at >= {horizon:DateTime64(3)}', params };
  let kept = 'received_at >= {horizon:DateTime64(3)}';
  if (r.actions.length > 0) {
    const arms = r.actions.map((a, i) => {
      params[`ret_action_${i}`] = a.action;
      params[`ret_horizon_${i}`] = horizon(a.days);
      return `${actionMatch(`ret_action_${i}`, a.prefix)}, {ret_horizon_${i}:DateTime64(3)}`;
    });
    kept = `received_at >= multiIf(${arms.join(', ')}, {horizon:DateTime64(3)})`;
    const longest = Math.max(scope.retentionDays, ...r.actions.map((a) => a.days));
    if (r.heldOrganizations.length === 0) kept = `received_at >= {ret_floor:DateTime64(3)} AND ${kept}`;
    params.ret_floor = horizon(longest);
  }
  if (r.heldOrganizations.length > 0) {
    params.ret_held = [...r.heldOrganizations];
    kept = `(${kept} OR organization_id IN {ret_held:Array(String)})`;
  }
  return { sql: kept, params };
}

/** SQL test of `action` against the String parameter `param`: equal, or starting with it. */
function actionMatch(param: string, prefix: boolean): string {
  return prefix ? `startsWith(action, {${param}:String})` : `action = {${param}:String}`;
}

/**
 * Events about a data subject: the subject acts, is acted for or impersonated by (a delegation
 * party), or is acted on. The trail's own veritrail.*
 * entries (which name subjects when they record erasures or access requests) are not the
 * subject's personal data and are left out.
 */
export const SUBJECT_PREDICATE =
  "(actor_id = {subject:String} OR on_behalf_of_id = {subject:String} OR impersonator_id = {subject:String} OR has(target_ids, {subject:String})) AND NOT startsWith(action, 'veritrail.')";

/** The only code that reads or deletes rows of the events table. */
@Injectable()
export class EventsRepository {
  private readonly readSettings: Record<string, number>;

  constructor(
    private readonly ch: ClickHouseService,
    @InjectConfig() config: AppConfig,
    private readonly clock: Clock,
    @Inject(EVENT_PRIVACY) private readonly personal: EventPrivacy,
  ) {
    // Reads are bounded server-side: a runaway query is cancelled and answered 504.
    this.readSettings = { max_execution_time: Math.ceil(config.clickhouse.requestTimeoutMs / 1000) };
  }

  async list(scope: TenantScope, filters: EventFilters, page: PageRequest, now = this.clock.now()): Promise<EventPageRow[]> {
    const q = buildListQuery(this.ch.tables.events, scope, this.blind(scope, filters), page, now);
    const rows = await this.ch.query<{ payload: string; ts: number; event_id: string; row_tenant: string }>(q.sql, q.params, { settings: this.readSettings });
    return rows.map((r) => ({ payload: r.payload, occurredAtMs: Number(r.ts), id: r.event_id, tenantId: r.row_tenant }));
  }

  async get(scope: TenantScope, id: string, receivedAroundMs: number | undefined, now = this.clock.now()): Promise<string | undefined> {
    const where = new ScopedWhere(scope, now, { retention: true }).add('id = {id:UUID}', { id });
    if (receivedAroundMs !== undefined) {
      // A UUIDv7 carries its creation time: bound received_at so only a few granules are read.
      where.add('received_at BETWEEN {rmin:DateTime64(3)} AND {rmax:DateTime64(3)}', {
        rmin: toClickhouseDateTime64(receivedAroundMs - 3_600_000),
        rmax: toClickhouseDateTime64(receivedAroundMs + 3_600_000),
      });
    }
    const rows = await this.ch.query<{ payload: string }>(
      `SELECT payload FROM ${this.ch.tables.events} WHERE ${where} LIMIT 1`,
      where.params,
      { settings: this.readSettings },
    );
    return rows[0]?.payload;
  }

  /**
   * Stored payloads, in their sealed form, of those of these events the scope can see, each with
   * the derived columns of its row that no longer match it (PEN-08; empty for an honest row) —
   * for the viewer's badge and for evidence. `receivedBetween` bounds the scan (default: the
   * ids' UUIDv7 times ± 1 h).
   */
  async sealedPayloads(
    scope: TenantScope,
    ids: readonly string[],
    opts: { receivedBetween?: readonly [number, number]; contextErasures?: ContextErasureBounds } = {},
    now = this.clock.now(),
  ): Promise<Map<string, { payload: string; mismatch: string[] }>> {
    if (ids.length === 0) return new Map();
    let [lo, hi] = opts.receivedBetween ?? [Infinity, -Infinity];
    if (!opts.receivedBetween) {
      for (const id of ids) {
        const t = uuidv7Timestamp(id) ?? now;
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
    }
    const where = new ScopedWhere(scope, now, { retention: true })
      .add('id IN {ids:Array(UUID)}', { ids })
      .add('received_at BETWEEN {rmin:DateTime64(3)} AND {rmax:DateTime64(3)}', {
        rmin: toClickhouseDateTime64(Math.max(0, lo - 3_600_000)),
        rmax: toClickhouseDateTime64(hi + 3_600_000),
      });
    const sql = `SELECT eid, payload, derived_mismatch AS mismatch FROM (
  SELECT toString(id) AS eid, payload, ${derivedMismatchSql()} FROM ${this.ch.tables.events} WHERE ${where})`;
    type Row = { eid: string; payload: string; mismatch: string[] };
    const params = { ...where.params, ...contextErasureParams(opts.contextErasures ?? new Map()) };
    let rows = await this.ch.query<Row>(sql, params, { settings: this.readSettings });
    // simdjson refuses integers beyond 64 bits; the slower parser reads them (as doubles).
    if (rows.some((r) => r.mismatch.includes(UNPARSED))) rows = await this.ch.query<Row>(sql, params, { settings: { ...this.readSettings, allow_simdjson: 0 } });
    const out = new Map<string, { payload: string; mismatch: string[] }>();
    for (const r of rows) {
      const seen = out.get(r.eid);
      // A second row with the same id is a copy someone added.
      if (seen) seen.mismatch = [...new Set([...seen.mismatch, ...r.mismatch, 'duplicated'])];
      else out.set(r.eid, { payload: r.payload, mismatch: r.mismatch });
    }
    return out;
  }

  async stats(scope: TenantScope, filters: EventFilters, now = this.clock.now()): Promise<EventStats> {
    const where = new ScopedWhere(scope, now, { retention: true });
    applyFilters(where, this.blind(scope, filters));
    const from = `FROM ${this.ch.tables.events} WHERE ${where}`;
    const opts = { settings: this.readSettings };
    const [byAction, byOutcome, byDay] = await Promise.all([
      this.ch.query<{ action: string; n: number }>(`SELECT action, count() AS n ${from} GROUP BY action ORDER BY n DESC, action LIMIT 100`, where.params, opts),
      this.ch.query<{ outcome_name: string; n: number }>(`SELECT toString(outcome) AS outcome_name, count() AS n ${from} GROUP BY outcome_name ORDER BY outcome_name`, where.params, opts),
      this.ch.query<{ day: string; n: number }>(`SELECT toString(toDate(occurred_at, 'UTC')) AS day, count() AS n ${from} GROUP BY day ORDER BY day`, where.params, opts),
    ]);
    const outcomes = byOutcome.map((r) => ({ outcome: r.outcome_name, count: Number(r.n) }));
    return {
      total: outcomes.reduce((sum, r) => sum + r.count, 0),
      byAction: byAction.map((r) => ({ action: r.action, count: Number(r.n) })),
      byOutcome: outcomes,
      byDay: byDay.map((r) => ({ day: r.day, count: Number(r.n) })),
    };
  }

  /**
   * Events per bucket of occurred_at (width in ms, aligned to the Unix epoch) and outcome, for
   * the viewer's histogram: the same scope, filters and server-side time limit as a list.
   */
  async histogram(scope: TenantScope, filters: EventFilters, widthMs: number, now = this.clock.now()): Promise<{ startMs: number; outcome: string; n: number }[]> {
    const where = new ScopedWhere(scope, now, { retention: true });
    applyFilters(where, this.blind(scope, filters));
    const rows = await this.ch.query<{ b: number; o: string; n: number }>(
      `SELECT intDiv(toUnixTimestamp64Milli(occurred_at), {width:Int64}) * {width:Int64} AS b, toString(outcome) AS o, count() AS n
FROM ${this.ch.tables.events} WHERE ${where} GROUP BY b, o ORDER BY b, o`,
      { ...where.params, width: widthMs },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ startMs: Number(r.b), outcome: r.o, n: Number(r.n) }));
  }

  /**
   * Events per time bucket of occurred_at (bucket width in ms) for an export snapshot: rows
   * received up to `snapshotMs`, retention as of then. `within` narrows to [from, to).
   */
  async exportHistogram(scope: TenantScope, filters: EventFilters, snapshotMs: number, widthMs: number, within?: readonly [number, number]): Promise<{ startMs: number; n: number }[]> {
    const where = exportWhere(scope, this.blind(scope, filters), snapshotMs, within);
    const rows = await this.ch.query<{ b: number; n: number }>(
      `SELECT intDiv(toUnixTimestamp64Milli(occurred_at), {width:Int64}) * {width:Int64} AS b, count() AS n
FROM ${this.ch.tables.events} WHERE ${where} GROUP BY b ORDER BY b`,
      { ...where.params, width: widthMs },
      { settings: this.readSettings },
    );
    return rows.map((r) => ({ startMs: Number(r.b), n: Number(r.n) }));
  }

  async exportCount(scope: TenantScope, filters: EventFilters, snapshotMs: number): Promise<number> {
    const where = exportWhere(scope, this.blind(scope, filters), snapshotMs);
    const rows = await this.ch.query<{ n: number }>(`SELECT count() AS n FROM ${this.ch.tables.events} WHERE ${where}`, where.params, { settings: this.readSettings });
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * The stored payloads of an export snapshot with occurred_at in [from, to), in (occurred_at,
   * id) order, as text: one canonical JSON per line, exactly as stored (TabSeparatedRaw does
   * not escape, and canonical JSON has no raw line breaks or tabs). '' when there are none.
   */
  async exportChunk(scope: TenantScope, filters: EventFilters, snapshotMs: number, range: readonly [number, number]): Promise<string> {
    const where = exportWhere(scope, this.blind(scope, filters), snapshotMs, range);
    return this.ch.queryText(`SELECT payload FROM ${this.ch.tables.events} WHERE ${where} ORDER BY occurred_at, id`, where.params, {
      format: 'TabSeparatedRaw',
      settings: this.readSettings,
    });
  }

  /**
   * Which of these events are already stored (ignoring retention): used when a retried
   * request takes over an idempotency key whose first attempt died mid-write.
   */
  async existingIds(scope: TenantScope, probes: { id: string; organizationId: string; occurredAtMs: number }[]): Promise<Set<string>> {
    if (probes.length === 0) return new Set();
    const times = probes.map((p) => p.occurredAtMs);
    const where = new ScopedWhere(scope, this.clock.now(), { retention: false })
      .add('organization_id IN {orgs:Array(String)}', { orgs: [...new Set(probes.map((p) => p.organizationId))] })
      .add("occurred_at BETWEEN fromUnixTimestamp64Milli({tmin:Int64}, 'UTC') AND fromUnixTimestamp64Milli({tmax:Int64}, 'UTC')", {
        tmin: Math.min(...times),
        tmax: Math.max(...times),
      })
      .add('id IN {ids:Array(UUID)}', { ids: probes.map((p) => p.id) });
    const rows = await this.ch.query<{ event_id: string }>(`SELECT toString(id) AS event_id FROM ${this.ch.tables.events} WHERE ${where}`, where.params);
    return new Set(rows.map((r) => r.event_id));
  }

  /** `q` and `ip` also match encrypted sensitive values, through their blind-index tokens (src/privacy). */
  private blind(scope: TenantScope, filters: EventFilters): EventFilters {
    return filters.terms !== undefined || filters.ip !== undefined ? this.personal.blind(scope, filters) : filters;
  }
}

/**
 * The statement behind GET /v1/events, as a pure function: the repository runs it, and the
 * benchmark runs the very same SQL directly on ClickHouse as its reference.
 */
export function buildListQuery(table: string, scope: TenantScope, filters: EventFilters, page: PageRequest, now: number): { sql: string; params: QueryParams } {
  const where = new ScopedWhere(scope, now, { retention: true });
  applyFilters(where, filters);
  const dir = page.order === 'asc' ? 'ASC' : 'DESC';
  if (page.after) {
    const op = page.order === 'asc' ? '>' : '<';
    // The redundant occurred_at bound lets the primary index prune; the tuple decides ties.
    where.add(`occurred_at ${op}= fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC')`, { after_ts: page.after[0], after_id: page.after[1] });
    where.add(`(occurred_at, id) ${op} (fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC'), {after_id:UUID})`);
  }
  const sql = `SELECT payload, toUnixTimestamp64Milli(occurred_at) AS ts, toString(id) AS event_id, toString(tenant_id) AS row_tenant
FROM ${table}
WHERE ${where}
ORDER BY occurred_at ${dir}, id ${dir}
LIMIT {limit:UInt32}`;
  return { sql, params: { ...where.params, limit: page.limit } };
}

/** An export snapshot: what the scope could read at `snapshotMs`, received up to then, matching the filters. */
function exportWhere(scope: TenantScope, filters: EventFilters, snapshotMs: number, range?: readonly [number, number]): ScopedWhere {
  const where = new ScopedWhere(scope, snapshotMs, { retention: true });
  applyFilters(where, filters);
  where.add('received_at <= {snapshot:DateTime64(3)}', { snapshot: toClickhouseDateTime64(snapshotMs) });
  if (range) {
    where.add("occurred_at >= fromUnixTimestamp64Milli({range_from:Int64}, 'UTC')", { range_from: range[0] });
    where.add("occurred_at < fromUnixTimestamp64Milli({range_to:Int64}, 'UTC')", { range_to: range[1] });
  }
  return where;
}

export function applyFilters(where: ScopedWhere, f: EventFilters): void {
  if (f.organizationId !== undefined) where.add('organization_id = {organization_id:String}', { organization_id: f.organizationId });
  if (f.actorId !== undefined) where.add('actor_id = {actor_id:String}', { actor_id: f.actorId });
  if (f.actorType !== undefined) where.add('actor_type = {actor_type:String}', { actor_type: f.actorType });
  if (f.onBehalfOf !== undefined) where.add('on_behalf_of_id = {on_behalf_of:String}', { on_behalf_of: f.onBehalfOf });
  if (f.impersonator !== undefined) where.add('impersonator_id = {impersonator:String}', { impersonator: f.impersonator });
  if (f.involving !== undefined) {
    where.add('(actor_id = {involving:String} OR on_behalf_of_id = {involving:String} OR impersonator_id = {involving:String})', { involving: f.involving });
  }
  if (f.action !== undefined) {
    if (f.actionPrefix) where.add('startsWith(action, {action:String})', { action: f.action });
    else where.add('action = {action:String}', { action: f.action });
  }
  if (f.excludeAction !== undefined) {
    if (f.excludeActionPrefix) where.add('NOT startsWith(action, {exclude_action:String})', { exclude_action: f.excludeAction });
    else where.add('action != {exclude_action:String}', { exclude_action: f.excludeAction });
  }
  if (f.targetId !== undefined) where.add('has(target_ids, {target_id:String})', { target_id: f.targetId });
  if (f.targetType !== undefined) where.add('has(target_types, {target_type:String})', { target_type: f.targetType });
  if (f.outcome !== undefined) where.add('outcome = {outcome:String}', { outcome: f.outcome });
  if (f.ip !== undefined) {
    if (f.ipToken !== undefined) where.add('(ip = {ip:String} OR has(pii_tokens, {ip_token:String}))', { ip: f.ip, ip_token: f.ipToken });
    else where.add('ip = {ip:String}', { ip: f.ip });
  }
  if (f.fromMs !== undefined) where.add("occurred_at >= fromUnixTimestamp64Milli({from_ts:Int64}, 'UTC')", { from_ts: f.fromMs });
  if (f.toMs !== undefined) where.add("occurred_at < fromUnixTimestamp64Milli({to_ts:Int64}, 'UTC')", { to_ts: f.toMs });
  f.terms?.forEach((term, i) => {
    const token = f.termTokens?.[i];
    if (token !== undefined) {
      where.add(`(search_text LIKE {term_${i}:String} OR has(pii_tokens, {term_token_${i}:String}))`, { [`term_${i}`]: `%${escapeLike(term)}%`, [`term_token_${i}`]: token });
    } else where.add(`search_text LIKE {term_${i}:String}`, { [`term_${i}`]: `%${escapeLike(term)}%` });
  });
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
