// Above ~400 lines on purpose: the SQL on checkpoints, log_heads and merkle_nodes_v1;
// sealing, proofs and verification all read through the same committed-checkpoint bound,
// which one file keeps consistent.
import { Injectable } from '@nestjs/common';
import { toClickhouseDateTime64 } from '../common/time.js';
import type { ClickHouseSettings } from '@clickhouse/client';
import { contextErasureParams, UNPARSED, type ContextErasureBounds } from '../events/derived-columns.js';
import { EventLog, type SqlFragment } from '../events/event-log.service.js';
import type { LogLeaf } from '../events/log-leaves.js';
import { heldLeaseSql } from '../jobs/lease-fence.js';
import { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { NodeRef } from './merkle.js';

export interface CheckpointRecord {
  tenantId: string;
  number: number;
  treeSize: number;
  root: string;
  prevHash: string | null;
  frontier: string[];
  watermarkMs: number;
  kid: string;
  jws: string;
  sealedAt: Date;
  /** The log head this checkpoint signs: its nodes are those with `checkpoint <= logNumber`. */
  logNumber: number;
}

/**
 * The committed end of a tenant's Merkle log. Appends (every LOG_APPEND_INTERVAL) move it;
 * a checkpoint signs it (every SEAL_INTERVAL). Nodes with `checkpoint <= number` are committed.
 */
export interface LogHeadRecord {
  tenantId: string;
  number: number;
  treeSize: number;
  root: string;
  frontier: string[];
  watermarkMs: number;
  appendedAt: Date;
}

export interface LeafCandidate {
  eventId: string;
  receivedAtMs: number;
  /** SHA-256(0x00 ‖ payload) computed by ClickHouse from the stored payload. */
  leafHash: string;
}

export interface NodeRow {
  level: number;
  idx: number;
  hash: string;
  eventId?: string;
  receivedAtMs?: number;
  checkpoint: number;
}

export interface StoredLeaf {
  idx: number;
  eventId: string;
  hash: string;
  receivedAtMs: number;
}

/** A leaf as verification sees it: its stored event intact, gone, changed, or with rewritten columns. */
export interface VerifiedLeaf {
  idx: number;
  hash: string;
  /** Set unless the state is ok. */
  eventId: string;
  state: 'ok' | 'missing' | 'modified' | 'columns';
  /** The derived columns that no longer match the payload (state columns). */
  mismatch: string[];
}
const LEAF_STATES = ['ok', 'missing', 'modified', 'columns'] as const;

type CheckpointRow = {
  tenantId: string;
  number: number;
  treeSize: bigint;
  rootHash: string;
  prevHash: string | null;
  frontier: string[];
  watermark: Date;
  kid: string;
  jws: string;
  sealedAt: Date;
  logNumber: number;
};

function toRecord(r: CheckpointRow): CheckpointRecord {
  return {
    tenantId: r.tenantId,
    number: r.number,
    treeSize: Number(r.treeSize),
    root: r.rootHash,
    prevHash: r.prevHash,
    frontier: r.frontier,
    watermarkMs: r.watermark.getTime(),
    kid: r.kid,
    jws: r.jws,
    sealedAt: r.sealedAt,
    logNumber: r.logNumber,
  };
}

function toHead(r: { tenantId: string; number: number; treeSize: bigint; rootHash: string; frontier: string[]; watermark: Date; appendedAt: Date }): LogHeadRecord {
  return {
    tenantId: r.tenantId,
    number: r.number,
    treeSize: Number(r.treeSize),
    root: r.rootHash,
    frontier: r.frontier,
    watermarkMs: r.watermark.getTime(),
    appendedAt: r.appendedAt,
  };
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Checkpoints (PostgreSQL) and Merkle nodes (ClickHouse). Every method takes the tenant scope
 * first; node reads only ever see nodes of committed checkpoints (`checkpoint <= committed`).
 */
@Injectable()
export class IntegrityRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly ch: ClickHouseService,
    private readonly eventLog: EventLog,
  ) {}

  // ------------------------------------------------------------ checkpoints

  async latestCheckpoint(scope: TenantScope): Promise<CheckpointRecord | undefined> {
    const row = await this.prisma.checkpoint.findFirst({ where: { tenantId: scope.tenantId }, orderBy: { number: 'desc' } });
    return row ? toRecord(row) : undefined;
  }

  async checkpoint(scope: TenantScope, number: number): Promise<CheckpointRecord | undefined> {
    const row = await this.prisma.checkpoint.findUnique({ where: { tenantId_number: { tenantId: scope.tenantId, number } } });
    return row ? toRecord(row) : undefined;
  }

  /** The checkpoint of exactly this tree size (sizes grow with every checkpoint, so at most one). */
  async checkpointBySize(scope: TenantScope, treeSize: number): Promise<CheckpointRecord | undefined> {
    const row = await this.prisma.checkpoint.findFirst({ where: { tenantId: scope.tenantId, treeSize: BigInt(treeSize) } });
    return row ? toRecord(row) : undefined;
  }

  async checkpoints(scope: TenantScope, opts: { afterNumber?: number; limit: number; order: 'asc' | 'desc' }): Promise<CheckpointRecord[]> {
    const rows = await this.prisma.checkpoint.findMany({
      where: {
        tenantId: scope.tenantId,
        ...(opts.afterNumber !== undefined ? { number: opts.order === 'asc' ? { gt: opts.afterNumber } : { lt: opts.afterNumber } } : {}),
      },
      orderBy: { number: opts.order },
      take: opts.limit,
    });
    return rows.map(toRecord);
  }

  /**
   * Commits a checkpoint only while `holder` still holds the lease `leaseKey` — the fencing
   * token that keeps two sealers from both committing (see the job runner). Returns false when
   * the lease was lost or the number already exists.
   */
  async commitCheckpoint(scope: TenantScope, c: Omit<CheckpointRecord, 'tenantId'>, lease: { key: string; holder: string }): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<{ number: number }[]>(
      `INSERT INTO checkpoints (tenant_id, number, tree_size, root_hash, prev_hash, frontier, watermark, kid, jws, sealed_at, log_number)
       SELECT $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, $12, $13
       WHERE EXISTS (${heldLeaseSql('$1', '$2')})
       ON CONFLICT (tenant_id, number) DO NOTHING
       RETURNING number`,
      lease.key, lease.holder,
      scope.tenantId, c.number, BigInt(c.treeSize), c.root, c.prevHash, c.frontier,
      new Date(c.watermarkMs), c.kid, c.jws, c.sealedAt, c.logNumber,
    );
    return rows.length === 1;
  }

  // ------------------------------------------------------------ log heads

  /** The committed end of the tenant's log, or undefined before its first append. */
  async head(scope: TenantScope): Promise<LogHeadRecord | undefined> {
    const row = await this.prisma.logHead.findUnique({ where: { tenantId: scope.tenantId } });
    return row ? toHead(row) : undefined;
  }

  /**
   * Moves the tenant's head from number `h.number - 1` to `h` — only while `holder` still holds
   * the lease (the fencing token) and the head is still where this append started. Returns
   * false otherwise (the nodes inserted for `h` are then uncommitted and removed by the next append).
   */
  async commitHead(scope: TenantScope, h: Omit<LogHeadRecord, 'tenantId'>, lease: { key: string; holder: string }): Promise<boolean> {
    const values = [BigInt(h.treeSize), h.root, h.frontier, new Date(h.watermarkMs), h.appendedAt] as const;
    const rows =
      h.number === 1
        ? await this.prisma.$queryRawUnsafe<{ number: number }[]>(
            `INSERT INTO log_heads (tenant_id, number, tree_size, root_hash, frontier, watermark, appended_at)
             SELECT $3, 1, $4, $5, $6::text[], $7, $8
             WHERE EXISTS (${heldLeaseSql('$1', '$2')})
             ON CONFLICT (tenant_id) DO NOTHING
             RETURNING number`,
            lease.key, lease.holder, scope.tenantId, ...values,
          )
        : await this.prisma.$queryRawUnsafe<{ number: number }[]>(
            `UPDATE log_heads SET number = $4, tree_size = $5, root_hash = $6, frontier = $7::text[], watermark = $8, appended_at = $9
             WHERE tenant_id = $3 AND number = $10
               AND EXISTS (${heldLeaseSql('$1', '$2')})
             RETURNING number`,
            lease.key, lease.holder, scope.tenantId, h.number, ...values, h.number - 1,
          );
    return rows.length === 1;
  }

  /**
   * Tenants whose head is ahead of their newest checkpoint, with that checkpoint's signing time
   * (undefined: never signed). Background work across tenants (what the signer visits).
   */
  async unsignedHeads(): Promise<{ tenantId: string; lastSealedAtMs: number | undefined }[]> {
    const rows = await this.prisma.$queryRaw<{ tenant_id: string; sealed_at: Date | null }[]>`
      SELECT h.tenant_id, c.sealed_at FROM log_heads h
      LEFT JOIN LATERAL (SELECT tree_size, sealed_at FROM checkpoints WHERE tenant_id = h.tenant_id ORDER BY number DESC LIMIT 1) c ON true
      WHERE h.tree_size > coalesce(c.tree_size, 0)`;
    return rows.map((r) => ({ tenantId: r.tenant_id, lastSealedAtMs: r.sealed_at?.getTime() }));
  }

  /** The newest checkpoint whose watermark (every leaf's receipt-time bound) is before `ms`. */
  async lastCheckpointReceivedBefore(scope: TenantScope, ms: number): Promise<CheckpointRecord | undefined> {
    const row = await this.prisma.checkpoint.findFirst({ where: { tenantId: scope.tenantId, watermark: { lt: new Date(ms) } }, orderBy: { number: 'desc' } });
    return row ? toRecord(row) : undefined;
  }

  /** Watermark (newest sealed received_at) per tenant, for every tenant with a checkpoint. */
  async watermarks(): Promise<Map<string, number>> {
    const rows = await this.prisma.$queryRaw<{ tenant_id: string; watermark: Date }[]>`
      SELECT DISTINCT ON (tenant_id) tenant_id, watermark FROM checkpoints ORDER BY tenant_id, number DESC`;
    return new Map(rows.map((r) => [r.tenant_id, r.watermark.getTime()]));
  }

  // ------------------------------------------------------------ Merkle nodes

  /** Removes nodes an interrupted append left above the committed head (`committed`: its number). */
  async deleteUncommittedNodes(scope: TenantScope, committed: number): Promise<number> {
    const [row] = await this.ch.query<{ n: number }>(
      `SELECT count() AS n FROM ${this.ch.tables.merkleNodes} WHERE tenant_id = {t:String} AND checkpoint > {c:UInt32}`,
      { t: scope.tenantId, c: committed },
    );
    const n = Number(row?.n ?? 0);
    if (n > 0) {
      await this.ch.command(
        `DELETE FROM ${this.ch.tables.merkleNodesLocal} WHERE tenant_id = {t:String} AND checkpoint > {c:UInt32} SETTINGS lightweight_deletes_sync = 2`,
        { t: scope.tenantId, c: committed },
      );
    }
    return n;
  }

  /**
   * Events received since `fromMs` that are not leaves of a committed checkpoint, in the log's
   * order (received_at, id). The leaf hash is computed here from the stored payload.
   */
  async unsealed(scope: TenantScope, fromMs: number, committed: number, limit: number, opts: { settings?: ClickHouseSettings } = {}): Promise<LeafCandidate[]> {
    return this.eventLog.unlogged(scope, fromMs, this.loggedEventIds(scope, committed, fromMs), limit, opts);
  }

  async countUnsealed(scope: TenantScope, fromMs: number, committed: number): Promise<number> {
    const from = Math.max(0, fromMs);
    return this.eventLog.countUnlogged(scope, from, this.loggedEventIds(scope, committed, from));
  }

  /**
   * Subquery: ids of the tenant's events that are leaves of committed checkpoints (received
   * since `fromMs` when given: the log's order makes older leaves irrelevant to a look-back).
   */
  private loggedEventIds(scope: TenantScope, committed: number, fromMs?: number): SqlFragment {
    const since = fromMs === undefined ? '' : ' AND received_at >= {leaf_from:DateTime64(3)}';
    return {
      sql: `SELECT event_id FROM ${this.ch.tables.merkleNodes} WHERE tenant_id = {leaf_t:String} AND level = 0${since} AND checkpoint <= {leaf_c:UInt32}`,
      params: { leaf_t: scope.tenantId, leaf_c: committed, ...(fromMs === undefined ? {} : { leaf_from: toClickhouseDateTime64(fromMs) }) },
    };
  }

  async insertNodes(scope: TenantScope, nodes: readonly NodeRow[]): Promise<void> {
    const lines = nodes.map((n) =>
      JSON.stringify({
        tenant_id: scope.tenantId,
        level: n.level,
        idx: n.idx,
        hash: n.hash,
        event_id: n.eventId ?? ZERO_UUID,
        received_at: toClickhouseDateTime64(n.receivedAtMs ?? 0),
        checkpoint: n.checkpoint,
      }),
    );
    for (let i = 0; i < lines.length; i += 200_000) await this.ch.insertRows(this.ch.tables.merkleNodes, lines.slice(i, i + 200_000));
  }

  async nodes(scope: TenantScope, refs: readonly NodeRef[], committed: number): Promise<Map<string, string>> {
    if (refs.length === 0) return new Map();
    // One (level = L AND idx IN [...]) term per level: exact, and the primary key prunes.
    const byLevel = new Map<number, number[]>();
    for (const r of refs) byLevel.set(r.level, [...(byLevel.get(r.level) ?? []), r.index]);
    const params: Record<string, unknown> = { t: scope.tenantId, c: committed };
    const terms = [...byLevel].map(([level, idxs], i) => {
      params[`l${i}`] = level;
      params[`i${i}`] = idxs;
      return `(level = {l${i}:UInt8} AND idx IN {i${i}:Array(UInt64)})`;
    });
    const rows = await this.ch.query<{ level: number; idx: number; hash: string }>(
      `SELECT level, idx, hash FROM ${this.ch.tables.merkleNodes}
WHERE tenant_id = {t:String} AND checkpoint <= {c:UInt32} AND (${terms.join(' OR ')})`,
      params,
    );
    return new Map(rows.map((r) => [`${r.level}:${Number(r.idx)}`, r.hash]));
  }

  /** The leaf of an event, if it is in a committed checkpoint. */
  async leafOf(scope: TenantScope, eventId: string, committed: number): Promise<StoredLeaf | undefined> {
    const rows = await this.ch.query<{ idx: number; hash: string; r: number }>(
      `SELECT idx, hash, toUnixTimestamp64Milli(received_at) AS r FROM ${this.ch.tables.merkleNodes}
WHERE tenant_id = {t:String} AND level = 0 AND event_id = {id:UUID} AND checkpoint <= {c:UInt32}
ORDER BY idx LIMIT 1`,
      { t: scope.tenantId, id: eventId, c: committed },
    );
    const r = rows[0];
    return r ? { idx: Number(r.idx), eventId, hash: r.hash, receivedAtMs: Number(r.r) } : undefined;
  }

  /** Leaves of these events in committed checkpoints, by event id. */
  async leavesOf(scope: TenantScope, eventIds: readonly string[], committed: number): Promise<Map<string, StoredLeaf>> {
    if (eventIds.length === 0) return new Map();
    // Aliases never reuse a column name: ClickHouse resolves aliases in WHERE.
    const rows = await this.ch.query<{ idx: number; eid: string; hash: string; r: number }>(
      `SELECT idx, toString(event_id) AS eid, hash, toUnixTimestamp64Milli(received_at) AS r FROM ${this.ch.tables.merkleNodes}
WHERE tenant_id = {t:String} AND level = 0 AND event_id IN {ids:Array(UUID)} AND checkpoint <= {c:UInt32}`,
      { t: scope.tenantId, ids: eventIds, c: committed },
    );
    return new Map(rows.map((r) => [r.eid, { idx: Number(r.idx), eventId: r.eid, hash: r.hash, receivedAtMs: Number(r.r) }]));
  }

  /** Leaves [from, to) of committed checkpoints, in log order (as stored: a tampered log may have gaps). */
  async leafRange(scope: TenantScope, from: number, to: number, committed: number): Promise<StoredLeaf[]> {
    const rows = await this.ch.query<{ idx: number; eid: string; hash: string; r: number }>(
      `SELECT idx, toString(event_id) AS eid, hash, toUnixTimestamp64Milli(received_at) AS r FROM ${this.ch.tables.merkleNodes}
WHERE tenant_id = {t:String} AND level = 0 AND idx >= {a:UInt64} AND idx < {b:UInt64} AND checkpoint <= {c:UInt32}
ORDER BY idx`,
      { t: scope.tenantId, a: from, b: to, c: committed },
    );
    return rows.map((r) => ({ idx: Number(r.idx), eventId: r.eid, hash: r.hash, receivedAtMs: Number(r.r) }));
  }

  /** Leaves after `afterIdx` of committed checkpoints, in log order, at most `scan` (the walks of feed, webhooks and alerts). */
  async leavesAfter(scope: TenantScope, afterIdx: number, committed: number, scan: number): Promise<LogLeaf[]> {
    const rows = await this.ch.query<{ idx: number; eid: string; r: number }>(
      `SELECT idx, toString(event_id) AS eid, toUnixTimestamp64Milli(received_at) AS r FROM ${this.ch.tables.merkleNodes}
WHERE tenant_id = {t:String} AND level = 0 AND idx > {after:Int64} AND checkpoint <= {c:UInt32}
ORDER BY idx LIMIT {scan:UInt32}`,
      { t: scope.tenantId, after: afterIdx, c: committed, scan },
    );
    return rows.map((l) => ({ idx: Number(l.idx), eventId: l.eid, receivedAtMs: Number(l.r) }));
  }

  /** {@link leavesAfter} as a subquery (columns idx, event_id, received_at), for a statement that joins it with the events. */
  leavesAfterSql(scope: TenantScope, afterIdx: number, committed: number, scan: number): SqlFragment {
    return {
      sql: `SELECT idx, event_id, received_at FROM ${this.ch.tables.merkleNodes}
WHERE tenant_id = {lw_t:String} AND level = 0 AND idx > {lw_after:Int64} AND checkpoint <= {lw_c:UInt32}
ORDER BY idx LIMIT {lw_scan:UInt32}`,
      params: { lw_t: scope.tenantId, lw_after: afterIdx, lw_c: committed, lw_scan: scan },
    };
  }

  /** Index of the first committed leaf received at or after `horizonMs`, or undefined. */
  async firstLeafSince(scope: TenantScope, committed: number, horizonMs: number, settings: ClickHouseSettings): Promise<number | undefined> {
    const rows = await this.ch.query<{ idx: number | null }>(
      `SELECT min(idx) AS idx FROM ${this.ch.tables.merkleNodes}
WHERE tenant_id = {t:String} AND level = 0 AND checkpoint <= {c:UInt32} AND received_at >= {horizon:DateTime64(3)}`,
      { t: scope.tenantId, c: committed, horizon: toClickhouseDateTime64(horizonMs) },
      { settings: { ...settings, aggregate_functions_null_for_empty: 1 } },
    );
    const idx = rows[0]?.idx;
    return idx === null || idx === undefined ? undefined : Number(idx);
  }

  /** received_at (ms) of the leaf at `idx` of the tenant's log, or undefined. */
  async leafReceivedAt(scope: TenantScope, idx: number): Promise<number | undefined> {
    const rows = await this.ch.query<{ r: number }>(
      `SELECT toUnixTimestamp64Milli(received_at) AS r FROM ${this.ch.tables.merkleNodes} WHERE tenant_id = {t:String} AND level = 0 AND idx = {i:Int64} LIMIT 1`,
      { t: scope.tenantId, i: idx },
    );
    return rows[0] ? Number(rows[0].r) : undefined;
  }

  /** Index of the first leaf (any checkpoint) whose event id is in `eventIds`, a subquery of the events module. */
  async firstLeafOf(scope: TenantScope, eventIds: SqlFragment, settings: ClickHouseSettings): Promise<number | undefined> {
    if ('leaf_t' in eventIds.params) throw new Error('SQL fragment parameter leaf_t collides with the statement\'s own');
    const rows = await this.ch.query<{ idx: number | null }>(
      `SELECT min(idx) AS idx FROM ${this.ch.tables.merkleNodes}
WHERE tenant_id = {leaf_t:String} AND level = 0 AND event_id IN (${eventIds.sql})`,
      { ...eventIds.params, leaf_t: scope.tenantId },
      { settings: { ...settings, aggregate_functions_null_for_empty: 1 } },
    );
    const idx = rows[0]?.idx;
    return idx === null || idx === undefined ? undefined : Number(idx);
  }

  /** Event ids that appear more than once in the log (an event sealed twice). */
  async duplicateLeaves(scope: TenantScope, committed: number, limit: number): Promise<string[]> {
    const rows = await this.ch.query<{ eid: string }>(
      `SELECT toString(event_id) AS eid FROM ${this.ch.tables.merkleNodes}
WHERE tenant_id = {t:String} AND level = 0 AND checkpoint <= {c:UInt32}
GROUP BY event_id HAVING count() > 1 LIMIT {limit:UInt32}`,
      { t: scope.tenantId, c: committed, limit },
    );
    return rows.map((r) => r.eid);
  }

  /**
   * Event ids stored in more than one row (a copy added, e.g. in another organization or with
   * another received_at), whatever their columns say. One pass over the tenant's ids.
   */
  async duplicateEvents(scope: TenantScope, limit: number): Promise<{ eventId: string; copies: number }[]> {
    return this.eventLog.duplicateIds(scope, limit);
  }

  /**
   * Leaves [from, to) of committed checkpoints joined with the stored events they name: the
   * payload's SHA-256(0x00 ‖ payload) recomputed by ClickHouse and compared with the leaf, and
   * the derived columns that no longer match the payload (src/events/derived-columns.ts). A leaf
   * whose event is stored more than once comes back once per copy. One query per chunk; neither
   * payloads nor the ids of intact events leave ClickHouse (the rows stay small to transfer and
   * parse): `eventId` is set only for a leaf with a problem.
   */
  async verifiedLeaves(scope: TenantScope, from: number, to: number, committed: number, erasures: ContextErasureBounds = new Map()): Promise<VerifiedLeaf[]> {
    type Row = { idx: number; hash: string; st: number; eid: string; mismatch: string[] };
    const stored = this.eventLog.payloadChecks(scope, 'leaves');
    const sql = `WITH leaves AS (
  SELECT idx, event_id, hash, received_at FROM ${this.ch.tables.merkleNodes}
  WHERE tenant_id = {t:String} AND level = 0 AND idx >= {a:UInt64} AND idx < {b:UInt64} AND checkpoint <= {c:UInt32}
)
SELECT idx, hash, st, if(st = 0, '', toString(event_id)) AS eid, if(st = 3, mismatch, []) AS mismatch FROM (
  SELECT l.idx AS idx, l.event_id AS event_id, l.hash AS hash, e.mismatch AS mismatch,
         multiIf(e.found = 0, 1, e.actual != l.hash, 2, notEmpty(e.mismatch), 3, 0) AS st
  FROM leaves AS l
  LEFT JOIN (
    ${stored.sql}
  ) AS e ON e.id = l.event_id
)
ORDER BY idx`;
    const params = { t: scope.tenantId, a: from, b: to, c: committed, ...contextErasureParams(erasures), ...stored.params };
    let rows = await this.ch.query<Row>(sql, params);
    // simdjson refuses integers beyond 64 bits; the slower parser reads them (as doubles).
    if (rows.some((r) => r.mismatch.includes(UNPARSED))) rows = await this.ch.query<Row>(sql, params, { settings: { allow_simdjson: 0 } });
    return rows.map((r) => ({ idx: Number(r.idx), hash: r.hash, eventId: r.eid, state: LEAF_STATES[Number(r.st)]!, mismatch: r.mismatch }));
  }

  /** Events received before `beforeMs` that are in no committed checkpoint (forged insertions). */
  async unlogged(scope: TenantScope, beforeMs: number, committed: number, limit: number): Promise<{ eventId: string; receivedAtMs: number }[]> {
    return this.eventLog.unloggedBefore(scope, beforeMs, this.loggedEventIds(scope, committed), limit);
  }

  /**
   * Per tenant, the oldest event received in [fromMs, beforeMs) that no checkpoint covers yet:
   * which tenants the sealer must visit, and what the staleness watch reports. One query for
   * every tenant (background work, deliberately not tenant-scoped). Nodes of an interrupted
   * seal count as covering until the tenant's next seal removes them.
   */
  async oldestUnsealed(fromMs: number, beforeMs: number): Promise<{ tenantId: string; oldestMs: number; count: number }[]> {
    return this.eventLog.oldestUnloggedPerTenant(fromMs, beforeMs, {
      sql: `SELECT tenant_id, event_id FROM ${this.ch.tables.merkleNodes} WHERE level = 0 AND received_at >= {leaf_from:DateTime64(3)}`,
      params: { leaf_from: toClickhouseDateTime64(fromMs) },
    });
  }
}
