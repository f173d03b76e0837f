import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { PRISMA_MIGRATIONS_DIR } from '../../src/common/paths.js';
import { EmbeddedPostgres } from '../../src/storage/postgres/embedded-postgres.js';
import { migratePostgres } from '../../src/storage/postgres/migrator.js';

/**
 * Migrates ONE template PostgreSQL database per run with the project's own runner; every test
 * file then gets a fresh copy of it (a PGlite directory copy, or CREATE DATABASE … TEMPLATE).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: { mode: 'embedded'; dataDir: string } | { mode: 'server'; adminUrl: string; database: string };
  }
}

export const SERVER_ADMIN_URL = process.env.VT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mode = project.config.env?.VT_TEST_POSTGRES === 'server' ? 'server' : 'embedded';
  if (mode === 'embedded') {
    const dataDir = await mkdtemp(join(tmpdir(), 'vt-pg-template-'));
    const pgInstance = await EmbeddedPostgres.start(dataDir, 2);
    const client = new pg.Client(pgInstance.poolConfig);
    await client.connect();
    await migratePostgres(client, PRISMA_MIGRATIONS_DIR);
    await client.end();
    await pgInstance.stop();
    project.provide('postgresTemplate', { mode, dataDir });
    return async () => {
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const database = `vt_template_${process.pid}`;
  const admin = new pg.Client(SERVER_ADMIN_URL);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(SERVER_ADMIN_URL);
  url.pathname = `/${database}`;
  const client = new pg.Client(url.toString());
  await client.connect();
  await migratePostgres(client, PRISMA_MIGRATIONS_DIR);
  await client.end();
  project.provide('postgresTemplate', { mode, adminUrl: SERVER_ADMIN_URL, database });
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  };
}
