import { describe, it, expect } from 'vitest';
import { ACTOR_TYPES } from '../../events/event.schema.js';
import { checkEvent } from '../../events/event-rules.js';
import { buildStoredEvent } from '../../events/stored-event.js';
import { CLICKHOUSE_MIGRATIONS } from './migrations.js';
import {
  ACTOR_TYPE_ENUM,
  addDelegationColumns,
  applyDeletedMask,
  blankSubjectContext,
  createDatabase,
  createEventsTable,
  createMigrationsTable,
  createMerkleNodesTable,
  createActionCatalog,
  dataTables,
  deleteTenantEvents,
  dropExpiresAt,
  durabilityStatement,
  eventsDataTable,
  FSYNC_TABLE_SETTINGS,
  hasDurability,
  insertSettings,
  onCluster,
  partitionsWithDeletedRows,
  pendingMutations,
  sealerReadSettings,
  tableNames,
} from './ddl.js';

/** The column and INDEX lines of a CREATE TABLE statement (between the outer parentheses). */
function columnLines(sql: string): string[] {
  const open = sql.indexOf('\n(\n');
  const close = sql.indexOf('\n)\n', open);
  if (open === -1 || close === -1) return [];
  return sql
    .slice(open + 3, close)
    .split('\n')
    .map((l) => l.trim().replace(/,$/, ''))
    .filter((l) => l.length > 0);
}

describe('createEventsTable: single node', () => {
  const stmts = createEventsTable({ database: 'vt' });
  const sql = stmts[0]!;

  it('returns one MergeTree statement without ON CLUSTER', () => {
    expect(stmts).toHaveLength(1);
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS `vt`.`events_v1`');
    expect(sql).toContain('ENGINE = MergeTree\n');
    expect(sql).not.toMatch(/Replicated|Distributed/);
    expect(sql).not.toContain('ON CLUSTER');
  });

  it('has the sort key, partitioning and TTL', () => {
    expect(sql).toContain('ORDER BY (tenant_id, organization_id, occurred_at, id)');
    expect(sql).toContain('PARTITION BY toYYYYMM(received_at)');
    expect(sql).toContain('TTL expires_at DELETE');
  });

  it('declares the expected columns and skip indexes', () => {
    const lines = columnLines(sql);
    const columns = lines.filter((l) => !l.startsWith('INDEX ')).map((l) => l.split(' ')[0]);
    expect(columns).toEqual([
      'tenant_id',
      'organization_id',
      'occurred_at',
      'id',
      'received_at',
      'action',
      'outcome',
      'actor_type',
      'actor_id',
      'target_ids',
      'target_types',
      'ip',
      'flags',
      'expires_at',
      'payload',
      'leaf_hash',
      'search_text',
    ]);
    expect(lines.filter((l) => l.startsWith('INDEX ')).map((l) => l.split(' ')[1])).toEqual([
      'idx_id',
      'idx_received_at',
      'idx_actor_id',
      'idx_target_ids',
      'idx_ip',
      'idx_search',
    ]);
  });
});

describe('createEventsTable: cluster', () => {
  const single = createEventsTable({ database: 'vt' })[0]!;
  const stmts = createEventsTable({ database: 'vt', cluster: 'c1' });
  const [local, distributed] = stmts as [string, string];

  it('returns a replicated local table and a distributed table', () => {
    expect(stmts).toHaveLength(2);
    expect(local).toContain('CREATE TABLE IF NOT EXISTS `vt`.`events_v1_local` ON CLUSTER `c1`');
    expect(local).toMatch(/ENGINE = ReplicatedMergeTree\('\/clickhouse\/tables\/\{shard\}\/vt\/events_v1_local', '\{replica\}'\)/);
    expect(distributed).toContain('CREATE TABLE IF NOT EXISTS `vt`.`events_v1` ON CLUSTER `c1`');
    expect(distributed).toContain('ENGINE = Distributed(`c1`, `vt`, `events_v1_local`, cityHash64(tenant_id))');
  });

  it('the local table keeps sort key, partitioning and TTL of the single-node table', () => {
    expect(local).toContain('ORDER BY (tenant_id, organization_id, occurred_at, id)');
    expect(local).toContain('PARTITION BY toYYYYMM(received_at)');
    expect(local).toContain('TTL expires_at DELETE');
  });

  it('both tables have the same column list as the single-node table', () => {
    const expected = columnLines(single);
    expect(expected.length).toBeGreaterThan(20);
    expect(columnLines(local)).toEqual(expected);
    // The Distributed table has no column list of its own: it is created AS the local table,
    // so it has exactly the local table's (= the single-node table's) columns.
    expect(columnLines(distributed)).toEqual([]);
    expect(distributed).toContain('AS `vt`.`events_v1_local`');
  });

  it('apart from name, ON CLUSTER and engine the local table is the single-node table', () => {
    const normalise = (s: string) =>
      s
        .replace('`events_v1_local`', '`events_v1`')
        .replace(' ON CLUSTER `c1`', '')
        .replace(/ENGINE = .*\n/, 'ENGINE = X\n');
    expect(normalise(local)).toBe(normalise(single));
  });
});

