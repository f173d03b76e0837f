import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationDb, type MigrationDb } from '../support/migration-db.js';

/**
 * The migration that leaves the tenants row to tenancy moves the OCSF mapping into ocsf_mappings
 * (owned by exports) and the self-service streams policy into streams_policies (owned by
 * webhooks): a database migrated up to the migration before it gets tenant rows, then the rest
 * is applied.
 */
const MIGRATION = '20261208000000_ocsf_mappings_and_streams_policies';

describe('migration: the OCSF mapping and the streams policy move from tenants to their own tables', () => {
  let db: MigrationDb;
  let client: pg.Client;

  beforeAll(async () => {
    db = await migrationDb('ocsfmig');
    client = db.client;
  });

  afterAll(async () => {
    await db?.close();
  });

  it('copies the documents tenants set, keeps no row for the defaults, drops the columns, and the rows go with their tenant', async () => {
    await db.migrateBefore(MIGRATION);
    const mapping = { 'document.*': 3001, 'user.login': 3002 };
    const policy = { default: 'forbidden', allowed_organizations: ['org_1'], forbidden_organizations: [] };
    await client.query(`INSERT INTO tenants (id, name, ocsf_mapping, streams_policy) VALUES ('ten_a', 'A', $1::jsonb, $2::jsonb)`, [JSON.stringify(mapping), JSON.stringify(policy)]);
    await client.query(`INSERT INTO tenants (id, name, streams_policy) VALUES ('ten_b', 'B', '{"default": "forbidden"}'::jsonb)`);
    await client.query(`INSERT INTO tenants (id, name) VALUES ('ten_c', 'C')`);

    expect(await db.migrateAll()).toContain(MIGRATION);

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
