import { compactVerify, createLocalJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { customerEvents, event, listAll, useApp, type TestTenant } from '../support/harness.js';

/**
 * PROMISE-05: erasure with {"blank_context": true} — the IP address, user agent and the rest of
 * the context of the subject's own events stop being shown and searchable, while the stored
 * payload (what the Merkle leaf hashes) stays, so verification still passes.
 */
describe('PROMISE-05: erasure can blank the context of the subject’s own events', () => {
  const ctx = useApp({ JOBS: 'none' });
  const ch = () => ctx.app.app.get(ClickHouseService);
  const get = async (t: TestTenant, id: string) => (await ctx.api.get(`/v1/events/${id}`, { token: t.key })).body;
  const ids = async (t: TestTenant, query: Record<string, string>) =>
    customerEvents(await listAll(ctx.api, t.key, query))
      .map((e) => e.id as string)
      .sort();

  it('PROMISE-05: context reads [erased] everywhere, ip= and q= no longer find it, verification passes; others and later events keep theirs', async () => {
    const t = await ctx.tenant('Blank context');
    const ip = '198.51.100.7';
    const own = { ip, user_agent: 'CtxBrowser/9.1', session_id: 'sess_ctx_1', request_id: 'req_ctx_1', location: 'kiosk-ctx' };
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: {
        events: [
          event({ actor: { type: 'user', id: 'u_ctx', name: 'Cora Text', email: 'cora@example.com' }, context: own }),
          event({ action: 'doc.viewed', actor: { type: 'user', id: 'u_ctx', name: 'Cora Text' }, context: { ip, user_agent: 'CtxBrowser/9.1' } }),
          // Someone else, same IP: their context is theirs.
          event({ actor: { type: 'user', id: 'u_peer', name: 'Pete Peer' }, context: { ip, user_agent: 'PeerBrowser/1.0' } }),
          // u_ctx as a target: the context is the actor's (u_peer).
          event({ action: 'user.viewed', actor: { type: 'user', id: 'u_peer' }, targets: [{ type: 'user', id: 'u_ctx' }], context: { ip: '203.0.113.77', user_agent: 'PeerBrowser/1.0' } }),
        ],
      },
    });
    expect(r.status, r.text).toBe(201);
    const [mine1, mine2, peers, aboutMe] = r.body.ids as string[];
    expect(await ids(t, { ip })).toEqual([mine1, mine2, peers].sort());
    expect(await ids(t, { q: 'ctxbrowser' })).toEqual([mine1, mine2].sort());

    // Hostile bodies: 400, nothing erased.
    for (const body of [{ blank_context: 'yes' }, { blank_context: true, extra: 1 }, []]) {
      const bad = await ctx.api.post('/v1/privacy/subjects/u_ctx/erasure', { token: t.key, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    expect((await get(t, mine1!)).actor.name).toBe('Cora Text');

    const e = await ctx.api.post('/v1/privacy/subjects/u_ctx/erasure', { token: t.key, body: { blank_context: true } });
    expect(e.status, e.text).toBe(200);
    expect(e.body.erasure).toMatchObject({ blank_context: true, events_affected: 3 });
    const jwks = createLocalJWKSet((await ctx.api.get('/.well-known/jwks.json')).body);
    const claims = JSON.parse(Buffer.from((await compactVerify(e.body.receipt, jwks)).payload).toString());
    expect(claims.context_blanked).toBe(true);

    const erasedContext = { ip: '[erased]', user_agent: '[erased]', session_id: '[erased]', request_id: '[erased]', location: '[erased]' };
    expect((await get(t, mine1!)).context).toEqual(erasedContext);
    expect((await get(t, mine2!)).context).toEqual({ ip: '[erased]', user_agent: '[erased]' });
    expect((await get(t, peers!)).context).toEqual({ ip, user_agent: 'PeerBrowser/1.0' });
    expect((await get(t, aboutMe!)).context).toEqual({ ip: '203.0.113.77', user_agent: 'PeerBrowser/1.0' });
    // Every read path: list, feed, direct export.
    const listed = customerEvents(await listAll(ctx.api, t.key)).find((x) => x.id === mine1);
    expect(listed.context).toEqual(erasedContext);
    const direct = await fetch(`${ctx.app.url}/v1/events/export?format=ndjson`, { headers: { authorization: `Bearer ${t.key}` } });
    expect(direct.status).toBe(200);
    const exported = await direct.text();
    expect(exported).toContain('PeerBrowser');
    for (const leak of ['CtxBrowser', 'sess_ctx_1', 'req_ctx_1', 'kiosk-ctx']) expect(exported).not.toContain(leak);

    // Not searchable any more; the peer on the same IP still is.
    expect(await ids(t, { ip })).toEqual([peers]);
    for (const q of ['ctxbrowser', 'sess_ctx_1', 'req_ctx_1', 'kiosk-ctx']) expect(await ids(t, { q }), q).toEqual([]);
    const derived = await ch().query<{ ip: string; search_text: string }>(
      `SELECT ip, search_text FROM ${ch().tables.events} WHERE tenant_id = {t:String} AND id IN {ids:Array(UUID)}`,
      { t: t.id, ids: [mine1!, mine2!] },
    );
    for (const row of derived) {
      expect(row.ip).toBe('');
      expect(row.search_text).not.toContain('ctxbrowser');
      expect(row.search_text).not.toContain(ip);
    }

    // The payload is untouched: verification passes.
    await ctx.api.post('/v1/integrity/seal', { token: t.key });
    const v = await ctx.api.post('/v1/integrity/verify', { token: t.key, body: {} });
    expect(v.body.status, JSON.stringify(v.body)).toBe('ok');
    // The feed (sealed events only, hence after the seal) too.
    const feed = (await ctx.api.get('/v1/events/feed', { token: t.key, query: { limit: 1000 } })).body.data;
    expect(feed.find((x: { id: string }) => x.id === mine1).context).toEqual(erasedContext);
    expect(feed.find((x: { id: string }) => x.id === peers).context.user_agent).toBe('PeerBrowser/1.0');

    // The person comes back: new events keep their context.
    const back = await ctx.api.post('/v1/events', { token: t.key, body: event({ actor: { type: 'user', id: 'u_ctx' }, context: { ip: '192.0.2.10', user_agent: 'NewBrowser/1' } }) });
    expect((await get(t, back.body.id)).context).toEqual({ ip: '192.0.2.10', user_agent: 'NewBrowser/1' });
    expect(await ids(t, { ip: '192.0.2.10' })).toEqual([back.body.id]);
  });

  it('PROMISE-05: without blank_context the context stays (control); with a legal hold the option waits with the erasure', async () => {
    const t = await ctx.tenant('Blank context hold');
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: {
        events: [
          event({ actor: { type: 'user', id: 'u_plain' }, context: { ip: '198.51.100.20', user_agent: 'PlainBrowser' } }),
          event({ organization_id: 'org_held', actor: { type: 'user', id: 'u_held' }, context: { ip: '198.51.100.21', user_agent: 'HeldBrowser' } }),
        ],
      },
    });
    expect(r.status, r.text).toBe(201);
    const [plain, held] = r.body.ids as string[];
    const e = await ctx.api.post('/v1/privacy/subjects/u_plain/erasure', { token: t.key });
    expect(e.status).toBe(200);
    expect(e.body.erasure.blank_context).toBe(false);
    expect((await get(t, plain!)).context).toEqual({ ip: '198.51.100.20', user_agent: 'PlainBrowser' });
    expect(await ids(t, { ip: '198.51.100.20' })).toEqual([plain]);

    await ctx.api.put('/v1/settings/retention', { token: t.key, body: { default_days: 365, legal_holds: [{ organization_id: 'org_held', reason: 'Case 7' }] } });
    expect((await ctx.api.post('/v1/privacy/subjects/u_held/erasure', { token: t.key, body: { blank_context: true } })).status).toBe(409);
    expect((await get(t, held!)).context.ip).toBe('198.51.100.21');
    await ctx.api.put('/v1/settings/retention', { token: t.key, body: { default_days: 365 } });
    expect((await get(t, held!)).context).toEqual({ ip: '[erased]', user_agent: '[erased]' });
    expect(await ids(t, { ip: '198.51.100.21' })).toEqual([]);
  });

  it('PROMISE-05: a tenant that classifies the context gets it encrypted at ingest, so a plain erasure leaves no readable IP anywhere', async () => {
    const t = await ctx.tenant('Classified context');
    const put = await ctx.api.put('/v1/settings/privacy', {
      token: t.key,
      body: { scrubbing: {}, classification: { fields: { 'context.ip': 'sensitive', 'context.user_agent': 'sensitive', 'context.session_id': 'sensitive' } } },
    });
    expect(put.status, put.text).toBe(200);
    const r = await ctx.api.post('/v1/events', { token: t.key, body: event({ actor: { type: 'user', id: 'u_enc' }, context: { ip: '198.51.100.30', user_agent: 'EncBrowser', session_id: 'sess_enc' } }) });
    const stored = await ch().query<{ payload: string; ip: string }>(`SELECT payload, ip FROM ${ch().tables.events} WHERE tenant_id = {t:String} AND id = {id:UUID}`, { t: t.id, id: r.body.id });
    const raw = JSON.parse(stored[0]!.payload);
    for (const k of ['ip', 'user_agent', 'session_id']) expect(raw.context[k]).toMatch(/^vt-enc:v1:s:/);
    expect(stored[0]!.ip).toBe('');
    expect(await ids(t, { ip: '198.51.100.30' })).toEqual([r.body.id]); // blind index
    expect((await ctx.api.post('/v1/privacy/subjects/u_enc/erasure', { token: t.key })).status).toBe(200);
    expect((await get(t, r.body.id)).context).toEqual({ ip: '[erased]', user_agent: '[erased]', session_id: '[erased]' });
    expect(await ids(t, { ip: '198.51.100.30' })).toEqual([]);
  });
});
