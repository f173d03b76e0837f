import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRISMA_MIGRATIONS_DIR } from '../../src/common/paths.js';
import { EmbeddedPostgres } from '../../src/storage/postgres/embedded-postgres.js';
import { migratePostgres } from '../../src/storage/postgres/migrator.js';
import { SERVER_ADMIN_URL } from '../support/global-setup.js';

/**
 * The migration that leaves the tenants row to tenancy moves the OCSF mapping into ocsf_mappings
 * (owned by exports) and the self-service streams policy into streams_policies (owned by
 * webhooks): a database migrated up to the migration before it gets tenant rows, then the rest
 * is applied.
 */
const MIGRATION = '20261208000000_ocsf_mappings_and_streams_policies';

describe('migration: the OCSF mapping and the streams policy move from tenants to their own tables', () => {
  let dir: string;
  let client: pg.Client;
  let close: () => Promise<void>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vt-ocsf-streams-migration-'));
    if (process.env.VT_TEST_POSTGRES === 'server') {
      const database = `vt_ocsfmig_${process.pid}_${Date.now()}`;
      const admin = new pg.Client(SERVER_ADMIN_URL);
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      const url = new URL(SERVER_ADMIN_URL);
      url.pathname = `/${database}`;
      client = new pg.Client(url.toString());
      close = async () => {
        await client.end();
        await admin.query(`DROP DATABASE IF EXISTS ${database}`);
        await admin.end();
      };
    } else {
      const engine = await EmbeddedPostgres.start(join(dir, 'pg'), 2);
      client = new pg.Client(engine.poolConfig);
      close = async () => {
        await client.end();
        await engine.stop();
      };
    }
    await client.connect();
  });

  afterAll(async () => {
    await close?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('copies the documents tenants set, keeps no row for the defaults, drops the columns, and the rows go with their tenant', async () => {
    const before = join(dir, 'before');
    for (const name of await readdir(PRISMA_MIGRATIONS_DIR)) {
      if (!/^\d/.test(name) || name < MIGRATION) await cp(join(PRISMA_MIGRATIONS_DIR, name), join(before, name), { recursive: true });
    }
    await migratePostgres(client, before);
    const mapping = { 'document.*': 3001, 'user.login': 3002 };
    const policy = { default: 'forbidden', allowed_organizations: ['org_1'], forbidden_organizations: [] };
    await client.query(`INSERT INTO tenants (id, name, ocsf_mapping, streams_policy) VALUES ('ten_a', 'A', $1::jsonb, $2::jsonb)`, [JSON.stringify(mapping), JSON.stringify(policy)]);
    await client.query(`INSERT INTO tenants (id, name, streams_policy) VALUES ('ten_b', 'B', '{"default": "forbidden"}'::jsonb)`);
    await client.query(`INSERT INTO tenants (id, name) VALUES ('ten_c', 'C')`);

    expect(await migratePostgres(client, PRISMA_MIGRATIONS_DIR)).toContain(MIGRATION);

    expect((await client.query('SELECT tenant_id, mapping FROM ocsf_mappings ORDER BY tenant_id')).rows).toEqual([{ tenant_id: 'ten_a', mapping }]);
    expect((await client.query('SELECT tenant_id, policy FROM streams_policies ORDER BY tenant_id')).rows).toEqual([
      { tenant_id: 'ten_a', policy },
      { tenant_id: 'ten_b', policy: { default: 'forbidden' } },
    ]);
    const cols = await client.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'tenants' AND column_name IN ('ocsf_mapping', 'streams_policy')`,
    );
    expect(cols.rows).toEqual([]);
    await client.query(`DELETE FROM tenants WHERE id = 'ten_a'`);
    expect((await client.query(`SELECT tenant_id FROM ocsf_mappings WHERE tenant_id = 'ten_a'`)).rows).toEqual([]);
    expect((await client.query(`SELECT tenant_id FROM streams_policies WHERE tenant_id = 'ten_a'`)).rows).toEqual([]);
  });
});