describe('tableNames / onCluster / deleteTenantEvents', () => {
  it('single node: events and eventsLocal are the same table', () => {
    expect(tableNames({ database: 'vt' })).toEqual({
      events: '`vt`.`events_v1`',
      eventsLocal: '`vt`.`events_v1`',
      merkleNodes: '`vt`.`merkle_nodes_v1`',
      merkleNodesLocal: '`vt`.`merkle_nodes_v1`',
      actionCatalog: '`vt`.`action_catalog_v1`',
      actionCatalogLocal: '`vt`.`action_catalog_v1`',
      migrations: '`vt`.`schema_migrations`',
    });
    expect(onCluster({ database: 'vt' })).toBe('');
  });

  it('cluster: events is the distributed table, eventsLocal the local table', () => {
    const names = tableNames({ database: 'vt', cluster: 'c1' });
    expect(names.events).toBe('`vt`.`events_v1`');
    expect(names.eventsLocal).toBe('`vt`.`events_v1_local`');
    expect(onCluster({ database: 'vt', cluster: 'c1' })).toBe(' ON CLUSTER `c1`');
  });

  it('cluster: deleteTenantEvents targets the local table ON CLUSTER and binds tenant_id', () => {
    const sql = deleteTenantEvents({ database: 'vt', cluster: 'c1' });
    expect(sql).toEqual([
      'DELETE FROM `vt`.`events_v1_local` ON CLUSTER `c1` WHERE tenant_id = {tenant_id:String}',
      'DELETE FROM `vt`.`merkle_nodes_v1_local` ON CLUSTER `c1` WHERE tenant_id = {tenant_id:String}',
      'DELETE FROM `vt`.`action_catalog_v1_local` ON CLUSTER `c1` WHERE tenant_id = {tenant_id:String}',
    ]);
  });

  it('PROMISE-05: blankSubjectContext mutates the local table ON CLUSTER, only derived columns, bound to tenant, subject and time', () => {
    const sql = blankSubjectContext({ database: 'vt', cluster: 'c1' });
    expect(sql.startsWith('ALTER TABLE `vt`.`events_v1_local` ON CLUSTER `c1`\nUPDATE ip = \'\', search_text = ')).toBe(true);
    expect(sql).not.toMatch(/payload\s*=|leaf_hash\s*=/);
    expect(sql).toContain('WHERE tenant_id = {tenant_id:String} AND actor_id = {subject:String} AND received_at <= {until:DateTime64(3)}');
    expect(blankSubjectContext({ database: 'vt' })).toContain('ALTER TABLE `vt`.`events_v1`\nUPDATE');
  });

  it('single node: deleteTenantEvents targets events_v1 without ON CLUSTER', () => {
    const sql = deleteTenantEvents({ database: 'vt' });
    expect(sql).toEqual([
      'DELETE FROM `vt`.`events_v1` WHERE tenant_id = {tenant_id:String}',
      'DELETE FROM `vt`.`merkle_nodes_v1` WHERE tenant_id = {tenant_id:String}',
      'DELETE FROM `vt`.`action_catalog_v1` WHERE tenant_id = {tenant_id:String}',
    ]);
  });

  it('createDatabase and createMigrationsTable follow the target', () => {
    expect(createDatabase({ database: 'vt' })).toBe('CREATE DATABASE IF NOT EXISTS `vt`');
    expect(createDatabase({ database: 'vt', cluster: 'c1' })).toBe('CREATE DATABASE IF NOT EXISTS `vt` ON CLUSTER `c1`');
    const single = createMigrationsTable({ database: 'vt' });
    expect(single).toContain('`vt`.`schema_migrations`');
    expect(single).toContain('ENGINE = MergeTree');
    expect(single).not.toContain('ON CLUSTER');
    const cluster = createMigrationsTable({ database: 'vt', cluster: 'c1' });
    expect(cluster).toContain('`vt`.`schema_migrations` ON CLUSTER `c1`');
    expect(cluster).toContain("ReplicatedMergeTree('/clickhouse/tables/all/vt/schema_migrations', '{replica}')");
  });
});

