import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { ClickHouseStandIn, type ReceivedStatement } from '../support/clickhouse-stand-in.js';
import { Api, createTenant, createTestEnv, event, startApp, type RunningApp, type TestEnv, type TestTenant } from '../support/harness.js';

/**
 * PROMISE-09 / PROMISE-08 in cluster mode. No ClickHouse cluster can run here, so the real app
 * (CLICKHOUSE_URL + CLICKHOUSE_CLUSTER) talks to a recording stand-in of ClickHouse's HTTP
 * interface: these tests pin down the statements and settings the app sends — they do not prove
 * how a real cluster honours them (docs/operations.md says what was and was not run).
 */
describe('cluster mode on the wire', () => {
  let env: TestEnv;
  let app: RunningApp;
  let api: Api;
  let tenant: TestTenant;
  const database = () => env.vars.CLICKHOUSE_DATABASE!;
  const unsealedTenants = new Set<string>();
  const standIn = new ClickHouseStandIn((s) => {
    if (/FROM system\.tables/.test(s.sql)) {
      return ['events_v1_local', 'merkle_nodes_v1_local', 'schema_migrations'].map((name) => ({
        name,
        engine_full: `ReplicatedMergeTree('/clickhouse/tables/{shard}/x/${name}', '{replica}') ORDER BY tuple() SETTINGS index_granularity = 8192`,
      }));
    }
    // The sealer's tenant discovery: pretend each tenant has one unsealed event.
    if (/AS oldest, count\(\) AS n/.test(s.sql)) return [...unsealedTenants].map((tenant_id) => ({ tenant_id, oldest: Date.now() - 1000, n: 1 }));
    // …and the candidate read returns it, so the sealer writes Merkle nodes and a checkpoint.
    if (/AS leaf\nFROM/.test(s.sql) && unsealedTenants.has(s.params.t ?? '')) {
      return [{ event_id: '01a20000-0000-7000-8000-00000000c1a5', r: Date.now() - 1000, leaf: 'ab'.repeat(32) }];
    }
    if (/count\(\) AS n/.test(s.sql)) return [{ n: 0 }];
    return undefined;
  });
  const inserts = (table: string): ReceivedStatement[] => standIn.matching(new RegExp(`^INSERT INTO \`${database()}\`\\.\`${table}\` FORMAT JSONEachRow`));

  beforeAll(async () => {
    await standIn.start();
    env = await createTestEnv();
    app = await startApp(env, { CLICKHOUSE_URL: standIn.url, CLICKHOUSE_CLUSTER: 'c1', JOBS: 'none' });
    api = new Api(app.url);
    tenant = await createTenant(api, env, 'Cluster');
  });

  afterAll(async () => {
    await app?.close();
    await env?.drop();
    await standIn.stop();
  });

  const QUORUM_SETTINGS = { distributed_foreground_insert: '1', insert_quorum: 'auto', insert_quorum_timeout: '30000', insert_quorum_parallel: '1' };

  it('PROMISE-09: creates replicated local tables and Distributed tables ON CLUSTER, and never buffers inserts', () => {
    const ddl = standIn.matching(/^CREATE TABLE IF NOT EXISTS/).map((s) => s.sql);
    expect(ddl.some((s) => s.includes('`events_v1_local` ON CLUSTER `c1`') && s.includes('ReplicatedMergeTree('))).toBe(true);
    expect(ddl.some((s) => s.includes('`events_v1` ON CLUSTER `c1`') && s.includes('ENGINE = Distributed(`c1`'))).toBe(true);
    for (const s of standIn.received) expect(s.settings).not.toHaveProperty('async_insert');
  });

  it('PROMISE-09: every INSERT of events and bookkeeping waits for the shards and the replica quorum before it returns', async () => {
    expect(inserts('schema_migrations').length).toBeGreaterThan(0);
    for (const s of inserts('schema_migrations')) expect(s.settings).toMatchObject(QUORUM_SETTINGS);

    const before = inserts('events_v1').length;
    const r = await api.post('/v1/events', { token: tenant.key, body: event({ action: 'cluster.checked' }) });
    expect(r.status, r.text).toBe(201);
    const sent = inserts('events_v1').slice(before);
    expect(sent.some((s) => s.data?.includes('cluster.checked'))).toBe(true);
    for (const s of inserts('events_v1')) expect(s.settings).toMatchObject(QUORUM_SETTINGS);
  });

  it('PROMISE-09: the sealer reads its candidates with sequential consistency and commits a checkpoint only over quorum-inserted Merkle nodes', async () => {
    unsealedTenants.add(tenant.id);
    try {
      // The first run appends the event to the log; a head found ahead of the last checkpoint
      // at the start of a run is signed in that run, so the second signs it.
      await app.app.get(JobRunner).runNow('seal');
      await app.app.get(JobRunner).runNow('seal');
    } finally {
      unsealedTenants.clear();
    }
    const candidates = standIn.matching(/lower\(hex\(SHA256\(concat\(char\(0\), payload\)\)\)\) AS leaf/);
    expect(candidates.length).toBeGreaterThan(0);
    for (const s of candidates) {
      expect(s.params.t).toBe(tenant.id);
      expect(s.settings.select_sequential_consistency).toBe('1');
    }
    const nodes = inserts('merkle_nodes_v1');
    expect(nodes.some((s) => s.data?.includes('01a20000-0000-7000-8000-00000000c1a5'))).toBe(true);
    for (const s of nodes) expect(s.settings).toMatchObject(QUORUM_SETTINGS);
    const checkpoints = await api.get('/v1/integrity/checkpoints', { token: tenant.key });
    expect(checkpoints.status, checkpoints.text).toBe(200);
    // A checkpoint over the event (and whatever else the stand-in's tenant logged meanwhile).
    expect(checkpoints.body.data[0].tree_size).toBeGreaterThanOrEqual(1);
    // Other reads (the API's) are not slowed down by it.
    const listed = await api.get('/v1/events', { token: tenant.key, query: { limit: 1 } });
    expect(listed.status, listed.text).toBe(200);
    const reads = standIn.matching(/^SELECT payload, toUnixTimestamp64Milli\(occurred_at\)/);
    expect(reads.length).toBeGreaterThan(0);
    for (const s of reads) expect(s.settings).not.toHaveProperty('select_sequential_consistency');
  });

  it('PROMISE-08: puts the fsync settings on the local data tables ON CLUSTER', () => {
    const alters = standIn.matching(/^ALTER TABLE .* MODIFY SETTING fsync_after_insert = 1/).map((s) => s.sql);
    const db = database();
    expect(alters.sort()).toEqual(
      [`\`${db}\`.\`events_v1_local\``, `\`${db}\`.\`merkle_nodes_v1_local\``, `\`${db}\`.\`schema_migrations\``]
        .map((t) => `ALTER TABLE ${t} ON CLUSTER \`c1\` MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1, min_compressed_bytes_to_fsync_after_merge = 1`)
        .sort(),
    );
  });
});
