import { describe, expect, it } from 'vitest';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { Api, createKey, createTenant, createTestEnv, event, startApp, useApp } from '../support/harness.js';

type Entry = { action: string; events: number; first_seen_at: string; last_seen_at: string };

async function catalog(api: Api, token: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<Entry[]> {
  const out: Entry[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const r = await api.get('/v1/actions', { token, query: { ...query, cursor } });
    expect(r.status, r.text).toBe(200);
    out.push(...r.body.data);
    cursor = r.body.next_cursor ?? undefined;
    if (!cursor) return out;
  }
  throw new Error('too many pages');
}

const counts = (entries: Entry[]) => Object.fromEntries(entries.map((e) => [e.action, e.events]));

describe('GET /v1/actions: the action catalog', () => {
  const ctx = useApp();

  async function send(token: string, events: Record<string, unknown>[]) {
    const r = await ctx.api.post('/v1/events/batch', { token, body: { events } });
    expect(r.status, r.text).toBe(201);
  }

  it('counts every action per organization; organization-scoped keys see only theirs; other tenants nothing', async () => {
    const before = Date.now();
    const a = await ctx.tenant('Catalog A');
    const b = await ctx.tenant('Catalog B');
    await send(a.key, [
      ...Array.from({ length: 3 }, () => event({ action: 'user.login', organization_id: 'org_1' })),
      event({ action: 'doc.shared', organization_id: 'org_1' }),
      ...Array.from({ length: 2 }, () => event({ action: 'user.login', organization_id: 'org_2' })),
      event({ action: 'billing.paid', organization_id: 'org_2' }),
      event({ action: 'user.logout', organization_id: undefined }),
    ]);
    await send(b.key, [event({ action: 'secret.b_only', organization_id: 'org_1' })]);

    const all = await catalog(ctx.api, a.key);
    expect(counts(all)).toEqual({ 'billing.paid': 1, 'doc.shared': 1, 'user.login': 5, 'user.logout': 1 });
    expect(all.map((e) => e.action)).toEqual(['billing.paid', 'doc.shared', 'user.login', 'user.logout']);
    for (const e of all) {
      expect(Date.parse(e.first_seen_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(e.last_seen_at)).toBeGreaterThanOrEqual(Date.parse(e.first_seen_at));
      expect(Date.parse(e.last_seen_at)).toBeLessThanOrEqual(Date.now() + 1000);
    }
    // The trail's own entries (key creation, tenant setup …) only when asked for.
    expect(all.some((e) => e.action.startsWith('veritrail.'))).toBe(false);
    const withSystem = await catalog(ctx.api, a.key, { include_system: true });
    expect(withSystem.some((e) => e.action.startsWith('veritrail.'))).toBe(true);

    // Two organizations: each key sees its own counts, whatever it asks for.
    const org1 = await createKey(ctx.api, a.key, { scopes: ['events:read'], organization_id: 'org_1' });
    const org2 = await createKey(ctx.api, a.key, { scopes: ['events:read'], organization_id: 'org_2' });
    expect(counts(await catalog(ctx.api, org1))).toEqual({ 'doc.shared': 1, 'user.login': 3 });
    expect(counts(await catalog(ctx.api, org2))).toEqual({ 'billing.paid': 1, 'user.login': 2 });
    expect(await catalog(ctx.api, org1, { organization_id: 'org_2' })).toEqual([]);
    expect(counts(await catalog(ctx.api, a.key, { organization_id: 'org_2' }))).toEqual({ 'billing.paid': 1, 'user.login': 2 });
    expect(counts(await catalog(ctx.api, b.key))).toEqual({ 'secret.b_only': 1 });

    // Filters: a prefix, an exact action.
    expect(counts(await catalog(ctx.api, a.key, { action: 'user.*' }))).toEqual({ 'user.login': 5, 'user.logout': 1 });
    expect(counts(await catalog(ctx.api, a.key, { action: 'user.login' }))).toEqual({ 'user.login': 5 });
  });

  it('pages in action order without skips or repeats; cursors are bound to tenant, filters and organization scope', async () => {
    const t = await ctx.tenant('Catalog pages');
    const other = await ctx.tenant('Catalog pages other');
    const actions = Array.from({ length: 7 }, (_, i) => `page.a${i}`);
    await send(t.key, actions.map((action) => event({ action, organization_id: 'org_p' })));
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await ctx.api.get('/v1/actions', { token: t.key, query: { limit: 2, cursor } });
      expect(r.status, r.text).toBe(200);
      expect(r.body.data.length).toBeLessThanOrEqual(2);
      paged.push(...r.body.data.map((e: Entry) => e.action));
      cursor = r.body.next_cursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(actions);

    const first = await ctx.api.get('/v1/actions', { token: t.key, query: { limit: 2 } });
    const next = first.body.next_cursor as string;
    const orgKey = await createKey(ctx.api, t.key, { scopes: ['events:read'], organization_id: 'org_p' });
    for (const [token, query] of [
      [other.key, { limit: 2, cursor: next }],
      [t.key, { limit: 2, action: 'page.*', cursor: next }],
      [t.key, { limit: 2, include_system: true, cursor: next }],
      [orgKey, { limit: 2, cursor: next }],
      [t.key, { limit: 2, cursor: 'garbage' }],
    ] as const) {
      const r = await ctx.api.get('/v1/actions', { token, query });
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.body.error.code).toBe('invalid_cursor');
    }
  });

  it('counts exactly under concurrent ingest', async () => {
    const t = await ctx.tenant('Catalog concurrent');
    await Promise.all(Array.from({ length: 8 }, (_, i) => send(t.key, Array.from({ length: 25 }, () => event({ action: i % 2 ? 'load.odd' : 'load.even', organization_id: `org_${i % 3}` })))));
    expect(counts(await catalog(ctx.api, t.key))).toEqual({ 'load.even': 100, 'load.odd': 100 });
    const perOrg = await Promise.all([0, 1, 2].map(async (o) => (await catalog(ctx.api, t.key, { organization_id: `org_${o}` })).reduce((n, e) => n + e.events, 0)));
    expect(perOrg).toEqual([75, 75, 50]);
  });

  it('refuses bad input with 400 and a key without events:read with 403', async () => {
    const t = await ctx.tenant('Catalog input');
    for (const query of [{ limit: 0 }, { limit: 1001 }, { action: 'User.Login' }, { action: 'a.**' }, { include_system: 'maybe' }, { unknown: 1 }]) {
      const r = await ctx.api.get('/v1/actions', { token: t.key, query });
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
    const writer = await createKey(ctx.api, t.key, { scopes: ['events:write'] });
    const r = await ctx.api.get('/v1/actions', { token: writer });
    expect(r.status).toBe(403);
    expect((await ctx.api.get('/v1/actions')).status).toBe(401);
  });

  it('a deleted tenant leaves no catalog rows', async () => {
    const t = await ctx.tenant('Catalog deleted');
    await send(t.key, [event({ action: 'gone.soon' })]);
    const ch = ctx.app.app.get(ClickHouseService);
    const rows = async () => Number((await ch.query<{ n: string }>(`SELECT count() AS n FROM ${ch.tables.actionCatalog} WHERE tenant_id = {t:String}`, { t: t.id }))[0]!.n);
    expect(await rows()).toBeGreaterThan(0);
    const del = await ctx.api.delete(`/admin/v1/tenants/${t.id}`, { token: ctx.env.adminToken });
    expect(del.status, del.text).toBeLessThan(300);
    expect(await rows()).toBe(0);
  });
});

describe('the catalog migration fills the catalog from events stored before it', () => {
  it('after the catalog is dropped and its migration forgotten, a restart rebuilds the same counts', async () => {
    const env = await createTestEnv();
    let app = await startApp(env);
    try {
      const api = new Api(app.url);
      const t = await createTenant(api, env, 'Catalog backfill');
      const r = await api.post('/v1/events/batch', { token: t.key, body: { events: [event({ action: 'old.one' }), event({ action: 'old.one' }), event({ action: 'old.two', organization_id: 'org_x' })] } });
      expect(r.status).toBe(201);
      const expected = await catalog(api, t.key);
      expect(counts(expected)).toEqual({ 'old.one': 2, 'old.two': 1 });

      const ch = app.app.get(ClickHouseService);
      const db = ch.tables.actionCatalog.split('.')[0];
      await ch.command(`DROP VIEW IF EXISTS ${db}.\`action_catalog_mv_v1\``);
      await ch.command(`DROP TABLE IF EXISTS ${ch.tables.actionCatalog}`);
      await ch.command(`DELETE FROM ${ch.tables.migrations} WHERE version = 4`);
      await app.close();

      app = await startApp(env);
      const rebuilt = await catalog(new Api(app.url), t.key);
      expect(rebuilt).toEqual(expected);
    } finally {
      await app.close();
      await env.drop();
    }
  });
});