describe('identifier validation', () => {
  const bad = ['x; DROP', 'x`y', '', '1abc', 'a.b', 'a-b', "a'", 'vt DROP TABLE x'];

  it.each(bad)('database %j throws', (database) => {
    expect(() => createEventsTable({ database })).toThrow(/identifier/i);
    expect(() => tableNames({ database })).toThrow();
    expect(() => createDatabase({ database })).toThrow();
    expect(() => createMigrationsTable({ database })).toThrow();
    expect(() => deleteTenantEvents({ database })).toThrow();
  });

  it.each(bad.filter((c) => c !== ''))('cluster %j throws', (cluster) => {
    expect(() => createEventsTable({ database: 'vt', cluster })).toThrow();
    expect(() => createDatabase({ database: 'vt', cluster })).toThrow();
    expect(() => deleteTenantEvents({ database: 'vt', cluster })).toThrow();
    expect(() => partitionsWithDeletedRows({ database: 'vt', cluster })).toThrow();
    expect(() => durabilityStatement({ database: 'vt', cluster }, '`vt`.`events_v1_local`', 'fsync')).toThrow();
  });

  it('PROMISE-09: an empty cluster name means a single node, not an invalid cluster', () => {
    const single = { database: 'vt' };
    const empty = { database: 'vt', cluster: '' };
    expect(createEventsTable(empty)).toEqual(createEventsTable(single));
    expect(createMerkleNodesTable(empty)).toEqual(createMerkleNodesTable(single));
    expect(createDatabase(empty)).toBe(createDatabase(single));
    expect(deleteTenantEvents(empty)).toEqual(deleteTenantEvents(single));
    expect(tableNames(empty)).toEqual(tableNames(single));
    expect(onCluster(empty)).toBe('');
    expect(sealerReadSettings(empty)).toEqual({});
    expect(partitionsWithDeletedRows(empty)).toBe(partitionsWithDeletedRows(single));
  });
});

describe('DU-03: insertSettings', () => {
  it('DU-03: server mode with async inserts waits for the flush (wait_for_async_insert = 1)', () => {
    const s = insertSettings({ server: true, asyncInsert: true });
    expect(s).toHaveProperty('wait_for_async_insert');
    expect(s.wait_for_async_insert).toBe(1);
    expect(s.async_insert).toBe(1);
    expect(s).toEqual({ async_insert: 1, wait_for_async_insert: 1 });
  });

  it('DU-03: embedded mode and server mode without async inserts send no settings', () => {
    expect(insertSettings({ server: false, asyncInsert: false })).toEqual({});
    expect(insertSettings({ server: false, asyncInsert: true })).toEqual({});
    expect(insertSettings({ server: true, asyncInsert: false })).toEqual({});
  });
  it('PROMISE-09: cluster inserts are synchronous through the Distributed table and wait for the replica quorum', () => {
    const cluster = { quorum: 'auto' as const, quorumTimeoutMs: 30_000 };
    expect(insertSettings({ server: true, asyncInsert: false, cluster })).toEqual({
      distributed_foreground_insert: 1,
      insert_quorum: 'auto',
      insert_quorum_timeout: 30_000,
      insert_quorum_parallel: 1,
    });
    expect(insertSettings({ server: true, asyncInsert: false, cluster: { quorum: 3, quorumTimeoutMs: 5_000 } })).toMatchObject({ insert_quorum: 3, insert_quorum_timeout: 5_000 });
    // Never buffered on a cluster, whatever CLICKHOUSE_ASYNC_INSERT says (the configuration refuses the pair).
    const s = insertSettings({ server: true, asyncInsert: true, cluster });
    expect(s).not.toHaveProperty('async_insert');
    expect(s.distributed_foreground_insert).toBe(1);
  });
});

describe('PROMISE-09: sealer reads', () => {
  it('on a cluster the sealer reads with sequential consistency; a single node needs nothing', () => {
    expect(sealerReadSettings({ database: 'vt', cluster: 'c1' })).toEqual({ select_sequential_consistency: 1 });
    expect(sealerReadSettings({ database: 'vt' })).toEqual({});
  });
});

