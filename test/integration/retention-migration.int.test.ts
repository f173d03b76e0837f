import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationDb, type MigrationDb } from '../support/migration-db.js';

/**
 * The migration that gives retention its own table moves what tenants held (retention_days,
 * retention_floor_days, the retention_policy document) into retention_policies, and the privacy
 * settings document into privacy_settings: a database migrated up to the migration before it
 * gets tenant rows, then the rest is applied.
 */
const MIGRATION = '20261207080000_retention_and_privacy_settings';

describe('migration: retention and privacy settings move from tenants to their own tables', () => {
  let db: MigrationDb;
  let client: pg.Client;

  beforeAll(async () => {
    db = await migrationDb('retmig');
    client = db.client;
  });

  afterAll(async () => {
    await db?.close();
  });

  it('copies default, floor, overrides, holds, the PCI flag and privacy settings, reads malformed documents as empty, and drops the columns', async () => {
    await db.migrateBefore(MIGRATION);
    const policy = {
      actions: [{ action: 'document.viewed', days: 90 }, { action: 'billing.*', days: 400 }],
      legal_holds: [{ organization_id: 'org_1', reason: 'matter 7', since: '2026-01-02T03:04:05.000Z' }],
      pci_dss: true,
    };
    const privacy = { scrubbing: { mode: 'redact', truncate_ip: true }, notices: { actions: { 'user.deleted': 'deletion' } } };
    await client.query(`INSERT INTO tenants (id, name, retention_days, retention_floor_days, retention_policy, privacy_settings) VALUES ('ten_a', 'A', 400, 30, $1::jsonb, $2::jsonb)`, [
      JSON.stringify(policy),
      JSON.stringify(privacy),
    ]);
    await client.query(`INSERT INTO tenants (id, name, retention_days, retention_floor_days, retention_policy) VALUES ('ten_b', 'B', 60, 60, '{"actions": "x", "pci_dss": "yes"}'::jsonb)`);
    await client.query(`INSERT INTO tenants (id, name) VALUES ('ten_c', 'C')`);

    expect(await db.migrateAll()).toContain(MIGRATION);

    const { rows } = await client.query('SELECT tenant_id, default_days, floor_days, actions, legal_holds, pci_dss FROM retention_policies ORDER BY tenant_id');
    expect(rows).toEqual([
      { tenant_id: 'ten_a', default_days: 400, floor_days: 30, actions: policy.actions, legal_holds: policy.legal_holds, pci_dss: true },
      { tenant_id: 'ten_b', default_days: 60, floor_days: 60, actions: [], legal_holds: [], pci_dss: false },
      { tenant_id: 'ten_c', default_days: 365, floor_days: 365, actions: [], legal_holds: [], pci_dss: false },
    ]);
    // Only a tenant that had privacy settings gets a row (none: the defaults, as before).
    expect((await client.query('SELECT tenant_id, settings FROM privacy_settings ORDER BY tenant_id')).rows).toEqual([{ tenant_id: 'ten_a', settings: privacy }]);
    const cols = await client.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'tenants' AND (column_name LIKE 'retention%' OR column_name = 'privacy_settings')`,
    );
    expect(cols.rows).toEqual([]);
    // The policy goes with its tenant.
    await client.query(`DELETE FROM tenants WHERE id = 'ten_a'`);
    expect((await client.query(`SELECT tenant_id FROM retention_policies WHERE tenant_id = 'ten_a'`)).rows).toEqual([]);
    expect((await client.query(`SELECT tenant_id FROM privacy_settings WHERE tenant_id = 'ten_a'`)).rows).toEqual([]);
  });
});
