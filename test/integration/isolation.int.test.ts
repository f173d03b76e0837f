import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Api,
  createKey,
  createTenant,
  createTestEnv,
  customerEvents,
  event,
  listAll,
  startApp,
  type RunningApp,
  type TestEnv,
  type TestTenant,
} from '../support/harness.js';

/** Nothing crosses tenants (TN-01, TN-02, TN-04, QY-01) — by id, cursor, scoped key or filter. */
describe('tenant isolation', () => {
  let env: TestEnv;
  let app: RunningApp;
  let api: Api;
  let a: TestTenant;
  let b: TestTenant;
  const aIds: string[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    app = await startApp(env);
    api = new Api(app.url);
    a = await createTenant(api, env, 'Tenant A');
    b = await createTenant(api, env, 'Tenant B');
    for (let i = 0; i < 30; i++) {
      const r = await api.post('/v1/events', {
        token: a.key,
        body: event({ action: 'secret.read', organization_id: i % 2 ? 'org_a1' : 'org_a2', actor: { type: 'user', id: 'shared_actor', email: 'victim@example.com' } }),
      });
      expect(r.status).toBe(201);
      aIds.push(r.body.id);
    }
    await api.post('/v1/events', { token: b.key, body: event({ action: 'own.event', organization_id: 'org_a1', actor: { type: 'user', id: 'shared_actor' } }) });
  });

  afterAll(async () => {
    await app?.close();
    await env?.drop();
  });

  it("TN-01: B gets 404 (not 403) for A's event id", async () => {
    for (const id of aIds.slice(0, 5)) {
      const r = await api.get(`/v1/events/${id}`, { token: b.key });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    const own = await api.get(`/v1/events/${aIds[0]}`, { token: a.key });
    expect(own.status).toBe(200);
  });

  it("TN-01: B's searches never return A's events, whatever the filters", async () => {
    const queries: Record<string, string>[] = [
      {},
      { actor_id: 'shared_actor' },
      { organization_id: 'org_a1' },
      { action: 'secret.read' },
      { action: 'secret.*' },
      { q: 'victim@example.com' },
      { ip: '203.0.113.5' },
    ];
    for (const q of queries) {
      const events = customerEvents(await listAll(api, b.key, q));
      expect(events.every((e) => e.action === 'own.event'), JSON.stringify(q)).toBe(true);
    }
    const stats = await api.get('/v1/events/stats', { token: b.key });
    expect(stats.body.by_action.map((r: { action: string }) => r.action)).not.toContain('secret.read');
  });

  it("TN-01: B cannot revoke or see A's API keys", async () => {
    const aKeys = await api.get('/v1/api-keys', { token: a.key });
    const aKeyId = aKeys.body.data[0].id as string;
    const del = await api.delete(`/v1/api-keys/${aKeyId}`, { token: b.key });
    expect(del.status).toBe(404);
    const bKeys = await api.get('/v1/api-keys', { token: b.key });
    expect(bKeys.body.data.map((k: { id: string }) => k.id)).not.toContain(aKeyId);
    // A's key still works.
    expect((await api.get('/v1/events', { token: a.key, query: { limit: 1 } })).status).toBe(200);
  });

  it("TN-02: A's cursor replayed by B is refused with 400 invalid_cursor", async () => {
    const page = await api.get('/v1/events', { token: a.key, query: { limit: 5, action: 'secret.read' } });
    expect(page.body.next_cursor).toBeTruthy();
    const r = await api.get('/v1/events', { token: b.key, query: { limit: 5, action: 'secret.read', cursor: page.body.next_cursor } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_cursor');
  });

  it('TN-02: an edited cursor, or a cursor used with other filters, is refused', async () => {
    const page = await api.get('/v1/events', { token: a.key, query: { limit: 5, action: 'secret.read' } });
    const cursor = page.body.next_cursor as string;
    const [body, sig] = cursor.split('.');
    const decoded = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const variants = [
      // Tenant swapped, position moved, signature kept.
      `${Buffer.from(JSON.stringify({ ...decoded, t: b.id })).toString('base64url')}.${sig}`,
      `${Buffer.from(JSON.stringify({ ...decoded, p: [0, decoded.p[1]] })).toString('base64url')}.${sig}`,
      // One signature character changed, in the middle (every bit of it is significant).
      `${body}.${sig!.slice(0, 10)}${sig![10] === 'A' ? 'B' : 'A'}${sig!.slice(11)}`,
      `${body}x.${sig}`,
      'not-a-cursor',
      Buffer.from('{"offset":100}').toString('base64url'),
    ];
    for (const c of variants) {
      expect(c, 'every edited variant differs from the original').not.toBe(cursor);
      const r = await api.get('/v1/events', { token: a.key, query: { limit: 5, action: 'secret.read', cursor: c } });
      expect(r.status, c).toBe(400);
      expect(r.body.error.code).toBe('invalid_cursor');
    }
    const otherFilters = await api.get('/v1/events', { token: a.key, query: { limit: 5, action: 'secret.*', cursor } });
    expect(otherFilters.status).toBe(400);
    expect(otherFilters.body.error.code).toBe('invalid_cursor');
    const otherOrder = await api.get('/v1/events', { token: a.key, query: { limit: 5, action: 'secret.read', order: 'asc', cursor } });
    expect(otherOrder.status).toBe(400);
  });

  it('an organization-scoped key sees and writes only its organization', async () => {
    const orgKey = await createKey(api, a.key, { scopes: ['events:read', 'events:write'], organization_id: 'org_a1' });
    const events = customerEvents(await listAll(api, orgKey, {}));
    expect(events.length).toBe(15);
    expect(events.every((e) => e.organization_id === 'org_a1')).toBe(true);
    // Asking for another organization returns nothing (the scope is ANDed, not replaced).
    expect(customerEvents(await listAll(api, orgKey, { organization_id: 'org_a2' }))).toEqual([]);
    const other = aIds.find((_, i) => i % 2 === 0)!; // org_a2
    expect((await api.get(`/v1/events/${other}`, { token: orgKey })).status).toBe(404);
    const stats = await api.get('/v1/events/stats', { token: orgKey });
    expect(stats.body.by_action.find((r: { action: string }) => r.action === 'secret.read').count).toBe(15);
    // Writes: organization filled in when omitted, refused when different.
    const w = await api.post('/v1/events', { token: orgKey, body: event({ action: 'org.write', organization_id: undefined }) });
    expect(w.status).toBe(201);
    expect((await api.get(`/v1/events/${w.body.id}`, { token: orgKey })).body.organization_id).toBe('org_a1');
    const bad = await api.post('/v1/events', { token: orgKey, body: event({ action: 'org.write', organization_id: 'org_a2' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].code).toBe('organization_scope');
    const mixed = await api.post('/v1/events/batch', {
      token: orgKey,
      body: { events: [event({ action: 'org.write', organization_id: undefined }), event({ action: 'org.write', organization_id: 'org_a2' })] },
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.details).toEqual([expect.objectContaining({ index: 1, field: 'events[1].organization_id', code: 'organization_scope' })]);
    // No key management with an organization key.
    expect((await api.get('/v1/api-keys', { token: orgKey })).status).toBe(403);
  });

  it('TN-04: injection attempts in filters are refused by the grammar or bound as plain values', async () => {
    const attempts = [
      "x' OR 1=1 --",
      "') OR tenant_id!=('",
      "' UNION SELECT payload FROM events_v1 --",
      '; DROP TABLE events_v1',
      '/*',
      '{tenant_id:String}',
      'SETTINGS readonly=0',
      "FORMAT TSV INTO OUTFILE '/tmp/x'",
    ];
    const params = ['actor_id', 'organization_id', 'target_id', 'target_type', 'q', 'action', 'ip', 'outcome', 'actor_type', 'on_behalf_of', 'impersonator', 'involving', 'from', 'to', 'order'];
    for (const attempt of attempts) {
      for (const param of params) {
        const r = await api.get('/v1/events', { token: b.key, query: { [param]: attempt } });
        // Grammar-checked parameters refuse; free identifiers are bound parameters and match nothing.
        if (r.status === 200) expect(customerEvents(r.body.data), `${param}=${attempt}`).toEqual([]);
        else {
          expect(r.status, `${param}=${attempt}`).toBe(400);
          expect(r.body.error.code).toBe('validation_failed');
        }
      }
    }
    // The table is still there and A's data intact.
    expect(customerEvents(await listAll(api, a.key, { action: 'secret.read' })).length).toBe(30);
  });

  it('QY-01: oversized limits and patterns are refused, unknown parameters too', async () => {
    const bad: Record<string, string>[] = [
      { limit: '1000000' },
      { limit: '0' },
      { limit: '-1' },
      { limit: 'ten' },
      { q: 'x'.repeat(10 * 1024) },
      { q: 'a b c d e f g h i' },
      { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      { tenant_id: a.id },
      { offset: '100' },
    ];
    for (const q of bad) {
      const r = await api.get('/v1/events', { token: b.key, query: q });
      expect(r.status, JSON.stringify(q).slice(0, 80)).toBe(400);
    }
    const max = await api.get('/v1/events', { token: b.key, query: { limit: 1000 } });
    expect(max.status).toBe(200);
  });

  it('PEN-L7: a NUL (or another control character) in a path id is 400 invalid_path_parameter on every route, never a 500', async () => {
    const routes: [string, string, string?][] = [
      ['DELETE', '/v1/api-keys/%00'],
      ['DELETE', '/v1/api-keys/key_%00x'],
      ['GET', '/v1/events/%00'],
      ['GET', '/v1/events/%00/proof'],
      ['GET', '/v1/exports/%00'],
      ['GET', '/v1/exports/%00/download'],
      ['DELETE', '/v1/exports/%00'],
      ['GET', '/v1/webhooks/%00'],
      ['PATCH', '/v1/webhooks/%00'],
      ['GET', '/v1/webhooks/%00/deliveries'],
      ['GET', '/v1/alert-rules/%00'],
      ['PATCH', '/v1/alerts/%00'],
      ['POST', '/v1/privacy/subjects/%00/access'],
      ['POST', '/v1/privacy/subjects/a%0Ab/erasure'],
      ['GET', '/admin/v1/tenants/%00', 'operator'],
      ['DELETE', '/admin/v1/tenants/%1F', 'operator'],
    ];
    for (const [method, path, who] of routes) {
      const r = await api.request(method, path, { token: who === 'operator' ? env.adminToken : a.key, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect(r.status, `${method} ${path}`).toBe(400);
      expect(r.body.error.code, `${method} ${path}`).toBe('invalid_path_parameter');
      expect(r.body.error.request_id).toMatch(/^req_/);
    }
    // Before any credential is looked at: the same answer without one, and nothing changed.
    expect((await api.delete('/v1/api-keys/%00')).body.error.code).toBe('invalid_path_parameter');
    expect((await api.get('/v1/api-keys', { token: a.key })).body.data.length).toBeGreaterThan(0);
    // Ordinary odd ids still answer 404.
    expect((await api.delete('/v1/api-keys/key_doesnotexist', { token: a.key })).status).toBe(404);
    expect((await api.get('/v1/events/%E2%80%AE', { token: a.key })).status).toBe(404);
  });

  it('a repeated query parameter is refused rather than guessed', async () => {
    const r = await fetch(`${app.url}/v1/events?actor_id=a&actor_id=b`, { headers: { authorization: `Bearer ${b.key}` } });
    expect(r.status).toBe(400);
  });
});
