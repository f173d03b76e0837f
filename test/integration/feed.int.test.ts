import { describe, expect, it } from 'vitest';
import { createKey, customerEvents, event, useApp, type Api, type TestTenant } from '../support/harness.js';

/** Pages of the feed from `cursor` until a page comes back empty; returns the events and the last cursor. */
async function drain(api: Api, token: string, cursor?: string, query: Record<string, string | number> = {}) {
  const events: any[] = [];
  for (let i = 0; i < 1000; i++) {
    const r = await api.get('/v1/events/feed', { token, query: { limit: 1000, ...query, cursor } });
    expect(r.status).toBe(200);
    expect(typeof r.body.next_cursor).toBe('string');
    cursor = r.body.next_cursor;
    if (r.body.data.length === 0) return { events, cursor: cursor! };
    events.push(...r.body.data);
  }
  throw new Error('feed never ran dry');
}

/** The SIEM feed: every event exactly once, in log order (EX-03, TN-03). */
describe('event feed', () => {
  const ctx = useApp({ JOBS: 'seal', SEAL_INTERVAL: '500ms' });

  async function quietTenant(name: string): Promise<TestTenant> {
    const t = await ctx.tenant(name);
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    return t;
  }

  /** Seals now; the background seal may hold the tenant's lease for a moment (409), so retry. */
  async function seal(t: TestTenant) {
    for (let i = 0; i < 50; i++) {
      const r = await ctx.api.post('/v1/integrity/seal', { token: t.key });
      if (r.status !== 409) return r;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('seal stayed busy');
  }

  it('delivers every acknowledged event exactly once while two writers ingest for 20 s', async () => {
    const t = await quietTenant('Feed exactly once');
    const acknowledged = new Set<string>();
    const stopAt = Date.now() + 20_000;
    let seq = 0;
    // Writers mix batches and single events; every fifth batch is "late" (occurred_at a week ago),
    // which a time-ordered cursor would skip once it has moved past that time.
    const writer = async (name: string) => {
      while (Date.now() < stopAt) {
        const late = seq++ % 5 === 0;
        const occurred_at = new Date(Date.now() - (late ? 7 * 86_400_000 : 0)).toISOString();
        if (seq % 3 === 0) {
          const r = await ctx.api.post('/v1/events', { token: t.key, body: event({ action: 'feed.single', occurred_at, metadata: { name } }) });
          expect(r.status).toBe(201);
          acknowledged.add(r.body.id);
        } else {
          const n = 1 + (seq % 40);
          const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: n }, (_, i) => event({ action: 'feed.batch', occurred_at, metadata: { name, i } })) } });
          expect(r.status).toBe(201);
          for (const id of r.body.ids) acknowledged.add(id);
        }
      }
    };
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    const poller = async () => {
      while (Date.now() < stopAt) {
        const r = await ctx.api.get('/v1/events/feed', { token: t.key, query: { limit: 250, cursor } });
        expect(r.status).toBe(200);
        expect(r.body.next_cursor).toEqual(expect.any(String));
        seen.push(...customerEvents(r.body.data).map((e: any) => e.id));
        cursor = r.body.next_cursor;
        pages++;
        await new Promise((res) => setTimeout(res, 50));
      }
    };
    await Promise.all([writer('a'), writer('b'), poller()]);
    // Catch up: seal what is left and keep polling with the same cursor.
    expect((await seal(t)).status).toBe(200);
    const rest = await drain(ctx.api, t.key, cursor);
    seen.push(...customerEvents(rest.events).map((e) => e.id));

    expect(acknowledged.size).toBeGreaterThan(500);
    expect(pages).toBeGreaterThan(20);
    expect(new Set(seen).size).toBe(seen.length); // no duplicates
    expect(new Set(seen)).toEqual(acknowledged); // no gaps, nothing unacknowledged
  }, 90_000);

  it('answers an empty page with a cursor that keeps working, and picks up later events from there', async () => {
    const t = await quietTenant('Feed empty');
    // The tenant's own setup entries (veritrail.*) may already be sealed: no customer event yet.
    const first = await ctx.api.get('/v1/events/feed', { token: t.key });
    expect(first.status).toBe(200);
    expect(customerEvents(first.body.data)).toEqual([]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const again = await ctx.api.get('/v1/events/feed', { token: t.key, query: { cursor: first.body.next_cursor } });
    expect(customerEvents(again.body.data)).toEqual([]);
    expect(again.body.next_cursor).toEqual(expect.any(String));

    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: [event({ action: 'feed.later' }), event({ action: 'feed.later' })] } });
    await seal(t);
    const after = await drain(ctx.api, t.key, again.body.next_cursor);
    expect(customerEvents(after.events).map((e) => e.id).sort()).toEqual([...r.body.ids].sort());
    // The cursor of the empty page at the end still works and has nothing new.
    const tail = await ctx.api.get('/v1/events/feed', { token: t.key, query: { cursor: after.cursor } });
    expect(tail.body.data).toEqual([]);
  });

  it('pages by limit in log order and returns stored events byte for byte', async () => {
    const t = await quietTenant('Feed pages');
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 25 }, (_, i) => event({ action: 'feed.paged', metadata: { i } })) } });
    await seal(t);
    const ids: string[] = [];
    const actions: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await ctx.api.get('/v1/events/feed', { token: t.key, query: { limit: 10, cursor } });
      expect(page.body.data.length).toBeLessThanOrEqual(10);
      if (page.body.data.length === 0) break;
      ids.push(...page.body.data.map((e: any) => e.id));
      actions.push(...page.body.data.map((e: any) => e.action));
      cursor = page.body.next_cursor;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((_, i) => actions[i] === 'feed.paged').sort()).toEqual([...r.body.ids].sort());
    const one = await ctx.api.get(`/v1/events/${ids[3]}`, { token: t.key });
    const fromFeed = await ctx.api.get('/v1/events/feed', { token: t.key, query: { limit: 4 } });
    expect(JSON.stringify(fromFeed.body.data[3])).toBe(one.text);
  });

  it('binds action and organization filters into the cursor; organization keys see only their organization', async () => {
    const t = await quietTenant('Feed filters');
    await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: {
        events: [
          event({ action: 'user.login', organization_id: 'org_a' }),
          event({ action: 'user.logout', organization_id: 'org_b' }),
          event({ action: 'doc.viewed', organization_id: 'org_a' }),
          event({ action: 'user.login', organization_id: 'org_b' }),
        ],
      },
    });
    await seal(t);
    const users = await drain(ctx.api, t.key, undefined, { action: 'user.*' });
    expect(users.events.map((e) => e.action).sort()).toEqual(['user.login', 'user.login', 'user.logout']);
    const orgA = await drain(ctx.api, t.key, undefined, { organization_id: 'org_a' });
    expect(orgA.events.map((e) => e.action).sort()).toEqual(['doc.viewed', 'user.login']);

    // TN-03: an organization-scoped key gets its organization only, whatever it asks for.
    const orgKey = await createKey(ctx.api, t.key, { organization_id: 'org_b', scopes: ['events:read'] });
    const scoped = await drain(ctx.api, orgKey);
    expect(customerEvents(scoped.events).map((e) => `${e.action} ${e.organization_id}`).sort()).toEqual(['user.login org_b', 'user.logout org_b']);
    const foreign = await drain(ctx.api, orgKey, undefined, { organization_id: 'org_a' });
    expect(foreign.events).toEqual([]);

    // A cursor replayed with other filters, or by a key of another scope, is refused.
    const wrongFilter = await ctx.api.get('/v1/events/feed', { token: t.key, query: { cursor: users.cursor, action: 'doc.*' } });
    expect(wrongFilter.status).toBe(400);
    expect(wrongFilter.body.error.code).toBe('invalid_cursor');
    const wrongScope = await ctx.api.get('/v1/events/feed', { token: orgKey, query: { cursor: users.cursor, action: 'user.*' } });
    expect(wrongScope.status).toBe(400);
  });

  it('TN-03: refuses edited, foreign-tenant and search cursors, and bad parameters', async () => {
    const a = await quietTenant('Feed cursor A');
    const b = await quietTenant('Feed cursor B');
    await ctx.api.post('/v1/events', { token: a.key, body: event({ action: 'feed.cursor' }) });
    await seal(a);
    const page = await ctx.api.get('/v1/events/feed', { token: a.key, query: { limit: 1 } });
    const cursor: string = page.body.next_cursor;

    const [body, sig] = cursor.split('.');
    // The body is sealed (PEN-L10): it does not even parse as JSON, so a position cannot be read or moved.
    expect(() => JSON.parse(Buffer.from(body!, 'base64url').toString())).toThrow();
    const moved = Buffer.from(JSON.stringify({ v: 1, k: 'feed', t: a.id, p: [0] })).toString('base64url');
    const edited = body!.slice(0, 20) + (body![20] === 'A' ? 'B' : 'A') + body!.slice(21);
    const flipped = sig!.slice(0, -2) + (sig!.at(-2) === 'A' ? 'B' : 'A') + sig!.at(-1);
    for (const bad of [`${moved}.${sig}`, `${edited}.${sig}`, `${body}.${flipped}`, 'garbage', `${body}`]) {
      const r = await ctx.api.get('/v1/events/feed', { token: a.key, query: { cursor: bad } });
      expect(r.status, bad).toBe(400);
      expect(r.body.error.code).toBe('invalid_cursor');
    }
    // Another tenant's cursor tells it nothing and gets it nothing.
    const cross = await ctx.api.get('/v1/events/feed', { token: b.key, query: { cursor } });
    expect(cross.status).toBe(400);
    expect(cross.body.error.code).toBe('invalid_cursor');
    // A search cursor is not a feed cursor.
    await ctx.api.post('/v1/events/batch', { token: a.key, body: { events: [event(), event()] } });
    const search = await ctx.api.get('/v1/events', { token: a.key, query: { limit: 1 } });
    const mixed = await ctx.api.get('/v1/events/feed', { token: a.key, query: { cursor: search.body.next_cursor } });
    expect(mixed.status).toBe(400);

    for (const query of [{ limit: 1001 }, { limit: 0 }, { action: 'User Login' }, { order: 'asc' }]) {
      const r = await ctx.api.get('/v1/events/feed', { token: a.key, query });
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
    const noScope = await createKey(ctx.api, a.key, { scopes: ['events:write'] });
    expect((await ctx.api.get('/v1/events/feed', { token: noScope })).status).toBe(403);
    expect((await ctx.api.get('/v1/events/feed')).status).toBe(401);
  });
});