describe('createActionCatalog', () => {
  it('single node: an AggregatingMergeTree fed by a materialized view on events_v1, then filled from the stored events', () => {
    const [table, view, backfill, ...rest] = createActionCatalog({ database: 'vt' });
    expect(rest).toEqual([]);
    expect(table).toContain('CREATE TABLE IF NOT EXISTS `vt`.`action_catalog_v1`\n');
    expect(table).toContain('ENGINE = AggregatingMergeTree\nORDER BY (tenant_id, organization_id, action)');
    expect(table).toContain('events SimpleAggregateFunction(sum, UInt64)');
    expect(view).toContain('CREATE MATERIALIZED VIEW IF NOT EXISTS `vt`.`action_catalog_mv_v1`\nTO `vt`.`action_catalog_v1`\nAS SELECT');
    expect(view).toContain('FROM `vt`.`events_v1`\nGROUP BY tenant_id, organization_id, action');
    expect(backfill).toMatch(/^INSERT INTO `vt`.`action_catalog_v1` SELECT .*\nFROM `vt`.`events_v1`\n/s);
  });

  it('cluster: replicated local table, distributed table on the tenant shard key, the view on the local events table', () => {
    const [local, distributed, view, backfill] = createActionCatalog({ database: 'vt', cluster: 'c1' });
    expect(local).toContain("`vt`.`action_catalog_v1_local` ON CLUSTER `c1`");
    expect(local).toContain("ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/vt/action_catalog_v1_local', '{replica}')");
    expect(distributed).toContain('ENGINE = Distributed(`c1`, `vt`, `action_catalog_v1_local`, cityHash64(tenant_id))');
    expect(view).toContain('`vt`.`action_catalog_mv_v1` ON CLUSTER `c1`\nTO `vt`.`action_catalog_v1_local`');
    expect(view).toContain('FROM `vt`.`events_v1_local`');
    // The one-off fill reads every shard and writes through the distributed table.
    expect(backfill).toMatch(/^INSERT INTO `vt`.`action_catalog_v1` SELECT .*\nFROM `vt`.`events_v1`\n/s);
  });
});

describe('PROMISE-08: durability settings', () => {
  it('fsync sets the three MergeTree settings on every data table; none resets them', () => {
    expect(FSYNC_TABLE_SETTINGS).toEqual({ fsync_after_insert: 1, fsync_part_directory: 1, min_compressed_bytes_to_fsync_after_merge: 1 });
    expect(dataTables({ database: 'vt' })).toEqual([
      { name: 'events_v1', table: '`vt`.`events_v1`' },
      { name: 'merkle_nodes_v1', table: '`vt`.`merkle_nodes_v1`' },
      { name: 'action_catalog_v1', table: '`vt`.`action_catalog_v1`' },
      { name: 'schema_migrations', table: '`vt`.`schema_migrations`' },
    ]);
    expect(durabilityStatement({ database: 'vt' }, '`vt`.`events_v1`', 'fsync')).toBe(
      'ALTER TABLE `vt`.`events_v1` MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1, min_compressed_bytes_to_fsync_after_merge = 1',
    );
    expect(durabilityStatement({ database: 'vt' }, '`vt`.`events_v1`', 'none')).toBe(
      'ALTER TABLE `vt`.`events_v1` RESET SETTING fsync_after_insert, fsync_part_directory, min_compressed_bytes_to_fsync_after_merge',
    );
  });

  it('cluster: the local replicated tables, ON CLUSTER', () => {
    const t = { database: 'vt', cluster: 'c1' };
    expect(dataTables(t).map((d) => d.table)).toEqual(['`vt`.`events_v1_local`', '`vt`.`merkle_nodes_v1_local`', '`vt`.`action_catalog_v1_local`', '`vt`.`schema_migrations`']);
    expect(durabilityStatement(t, '`vt`.`events_v1_local`', 'fsync')).toBe(
      'ALTER TABLE `vt`.`events_v1_local` ON CLUSTER `c1` MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1, min_compressed_bytes_to_fsync_after_merge = 1',
    );
  });

  it('reads the current settings from engine_full', () => {
    const base = "MergeTree PARTITION BY toYYYYMM(received_at) ORDER BY (tenant_id, organization_id, occurred_at, id) SETTINGS index_granularity = 8192";
    const synced = `${base}, fsync_after_insert = 1, fsync_part_directory = 1, min_compressed_bytes_to_fsync_after_merge = 1`;
    expect(hasDurability(base, 'none')).toBe(true);
    expect(hasDurability(base, 'fsync')).toBe(false);
    expect(hasDurability(synced, 'fsync')).toBe(true);
    expect(hasDurability(synced, 'none')).toBe(false);
    expect(hasDurability(`${base}, fsync_after_insert = 1`, 'fsync')).toBe(false);
    expect(hasDurability(`${base}, fsync_after_insert = 0, fsync_part_directory = 1, min_compressed_bytes_to_fsync_after_merge = 1`, 'fsync')).toBe(false);
    expect(hasDurability('MergeTree ORDER BY version', 'none')).toBe(true);
  });
});

