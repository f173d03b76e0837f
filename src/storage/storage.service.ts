import { Logger } from '@nestjs/common';
import pg from 'pg';
import { PRISMA_MIGRATIONS_DIR } from '../common/paths.js';
import type { AppConfig } from '../config/config.js';
import { ClickHouseService } from './clickhouse/clickhouse.service.js';
import { EmbeddedPostgres } from './postgres/embedded-postgres.js';
import { migratePostgres } from './postgres/migrator.js';
import { PrismaService } from './postgres/prisma.service.js';

export interface Stores {
  prisma: PrismaService;
  clickhouse: ClickHouseService;
  embeddedPostgres?: EmbeddedPostgres;
  postgresPool: PoolConfigWithMode;
}

export interface PoolConfigWithMode extends pg.PoolConfig {
  mode: 'embedded' | 'server';
}

const logger = new Logger('Storage');

/** Embedded PGlite serialises every query anyway; a few connections let transactions interleave safely. */
const EMBEDDED_POOL_SIZE = 4;

/** Opens both stores (starting the embedded ones when no URL is given) and migrates them. */
export async function openStores(config: AppConfig, opts: { migrate: boolean }): Promise<Stores> {
  let embeddedPostgres: EmbeddedPostgres | undefined;
  let postgresPool: PoolConfigWithMode;
  if (config.postgres.url) {
    postgresPool = { mode: 'server', connectionString: config.postgres.url, max: config.postgres.poolSize };
  } else {
    embeddedPostgres = await EmbeddedPostgres.start(config.dataDir, EMBEDDED_POOL_SIZE * 2, config.storage.embeddedMemory.postgresSharedBuffersMb);
    postgresPool = { mode: 'embedded', ...embeddedPostgres.poolConfig, max: EMBEDDED_POOL_SIZE };
  }
  let clickhouse: ClickHouseService | undefined;
  try {
    if (opts.migrate) {
      const client = new pg.Client(postgresPool);
      await client.connect();
      try {
        const applied = await migratePostgres(client, PRISMA_MIGRATIONS_DIR);
        if (applied.length > 0) logger.log({ applied }, 'PostgreSQL migrations applied');
      } finally {
        await client.end();
      }
    }
    clickhouse = await ClickHouseService.connect(config);
    if (opts.migrate) {
      const ch = clickhouse;
      // Replicas starting together take turns, coordinated through PostgreSQL.
      const applied = await withAdvisoryLock(postgresPool, CLICKHOUSE_MIGRATION_LOCK, () => ch.migrate());
      if (applied.length > 0) logger.log({ applied }, 'ClickHouse migrations applied');
    }
    const prisma = new PrismaService(postgresPool);
    await prisma.$connect();
    return { prisma, clickhouse, embeddedPostgres, postgresPool };
  } catch (err) {
    await clickhouse?.close().catch(() => undefined);
    await embeddedPostgres?.stop().catch(() => undefined);
    throw err;
  }
}

const CLICKHOUSE_MIGRATION_LOCK = 72707370;

async function withAdvisoryLock<T>(poolConfig: pg.PoolConfig, lockId: number, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client(poolConfig);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockId]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [lockId]);
    }
  } finally {
    await client.end();
  }
}

export async function closeStores(stores: Stores): Promise<void> {
  await stores.prisma.$disconnect().catch((err: unknown) => logger.warn({ err }, 'closing PostgreSQL failed'));
  await stores.clickhouse.close().catch((err: unknown) => logger.warn({ err }, 'closing ClickHouse failed'));
  await stores.embeddedPostgres?.stop().catch((err: unknown) => logger.warn({ err }, 'stopping embedded PostgreSQL failed'));
}
