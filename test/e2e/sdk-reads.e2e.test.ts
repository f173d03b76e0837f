import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Veritrail, VeritrailApiError, VeritrailWebhookError, type Event, type FeedPage } from '../../openapi/typescript-sdk/src/index.js';
import { createKey, customerEvents, useApp, type TestTenant } from '../support/harness.js';
import { TestReceiver } from '../support/receiver.js';

async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const stopAt = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > stopAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The SDK's read methods and webhook verification against the real application. */
describe('SDK reads', () => {
  const ctx = useApp({ JOBS: 'seal,webhooks', SEAL_INTERVAL: '300ms', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1500', WEBHOOK_RETRY_SCHEDULE: '100ms,200ms' });
  const rx = new TestReceiver();
  let a: TestTenant;
  let b: TestTenant;
  let audit: Veritrail;
  let ids: string[];
  let hookSecret: string;

  beforeAll(async () => {
    await rx.start();
    a = await ctx.tenant('SDK reads A');
    b = await ctx.tenant('SDK reads B');
    for (const t of [a, b]) await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    audit = new Veritrail({ apiKey: a.key, baseUrl: ctx.app.url });
    const r = await ctx.api.post('/v1/webhooks', { token: a.key, body: { url: `${rx.url}/hook`, batch: { interval_ms: 50, max_events: 50 }, filters: { actions: ['read.*'] } } });
    expect(r.status, r.text).toBe(201);
    hookSecret = r.body.secret;
    for (let i = 0; i < 130; i++) {
      await audit.event({ action: i % 2 ? 'read.odd' : 'read.even', organization_id: i < 100 ? 'org_1' : 'org_2', actor: { type: 'user', id: `u_${i}` }, metadata: { i } });
    }
    await audit.flush();
    ids = (await ctx.api.get('/v1/events', { token: a.key, query: { action: 'read.*', limit: 1000 } })).body.data.map((e: Event) => e.id);
    expect(ids).toHaveLength(130);
  });
  afterAll(async () => {
    await audit?.close();
    await rx.stop();
  });

  it('events.list() iterates every page of a search; events.get() returns one event', async () => {
    const all = await collect(audit.events.list({ action: 'read.*', limit: 7 }));
    expect(all).toHaveLength(130);
    expect(new Set(all.map((e) => e.id))).toEqual(new Set(ids));
    const org2 = await collect(audit.events.list({ organization_id: 'org_2', order: 'asc', limit: 4 }));
    expect(customerEvents(org2).map((e) => (e.metadata as { i: number }).i).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, k) => 100 + k));
    const times = org2.map((e) => Date.parse(e.occurred_at));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const one = await audit.events.get(ids[0]!);
    expect(one.id).toBe(ids[0]);
    let pages = 0;
    for await (const _ of audit.events.list({ action: 'read.even', limit: 10 })) {
      if (++pages === 3) break; // stops early without fetching the rest
    }
    expect(pages).toBe(3);
  });

  it('TN-01: another tenant\'s client sees none of it; its event id answers a typed not_found', async () => {
    const other = new Veritrail({ apiKey: b.key, baseUrl: ctx.app.url });
    expect(customerEvents(await collect(other.events.list({ action: 'read.*' })))).toEqual([]);
    const err = await other.events.get(ids[0]!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VeritrailApiError);
    expect(err).toMatchObject({ code: 'not_found', status: 404 });
    // A cursor of tenant A is refused for tenant B.
    const page = await audit.events.page({ action: 'read.*', limit: 5 });
    const bad = await other.events.page({ action: 'read.*', limit: 5, cursor: page.next_cursor! }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid_cursor', status: 400 });
    expect(customerEvents(await collect(other.feed({ follow: false })).then((p) => p.flatMap((x) => x.data)))).toEqual([]);
    await other.close();
  });

  it('feed() yields every event exactly once and resumes from a stored cursor', async () => {
    const first: FeedPage[] = [];
    await until('the feed to hold every event', async () => {
      first.length = 0;
      for await (const page of audit.feed({ follow: false, limit: 50, action: 'read.*' })) first.push(page);
      return first.flatMap((p) => p.data).length === 130;
    });
    const seen = first.flatMap((p) => p.data.map((e) => e.id));
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen).toHaveLength(130);
    // Resume from the cursor of the second page: exactly the rest, nothing twice.
    const rest = await collect(audit.feed({ follow: false, limit: 50, action: 'read.*', cursor: first[1]!.next_cursor }));
    expect(rest.flatMap((p) => p.data.map((e) => e.id))).toEqual(seen.slice(first[0]!.data.length + first[1]!.data.length));
    // follow: true keeps polling until aborted, and delivers what arrives meanwhile.
    const controller = new AbortController();
    const got: string[] = [];
    const follow = (async () => {
      for await (const page of audit.feed({ cursor: first[first.length - 1]!.next_cursor, action: 'read.*', pollIntervalMs: 100, signal: controller.signal })) {
        got.push(...page.data.map((e) => e.id));
      }
    })();
    await audit.event({ action: 'read.late', actor: { type: 'user', id: 'late' } });
    await audit.flush();
    await until('the late event in the followed feed', () => got.length === 1);
    controller.abort();
    await follow; // ends without an error
    expect(got).toHaveLength(1);
  });

  it('integrity.verify() reports an intact trail', async () => {
    await ctx.api.post('/v1/integrity/seal', { token: a.key });
    const report = await audit.integrity.verify();
    expect(report.status).toBe('ok');
    expect(report.events_checked).toBeGreaterThanOrEqual(130);
    expect(report.tampered).toEqual([]);
    const scoped = new Veritrail({ apiKey: await createKey(ctx.api, a.key, { scopes: ['events:write'] }), baseUrl: ctx.app.url });
    await expect(scoped.integrity.verify()).rejects.toMatchObject({ code: 'insufficient_scope', status: 403 });
    await scoped.close();
  });

  it('Veritrail.webhooks.verify() accepts the deliveries the server signed and refuses altered ones', async () => {
    const secret = hookSecret;
    await until('webhook deliveries', () => rx.on('/hook').length > 0);
    for (const r of rx.on('/hook')) {
      const payload = Veritrail.webhooks.verify<{ type: string; data: { events: Event[] } }>(r.body, r.headers, secret);
      expect(payload.type).toBe('events');
      expect(payload.data.events.every((e) => e.action.startsWith('read.'))).toBe(true);
      expect(() => Veritrail.webhooks.verify(r.body.replace('read.', 'reaD.'), r.headers, secret)).toThrow(VeritrailWebhookError);
      expect(() => Veritrail.webhooks.verify(r.body, r.headers, `whsec_${Buffer.alloc(32, 1).toString('base64')}`)).toThrow(VeritrailWebhookError);
    }
  });

  it('viewerTokens.create() returns a token for the viewer (when the server has POST /v1/viewer-tokens)', async (t) => {
    const spec = JSON.parse(readFileSync(fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url)), 'utf8'));
    const hasEndpoint = Boolean(spec.paths['/v1/viewer-tokens']?.post);
    if (!hasEndpoint) {
      // The endpoint is not part of this build yet: the client still sends a well-formed request and surfaces the answer typed.
      const err = await audit.viewerTokens.create({ organization_id: 'org_1', ttl_seconds: 600 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VeritrailApiError);
      expect((err as VeritrailApiError).status).toBe(404);
      t.skip();
      return;
    }
    const token = await audit.viewerTokens.create({ organization_id: 'org_1', ttl_seconds: 600 });
    expect(token.token).toMatch(/\S{20,}/);
    expect(Date.parse(token.expires_at)).toBeGreaterThan(Date.now());
    const viewer = new Veritrail({ apiKey: token.token, baseUrl: ctx.app.url });
    const seen = customerEvents(await collect(viewer.events.list({ limit: 1000 })));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.organization_id === 'org_1')).toBe(true);
    await viewer.close();
  });
});
