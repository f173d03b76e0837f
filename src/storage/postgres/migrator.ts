import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

/** Same lock id `prisma migrate` takes, so our runner and Prisma's never run at once. */
export const PRISMA_ADVISORY_LOCK = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface AppliedMigration {
  name: string;
  checksum: string;
}

/**
 * Applies `prisma/migrations/<timestamp>_<name>/migration.sql` in order and records each in
 * `_prisma_migrations` exactly as Prisma does (same table, same SHA-256 checksum of the file),
 * so `prisma migrate status` and `prisma migrate deploy` agree with it wherever Prisma's
 * schema engine is available. Each migration runs in its own transaction; concurrent runners
 * (several replicas starting at once) serialise on Prisma's advisory lock.
 */
export async function migratePostgres(client: pg.PoolClient | pg.Client, migrationsDir: string): Promise<string[]> {
  const files = await readMigrations(migrationsDir);
  await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r]));
    const problems: string[] = [];
    for (const [name, row] of applied) {
      const file = files.find((f) => f.name === name);
      if (!row.finished_at) problems.push(`${name} started but did not finish; resolve it before starting`);
      else if (file && file.checksum !== row.checksum) problems.push(`${name} was modified after it was applied`);
    }
    if (problems.length > 0) throw new Error(`PostgreSQL migrations are inconsistent: ${problems.join('; ')}`);
    const done: string[] = [];
    for (const file of files) {
      if (applied.has(file.name)) continue;
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, file.checksum, file.name],
        );
        await client.query(file.sql);
        await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`PostgreSQL migration ${file.name} failed: ${(err as Error).message}`, { cause: err });
      }
      done.push(file.name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]);
  }
}

export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(e.name))
    .map((e) => e.name)
    .sort();
  const out: MigrationFile[] = [];
  for (const name of names) {
    const sql = await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8');
    out.push({ name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}
