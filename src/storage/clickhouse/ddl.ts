// Above ~400 lines on purpose: the only generator of ClickHouse DDL; each table's statements
// sit next to the comment that justifies its keys, partitions and indexes, and single-node and
// cluster variants come from the same functions.
/**
 * The ONLY generator of ClickHouse DDL and server-only settings. Single-node (and embedded
 * chDB) and cluster DDL come from the same functions, so the two can never drift; the cluster
 * variant is covered by tests on the generated SQL because no ClickHouse server runs in CI.
 */
export interface DdlTarget {
  database: string;
  /** Set in server mode with CLICKHOUSE_CLUSTER: ReplicatedMergeTree + Distributed, DDL ON CLUSTER. */
  cluster?: string;
}

export interface TableNames {
  /** Read and insert through this name (the Distributed table on a cluster). */
  events: string;
  /** Mutations (DELETE) target this name (the local replicated table on a cluster). */
  eventsLocal: string;
  merkleNodes: string;
  merkleNodesLocal: string;
  /** Per tenant, organization and action: events received, first and last seen (GET /v1/actions). */
  actionCatalog: string;
  actionCatalogLocal: string;
  migrations: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkedName(name: string): string {
  if (!IDENT.test(name)) throw new Error(`Invalid ClickHouse identifier: ${name}`);
  return name;
}

function ident(name: string): string {
  return `\`${checkedName(name)}\``;
}

export function tableNames(t: DdlTarget): TableNames {
  const db = ident(t.database);
  return {
    events: `${db}.\`events_v1\``,
    eventsLocal: t.cluster ? `${db}.\`events_v1_local\`` : `${db}.\`events_v1\``,
    merkleNodes: `${db}.\`merkle_nodes_v1\``,
    merkleNodesLocal: t.cluster ? `${db}.\`merkle_nodes_v1_local\`` : `${db}.\`merkle_nodes_v1\``,
    actionCatalog: `${db}.\`action_catalog_v1\``,
    actionCatalogLocal: t.cluster ? `${db}.\`action_catalog_v1_local\`` : `${db}.\`action_catalog_v1\``,
    migrations: `${db}.\`schema_migrations\``,
  };
}

export function onCluster(t: DdlTarget): string {
  return t.cluster ? ` ON CLUSTER ${ident(t.cluster)}` : '';
}

function mergeTree(t: DdlTarget, localTable: string, family: '' | 'Aggregating' = ''): string {
  if (!t.cluster) return `${family}MergeTree`;
  return `Replicated${family}MergeTree('/clickhouse/tables/{shard}/${t.database}/${localTable}', '{replica}')`;
}

export function createDatabase(t: DdlTarget): string {
  return `CREATE DATABASE IF NOT EXISTS ${ident(t.database)}${onCluster(t)}`;
}

export function createMigrationsTable(t: DdlTarget): string {
  // Tiny bookkeeping table; on a cluster it is replicated so every node agrees on the version.
  const local = 'schema_migrations';
  return `CREATE TABLE IF NOT EXISTS ${ident(t.database)}.${ident(local)}${onCluster(t)}
(
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime64(3, 'UTC')
)
ENGINE = ${t.cluster ? `ReplicatedMergeTree('/clickhouse/tables/all/${t.database}/${local}', '{replica}')` : 'MergeTree'}
ORDER BY version`;
}

/**
 * events_v1 — one row per acknowledged event.
 * - ORDER BY (tenant_id, organization_id, occurred_at, id): every read binds tenant_id first;
 *   the viewer's main query (one organization, newest first) reads in key order; id makes the
 *   key unique, which keyset pagination needs. Tenants that use no organization_id collapse to
 *   (tenant_id, '', occurred_at, id), i.e. time order within the tenant.
 * - PARTITION BY month of received_at: server time, so a client sending odd occurred_at values
 *   cannot explode the partition count; retention (also from received_at) drops whole months.
 * - payload is the canonical JSON exactly as hashed (leaf_hash = SHA-256(0x00 || payload));
 *   the other columns are derived copies for filtering only.
 * - TTL on expires_at was the physical backstop for retention (as created by migration 1):
 *   migration 3 removed the TTL (the retention job deletes, honouring per-action retention and
 *   legal holds) and migration 6 drops expires_at, which nothing read since.
 * - Skip indexes: bloom filters for the exact-match filters that are not in the key
 *   (actor_id, target ids, ip, id for GET /v1/events/{id}), an n-gram bloom filter for q.
 */
export function createEventsTable(t: DdlTarget): string[] {
  const db = ident(t.database);
  const localName = t.cluster ? 'events_v1_local' : 'events_v1';
  const columns = `(
  tenant_id String,
  organization_id String,
  occurred_at DateTime64(3, 'UTC'),
  id UUID,
  received_at DateTime64(3, 'UTC'),
  action LowCardinality(String),
  outcome Enum8('unknown' = 0, 'success' = 1, 'failure' = 2),
  actor_type Enum8('user' = 1, 'service' = 2, 'api_key' = 3, 'system' = 4),
  actor_id String,
  target_ids Array(String),
  target_types Array(LowCardinality(String)),
  ip String,
  flags Array(LowCardinality(String)),
  expires_at DateTime('UTC'),
  payload String CODEC(ZSTD(3)),
  leaf_hash FixedString(64),
  search_text String CODEC(ZSTD(3)),
  INDEX idx_id id TYPE bloom_filter(0.001) GRANULARITY 1,
  INDEX idx_received_at received_at TYPE minmax GRANULARITY 1,
  INDEX idx_actor_id actor_id TYPE bloom_filter(0.01) GRANULARITY 2,
  INDEX idx_target_ids target_ids TYPE bloom_filter(0.01) GRANULARITY 2,
  INDEX idx_ip ip TYPE bloom_filter(0.01) GRANULARITY 2,
  INDEX idx_search search_text TYPE ngrambf_v1(3, 16384, 3, 0) GRANULARITY 1
)`;
  const local = `CREATE TABLE IF NOT EXISTS ${db}.${ident(localName)}${onCluster(t)}
${columns}
ENGINE = ${mergeTree(t, localName)}
PARTITION BY toYYYYMM(received_at)
ORDER BY (tenant_id, organization_id, occurred_at, id)
TTL expires_at DELETE`;
  if (!t.cluster) return [local];
  const distributed = `CREATE TABLE IF NOT EXISTS ${db}.\`events_v1\`${onCluster(t)}
AS ${db}.${ident(localName)}
ENGINE = Distributed(${ident(t.cluster)}, ${db}, ${ident(localName)}, cityHash64(tenant_id))`;
  return [local, distributed];
}

/**
 * merkle_nodes_v1 — every complete subtree of each tenant's Merkle log (level 0 = leaves).
 * - ORDER BY (tenant_id, level, idx): proofs fetch O(log n) nodes by key; verification streams
 *   a tenant's leaves in log order.
 * - No TTL: leaf hashes outlive the events' retention, so an expired range can be told apart
 *   from a deleted one and later events still prove against old checkpoints.
 * - `checkpoint` is the number of the checkpoint that appended the node; rows above the newest
 *   committed checkpoint are leftovers of an interrupted seal and are ignored, then removed.
 * - On a cluster the same sharding key as events (cityHash64(tenant_id)) keeps a tenant's log
 *   on one shard.
 */
export function createMerkleNodesTable(t: DdlTarget): string[] {
  const db = ident(t.database);
  const localName = t.cluster ? 'merkle_nodes_v1_local' : 'merkle_nodes_v1';
  const local = `CREATE TABLE IF NOT EXISTS ${db}.${ident(localName)}${onCluster(t)}
(
  tenant_id String,
  level UInt8,
  idx UInt64,
  hash FixedString(64),
  event_id UUID,
  received_at DateTime64(3, 'UTC'),
  checkpoint UInt32,
  INDEX idx_event_id event_id TYPE bloom_filter(0.001) GRANULARITY 1,
  INDEX idx_received_at received_at TYPE minmax GRANULARITY 1
)
ENGINE = ${mergeTree(t, localName)}
ORDER BY (tenant_id, level, idx)`;
  if (!t.cluster) return [local];
  const distributed = `CREATE TABLE IF NOT EXISTS ${db}.\`merkle_nodes_v1\`${onCluster(t)}
AS ${db}.${ident(localName)}
ENGINE = Distributed(${ident(t.cluster)}, ${db}, ${ident(localName)}, cityHash64(tenant_id))`;
  return [local, distributed];
}

/**
 * action_catalog_v1 (migration 4) — the actions a tenant has used, per organization: events
 * received, first and last `received_at`. Kept by a materialized view on every insert into the
 * events table (its local table on a cluster, so each shard aggregates its own rows) and merged
 * by AggregatingMergeTree, so `GET /v1/actions` reads a few rows per action instead of scanning
 * the events. Counts are of events received since the action was first seen: retention and
 * erasure do not lower them (an action name is not personal data); tenant deletion removes the
 * tenant's rows. The last statement fills the table from the events already stored (the
 * migration runs before the process serves requests).
 */
export function createActionCatalog(t: DdlTarget): string[] {
  const db = ident(t.database);
  const names = tableNames(t);
  const localName = t.cluster ? 'action_catalog_v1_local' : 'action_catalog_v1';
  const aggregate = (from: string) => `SELECT tenant_id, organization_id, action, toUInt64(count()) AS events, min(received_at) AS first_seen, max(received_at) AS last_seen
FROM ${from}
GROUP BY tenant_id, organization_id, action`;
  const local = `CREATE TABLE IF NOT EXISTS ${db}.${ident(localName)}${onCluster(t)}
(
  tenant_id String,
  organization_id String,
  action LowCardinality(String),
  events SimpleAggregateFunction(sum, UInt64),
  first_seen SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  last_seen SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = ${mergeTree(t, localName, 'Aggregating')}
ORDER BY (tenant_id, organization_id, action)`;
  const view = `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.\`action_catalog_mv_v1\`${onCluster(t)}
TO ${db}.${ident(localName)}
AS ${aggregate(names.eventsLocal)}`;
  const backfill = `INSERT INTO ${names.actionCatalog} ${aggregate(names.events)}`;
  if (!t.cluster) return [local, view, backfill];
  const distributed = `CREATE TABLE IF NOT EXISTS ${db}.\`action_catalog_v1\`${onCluster(t)}
AS ${db}.${ident(localName)}
ENGINE = Distributed(${ident(t.cluster)}, ${db}, ${ident(localName)}, cityHash64(tenant_id))`;
  return [local, distributed, view, backfill];
}

/**
 * events_v1, migration 3 (privacy):
 * - pii_tokens / pii_subjects: blind-index tokens (keyed HMACs) of sensitive values, each with
 *   the tag of the data subject it belongs to, so `q` and the `ip` filter still find encrypted
 *   values and an erasure can remove exactly one subject's tokens (ALTER … UPDATE on two
 *   derived columns; the hashed payload is never touched). A bloom filter serves `has()`.
 * - REMOVE TTL: physical expiry moves to the retention job, which honours per-action retention
 *   and legal holds (a TTL expression cannot know about either). Reads always filtered on the
 *   retention predicate, so nothing becomes visible by this.
 */
export function addPrivacyColumns(t: DdlTarget): string[] {
  const names = tableNames(t);
  const add = `ADD COLUMN IF NOT EXISTS pii_tokens Array(String) DEFAULT [] CODEC(ZSTD(3)),
ADD COLUMN IF NOT EXISTS pii_subjects Array(String) DEFAULT [] CODEC(ZSTD(3))`;
  const statements = [
    `ALTER TABLE ${names.eventsLocal}${onCluster(t)}
${add},
ADD INDEX IF NOT EXISTS idx_pii_tokens pii_tokens TYPE bloom_filter(0.01) GRANULARITY 2`,
    `ALTER TABLE ${names.eventsLocal}${onCluster(t)} REMOVE TTL`,
  ];
  // The Distributed table needs the columns too (it has no indexes or TTL of its own).
  if (t.cluster) statements.push(`ALTER TABLE ${names.events}${onCluster(t)}
${add}`);
  return statements;
}

/**
 * events_v1, migration 5 (delegation, docs/api.md "Delegation"):
 * - actor_type gains 'agent' (an Enum8 value appended: existing parts keep their codes, so
 *   MODIFY COLUMN is a metadata-only change);
 * - on_behalf_of_id / impersonator_id: derived copies of actor.on_behalf_of.id and
 *   actor.impersonator.id for the on_behalf_of=, impersonator= and involving= filters, with
 *   bloom filters like actor_id. '' for events without them, as the payload says for every
 *   event stored before (verification re-derives both: src/events/derived-columns.ts).
 */
export const ACTOR_TYPE_ENUM = "Enum8('user' = 1, 'service' = 2, 'api_key' = 3, 'system' = 4, 'agent' = 5)";
export function addDelegationColumns(t: DdlTarget): string[] {
  const names = tableNames(t);
  const modify = `MODIFY COLUMN actor_type ${ACTOR_TYPE_ENUM}`;
  const add = `ADD COLUMN IF NOT EXISTS on_behalf_of_id String DEFAULT '' AFTER actor_id,
ADD COLUMN IF NOT EXISTS impersonator_id String DEFAULT '' AFTER on_behalf_of_id`;
  const statements = [
    `ALTER TABLE ${names.eventsLocal}${onCluster(t)}
${modify},
${add},
ADD INDEX IF NOT EXISTS idx_on_behalf_of_id on_behalf_of_id TYPE bloom_filter(0.01) GRANULARITY 2,
ADD INDEX IF NOT EXISTS idx_impersonator_id impersonator_id TYPE bloom_filter(0.01) GRANULARITY 2`,
  ];
  // The Distributed table has no indexes of its own, but must know the columns and the enum.
  if (t.cluster) statements.push(`ALTER TABLE ${names.events}${onCluster(t)}
${modify},
${add}`);
  return statements;
}

/**
 * events_v1, migration 6: drops expires_at. It fed the TTL of migration 1, which migration 3
 * removed; since then the column was written at ingest and never read. Rows no longer carry it
 * (src/events/stored-event.ts), so a dropped column changes no read. The leaf_hash column
 * stays: verification compares it with the payload's hash (src/events/derived-columns.ts).
 */
export function dropExpiresAt(t: DdlTarget): string[] {
  const names = tableNames(t);
  const drop = 'DROP COLUMN IF EXISTS expires_at';
  const statements = [`ALTER TABLE ${names.eventsLocal}${onCluster(t)} ${drop}`];
  // The Distributed table lists the columns too.
  if (t.cluster) statements.push(`ALTER TABLE ${names.events}${onCluster(t)} ${drop}`);
  return statements;
}

/**
 * Removes one data subject's blind-index tokens from its events (erasure). The payload and the
 * leaf hash are untouched, so verification still passes; the `ip` column of events the subject
 * acted in is cleared when it held a token.
 */
export function eraseSubjectTokens(t: DdlTarget): string {
  const names = tableNames(t);
  return `ALTER TABLE ${names.eventsLocal}${onCluster(t)}
UPDATE pii_tokens = arrayFilter((x, s) -> s != {tag:String}, pii_tokens, pii_subjects),
       pii_subjects = arrayFilter(s -> s != {tag:String}, pii_subjects)
WHERE tenant_id = {tenant_id:String} AND has(pii_subjects, {tag:String})
SETTINGS mutations_sync = 2`;
}

/**
 * Erasure with blank_context: the derived columns of the subject's own events received up to
 * the erasure stop holding their context — the `ip` column is emptied and the context values
 * are cut out of `search_text` — so neither `ip=` nor `q` finds them. The hashed payload is not
 * touched (verification keeps passing); read paths mask its context (src/privacy).
 */
export function blankSubjectContext(t: DdlTarget): string {
  const names = tableNames(t);
  return `ALTER TABLE ${names.eventsLocal}${onCluster(t)}
UPDATE ip = '', search_text = ${contextCutSearchText('search_text')}
WHERE tenant_id = {tenant_id:String} AND actor_id = {subject:String} AND received_at <= {until:DateTime64(3)} AND NOT startsWith(action, 'veritrail.')
SETTINGS mutations_sync = 2`;
}

/**
 * `text` (a search text of a row of events_v1) with the row's context values cut out, as
 * {@link blankSubjectContext} leaves it: verification expects exactly this for a blanked row.
 */
export function contextCutSearchText(text: string): string {
  let out = text;
  for (const key of ['ip', 'user_agent', 'session_id', 'request_id', 'location']) {
    const v = `lower(JSONExtractString(payload, 'context', '${key}'))`;
    out = `if(${v} = '', ${out}, replaceAll(${out}, ${v}, ''))`;
  }
  return out;
}

/**
 * Deletes what a tenant's retention no longer keeps. A lightweight DELETE only masks the rows
 * (hidden at once, bytes still in their parts); {@link applyDeletedMask} then removes the bytes.
 */
export function deleteExpiredEvents(t: DdlTarget, kept: string): string {
  return `DELETE FROM ${tableNames(t).eventsLocal}${onCluster(t)} WHERE tenant_id = {tenant_id:String} AND NOT (${kept})`;
}

/** Cluster-mode replication settings (CLICKHOUSE_CLUSTER), from the configuration. */
export interface ReplicationSettings {
  /** insert_quorum: replicas of a shard that must hold an inserted block before it is acknowledged. */
  quorum: 'auto' | number;
  /** insert_quorum_timeout in milliseconds: how long an INSERT waits for its quorum before failing. */
  quorumTimeoutMs: number;
}

/**
 * Settings for every INSERT: they decide what "the INSERT returned" means, i.e. when a 201 may be
 * sent (and when the sealer may commit a checkpoint over the Merkle nodes it inserted).
 * - Embedded / single server: the server wrote the part (fsynced with DURABILITY=fsync, see
 *   {@link durabilityStatements}); nothing to add.
 * - Single server with async_insert: the server may buffer, so the acknowledgement must wait for
 *   the flush: wait_for_async_insert=1 is not optional (DU-03).
 * - Cluster: inserts go through the Distributed table, whose default is to queue blocks on the
 *   receiving node and send them to the shards in the background — a 201 could precede the rows.
 *   distributed_foreground_insert=1 makes the INSERT return only after every shard's block was
 *   written, and insert_quorum only once `quorum` replicas of that shard hold it (insert_quorum
 *   travels with the block to the shard's replicated table). insert_quorum_parallel stays 1:
 *   with 0, a second INSERT into the same table while one waits for its quorum is refused, which
 *   several API replicas and the sealer would hit constantly. async_insert is never used on a
 *   cluster (the configuration refuses it).
 */
export function insertSettings(mode: { server: boolean; asyncInsert: boolean; cluster?: ReplicationSettings }): Record<string, 0 | 1 | number | string> {
  if (mode.server && mode.cluster) {
    return {
      distributed_foreground_insert: 1,
      insert_quorum: mode.cluster.quorum === 'auto' ? 'auto' : mode.cluster.quorum,
      insert_quorum_timeout: mode.cluster.quorumTimeoutMs,
      insert_quorum_parallel: 1,
    };
  }
  if (!mode.server || !mode.asyncInsert) return {};
  return { async_insert: 1, wait_for_async_insert: 1 };
}

/**
 * Settings for the sealer's reads of candidate events. On a cluster the sealer must never seal a
 * row that a replica cannot read yet (proofs and verification may be answered by any replica):
 * select_sequential_consistency=1 makes the replica answering the read refuse (an error; the
 * sealer retries at its next run) unless it holds every part up to the last one that reached its
 * insert quorum, and skip parts above it. See docs/operations.md for what this does and does not
 * cover with parallel quorum inserts. Single node: every committed row is readable at once.
 */
export function sealerReadSettings(t: DdlTarget): Record<string, 0 | 1> {
  return t.cluster ? { select_sequential_consistency: 1 } : {};
}

/** DURABILITY: `fsync` makes an acknowledged INSERT survive power loss; `none` only a process crash. */
export type Durability = 'fsync' | 'none';

/**
 * MergeTree settings that make ClickHouse fsync what it writes (verified with strace on chDB
 * 26.7: every file of the part, then its directory after the rename; docs/operations.md):
 * - fsync_after_insert: each file of an inserted part, before the INSERT returns;
 * - fsync_part_directory: the part's directory after each operation on it (write, rename);
 * - min_compressed_bytes_to_fsync_after_merge: merged and mutated parts too (any size). Without
 *   it a merge could replace fsynced parts with one still in the page cache: chDB removes the
 *   source parts of a merge within cleanup_delay_period (30 s), so power loss after that would
 *   lose rows that had been acknowledged.
 * They are table settings only (a per-query SETTINGS clause refuses them: UNKNOWN_SETTING).
 */
export const FSYNC_TABLE_SETTINGS: Readonly<Record<string, number>> = {
  fsync_after_insert: 1,
  fsync_part_directory: 1,
  min_compressed_bytes_to_fsync_after_merge: 1,
};

/** The tables that hold rows (the local tables on a cluster): what durability settings apply to. */
export function dataTables(t: DdlTarget): { name: string; table: string }[] {
  const names = tableNames(t);
  return [
    { name: eventsDataTable(t), table: names.eventsLocal },
    { name: t.cluster ? 'merkle_nodes_v1_local' : 'merkle_nodes_v1', table: names.merkleNodesLocal },
    { name: t.cluster ? 'action_catalog_v1_local' : 'action_catalog_v1', table: names.actionCatalogLocal },
    { name: 'schema_migrations', table: names.migrations },
  ];
}

/** Sets (fsync) or removes (none) {@link FSYNC_TABLE_SETTINGS} on one data table. */
export function durabilityStatement(t: DdlTarget, table: string, durability: Durability): string {
  const names = Object.keys(FSYNC_TABLE_SETTINGS);
  if (durability === 'fsync') {
    return `ALTER TABLE ${table}${onCluster(t)} MODIFY SETTING ${names.map((n) => `${n} = ${FSYNC_TABLE_SETTINGS[n]}`).join(', ')}`;
  }
  return `ALTER TABLE ${table}${onCluster(t)} RESET SETTING ${names.join(', ')}`;
}

/** True when a table's `engine_full` (system.tables) already carries exactly what `durability` asks for. */
export function hasDurability(engineFull: string, durability: Durability): boolean {
  const at = engineFull.lastIndexOf(' SETTINGS ');
  const set = new Map<string, string>();
  if (at >= 0) {
    for (const kv of engineFull.slice(at + 10).split(', ')) {
      const [k, v] = kv.split(' = ');
      if (k && v !== undefined) set.set(k.trim(), v.trim());
    }
  }
  return Object.entries(FSYNC_TABLE_SETTINGS).every(([k, v]) => (durability === 'fsync' ? set.get(k) === String(v) : !set.has(k)));
}

const PARTITION_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Name (in system tables) of the table holding the events rows: the local table on a cluster. */
export function eventsDataTable(t: DdlTarget): string {
  return t.cluster ? 'events_v1_local' : 'events_v1';
}

function systemTable(t: DdlTarget, name: 'parts' | 'mutations'): string {
  return t.cluster ? `clusterAllReplicas('${checkedName(t.cluster)}', system.${name})` : `system.${name}`;
}

/**
 * Partitions of the events table with rows that a lightweight DELETE masked but whose bytes are
 * still in a part (system.parts.has_lightweight_delete); on a cluster, on any replica.
 * Parameters: {database:String}, {table:String} (= {@link eventsDataTable}).
 */
export function partitionsWithDeletedRows(t: DdlTarget): string {
  return `SELECT DISTINCT partition_id FROM ${systemTable(t, 'parts')}
WHERE database = {database:String} AND table = {table:String} AND active AND has_lightweight_delete
ORDER BY partition_id`;
}

/**
 * Mutations of the events table still running (or failing: latest_fail_reason), so a purge is
 * not queued twice. Parameters as {@link partitionsWithDeletedRows}.
 */
export function pendingMutations(t: DdlTarget): string {
  return `SELECT count() AS n, anyIf(latest_fail_reason, latest_fail_reason != '') AS failure FROM ${systemTable(t, 'mutations')}
WHERE database = {database:String} AND table = {table:String} AND NOT is_done`;
}

/**
 * Queues a rewrite of one partition's parts without the rows a lightweight DELETE masked. The
 * parts that held them become outdated once it finished, and ClickHouse deletes their
 * directories at its next cleanup (docs/operations.md). Not waited for: the rewrite runs in
 * ClickHouse's background pool, where it does not hold up statements (embedded chDB runs
 * statements one at a time, and a synchronous rewrite of a month of events would stall ingest).
 */
export function applyDeletedMask(t: DdlTarget, partitionId: string): string {
  if (!PARTITION_ID.test(partitionId)) throw new Error(`Invalid partition id: ${partitionId}`);
  return `ALTER TABLE ${tableNames(t).eventsLocal}${onCluster(t)} APPLY DELETED MASK IN PARTITION ID '${partitionId}'`;
}

/** Statements that remove every row of one tenant (tenant deletion). */
export function deleteTenantEvents(t: DdlTarget): string[] {
  const names = tableNames(t);
  // Lightweight DELETE hides rows at once and removes them at the next merge.
  return [
    `DELETE FROM ${names.eventsLocal}${onCluster(t)} WHERE tenant_id = {tenant_id:String}`,
    `DELETE FROM ${names.merkleNodesLocal}${onCluster(t)} WHERE tenant_id = {tenant_id:String}`,
    `DELETE FROM ${names.actionCatalogLocal}${onCluster(t)} WHERE tenant_id = {tenant_id:String}`,
  ];
}
