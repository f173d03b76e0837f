import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PRISMA_MIGRATIONS_DIR } from '../../src/common/paths.js';
import { EmbeddedPostgres } from '../../src/storage/postgres/embedded-postgres.js';
import { migratePostgres } from '../../src/storage/postgres/migrator.js';
import { SERVER_ADMIN_URL } from './global-setup.js';

/**
 * An empty PostgreSQL database for a data-moving migration test: a scratch database on the
 * server when the project runs against one (VT_TEST_POSTGRES=server), else a fresh embedded
 * engine. `migrateBefore(name)` applies every migration older than `name`, so the test can write
 * rows in the old shape before `migrateAll()` runs the rest.
 */
export interface MigrationDb {
  client: pg.Client;
  migrateBefore(migration: string): Promise<void>;
  migrateAll(): Promise<string[]>;
  close(): Promise<void>;
}

export async function migrationDb(prefix: string): Promise<MigrationDb> {
  const dir = await mkdtemp(join(tmpdir(), `vt-${prefix}-migration-`));
  let client: pg.Client;
  let closeStore: () => Promise<void>;
  if (process.env.VT_TEST_POSTGRES === 'server') {
    const database = `vt_${prefix.replace(/[^a-z0-9]/g, '')}_${process.pid}_${Date.now()}`;
    const admin = new pg.Client(SERVER_ADMIN_URL);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(SERVER_ADMIN_URL);
    url.pathname = `/${database}`;
    client = new pg.Client(url.toString());
    closeStore = async () => {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    };
  } else {
    const engine = await EmbeddedPostgres.start(join(dir, 'pg'), 2);
    client = new pg.Client(engine.poolConfig);
    closeStore = async () => {
      await client.end();
      await engine.stop();
    };
  }
  await client.connect();
  return {
    client,
    async migrateBefore(migration) {
      const before = join(dir, 'before');
      for (const name of await readdir(PRISMA_MIGRATIONS_DIR)) {
        if (!/^\d/.test(name) || name < migration) await cp(join(PRISMA_MIGRATIONS_DIR, name), join(before, name), { recursive: true });
      }
      await migratePostgres(client, before);
    },
    migrateAll: () => migratePostgres(client, PRISMA_MIGRATIONS_DIR),
    async close() {
      await closeStore();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
