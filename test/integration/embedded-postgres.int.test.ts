import { mkdir, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocketDir, DataDirInUseError, EmbeddedPostgres, socketDirCandidates } from '../../src/storage/postgres/embedded-postgres.js';

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

/** Inodes of the TCP sockets this process listens on (from /proc: what the kernel says, not what we configured). */
async function listeningTcpInodes(): Promise<Set<string>> {
  const own = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) own.add(m[1]!);
  }
  const listening = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && own.has(cols[9]!)) listening.add(cols[9]!); // 0A = LISTEN
    }
  }
  return listening;
}

describe('embedded PostgreSQL socket', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'vt-pg-socket-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('PEN-09: a long DATA_DIR gets a private Unix socket elsewhere, never unauthenticated TCP', async () => {
    const dataDir = join(root, 'a-data-directory-whose-path-is-far-too-long-for-a-unix-socket', 'x'.repeat(60));
    await mkdir(dataDir, { recursive: true });
    expect(join(dataDir, 'run', '.s.PGSQL.5432').length).toBeGreaterThan(107);
    // The probe sees a TCP listener of this process (so an empty answer below means something).
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const withProbe = await listeningTcpInodes();
    await new Promise((r) => probe.close(r));
    expect(withProbe.size).toBeGreaterThan((await listeningTcpInodes()).size);
    const before = await listeningTcpInodes();
    const db = await EmbeddedPostgres.start(dataDir, 2);
    try {
      expect(await listeningTcpInodes()).toEqual(before);
      // The socket sits in a fresh directory only this user can enter, with a usable path.
      const host = String(db.poolConfig.host);
      expect(host.startsWith('/')).toBe(true);
      expect(join(host, '.s.PGSQL.5432').length).toBeLessThanOrEqual(103);
      const dirStat = await stat(host);
      expect(dirStat.mode & 0o777).toBe(0o700);
      expect(dirStat.uid).toBe(process.getuid!());
      expect((await stat(join(host, '.s.PGSQL.5432'))).isSocket()).toBe(true);
      const c = new pg.Client(db.poolConfig);
      await c.connect();
      expect((await c.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await c.end();

      // Hostile: a second instance on the same directory is refused and leaves the first intact.
      await expect(EmbeddedPostgres.start(dataDir, 2)).rejects.toBeInstanceOf(DataDirInUseError);
      const again = new pg.Client(db.poolConfig);
      await again.connect();
      expect((await again.query('SELECT 2 AS two')).rows[0].two).toBe(2);
      await again.end();
    } finally {
      await db.stop();
    }
    // Stopping removes the private directory; the next start works.
    await expect(stat(String(db.poolConfig.host))).rejects.toMatchObject({ code: 'ENOENT' });
    const next = await EmbeddedPostgres.start(dataDir, 2);
    await next.stop();
  });

  it('PEN-09: a socket left behind by a killed process does not block the next start', async () => {
    const dataDir = join(root, 'a-data-directory-whose-path-is-far-too-long-for-a-unix-socket', 'x'.repeat(60));
    const first = await EmbeddedPostgres.start(dataDir, 2);
    // Simulate a crash: the directory and pointer stay, nothing answers on the socket.
    const left = String(first.poolConfig.host);
    await (first as unknown as { server: { stop(): Promise<void> } }).server.stop();
    await (first as unknown as { db: { close(): Promise<void> } }).db.close();
    await mkdir(left, { recursive: true, mode: 0o700 });
    const second = await EmbeddedPostgres.start(dataDir, 2);
    await expect(stat(left)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(String(second.poolConfig.host)).not.toBe(left);
    await second.stop();
  });

  it('PEN-09: with no short enough directory at all, the start fails with an explanation', async () => {
    const deep = join(root, 'd'.repeat(120));
    expect(socketDirCandidates(deep, { XDG_RUNTIME_DIR: deep })).not.toContain(deep);
    await expect(createSocketDir([])).rejects.toThrow(/shorter DATA_DIR|TMPDIR/);
  });
});
