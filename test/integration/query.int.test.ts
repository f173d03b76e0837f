import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEvent } from '../../src/events/event-rules.js';
import { buildStoredEvent } from '../../src/events/stored-event.js';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { Api, createTenant, createTestEnv, customerEvents, event, listAll, startApp, type RunningApp, type TestEnv, type TestTenant } from '../support/harness.js';

describe('query', () => {
  let env: TestEnv;
  let app: RunningApp;
  let api: Api;
  let t: TestTenant;
  const base = Date.parse('2026-06-01T00:00:00Z');

  beforeAll(async () => {
    env = await createTestEnv();
    app = await startApp(env);
    api = new Api(app.url);
    t = await createTenant(api, env, 'Query');
    await api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const events = [
      event({ action: 'user.login', occurred_at: new Date(base + 1000).toISOString(), organization_id: 'org_1', outcome: 'success', actor: { type: 'user', id: 'alice', name: 'Alice Liddell' }, context: { ip: '198.51.100.7' } }),
      event({ action: 'user.login', occurred_at: new Date(base + 2000).toISOString(), organization_id: 'org_1', outcome: 'failure', actor: { type: 'user', id: 'bob', name: 'Bob Stone' }, context: { ip: '2001:db8::1' } }),
      event({ action: 'user.logout', occurred_at: new Date(base + 3000).toISOString(), organization_id: 'org_2', actor: { type: 'user', id: 'alice' } }),
      event({ action: 'username.changed', occurred_at: new Date(base + 4000).toISOString(), organization_id: 'org_2', actor: { type: 'service', id: 'sync-bot' } }),
      event({
        action: 'document.shared',
        occurred_at: new Date(base + 86_400_000).toISOString(),
        organization_id: 'org_1',
        actor: { type: 'api_key', id: 'key_9' },
        targets: [{ type: 'document', id: 'doc_42', name: 'Quarterly Forecast' }, { type: 'user', id: 'carol' }],
        metadata: { reason: 'Audit 100% complete_now' },
      }),
    ];
    const r = await api.post('/v1/events/batch', { token: t.key, body: { events } });
    expect(r.status).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
    await env?.drop();
  });

  const actions = async (query: Record<string, string | number>) => customerEvents(await listAll(api, t.key, query)).map((e) => `${e.action}:${e.actor.id}`);

  it('filters by every documented parameter', async () => {
    expect(await actions({ organization_id: 'org_2' })).toEqual(['username.changed:sync-bot', 'user.logout:alice']);
    expect(await actions({ actor_id: 'alice' })).toEqual(['user.logout:alice', 'user.login:alice']);
    expect(await actions({ actor_type: 'service' })).toEqual(['username.changed:sync-bot']);
    expect(await actions({ action: 'user.login' })).toEqual(['user.login:bob', 'user.login:alice']);
    // user.* matches user.login and user.logout but not username.changed
    expect(await actions({ action: 'user.*' })).toEqual(['user.logout:alice', 'user.login:bob', 'user.login:alice']);
    expect(await actions({ target_id: 'carol' })).toEqual(['document.shared:key_9']);
    expect(await actions({ target_type: 'document', organization_id: 'org_1' })).toEqual(['document.shared:key_9', 'user.login:bob', 'user.login:alice']);
    expect(await actions({ outcome: 'failure' })).toEqual(['user.login:bob']);
    expect(await actions({ ip: '2001:db8::1' })).toEqual(['user.login:bob']);
    expect(await actions({ from: new Date(base + 2000).toISOString(), to: new Date(base + 4000).toISOString() })).toEqual(['user.logout:alice', 'user.login:bob']);
  });

  it('q: every term must appear, case-insensitively; LIKE wildcards are literal', async () => {
    expect(await actions({ q: 'quarterly FORECAST' })).toEqual(['document.shared:key_9']);
    expect(await actions({ q: 'alice liddell' })).toEqual(['user.login:alice']);
    expect(await actions({ q: '100%' })).toEqual(['document.shared:key_9']);
    expect(await actions({ q: 'complete_now' })).toEqual(['document.shared:key_9']);
    expect(await actions({ q: '0%' })).toEqual(['document.shared:key_9']);
    // Unescaped, "b_b" would be a LIKE pattern matching "bob".
    expect(await actions({ q: 'b_b' })).toEqual([]);
    expect(await actions({ q: 'bob' })).toEqual(['user.login:bob']);
    expect(await actions({ q: 'nothing-matches-this' })).toEqual([]);
  });

  it('q: terms that cannot narrow a scan are refused before any query runs (400 search_term_too_broad)', async () => {
    for (const q of ['%', 'x', 'quarterly _', '%% forecast', '***']) {
      const r = await api.get('/v1/events', { token: t.key, query: { q } });
      expect(r.status, q).toBe(400);
      expect(r.body.error.details, q).toEqual([expect.objectContaining({ field: 'q', code: 'search_term_too_broad' })]);
      const s = await api.get('/v1/events/stats', { token: t.key, query: { q } });
      expect(s.status, q).toBe(400);
    }
    expect(await actions({ q: 'quarterly fo' })).toEqual(['document.shared:key_9']);
  });

  it('orders newest first by default, oldest first with order=asc', async () => {
    const desc = customerEvents(await listAll(api, t.key, {})).map((e) => e.occurred_at);
    const asc = customerEvents(await listAll(api, t.key, { order: 'asc' })).map((e) => e.occurred_at);
    expect(desc).toEqual([...desc].sort().reverse());
    expect(asc).toEqual([...desc].reverse());
  });

  it('stats count by action, outcome and UTC day', async () => {
    const r = await api.get('/v1/events/stats', { token: t.key, query: { from: new Date(base).toISOString(), to: new Date(base + 2 * 86_400_000).toISOString() } });
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(5);
    expect(r.body.by_action).toEqual(
      expect.arrayContaining([
        { action: 'user.login', count: 2 },
        { action: 'document.shared', count: 1 },
      ]),
    );
    expect(r.body.by_outcome).toEqual(expect.arrayContaining([{ outcome: 'failure', count: 1 }, { outcome: 'success', count: 4 }]));
    expect(r.body.by_day).toEqual([
      { day: '2026-06-01', count: 4 },
      { day: '2026-06-02', count: 1 },
    ]);
  });

  it('pages never skip or repeat while ingest continues, in both orders', async () => {
    const p = await createTenant(api, env, 'Paging');
    await api.put('/v1/settings/auditing', { token: p.key, body: { read_auditing: false } });
    // Many events share one occurred_at so ties are broken by id.
    const sameTime = new Date(base).toISOString();
    const initial = Array.from({ length: 240 }, (_, i) => event({ action: 'page.item', occurred_at: i % 3 ? sameTime : new Date(base + i).toISOString(), metadata: { i } }));
    const stored = await api.post('/v1/events/batch', { token: p.key, body: { events: initial } });
    const ids = new Set<string>(stored.body.ids);
    for (const order of ['desc', 'asc'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const r = await api.get('/v1/events', { token: p.key, query: { limit: 17, order, action: 'page.item', cursor } });
        expect(r.status).toBe(200);
        seen.push(...r.body.data.map((e: { id: string }) => e.id));
        cursor = r.body.next_cursor ?? undefined;
        // Concurrent ingest between pages: new events land after "now", i.e. ahead of a desc
        // traversal and behind an asc one; neither may shift the pages being read.
        await api.post('/v1/events', { token: p.key, body: event({ action: 'page.item', occurred_at: new Date().toISOString() }) });
        pages++;
      } while (cursor);
      const fromInitial = seen.filter((id) => ids.has(id));
      expect(new Set(seen).size).toBe(seen.length); // no repeats
      expect(new Set(fromInitial).size).toBe(initial.length); // no skips
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(240 / 17));
    }
  });

  it('limit bounds the page and next_cursor is null on the last page', async () => {
    const r = await api.get('/v1/events', { token: t.key, query: { limit: 2, organization_id: 'org_2' } });
    expect(r.body.data.length).toBe(2);
    const r2 = await api.get('/v1/events', { token: t.key, query: { limit: 3, organization_id: 'org_2' } });
    expect(r2.body.next_cursor).toBeNull();
  });

  it('GET /v1/events/{id}: ids are case-insensitive', async () => {
    const [first] = customerEvents(await listAll(api, t.key, { limit: 1 }));
    const r = await api.get(`/v1/events/${String(first.id).toUpperCase()}`, { token: t.key });
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(first.id);
  });

  it('GET /v1/events/{id}: unknown and malformed ids are 404', async () => {
    expect((await api.get('/v1/events/01a20000-0000-7000-8000-000000000000', { token: t.key })).status).toBe(404);
    expect((await api.get('/v1/events/not-a-uuid', { token: t.key })).status).toBe(404);
    expect((await api.get("/v1/events/'%20OR%201=1", { token: t.key })).status).toBe(404);
  });

  it('RT-01: rows past the retention horizon are never returned, even before TTL removes them', async () => {
    const r = await createTenant(api, env, 'Retention', { retention_days: 365 });
    await api.put('/v1/settings/auditing', { token: r.key, body: { read_auditing: false } });
    const ch = app.app.get(ClickHouseService);
    const now = Date.now();
    const day = 86_400_000;
    // Received 364 d 23 h 59 min ago (kept) and 365 d 0 h 1 min ago (expired). Stored through
    // the real row builder, with the tenant's retention, as ingest would have done then.
    const rows = [
      { id: '01a20000-0000-7000-8000-0000000000a1', receivedAtMs: now - 365 * day + 60_000, action: 'retention.kept' },
      { id: '01a20000-0000-7000-8000-0000000000a2', receivedAtMs: now - 365 * day - 60_000, action: 'retention.expired' },
    ].map((row) => {
      const c = checkEvent(event({ action: row.action, occurred_at: new Date(row.receivedAtMs).toISOString() }), row.receivedAtMs);
      if (!c.ok) throw new Error('invalid');
      // Give both the same physical expiry far ahead, as if TTL had not run yet.
      return buildStoredEvent(c.event, { tenantId: r.id, id: row.id, receivedAtMs: row.receivedAtMs }).line;
    });
    await ch.insertRows(ch.tables.events, rows);
    const found = customerEvents(await listAll(api, r.key, {})).map((e) => e.action);
    expect(found).toEqual(['retention.kept']);
    expect((await api.get('/v1/events/01a20000-0000-7000-8000-0000000000a2', { token: r.key })).status).toBe(404);
    const stats = await api.get('/v1/events/stats', { token: r.key });
    expect(stats.body.by_action.map((x: { action: string }) => x.action)).not.toContain('retention.expired');
    // Shortening retention hides more at once.
    await api.patch(`/admin/v1/tenants/${r.id}`, { token: env.adminToken, body: { retention_days: 30 } });
    expect(customerEvents(await listAll(api, r.key, {}))).toEqual([]);
  });
});
