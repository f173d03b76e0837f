import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres } from '../../src/storage/postgres/embedded-postgres.js';

/**
 * Embedded PostgreSQL serves several connections from one PGlite session. Their protocol
 * exchanges must not interleave: with pglite-socket's own queue, a transaction on one connection
 * made other connections' Parse and Bind messages pile up and then run crossed — errors ("bind
 * message supplies 1 parameters, but prepared statement requires 2") and, worse, rows of one
 * connection's query returned to another. src/storage/postgres/exchange-queue.ts keeps each
 * exchange together.
 */
describe('embedded PostgreSQL under concurrent connections', () => {
  let dir: string;
  let db: EmbeddedPostgres;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vt-embedded-pg-'));
    db = await EmbeddedPostgres.start(dir, 8);
    for (let i = 0; i < 5; i++) {
      const c = new pg.Client(db.poolConfig);
      await c.connect();
      clients.push(c);
    }
    await clients[0]!.query('CREATE TABLE a (id int PRIMARY KEY, v text); CREATE TABLE b (k text PRIMARY KEY, n int, m int)');
    await clients[0]!.query('INSERT INTO a SELECT i, $1 || i FROM generate_series(0, 49) i', ['a']);
    await clients[0]!.query('INSERT INTO b SELECT $1 || i, i, i * 2 FROM generate_series(0, 49) i', ['k']);
  });

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('every connection gets the rows of its own query while another holds transactions', async () => {
    let ok = 0;
    const wrong: string[] = [];
    const errors: string[] = [];
    await Promise.all(
      clients.map(async (c, ci) => {
        if (ci === 4) {
          for (let j = 0; j < 40; j++) {
            await c.query('BEGIN');
            await c.query('SELECT count(*) FROM a WHERE id >= $1', [0]);
            await new Promise((r) => setTimeout(r, 3));
            await c.query('COMMIT');
          }
          return;
        }
        for (let j = 0; j < 200; j++) {
          const i = j % 50;
          try {
            if (ci % 2 === 0) {
              const r = await c.query('SELECT v FROM a WHERE id = $1', [i]);
              if (r.rows.length === 1 && r.rows[0].v === `a${i}`) ok++;
              else wrong.push(JSON.stringify(r.rows));
            } else {
              const r = await c.query('SELECT n, m FROM b WHERE k = $1 AND n >= $2', [`k${i}`, 0]);
              if (r.rows.length === 1 && r.rows[0].m === i * 2) ok++;
              else wrong.push(JSON.stringify(r.rows));
            }
          } catch (err) {
            errors.push((err as Error).message);
          }
        }
      }),
    );
    expect(errors.slice(0, 3)).toEqual([]);
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(ok).toBe(800);
  });

  it('a connection that drops in the middle of a transaction does not block the others; its transaction is rolled back', async () => {
    const dropper = new pg.Client(db.poolConfig);
    dropper.on('error', () => undefined); // the connection is cut on purpose
    await dropper.connect();
    await dropper.query('BEGIN');
    await dropper.query('INSERT INTO a VALUES (1000, $1)', ['never']);
    const socket = (dropper as unknown as { connection: { stream: { destroy(): void } } }).connection.stream;
    socket.destroy();
    const r = await clients[0]!.query('SELECT count(*)::int AS n FROM a WHERE id = $1', [1000]);
    expect(r.rows[0].n).toBe(0);
  });
});
