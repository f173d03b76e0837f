import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseAccess } from '../../src/cli/veritrail.js';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { accessStatements, ROW_POLICY, TENANT_SETTING } from '../../src/storage/clickhouse/access.js';
import { runInLane, tenantLane, BACKGROUND_LANE } from '../../src/storage/clickhouse/engine-scheduler.js';
import { ClickHouseStandIn } from '../support/clickhouse-stand-in.js';
import { Api, createTenant, createTestEnv, event, startApp, useApp, type RunningApp, type TestEnv } from '../support/harness.js';

const USERS = { reader: { user: 'vt_reader', password: 'reader secret 1' }, writer: { user: 'vt_writer', password: 'writer secret 2' } };

/**
 * TN-05, defence in depth. What can run here: the generated access SQL, checked by ClickHouse's own
 * parser (EXPLAIN AST on chDB) and by its content; embedded chDB's refusal of access management
 * (why embedded mode has no row policy); and, against a recording stand-in of the HTTP interface,
 * that the app reads as the reader with the request's tenant in the setting the row policy checks
 * — also for a statement without any tenant predicate (the "dropped predicate" hook) — and
 * inserts as the writer. No ClickHouse server runs here, so the policy's effect on a server is not
 * executed (docs/security.md).
 */
describe('TN-05: tenant row policy and least-privilege users', () => {
  describe('generated SQL and embedded chDB', () => {
    const ctx = useApp();
    const ch = () => ctx.app.app.get(ClickHouseService);

    it('TN-05: the access statements parse with ClickHouse\'s parser, single node and cluster', async () => {
      for (const target of [{ database: 'veritrail' }, { database: 'veritrail', cluster: 'veritrail' }]) {
        for (const sql of accessStatements(target, USERS)) {
          const ast = await ch().queryText(`EXPLAIN AST ${sql}`, {}, { format: 'TabSeparatedRaw' });
          expect(ast.length, sql).toBeGreaterThan(0);
        }
      }
      // The parser does refuse what is not a statement (the check can fail).
      await expect(ch().queryText('EXPLAIN AST CREATE ROW POLICY p ON', {}, { format: 'TabSeparatedRaw' })).rejects.toThrow();
    });

    it('TN-05: reader SELECT only (readonly = 2), writer INSERT only, nothing else; the policy on every tenant table; no password in clear', () => {
      const single = accessStatements({ database: 'veritrail' }, USERS);
      const all = single.join('\n');
      expect(all).not.toContain(USERS.reader.password);
      expect(all).not.toContain(USERS.writer.password);
      expect(single).toContain("CREATE SETTINGS PROFILE IF NOT EXISTS `veritrail_reader` SETTINGS readonly = 2, SQL_veritrail_tenant = ''");
      expect(single).toContain('REVOKE ALL ON *.* FROM `vt_reader`, `vt_writer`');
      expect(single.filter((s) => s.startsWith('GRANT'))).toEqual(['GRANT SELECT ON `veritrail`.* TO `vt_reader`', 'GRANT INSERT ON `veritrail`.* TO `vt_writer`']);
      expect(all).not.toMatch(/ALTER|ALL ON `veritrail`|TRUNCATE|DROP/);
      const policies = single.filter((s) => s.startsWith('CREATE ROW POLICY'));
      expect(policies).toEqual([
        `CREATE ROW POLICY OR REPLACE \`${ROW_POLICY}\` ON \`veritrail\`.\`events_v1\` FOR SELECT USING getSetting('${TENANT_SETTING}') = '' OR tenant_id = getSetting('${TENANT_SETTING}') TO \`vt_reader\``,
        `CREATE ROW POLICY OR REPLACE \`${ROW_POLICY}\` ON \`veritrail\`.\`merkle_nodes_v1\` FOR SELECT USING getSetting('${TENANT_SETTING}') = '' OR tenant_id = getSetting('${TENANT_SETTING}') TO \`vt_reader\``,
      ]);
      const cluster = accessStatements({ database: 'veritrail', cluster: 'c1' }, USERS);
      expect(cluster.filter((s) => s.startsWith('CREATE ROW POLICY')).map((s) => /ON CLUSTER `c1` ON (\S+)/.exec(s)?.[1])).toEqual([
        '`veritrail`.`events_v1`',
        '`veritrail`.`events_v1_local`',
        '`veritrail`.`merkle_nodes_v1`',
        '`veritrail`.`merkle_nodes_v1_local`',
      ]);
      expect(() => accessStatements({ database: 'veritrail' }, { ...USERS, writer: USERS.reader })).toThrow(/different/);
      expect(() => accessStatements({ database: 'veritrail' }, { ...USERS, reader: { user: 'x; DROP', password: '' } })).toThrow(/Invalid/);
    });

    it('TN-05: `veritrail clickhouse-access` prints them from the environment', () => {
      let printed = '';
      const code = clickhouseAccess({ CLICKHOUSE_DATABASE: 'audit', CLICKHOUSE_READER_USER: 'r1', CLICKHOUSE_WRITER_USER: 'w1', CLICKHOUSE_READER_PASSWORD: 'pw-r' }, (s) => (printed += s));
      expect(code).toBe(0);
      expect(printed).toContain('GRANT SELECT ON `audit`.* TO `r1`;\n');
      expect(printed).not.toContain('pw-r');
      let refused = '';
      expect(clickhouseAccess({}, (s) => (refused += s))).toBe(2);
      expect(refused).toMatch(/CLICKHOUSE_READER_USER/);
    });

    it('TN-05 (embedded): chDB has no access management, so no row policy can back the tenant predicate there', async () => {
      await expect(ch().command(`CREATE ROW POLICY p_test ON ${ch().tables.events} USING 1 TO ALL`)).rejects.toThrow(/ACCESS_DENIED|Not enough privileges/);
      await expect(ch().query('SELECT 1', {}, { settings: { [TENANT_SETTING]: 'x' } as never })).rejects.toThrow(/Unknown setting/);
    });
  });

  describe('server mode on the wire', () => {
    let env: TestEnv;
    let app: RunningApp;
    const standIn = new ClickHouseStandIn((s) => (/count\(\) AS n/.test(s.sql) ? [{ n: 0 }] : undefined));

    beforeAll(async () => {
      await standIn.start();
      env = await createTestEnv();
      app = await startApp(env, {
        CLICKHOUSE_URL: standIn.url,
        CLICKHOUSE_USER: 'vt_admin',
        CLICKHOUSE_READER_USER: USERS.reader.user,
        CLICKHOUSE_READER_PASSWORD: USERS.reader.password,
        CLICKHOUSE_WRITER_USER: USERS.writer.user,
        CLICKHOUSE_WRITER_PASSWORD: USERS.writer.password,
        JOBS: 'none',
      });
    });

    afterAll(async () => {
      await app?.close();
      await env?.drop();
      await standIn.stop();
    });

    it('TN-05: migrations run as the main user; a tenant\'s reads as the reader with its tenant in the policy\'s setting; inserts as the writer', async () => {
      expect(standIn.matching(/^CREATE TABLE/).every((s) => s.user === 'vt_admin')).toBe(true);
      const api = new Api(app.url);
      const t = await createTenant(api, env, 'Policy');
      const other = await createTenant(api, env, 'Other');
      standIn.received.length = 0;
      expect((await api.post('/v1/events', { token: t.key, body: event({ action: 'policy.write' }) })).status).toBe(201);
      const listed = await api.get('/v1/events', { token: other.key, query: { limit: 5 } });
      expect(listed.status, listed.text).toBe(200);
      const inserts = standIn.matching(/^INSERT INTO/);
      expect(inserts.length).toBeGreaterThan(0);
      expect(inserts.every((s) => s.user === USERS.writer.user)).toBe(true);
      const reads = standIn.matching(/^SELECT/);
      expect(reads.length).toBeGreaterThan(0);
      for (const r of reads) {
        expect(r.user).toBe(USERS.reader.user);
        expect(r.settings[TENANT_SETTING]).toBe(other.id);
        // The query guard rails travel with every tenant read too.
        expect(r.settings).toMatchObject({ max_execution_time: expect.any(String), max_rows_to_read: expect.any(String), read_overflow_mode: 'throw' });
      }
    });

    it('TN-05: a statement that drops the tenant predicate (test hook) still carries the tenant the row policy filters on; jobs read with the setting empty', async () => {
      const ch = app.app.get(ClickHouseService);
      standIn.received.length = 0;
      // What a repository bug would send: no tenant_id predicate at all.
      await runInLane(tenantLane('ten_victim_reader'), () => ch.query(`SELECT count() AS n FROM ${ch.tables.events}`));
      await runInLane(BACKGROUND_LANE, () => ch.query(`SELECT count() AS n FROM ${ch.tables.events}`));
      const [unscoped, job] = standIn.matching(/^SELECT count\(\) AS n FROM/);
      expect(unscoped!.sql).not.toMatch(/tenant_id/);
      expect(unscoped!.user).toBe(USERS.reader.user);
      expect(unscoped!.settings[TENANT_SETTING]).toBe('ten_victim_reader');
      expect(job!.user).toBe(USERS.reader.user);
      expect(job!.settings[TENANT_SETTING]).toBeUndefined();
    });
  });
});
