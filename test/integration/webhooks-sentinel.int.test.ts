import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerEvents, event, until, useApp, type AppContext, type TestTenant } from '../support/harness.js';
import { asimProblems } from '../support/asim-schema.js';
import { SentinelStandIn } from '../support/sentinel-stand-in.js';

const FAST = { JOBS: 'seal,webhooks', SEAL_INTERVAL: '200ms', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '3000', WEBHOOK_CONNECT_TIMEOUT_MS: '1000', WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,400ms' };
const DCR = `dcr-${'0123456789abcdef'.repeat(2)}`;
const STREAM = 'Custom-VeritrailAudit';

async function feedOrder(ctx: AppContext, token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const r = await ctx.api.get('/v1/events/feed', { token, query: { limit: 1000, cursor } });
    cursor = r.body.next_cursor;
    if (r.body.data.length === 0) return ids;
    ids.push(...customerEvents(r.body.data).map((e: any) => e.id));
  }
}

/**
 * The Microsoft Sentinel destination (Logs Ingestion API) against a stand-in that checks the
 * Entra token request and every call's shape and size.
 */
describe('Microsoft Sentinel destination', () => {
  const ctx = useApp(FAST);
  const azure = new SentinelStandIn({ tenant: 'contoso.onmicrosoft.com', clientId: 'app-123', clientSecret: 's3cret~value', dcr: DCR, stream: STREAM });
  let t: TestTenant;

  beforeAll(async () => {
    await azure.start();
    t = await ctx.tenant('Sentinel');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
  });
  afterAll(() => azure.stop());

  const credentials = () => ({ tenant_id: 'contoso.onmicrosoft.com', client_id: 'app-123', client_secret: 's3cret~value', dcr_immutable_id: DCR, stream_name: STREAM, authority_host: azure.url });
  const received = () => azure.calls.flatMap((c) => c.records).filter((r) => r.EventOriginalUid !== undefined && !String(r.Operation).startsWith('veritrail.'));

  it('WH-SENTINEL-01: every event once as an ASIM Audit Event, in order, calls under 1 MB, token fetched once and refreshed after a 401, receiver down then up', async () => {
    const w = await ctx.api.post('/v1/webhooks', {
      token: t.key,
      body: { kind: 'sentinel', url: azure.url, credentials: credentials(), filters: { organizations: ['org_a'] }, batch: { interval_ms: 50, max_events: 500, max_bytes: 5 * 1024 * 1024 } },
    });
    expect(w.status, w.text).toBe(201);
    expect(JSON.stringify(w.body)).not.toContain('s3cret');
    // 200 events of ~15 KB each (metadata holds at most 16 KB): ~2.3 MB for org_a, which must go in several calls.
    const big = 'x'.repeat(15_000);
    const events = Array.from({ length: 200 }, (_, i) => event({ organization_id: i % 4 === 3 ? 'org_b' : 'org_a', metadata: { blob: big, i }, outcome: i % 5 === 0 ? 'failure' : 'success' }));
    const ids: string[] = [];
    for (const part of [events.slice(0, 100), events.slice(100)]) {
      const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: part } });
      expect(r.status, r.text).toBe(201);
      ids.push(...r.body.ids);
    }
    const wanted = ids.filter((_, i) => i % 4 !== 3);
    await until('150 records', () => received().length >= wanted.length, 60_000);
    expect(azure.problems).toEqual([]);
    expect(azure.calls.length).toBeGreaterThan(2);
    for (const c of azure.calls) expect(c.bytes).toBeLessThanOrEqual(1024 * 1024);
    const order = (await feedOrder(ctx, t.key)).filter((id) => wanted.includes(id));
    expect(received().map((r) => r.EventOriginalUid)).toEqual(order);
    for (const r of received()) {
      expect(asimProblems(r), JSON.stringify(r).slice(0, 300)).toEqual([]);
      expect(r.AdditionalFields.organization_id).toBe('org_a');
    }
    const sent = new Map(events.map((e, i) => [ids[i]!, e]));
    const first = received()[0]!;
    const src = sent.get(first.EventOriginalUid)!;
    expect(first).toMatchObject({ Operation: 'user.login', ActorUserId: (src.actor as any).id, ActorUsername: 'Ann Lee', ActorUserType: 'Regular', SrcIpAddr: '203.0.113.5', HttpUserAgent: 'Mozilla/5.0', EventResult: src.outcome === 'failure' ? 'Failure' : 'Success' });
    // The token request: client credentials for the Azure Monitor scope, once for all those calls.
    expect(azure.tokenRequests).toEqual([{ grant_type: 'client_credentials', client_id: 'app-123', client_secret: 's3cret~value', scope: 'https://monitor.azure.com//.default' }]);

    // A revoked token: the 401 fails the attempt, the next one fetches a new token.
    azure.revokeTokens();
    const more = (await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 3 }, () => event({ organization_id: 'org_a' })) } })).body.ids as string[];
    await until('after the new token', () => more.every((id) => received().some((r) => r.EventOriginalUid === id)), 60_000);
    expect(azure.tokenRequests.length).toBe(2);

    // Down (503) then up: nothing lost, nothing twice.
    azure.down = true;
    const later = (await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 5 }, () => event({ organization_id: 'org_a' })) } })).body.ids as string[];
    await until('a failed attempt', async () => (await ctx.api.get(`/v1/webhooks/${w.body.id}`, { token: t.key })).body.health.consecutive_failures >= 2, 60_000);
    expect((await ctx.api.get(`/v1/webhooks/${w.body.id}`, { token: t.key })).body.health.last_error).toBe('http_503');
    azure.down = false;
    await until('after recovery', () => later.every((id) => received().some((r) => r.EventOriginalUid === id)), 60_000);
    const all = received().map((r) => r.EventOriginalUid);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual((await feedOrder(ctx, t.key)).filter((id) => [...wanted, ...more, ...later].includes(id)));
    expect(azure.problems).toEqual([]);
  }, 180_000);

  it('WH-SENTINEL-02: missing or malformed settings answer 4xx with stable codes and create nothing', async () => {
    const before = (await ctx.api.get('/v1/webhooks', { token: t.key, query: { limit: 100 } })).body.data.length;
    const c = credentials();
    const { client_secret: _s, ...noSecret } = c;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ kind: 'sentinel', url: azure.url }, 400, 'webhook_credentials_required'],
      [{ kind: 'sentinel', url: azure.url, credentials: noSecret }, 400, 'webhook_credentials_required'],
      [{ kind: 'sentinel', url: azure.url, credentials: { ...c, dcr_immutable_id: 'dcr-nothex' } }, 400, 'validation_failed'],
      [{ kind: 'sentinel', url: azure.url, credentials: { ...c, stream_name: 'VeritrailAudit' } }, 400, 'validation_failed'],
      [{ kind: 'sentinel', url: azure.url, credentials: { ...c, authority_host: 'ftp://login.example.com' } }, 422, 'webhook_url_not_allowed'],
      [{ kind: 'sentinel', url: 'syslog+tls://x.example.com', credentials: c }, 422, 'webhook_url_not_allowed'],
    ];
    for (const [body, status, code] of cases) {
      const r = await ctx.api.post('/v1/webhooks', { token: t.key, body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code, r.text).toBe(code);
    }
    expect((await ctx.api.get('/v1/webhooks', { token: t.key, query: { limit: 100 } })).body.data.length).toBe(before);
  });
});
