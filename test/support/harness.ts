import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp } from '../../src/app.factory.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { EventWriter } from '../../src/events/event-writer.js';

/**
 * The test harness every integration and e2e suite uses:
 *   const env = await createTestEnv();          // fresh PostgreSQL database + ClickHouse database
 *   const app = await startApp(env);            // the real app, listening on 127.0.0.1:<random>
 *   const api = new Api(app.url);               // HTTP client for it
 *   const t = await createTenant(api, env);     // a tenant and its admin key
 *   ...
 *   await app.close(); await env.drop();
 * Nothing is mocked: PostgreSQL is PGlite or the server on 127.0.0.1:5432 (per project),
 * ClickHouse is chDB in a temp directory of this test file's process.
 */
export interface TestEnv {
  /** Environment variables for loadConfig (the same ones production reads). */
  vars: Record<string, string>;
  dataDir: string;
  adminToken: string;
  postgresMode: 'embedded' | 'server';
  /** Direct SQL on the PostgreSQL database of this file (server mode only). */
  databaseUrl?: string;
  drop(): Promise<void>;
}

export async function createTestEnv(): Promise<TestEnv> {
  const template = inject('postgresTemplate');
  const dataDir = await mkdtemp(join(tmpdir(), 'vt-test-'));
  const suffix = randomBytes(5).toString('hex');
  const adminToken = `test-admin-${randomBytes(16).toString('hex')}`;
  const vars: Record<string, string> = {
    DATA_DIR: dataDir,
    ADMIN_TOKEN: adminToken,
    CLICKHOUSE_DATABASE: `vt_test_${suffix}`,
    LOG_LEVEL: process.env.VT_TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    AUTH_CACHE_TTL_MS: '5000',
    // Every replica of a test env signs with the same key file (server mode requires it).
    SIGNING_KEYS_FILE: join(dataDir, 'signing-keys.json'),
    // Likewise one privacy master key per env (server mode requires one to be configured).
    PRIVACY_MASTER_KEY: randomBytes(32).toString('base64'),
    // Background jobs run only in the suites that test them (JOBS=all there).
    JOBS: 'none',
  };
  if (template.mode === 'embedded') {
    // The cluster itself (DATA_DIR/postgres of the template), not the template's DATA_DIR: copied
    // one level too high, the app found no cluster, ran initdb and every migration again (~5 s).
    await cp(join(template.dataDir, 'postgres'), join(dataDir, 'postgres'), { recursive: true });
    return {
      vars,
      dataDir,
      adminToken,
      postgresMode: 'embedded',
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const database = `vt_test_${process.pid}_${suffix}`;
  const admin = new pg.Client(template.adminUrl);
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${database} TEMPLATE ${template.database}`);
      break;
    } catch (err) {
      // Another file may be copying the same template at this instant.
      if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = new URL(template.adminUrl);
  url.pathname = `/${database}`;
  vars.DATABASE_URL = url.toString();
  return {
    vars,
    dataDir,
    adminToken,
    postgresMode: 'server',
    databaseUrl: url.toString(),
    drop: async () => {
      const c = new pg.Client(template.adminUrl);
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await c.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  close(): Promise<void>;
}

/** Boots the real application (same createApp as main.ts) on a random loopback port. */
export async function startApp(env: TestEnv, overrides: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({ ...env.vars, ...overrides });
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    url,
    config,
    close: async () => {
      await app.getHttpAdapter().getInstance().close();
      await app.close();
    },
  };
}

export interface AppContext {
  env: TestEnv;
  app: RunningApp;
  api: Api;
  /** Creates a tenant with an admin key. */
  tenant(name?: string, body?: Record<string, unknown>): Promise<TestTenant>;
}

/**
 * The usual suite setup in one line: a fresh env and a running app for this file (beforeAll),
 * closed and dropped afterwards (afterAll).
 *   const ctx = useApp({ IDEMPOTENCY_LEASE_MS: '1000' });
 *   it('…', async () => { const t = await ctx.tenant(); await ctx.api.post(…) });
 */
export function useApp(overrides: Record<string, string> = {}): AppContext {
  const ctx = {} as AppContext;
  beforeAll(async () => {
    ctx.env = await createTestEnv();
    ctx.app = await startApp(ctx.env, overrides);
    ctx.api = new Api(ctx.app.url);
    ctx.tenant = (name = 'Tenant', body = {}) => createTenant(ctx.api, ctx.env, name, body);
  });
  afterAll(async () => {
    await ctx.app?.close();
    await ctx.env?.drop();
  });
  return ctx;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (for malformed bodies); implies no JSON serialisation. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
}

/** A small HTTP client for the app under test. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Buffer | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('GET', path, opts);
  }

  post<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('POST', path, opts);
  }

  patch<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('PATCH', path, opts);
  }

  put<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('PUT', path, opts);
  }

  delete<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('DELETE', path, opts);
  }
}

export interface TestTenant {
  id: string;
  name: string;
  /** Admin key (every scope). */
  key: string;
}

export async function createTenant(api: Api, env: TestEnv, name = 'Tenant', body: Record<string, unknown> = {}): Promise<TestTenant> {
  const r = await api.post('/admin/v1/tenants', { token: env.adminToken, body: { name, ...body } });
  if (r.status !== 201) throw new Error(`createTenant: ${r.status} ${r.text}`);
  return { id: r.body.tenant.id, name, key: r.body.api_key.key };
}

export async function createKey(api: Api, admin: string, body: Record<string, unknown>): Promise<string> {
  const r = await api.post('/v1/api-keys', { token: admin, body: { name: 'test key', ...body } });
  if (r.status !== 201) throw new Error(`createKey: ${r.status} ${r.text}`);
  return r.body.key as string;
}

let seq = 0;
/** A valid event; pass overrides for the fields a test cares about. */
export function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    action: 'user.login',
    occurred_at: new Date(Date.now() - 60_000 + seq).toISOString(),
    organization_id: 'org_1',
    outcome: 'success',
    actor: { type: 'user', id: `u_${seq}`, name: 'Ann Lee', email: 'ann@example.com' },
    targets: [{ type: 'document', id: `doc_${seq}`, name: 'Q3 plan' }],
    context: { ip: '203.0.113.5', user_agent: 'Mozilla/5.0' },
    ...overrides,
  };
}

/** Every page of GET /v1/events for the filters, following next_cursor. */
export async function listAll(api: Api, token: string, query: Record<string, string | number | undefined> = {}): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const r = await api.get('/v1/events', { token, query: { ...query, cursor } });
    if (r.status !== 200) throw new Error(`listAll: ${r.status} ${r.text}`);
    out.push(...r.body.data);
    cursor = r.body.next_cursor ?? undefined;
    if (!cursor) return out;
  }
  throw new Error('listAll: too many pages');
}

/** Customer events only (meta-audit veritrail.* events filtered out). */
export function customerEvents(events: any[]): any[] {
  return events.filter((e) => !String(e.action).startsWith('veritrail.'));
}

/**
 * Commits every event and audit-trail entry the app holds in memory (reads are recorded in the
 * background, batched for about a second): after it, the trail of the requests made so far is
 * complete, so presence and absence can be asserted without sleeping.
 */
export async function flushWrites(app: RunningApp): Promise<void> {
  await app.app.get(EventWriter).flush();
}

/** Polls `fn` until it returns something truthy (then returns it), failing after `timeoutMs`: no fixed sleeps. */
export async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const stopAt = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > stopAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