describe('PROMISE-10: physical deletion', () => {
  it('finds partitions with masked rows and rewrites them without those rows', () => {
    expect(eventsDataTable({ database: 'vt' })).toBe('events_v1');
    expect(partitionsWithDeletedRows({ database: 'vt' })).toContain('FROM system.parts\nWHERE database = {database:String} AND table = {table:String} AND active AND has_lightweight_delete');
    expect(pendingMutations({ database: 'vt' })).toContain('FROM system.mutations\nWHERE database = {database:String} AND table = {table:String} AND NOT is_done');
    expect(applyDeletedMask({ database: 'vt' }, '202601')).toBe("ALTER TABLE `vt`.`events_v1` APPLY DELETED MASK IN PARTITION ID '202601'");
  });

  it('cluster: every replica\'s parts and mutations, the local table ON CLUSTER', () => {
    const t = { database: 'vt', cluster: 'c1' };
    expect(eventsDataTable(t)).toBe('events_v1_local');
    expect(partitionsWithDeletedRows(t)).toContain("FROM clusterAllReplicas('c1', system.parts)");
    expect(pendingMutations(t)).toContain("FROM clusterAllReplicas('c1', system.mutations)");
    expect(applyDeletedMask(t, '202601')).toBe("ALTER TABLE `vt`.`events_v1_local` ON CLUSTER `c1` APPLY DELETED MASK IN PARTITION ID '202601'");
  });

  it.each(["2026' OR 1", '', 'a b', "x'); DROP TABLE y; --"])('refuses the partition id %j', (id) => {
    expect(() => applyDeletedMask({ database: 'vt' }, id)).toThrow(/partition id/);
  });
});

describe('createMerkleNodesTable', () => {
  it('single node: one MergeTree ordered by (tenant_id, level, idx), no TTL (leaf hashes outlive retention)', () => {
    const [sql, ...rest] = createMerkleNodesTable({ database: 'vt' });
    expect(rest).toEqual([]);
    expect(sql).toContain('`vt`.`merkle_nodes_v1`');
    expect(sql).toContain('ENGINE = MergeTree');
    expect(sql).toContain('ORDER BY (tenant_id, level, idx)');
    expect(sql).not.toContain('TTL');
  });

  it('cluster: replicated local table plus a Distributed table sharded like events', () => {
    const [local, dist] = createMerkleNodesTable({ database: 'vt', cluster: 'c1' });
    expect(local).toContain('`vt`.`merkle_nodes_v1_local` ON CLUSTER `c1`');
    expect(local).toContain("ReplicatedMergeTree('/clickhouse/tables/{shard}/vt/merkle_nodes_v1_local', '{replica}')");
    expect(columnLines(local!)).toEqual(columnLines(createMerkleNodesTable({ database: 'vt' })[0]!));
    expect(dist).toContain('ENGINE = Distributed(`c1`, `vt`, `merkle_nodes_v1_local`, cityHash64(tenant_id))');
  });
});

