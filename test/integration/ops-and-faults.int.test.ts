import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { STORES } from '../../src/storage/storage.module.js';
import type { Stores } from '../../src/storage/storage.service.js';
import { Api, createTenant, createTestEnv, customerEvents, event, listAll, startApp, type RunningApp, type TestEnv, type TestTenant } from '../support/harness.js';

describe('ops endpoints', () => {
  let env: TestEnv;
  let app: RunningApp;
  let api: Api;
  let t: TestTenant;

  beforeAll(async () => {
    env = await createTestEnv();
    app = await startApp(env);
    api = new Api(app.url);
    t = await createTenant(api, env, 'Ops');
  });

  afterAll(async () => {
    await app?.close();
    await env?.drop();
  });

  it('GET / points a newcomer at the docs and health endpoints (JSON, or HTML for a browser); /favicon.ico exists', async () => {
    const json = await api.get('/');
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ name: 'Veritrail', links: { docs: '/docs', healthz: '/healthz', readyz: '/readyz', metrics: '/metrics' } });
    for (const href of Object.values(json.body.links as Record<string, string>)) expect((await api.get(href)).status, href).toBe(200);
    const html = await api.get('/', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.text).toContain('href="/docs"');
    const icon = await api.get('/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('healthz and readyz answer; readyz checks both stores', async () => {
    expect((await api.get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await api.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { postgres: 'up', clickhouse: 'up' } });
  });

  it('metrics expose request latency, ingest counts and group-commit batch sizes and waits', async () => {
    await api.post('/v1/events/batch', { token: t.key, body: { events: [event(), event(), event()] } });
    const m = await api.get('/metrics');
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toContain('text/plain');
    expect(m.text).toMatch(/veritrail_http_request_duration_seconds_bucket\{.*route="\/v1\/events\/batch".*\}/);
    expect(m.text).toMatch(/veritrail_ingest_events_total\{result="stored"\} \d+/);
    expect(m.text).toMatch(/veritrail_group_commit_batch_rows_count\{writer="events"\} \d+/);
    expect(m.text).toMatch(/veritrail_group_commit_wait_seconds_bucket/);
    expect(m.text).toMatch(/veritrail_group_commit_flush_seconds_bucket/);
    // No tenant ids or keys in label values.
    expect(m.text).not.toContain(t.id);
  });

  it('serves Swagger UI at /docs and the spec at /docs/openapi.json', async () => {
    const ui = await api.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const spec = await api.get('/docs/openapi.json');
    expect(spec.body.paths['/v1/events'].post.operationId).toBe('createEvent');
  });

  it('echoes a sane X-Request-Id, replaces a hostile one, and puts it in every error', async () => {
    const mine = await api.get('/healthz', { headers: { 'x-request-id': 'trace-123' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-123');
    const hostile = await api.get('/nope', { headers: { 'x-request-id': 'a\u0000b'.replace('\u0000', '') + ' x'.repeat(50) } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^req_/);
    expect(hostile.status).toBe(404);
    expect(hostile.body).toEqual({ error: { code: 'route_not_found', message: expect.any(String), request_id: hostile.headers.get('x-request-id') } });
  });

  it('401 with WWW-Authenticate for a missing credential', async () => {
    const r = await api.get('/v1/events');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('missing_credentials');
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('storage faults', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv();
  });

  afterAll(async () => {
    await env?.drop();
  });

  it('AU-07: an internal error answers a correlation id only — no SQL, table names or stack', async () => {
    const app = await startApp(env);
    try {
      const api = new Api(app.url);
      const t = await createTenant(api, env, 'Internal');
      const ch = app.app.get(ClickHouseService);
      // A schema that no longer matches our SQL (a bug, not an outage): the read fails with UNKNOWN_IDENTIFIER.
      await ch.command(`ALTER TABLE ${ch.tables.events} RENAME COLUMN payload TO payload_renamed`);
      const r = await api.get('/v1/events', { token: t.key });
      await ch.command(`ALTER TABLE ${ch.tables.events} RENAME COLUMN payload_renamed TO payload`);
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: { code: 'internal_error', message: expect.any(String), request_id: expect.stringMatching(/^req_/) } });
      expect(r.text).not.toMatch(/events_v1|DB::Exception|SELECT|payload|at .*\.ts|clickhouse/i);
    } finally {
      await app.close();
    }
  });

  it('DU-06: with ClickHouse failing nothing is acknowledged (503 + Retry-After) and readyz degrades', async () => {
    const app = await startApp(env);
    const api = new Api(app.url);
    const t = await createTenant(api, env, 'CH down');
    const ch = app.app.get(ClickHouseService);
    // A refused insert: the table is gone for a moment.
    await ch.command(`DETACH TABLE ${ch.tables.events}`);
    const keyed = event({ action: 'never.stored', idempotency_key: 'k-ch-down' });
    const refused = await api.post('/v1/events', { token: t.key, body: keyed });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('storage_unavailable');
    expect(refused.headers.get('retry-after')).toBe('1');
    const refusedBatch = await api.post('/v1/events/batch', { token: t.key, body: { events: [event({ action: 'never.stored' })] } });
    expect(refusedBatch.status).toBe(503);
    await ch.command(`ATTACH TABLE ${ch.tables.events}`);
    expect(customerEvents(await listAll(api, t.key, { action: 'never.stored' }))).toEqual([]);
    // The client's retry with the same key succeeds exactly once.
    const retry = await api.post('/v1/events', { token: t.key, body: keyed });
    expect(retry.status).toBe(201);
    expect(customerEvents(await listAll(api, t.key, { action: 'never.stored' })).length).toBe(1);
    // A connection that is gone: every write is refused, readiness says so.
    await ch.close();
    const gone = await api.post('/v1/events', { token: t.key, body: event({ action: 'never.stored' }) });
    expect(gone.status).toBe(503);
    const ready = await api.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.clickhouse).toBe('down');
    await app.close().catch(() => undefined);
  });

  it('DU-06: consecutive failures open the circuit (fail fast with Retry-After); after the cool-down one probe closes it', async () => {
    const app = await startApp(env, { CLICKHOUSE_BREAKER_THRESHOLD: '3', CLICKHOUSE_BREAKER_COOLDOWN_MS: '800' });
    const api = new Api(app.url);
    const t = await createTenant(api, env, 'Breaker');
    const ch = app.app.get(ClickHouseService);
    await ch.command(`DETACH TABLE ${ch.tables.events}`);
    for (let i = 0; i < 3; i++) expect((await api.post('/v1/events', { token: t.key, body: event({ action: 'breaker.down' }) })).status).toBe(503);
    expect(ch.breakerOpen).toBe(true);
    await ch.command(`ATTACH TABLE ${ch.tables.events}`).catch(() => undefined); // refused while open
    expect(ch.breakerOpen).toBe(true);
    const fast = await api.post('/v1/events', { token: t.key, body: event({ action: 'breaker.down' }) });
    expect(fast.status).toBe(503);
    expect(fast.body.error.code).toBe('storage_unavailable');
    expect(Number(fast.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // After the cool-down the probe goes through; it still fails (the table is detached) and re-opens the circuit…
    await new Promise((r) => setTimeout(r, 900));
    expect((await api.post('/v1/events', { token: t.key, body: event({ action: 'breaker.down' }) })).status).toBe(503);
    expect(ch.breakerOpen).toBe(true);
    // …then, with ClickHouse healthy again, the next probe closes it and writes go through.
    await new Promise((r) => setTimeout(r, 900));
    await ch.command(`ATTACH TABLE ${ch.tables.events}`);
    expect(ch.breakerOpen).toBe(false);
    const ok = await api.post('/v1/events', { token: t.key, body: event({ action: 'breaker.up' }) });
    expect(ok.status).toBe(201);
    expect(customerEvents(await listAll(api, t.key, { action: 'breaker.down' }))).toEqual([]);
    await app.close();
  });

  it('DU-07: with PostgreSQL unavailable, authentication fails closed (503, never a pass)', async () => {
    const app = await startApp(env, { AUTH_CACHE_TTL_MS: '0' });
    const api = new Api(app.url);
    const t = await createTenant(api, env, 'PG down');
    let restore: () => Promise<void> = async () => undefined;
    if (env.postgresMode === 'embedded') {
      await (app.app.get(STORES) as Stores).embeddedPostgres!.stop();
    } else {
      const url = new URL(env.databaseUrl!);
      const db = url.pathname.slice(1);
      url.pathname = '/postgres';
      const admin = new pg.Client(url.toString());
      await admin.connect();
      await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db]);
      restore = async () => {
        await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS true`);
        await admin.end();
      };
    }
    try {
      const r = await api.post('/v1/events', { token: t.key, body: event() });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('storage_unavailable');
      const ready = await api.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.postgres).toBe('down');
    } finally {
      await restore();
      await app.close().catch(() => undefined);
    }
  });
});
