import { createHash } from 'node:crypto';
import { onCluster, tableNames, type DdlTarget } from './ddl.js';

/**
 * Defence in depth for server mode (TEST-CATALOG TN-05): the API reads as a read-only user and
 * writes as an insert-only user, and every read of tenant data goes through a row policy keyed on
 * a per-query setting the ClickHouse client fills from the request's tenant (its engine lane),
 * not from the repository that wrote the SQL. A repository that forgot its `tenant_id` predicate
 * still gets only the requesting tenant's rows.
 *
 * The setting is a custom one (`SQL_` is in ClickHouse's default `custom_settings_prefixes`); it
 * is empty for jobs and the system lane, which the policy lets read every tenant (they visit
 * tenants on purpose). chDB (embedded mode) has no access control: it runs everything as its
 * built-in `default` user, refuses CREATE USER / ROW POLICY (ACCESS_DENIED) and does not accept
 * custom settings, so none of this applies there (docs/security.md).
 */
export const TENANT_SETTING = 'SQL_veritrail_tenant';
export const READER_PROFILE = 'veritrail_reader';
export const ROW_POLICY = 'veritrail_tenant_isolation';

export interface AccessUsers {
  reader: { user: string; password: string };
  writer: { user: string; password: string };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function ident(name: string): string {
  if (!NAME.test(name)) throw new Error(`Invalid ClickHouse name: ${name}`);
  return `\`${name}\``;
}

/** SHA-256 of the password, so the generated SQL never holds it in clear. */
function passwordHash(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('hex');
}

/**
 * The statements an administrator runs once (idempotent; `veritrail clickhouse-access` prints
 * them): the reader's settings profile (readonly = 2: SELECT only, settings may be changed per
 * query, which the limits and the tenant setting need), the two users with their only grants, and
 * the row policy on every table holding tenant rows (the local tables on a cluster, where shards
 * check it for the initial user when the cluster has an inter-server `<secret>`).
 */
export function accessStatements(t: DdlTarget, users: AccessUsers): string[] {
  const on = onCluster(t);
  const db = ident(t.database);
  const names = tableNames(t);
  const reader = ident(users.reader.user);
  const writer = ident(users.writer.user);
  if (users.reader.user === users.writer.user) throw new Error('The reader and the writer must be different users');
  const tenantTables = [...new Set([names.events, names.eventsLocal, names.merkleNodes, names.merkleNodesLocal])];
  return [
    `CREATE SETTINGS PROFILE IF NOT EXISTS ${ident(READER_PROFILE)}${on} SETTINGS readonly = 2, ${TENANT_SETTING} = ''`,
    `CREATE USER IF NOT EXISTS ${reader}${on} IDENTIFIED WITH sha256_hash BY '${passwordHash(users.reader.password)}' SETTINGS PROFILE '${READER_PROFILE}'`,
    `CREATE USER IF NOT EXISTS ${writer}${on} IDENTIFIED WITH sha256_hash BY '${passwordHash(users.writer.password)}'`,
    `REVOKE${on} ALL ON *.* FROM ${reader}, ${writer}`,
    `GRANT${on} SELECT ON ${db}.* TO ${reader}`,
    `GRANT${on} INSERT ON ${db}.* TO ${writer}`,
    ...tenantTables.map(
      (table) =>
        `CREATE ROW POLICY OR REPLACE ${ident(ROW_POLICY)}${on} ON ${table} FOR SELECT USING getSetting('${TENANT_SETTING}') = '' OR tenant_id = getSetting('${TENANT_SETTING}') TO ${reader}`,
    ),
  ];
}