describe('addDelegationColumns (migration 5): actor type agent, on_behalf_of_id, impersonator_id', () => {
  it('is migration 5, appended after the shipped ones', () => {
    expect(CLICKHOUSE_MIGRATIONS.map((m) => m.version).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(CLICKHOUSE_MIGRATIONS[4]).toMatchObject({ name: 'events_v1_delegation', statements: addDelegationColumns });
  });

  it('the enum holds every actor type of the contract, the shipped codes unchanged', () => {
    const values = [...ACTOR_TYPE_ENUM.matchAll(/'([a-z_]+)' = (\d+)/g)].map((m) => [m[1], Number(m[2])]);
    expect(values.map((v) => v[0])).toEqual([...ACTOR_TYPES]);
    expect(values).toEqual([['user', 1], ['service', 2], ['api_key', 3], ['system', 4], ['agent', 5]]);
    // The original table's enum is a prefix of the new one (MODIFY COLUMN only appends).
    const original = createEventsTable({ database: 'vt' })[0]!.match(/actor_type (Enum8\([^)]*\))/)![1]!;
    expect(ACTOR_TYPE_ENUM.startsWith(original.slice(0, -1))).toBe(true);
  });

  it('single node: one ALTER of events_v1, no ON CLUSTER', () => {
    const stmts = addDelegationColumns({ database: 'vt' });
    expect(stmts).toEqual([
      `ALTER TABLE \`vt\`.\`events_v1\`
MODIFY COLUMN actor_type Enum8('user' = 1, 'service' = 2, 'api_key' = 3, 'system' = 4, 'agent' = 5),
ADD COLUMN IF NOT EXISTS on_behalf_of_id String DEFAULT '' AFTER actor_id,
ADD COLUMN IF NOT EXISTS impersonator_id String DEFAULT '' AFTER on_behalf_of_id,
ADD INDEX IF NOT EXISTS idx_on_behalf_of_id on_behalf_of_id TYPE bloom_filter(0.01) GRANULARITY 2,
ADD INDEX IF NOT EXISTS idx_impersonator_id impersonator_id TYPE bloom_filter(0.01) GRANULARITY 2`,
    ]);
  });

  it('cluster: the local table ON CLUSTER with indexes, then the Distributed table (columns and enum, no indexes)', () => {
    const [local, distributed, ...rest] = addDelegationColumns({ database: 'vt', cluster: 'c1' });
    expect(rest).toEqual([]);
    expect(local).toMatch(/^ALTER TABLE `vt`.`events_v1_local` ON CLUSTER `c1`\nMODIFY COLUMN actor_type Enum8\(.*'agent' = 5\),\n/);
    expect(local).toContain('ADD INDEX IF NOT EXISTS idx_on_behalf_of_id');
    expect(distributed).toBe(`ALTER TABLE \`vt\`.\`events_v1\` ON CLUSTER \`c1\`
MODIFY COLUMN actor_type ${ACTOR_TYPE_ENUM},
ADD COLUMN IF NOT EXISTS on_behalf_of_id String DEFAULT '' AFTER actor_id,
ADD COLUMN IF NOT EXISTS impersonator_id String DEFAULT '' AFTER on_behalf_of_id`);
  });
});

describe('dropExpiresAt (migration 6): events_v1 loses the column nothing reads', () => {
  it('is migration 6, appended after the shipped ones', () => {
    expect(CLICKHOUSE_MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(CLICKHOUSE_MIGRATIONS[5]).toMatchObject({ name: 'events_v1_drop_expires_at', statements: dropExpiresAt });
  });

  it('single node: one ALTER of events_v1; cluster: the local table, then the Distributed table, ON CLUSTER', () => {
    expect(dropExpiresAt({ database: 'vt' })).toEqual(['ALTER TABLE `vt`.`events_v1` DROP COLUMN IF EXISTS expires_at']);
    expect(dropExpiresAt({ database: 'vt', cluster: 'c1' })).toEqual([
      'ALTER TABLE `vt`.`events_v1_local` ON CLUSTER `c1` DROP COLUMN IF EXISTS expires_at',
      'ALTER TABLE `vt`.`events_v1` ON CLUSTER `c1` DROP COLUMN IF EXISTS expires_at',
    ]);
  });

  it('stored rows no longer carry it', () => {
    const now = Date.UTC(2026, 0, 1);
    const checked = checkEvent({ action: 'user.login', occurred_at: '2026-01-01T00:00:00Z', actor: { type: 'user', id: 'u_1' } }, now);
    if (!checked.ok) throw new Error(JSON.stringify(checked.details));
    const row = JSON.parse(
      buildStoredEvent(checked.event, {
        tenantId: 'ten_1',
        id: '0190a1b2-0000-7000-8000-000000000000',
        receivedAtMs: now,
      }).line,
    ) as Record<string, unknown>;
    expect(row).not.toHaveProperty('expires_at');
    expect(row).toHaveProperty('leaf_hash');
  });
});
