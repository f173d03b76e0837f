import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp } from '../support/child-app.js';
import { Api, event } from '../support/harness.js';

/** What a new user sees: `npm start` on an empty machine, the operator token, the data directory. */
describe('first start (npm start, embedded stores)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vt-e2e-first-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('PEN-L6: generates the operator token once, keeps it in DATA_DIR (0600) and never writes it to the log stream', async () => {
    const first = await spawnApp({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { entry: 'launcher' });
    await first.waitReady(120_000);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    expect(token).toMatch(/^vta_[A-Za-z0-9_-]{40,}$/);
    expect((await stat(join(dataDir, 'admin-token'))).mode & 0o777).toBe(0o600);
    // Not a terminal here: the token is not printed anywhere, the log names the file.
    expect(first.stdout()).not.toContain(token);
    expect(first.stderr()).not.toContain(token);
    const notice = first.stdout().split('\n').filter((l) => l.includes('operator token')).map((l) => JSON.parse(l) as { path?: string });
    expect(notice.map((n) => n.path)).toEqual([join(dataDir, 'admin-token')]);
    // The README quickstart, over HTTP.
    const api = new Api(first.url);
    const tenant = await api.post('/admin/v1/tenants', { token, body: { name: 'Quickstart' } });
    expect(tenant.status).toBe(201);
    const key = tenant.body.api_key.key as string;
    const ingest = await api.post('/v1/events', { token: key, body: event({ action: 'user.login' }) });
    expect(ingest.status).toBe(201);
    expect((await api.get('/v1/events', { token: key, query: { action: 'user.login' } })).body.data.length).toBe(1);
    expect((await first.kill('SIGTERM')).code).toBe(0);

    const second = await spawnApp({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }, { entry: 'launcher' });
    await second.waitReady(120_000);
    expect(second.stdout()).not.toContain(token);
    // Same token, same data.
    expect((await new Api(second.url).get('/v1/events', { token: key, query: { action: 'user.login' } })).body.data[0].id).toBe(ingest.body.id);
    expect((await second.kill('SIGTERM')).code).toBe(0);
    // Logs never carry the credentials.
    for (const text of [first.stdout(), first.stderr(), second.stdout(), second.stderr()]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(token);
    }

    // A stopped instance's directories open with plain PGlite and chDB, for inspection.
    const pg = await PGlite.create({ dataDir: join(dataDir, 'postgres') });
    const rows = await pg.query<{ name: string }>('SELECT name FROM tenants');
    expect(rows.rows.map((r) => r.name)).toEqual(['Quickstart']);
    await pg.close();
    const { Session } = (await import('chdb')) as unknown as { Session: new (path: string) => { query(sql: string, fmt: string): string; close(): void } };
    const session = new Session(join(dataDir, 'clickhouse'));
    const count = session.query("SELECT count() FROM veritrail.events_v1 WHERE action = 'user.login'", 'CSV').trim();
    session.close();
    expect(count).toBe('1');
  }, 300_000);

  it('refuses to start with a bad configuration and lists every bad variable (exit code 78)', async () => {
    const app = await spawnApp({ DATA_DIR: dataDir, DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x', LOG_LEVEL: 'loud', INGEST_MAX_BATCH_EVENTS: 'many' });
    const exit = await app.exited;
    expect(exit.code).toBe(78);
    for (const name of ['ADMIN_TOKEN', 'SIGNING_KEYS_FILE', 'PRIVACY_MASTER_KEY', 'LOG_LEVEL', 'INGEST_MAX_BATCH_EVENTS']) expect(app.stderr()).toContain(name);
  });

  it('server mode: refuses to start while PostgreSQL is unreachable', async () => {
    const app = await spawnApp({
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere',
      ADMIN_TOKEN: `t-${randomBytes(16).toString('hex')}`,
      SIGNING_KEYS_FILE: join(dataDir, 'keys.json'),
      PRIVACY_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
    });
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(app.stderr()).toMatch(/failed to start/);
  });
});
