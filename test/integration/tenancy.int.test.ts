import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { Api, createKey, createTenant, createTestEnv, event, flushWrites, listAll, startApp, until, type RunningApp, type TestEnv } from '../support/harness.js';

describe('operator API, API keys, scopes and meta-audit', () => {
  let env: TestEnv;
  let app: RunningApp;
  let api: Api;

  beforeAll(async () => {
    env = await createTestEnv();
    app = await startApp(env);
    api = new Api(app.url);
  });

  afterAll(async () => {
    await app?.close();
    await env?.drop();
  });

  describe('operator API', () => {
    it('401 without, or with a wrong, operator token — an API key is not an operator token', async () => {
      expect((await api.get('/admin/v1/tenants')).status).toBe(401);
      const wrong = await api.get('/admin/v1/tenants', { token: `${env.adminToken}x` });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('invalid_credentials');
      const t = await createTenant(api, env, 'Not operator');
      expect((await api.get('/admin/v1/tenants', { token: t.key })).status).toBe(401);
      const basic = await api.get('/admin/v1/tenants', { headers: { authorization: `Basic ${Buffer.from(`a:${env.adminToken}`).toString('base64')}` } });
      expect(basic.status).toBe(401);
    });

    it('creates a tenant with a first key holding every scope', async () => {
      const r = await api.post('/admin/v1/tenants', { token: env.adminToken, body: { name: 'Acme', retention_days: 90 } });
      expect(r.status).toBe(201);
      expect(r.body.tenant).toMatchObject({ name: 'Acme', status: 'active', retention_days: 90, read_auditing: true });
      expect(r.body.api_key.scopes).toEqual(['events:write', 'events:read', 'exports', 'webhooks', 'privacy', 'admin', 'alerts']);
      expect(r.body.api_key.key).toMatch(/^vt_[0-9A-Za-z]{38}$/);
      const trail = await listAll(api, r.body.api_key.key, { action: 'veritrail.*' });
      expect(trail.map((e) => e.action).sort()).toEqual(['veritrail.api_key.created', 'veritrail.tenant.created']);
      expect(trail.find((e) => e.action === 'veritrail.tenant.created').actor).toEqual({ type: 'system', id: 'operator', name: 'Veritrail operator' });
    });

    it('validates bodies: unknown fields, bad retention, empty name', async () => {
      for (const body of [{ name: '' }, { name: 'x', retention_days: 0 }, { name: 'x', plan: 'gold' }, {}]) {
        const r = await api.post('/admin/v1/tenants', { token: env.adminToken, body });
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error.code).toBe('validation_failed');
      }
    });

    it('lists tenants with a keyset cursor: no repeats, no skips', async () => {
      for (let i = 0; i < 7; i++) await createTenant(api, env, `List ${i}`);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await api.get('/admin/v1/tenants', { token: env.adminToken, query: { limit: 3, cursor } });
        expect(r.status).toBe(200);
        seen.push(...r.body.data.map((t: { id: string }) => t.id));
        cursor = r.body.next_cursor ?? undefined;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThanOrEqual(9);
    });

    it('suspending a tenant blocks its keys (403 tenant_suspended); resuming restores them; changes are audited', async () => {
      const t = await createTenant(api, env, 'Suspend me');
      expect((await api.get('/v1/events', { token: t.key })).status).toBe(200);
      const s = await api.patch(`/admin/v1/tenants/${t.id}`, { token: env.adminToken, body: { status: 'suspended' } });
      expect(s.status).toBe(200);
      const blocked = await api.post('/v1/events', { token: t.key, body: event() });
      expect(blocked.status).toBe(403);
      expect(blocked.body.error.code).toBe('tenant_suspended');
      await api.patch(`/admin/v1/tenants/${t.id}`, { token: env.adminToken, body: { status: 'active', name: 'Resumed' } });
      const trail = await listAll(api, t.key, { action: 'veritrail.tenant.updated' });
      const changes = trail.flatMap((e) => e.changes);
      expect(changes).toEqual(expect.arrayContaining([{ field: 'status', before: 'active', after: 'suspended' }, { field: 'name', before: 'Suspend me', after: 'Resumed' }]));
    });

    it('deleting a tenant removes its events and control-plane rows; other tenants are untouched', async () => {
      const doomed = await createTenant(api, env, 'Doomed');
      const kept = await createTenant(api, env, 'Kept');
      await api.post('/v1/events/batch', { token: doomed.key, body: { events: [event(), event()] } });
      await api.post('/v1/events', { token: kept.key, body: event() });
      const del = await api.delete(`/admin/v1/tenants/${doomed.id}`, { token: env.adminToken });
      expect(del.status).toBe(204);
      expect((await api.get(`/admin/v1/tenants/${doomed.id}`, { token: env.adminToken })).status).toBe(404);
      expect((await api.get('/v1/events', { token: doomed.key })).status).toBe(401);
      const ch = app.app.get(ClickHouseService);
      const count = async (id: string) =>
        Number((await ch.query<{ n: number }>(`SELECT count() AS n FROM ${ch.tables.events} WHERE tenant_id = {t:String}`, { t: id }))[0]!.n);
      expect(await count(doomed.id)).toBe(0);
      expect(await count(kept.id)).toBeGreaterThan(0);
      const prisma = app.app.get(PrismaService);
      expect(await prisma.apiKey.count({ where: { tenantId: doomed.id } })).toBe(0);
      expect((await api.delete(`/admin/v1/tenants/${doomed.id}`, { token: env.adminToken })).status).toBe(404);
    });

    it('the operator can mint a key for a tenant (recorded in its trail)', async () => {
      const t = await createTenant(api, env, 'Lost key');
      const r = await api.post(`/admin/v1/tenants/${t.id}/api-keys`, { token: env.adminToken, body: { name: 'recovery', scopes: ['admin'] } });
      expect(r.status).toBe(201);
      expect((await api.get('/v1/api-keys', { token: r.body.key })).status).toBe(200);
      expect((await api.post('/admin/v1/tenants/ten_nope/api-keys', { token: env.adminToken, body: { name: 'x', scopes: ['admin'] } })).status).toBe(404);
    });
  });

  describe('API keys', () => {
    it('shows the key once; listings and the database never contain it (AU-05)', async () => {
      const t = await createTenant(api, env, 'Keys');
      const created = await api.post('/v1/api-keys', { token: t.key, body: { name: 'ingest', scopes: ['events:write'] } });
      expect(created.status).toBe(201);
      const key = created.body.key as string;
      expect(created.body).toMatchObject({ name: 'ingest', scopes: ['events:write'], organization_id: null, prefix: key.slice(0, 11) });
      const list = await api.get('/v1/api-keys', { token: t.key });
      expect(list.text).not.toContain(key);
      expect(list.body.data.find((k: { id: string }) => k.id === created.body.id)).toMatchObject({ prefix: key.slice(0, 11), revoked_at: null });
      const prisma = app.app.get(PrismaService);
      const dump = JSON.stringify(await prisma.$queryRawUnsafe('SELECT * FROM api_keys'));
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(key.slice(11));
      expect(dump).not.toContain(t.key);
    });

    it('Guarantee 4: an ingest-only key cannot read, list keys or manage anything (403 insufficient_scope)', async () => {
      const t = await createTenant(api, env, 'Append only');
      const writer = await createKey(api, t.key, { scopes: ['events:write'] });
      expect((await api.post('/v1/events', { token: writer, body: event() })).status).toBe(201);
      for (const [method, path] of [
        ['GET', '/v1/events'],
        ['GET', '/v1/events/stats'],
        ['GET', '/v1/events/01a20000-0000-7000-8000-000000000000'],
        ['GET', '/v1/api-keys'],
        ['POST', '/v1/api-keys'],
        ['DELETE', '/v1/api-keys/key_x'],
        ['GET', '/v1/settings/auditing'],
      ] as const) {
        const r = await api.request(method, path, { token: writer, body: method === 'POST' ? { name: 'x', scopes: ['admin'] } : undefined });
        expect(r.status, `${method} ${path}`).toBe(403);
        expect(r.body.error.code).toBe('insufficient_scope');
      }
      const reader = await createKey(api, t.key, { scopes: ['events:read'] });
      expect((await api.post('/v1/events', { token: reader, body: event() })).status).toBe(403);
    });

    it('a revoked key fails at once; revocation is audited', async () => {
      const t = await createTenant(api, env, 'Revoke');
      const created = await api.post('/v1/api-keys', { token: t.key, body: { name: 'temp', scopes: ['events:read'] } });
      const key = created.body.key as string;
      expect((await api.get('/v1/events', { token: key })).status).toBe(200); // now cached
      const del = await api.delete(`/v1/api-keys/${created.body.id}`, { token: t.key });
      expect(del.status).toBe(200);
      expect(del.body.revoked_at).toBeTruthy();
      const after = await api.get('/v1/events', { token: key });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('invalid_credentials');
      expect((await api.delete(`/v1/api-keys/${created.body.id}`, { token: t.key })).status).toBe(404);
      const trail = await listAll(api, t.key, { action: 'veritrail.api_key.revoked' });
      expect(trail.map((e) => e.targets[0].id)).toEqual([created.body.id]);
      const withRevoked = await api.get('/v1/api-keys', { token: t.key, query: { include_revoked: true } });
      expect(withRevoked.body.data.map((k: { id: string }) => k.id)).toContain(created.body.id);
      const live = await api.get('/v1/api-keys', { token: t.key });
      expect(live.body.data.map((k: { id: string }) => k.id)).not.toContain(created.body.id);
    });

    it('AU-05: malformed, unknown, checksum-invalid and expired keys all get the same 401', async () => {
      const t = await createTenant(api, env, 'Bad keys');
      const soon = await api.post('/v1/api-keys', { token: t.key, body: { name: 'soon', scopes: ['events:read'], expires_at: new Date(Date.now() + 1500).toISOString() } });
      expect(soon.status).toBe(201);
      expect((await api.get('/v1/events', { token: soon.body.key })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1600));
      const flipped = `${t.key.slice(0, 10)}${t.key[10] === 'A' ? 'B' : 'A'}${t.key.slice(11)}`;
      const candidates = [soon.body.key, flipped, 'vt_', 'nope', `${t.key}x`, 'vt_00000000000000000000000000000000000000'];
      const bodies = new Set<string>();
      for (const key of candidates) {
        const r = await api.get('/v1/events', { token: key });
        expect(r.status, key).toBe(401);
        bodies.add(JSON.stringify({ ...r.body.error, request_id: undefined }));
      }
      expect(bodies.size).toBe(1);
      const past = await api.post('/v1/api-keys', { token: t.key, body: { name: 'past', scopes: ['admin'], expires_at: '2020-01-01T00:00:00Z' } });
      expect(past.status).toBe(400);
    });

    it('organization-scoped keys may only hold organization scopes and cannot mint keys', async () => {
      const t = await createTenant(api, env, 'Org keys');
      const bad = await api.post('/v1/api-keys', { token: t.key, body: { name: 'x', scopes: ['admin'], organization_id: 'org_1' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].code).toBe('scope_not_allowed');
      const ok = await api.post('/v1/api-keys', { token: t.key, body: { name: 'x', scopes: ['events:read', 'exports'], organization_id: 'org_1' } });
      expect(ok.status).toBe(201);
      expect(ok.body.organization_id).toBe('org_1');
    });

    it('records last_used_at', async () => {
      const t = await createTenant(api, env, 'Last used');
      const key = await api.post('/v1/api-keys', { token: t.key, body: { name: 'used', scopes: ['events:read'] } });
      await api.get('/v1/events', { token: key.body.key });
      // last_used_at is written after the answer (at most once a minute per key): poll for it.
      await until('last_used_at recorded', async () => (await api.get('/v1/api-keys', { token: t.key })).body.data.find((k: { id: string }) => k.id === key.body.id).last_used_at);
    });

    it('lists keys with a cursor bound to the tenant', async () => {
      const t = await createTenant(api, env, 'Key pages');
      const other = await createTenant(api, env, 'Key pages other');
      for (let i = 0; i < 4; i++) await createKey(api, t.key, { scopes: ['events:read'] });
      const first = await api.get('/v1/api-keys', { token: t.key, query: { limit: 2 } });
      expect(first.body.next_cursor).toBeTruthy();
      const stolen = await api.get('/v1/api-keys', { token: other.key, query: { limit: 2, cursor: first.body.next_cursor } });
      expect(stolen.status).toBe(400);
      const all: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await api.get('/v1/api-keys', { token: t.key, query: { limit: 2, cursor } });
        all.push(...r.body.data.map((k: { id: string }) => k.id));
        cursor = r.body.next_cursor ?? undefined;
      } while (cursor);
      expect(new Set(all).size).toBe(5);
    });
  });

  describe('meta-audit (Guarantee 5)', () => {
    it('records reads unless the tenant turns read auditing off; the switch itself is recorded', async () => {
      const t = await createTenant(api, env, 'Reads');
      const e = await api.post('/v1/events', { token: t.key, body: event({ action: 'doc.opened' }) });
      await api.get('/v1/events', { token: t.key, query: { action: 'doc.opened' } });
      await api.get(`/v1/events/${e.body.id}`, { token: t.key });
      await api.get('/v1/events/stats', { token: t.key });
      // Read entries are batched in the background (about a second): commit them now.
      await flushWrites(app);
      const reads = await listAll(api, t.key, { action: 'veritrail.*' });
      const actions = reads.map((x) => x.action);
      expect(actions).toEqual(expect.arrayContaining(['veritrail.events.searched', 'veritrail.event.viewed', 'veritrail.events.stats_viewed']));
      const viewed = reads.find((x) => x.action === 'veritrail.event.viewed');
      expect(viewed.targets).toEqual([{ type: 'event', id: e.body.id }]);
      expect(viewed.actor.type).toBe('api_key');
      expect(viewed.context.request_id).toMatch(/^req_/);
      const searched = reads.find((x) => x.action === 'veritrail.events.searched');
      expect(searched.metadata).toEqual({ filters: { action: 'doc.opened' }, returned: 1 });

      const off = await api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
      expect(off).toMatchObject({ status: 200, body: { read_auditing: false } });
      await flushWrites(app); // entries of the reads above
      const before = (await listAll(api, t.key, { action: 'veritrail.*' })).length;
      await api.get('/v1/events', { token: t.key });
      await api.get(`/v1/events/${e.body.id}`, { token: t.key });
      // Entries of these reads, had any been recorded, were queued before the answers came back.
      await flushWrites(app);
      const afterList = await listAll(api, t.key, { action: 'veritrail.*' });
      expect(afterList.length).toBe(before);
      expect(afterList.map((x) => x.action)).toContain('veritrail.settings.updated');
      expect((await api.get('/v1/settings/auditing', { token: t.key })).body).toEqual({ read_auditing: false });
    });
  });
});
