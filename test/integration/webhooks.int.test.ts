import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../../src/storage/postgres/prisma.service.js';
import { WebhookSender } from '../../src/webhooks/webhook-sender.js';
import { WebhooksRepository, type WebhookRecord } from '../../src/webhooks/webhooks.repository.js';
import { customerEvents, event, listAll, useApp, type AppContext, type TestTenant } from '../support/harness.js';
import { TestReceiver, type Received } from '../support/receiver.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';

/** Events of the customer (veritrail.* meta events filtered out) in the received https envelopes, in arrival order. */
function deliveredEvents(reqs: Received[]): any[] {
  return customerEvents(reqs.flatMap((r) => (JSON.parse(r.body).type === 'events' ? JSON.parse(r.body).data.events : [])));
}

async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const stopAt = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > stopAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The ids of the tenant's customer events in feed (log) order. */
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

/** Every claim of a destination `keep` selects, with when it was made, until restore(). */
function watchClaims(ctx: AppContext, keep: (w: WebhookRecord) => boolean): { claims: { at: number; w: WebhookRecord }[]; restore: () => void } {
  const repo = ctx.app.app.get(WebhooksRepository);
  const original = repo.claimDue;
  const claims: { at: number; w: WebhookRecord }[] = [];
  repo.claimDue = async function (this: WebhooksRepository, ...args: Parameters<WebhooksRepository['claimDue']>) {
    const w = await original.apply(this, args);
    if (w !== undefined && keep(w)) claims.push({ at: Date.now(), w });
    return w;
  };
  return { claims, restore: () => (repo.claimDue = original) };
}

const FAST = { JOBS: 'seal,webhooks', SEAL_INTERVAL: '200ms', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1500', WEBHOOK_CONNECT_TIMEOUT_MS: '500', WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,400ms' };

describe('webhook delivery', () => {
  const ctx = useApp(FAST);
  const rx = new TestReceiver();
  let t: TestTenant;

  beforeAll(async () => {
    await rx.start();
    t = await ctx.tenant('Webhooks');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
  });
  afterAll(() => rx.stop());

  async function createHook(path: string, body: Record<string, unknown> = {}, token = t.key) {
    const r = await ctx.api.post('/v1/webhooks', { token, body: { url: `${rx.url}${path}`, batch: { interval_ms: 50, max_events: 25 }, ...body } });
    expect(r.status, r.text).toBe(201);
    expect(r.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    return r.body;
  }

  async function send(n: number, overrides: Record<string, unknown> = {}) {
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: n }, () => event(overrides)) } });
    expect(r.status).toBe(201);
    return r.body.ids as string[];
  }

  it('WH-03: delivers every event once, in log order, signed per Standard Webhooks', async () => {
    const hook = await createHook('/in-order', { filters: { actions: ['order.*'] } });
    const ids = [...(await send(30, { action: 'order.placed' })), ...(await send(20, { action: 'order.paid' })), ...(await send(5, { action: 'other.thing' }))];
    const wanted = ids.slice(0, 50);
    await until('50 events', () => deliveredEvents(rx.on('/in-order')).length >= 50);
    const got = deliveredEvents(rx.on('/in-order')).map((e) => e.id);
    expect(got).toEqual((await feedOrder(ctx, t.key)).filter((id) => wanted.includes(id)));
    expect(new Set(got)).toEqual(new Set(wanted));

    const wh = new Webhook(hook.secret);
    for (const r of rx.on('/in-order')) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(() => wh.verify(r.body, r.headers)).not.toThrow();
      // Tampered body, wrong secret, stale timestamp, unknown signature version: all refused.
      expect(() => wh.verify(r.body.replace('order.', 'ordeR.'), r.headers)).toThrow();
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(r.body, r.headers)).toThrow();
      expect(() => wh.verify(r.body, { ...r.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 600) })).toThrow();
      expect(() => wh.verify(r.body, { ...r.headers, 'webhook-signature': r.headers['webhook-signature']!.replace('v1,', 'v2,') })).toThrow();
    }
    const view = await ctx.api.get(`/v1/webhooks/${hook.id}`, { token: t.key });
    expect(view.body.health.consecutive_failures).toBe(0);
    expect(view.body.health.last_success_at).not.toBeNull();
    expect(view.body).not.toHaveProperty('secret');
  });

  it('receiver down (500s) for a while, then up: everything arrives in order; retries keep the webhook-id', async () => {
    rx.set('/flaky', 'fail500');
    // (start "now" means events sealed from now on: earlier tests' last events may still be unsealed, hence the filter)
    const hook = await createHook('/flaky', { filters: { actions: ['flaky.*'] } });
    const ids = await send(40, { action: 'flaky.event' });
    await until('some failed attempts', () => rx.on('/flaky').length >= 4);
    rx.set('/flaky', 'ok');
    await until('all 40 after recovery', () => new Set(deliveredEvents(rx.on('/flaky').filter((r) => r.at > 0)).map((e) => e.id)).size >= 40);
    // A run records its successes in the delivery log when it ends, which may be a moment after
    // the receiver has the last request.
    const deliveries = await until('the successes in the delivery log', async () => {
      const data = (await ctx.api.get(`/v1/webhooks/${hook.id}/deliveries`, { token: t.key, query: { limit: 100 } })).body.data;
      const recorded = new Set(data.filter((d: any) => d.succeeded).map((d: any) => d.message_id));
      const covered = new Set(deliveredEvents(rx.on('/flaky').filter((r) => recorded.has(r.headers['webhook-id']!))).map((e) => e.id));
      return ids.every((id) => covered.has(id)) ? data : undefined;
    });
    // The accepted requests (after recovery) carry every event exactly once, in order.
    const ok = new Set(deliveries.filter((d: any) => d.succeeded).map((d: any) => d.message_id));
    const accepted = rx.on('/flaky').filter((r) => ok.has(r.headers['webhook-id']!));
    const lastAttemptPerMessage = new Map<string, Received>();
    for (const r of accepted) lastAttemptPerMessage.set(r.headers['webhook-id']!, r);
    const got = deliveredEvents([...lastAttemptPerMessage.values()]).map((e) => e.id);
    expect(got).toEqual((await feedOrder(ctx, t.key)).filter((id) => ids.includes(id)));
    // Every failed attempt was for a message that later succeeded under the same id.
    const failedIds = new Set(deliveries.filter((d: any) => !d.succeeded).map((d: any) => d.message_id));
    expect(failedIds.size).toBeGreaterThan(0);
    for (const id of failedIds) expect(ok.has(id)).toBe(true);
    // The receiver is on loopback (WEBHOOKS_ALLOW_PRIVATE): its status is logged, its body never (PEN-L5).
    expect(deliveries.some((d: any) => !d.succeeded && d.response_status === 500 && d.response_body === null)).toBe(true);
  });

  it('WH-06: 410 disables at once (and says so in the trail); 429 + Retry-After is honoured', async () => {
    rx.set('/gone', 'gone');
    const gone = await createHook('/gone', { filters: { actions: ['status.*'] } });
    rx.set('/busy', 'retry-after');
    const busy = await createHook('/busy', { filters: { actions: ['status.*'] } });
    await send(3, { action: 'status.check' });
    await until('disabled', async () => (await ctx.api.get(`/v1/webhooks/${gone.id}`, { token: t.key })).body.status === 'disabled');
    const g = (await ctx.api.get(`/v1/webhooks/${gone.id}`, { token: t.key })).body;
    expect(g.disabled_reason).toBe('gone');
    expect(rx.on('/gone')).toHaveLength(1);
    // The trail entry follows the status change by a moment.
    const trail = (await until('disabled event', async () => {
      const list = await listAll(ctx.api, t.key, { action: 'veritrail.webhook.disabled' });
      return list.length > 0 ? list : undefined;
    }))!;
    expect(trail.map((e: any) => e.targets[0].id)).toContain(gone.id);

    await until('429 seen', () => rx.on('/busy').length >= 1);
    // Sentinel instead of a sleep: a second destination receives two events sent one after the
    // other, so the delivery job has run at least twice since the 429 when we look at /busy.
    const sentinel = await createHook('/busy-sentinel', { filters: { actions: ['sentinel.busy'] } });
    for (const n of [1, 2]) {
      await send(1, { action: 'sentinel.busy' });
      await until(`sentinel delivery ${n}`, () => deliveredEvents(rx.on('/busy-sentinel')).length >= n);
    }
    await ctx.api.delete(`/v1/webhooks/${sentinel.id}`, { token: t.key });
    const b = (await ctx.api.get(`/v1/webhooks/${busy.id}`, { token: t.key })).body;
    expect(rx.on('/busy')).toHaveLength(1); // no retry before Retry-After (120 s), despite a 100 ms schedule
    expect(new Date(b.health.next_attempt_at).getTime() - Date.now()).toBeGreaterThan(100_000);
    expect(b.health.last_error).toBe('http_429');

    // Resuming a disabled destination works.
    rx.set('/gone', 'ok');
    const resumed = await ctx.api.patch(`/v1/webhooks/${gone.id}`, { token: t.key, body: { status: 'active' } });
    expect(resumed.body.status).toBe('active');
    await until('delivered after resume', () => rx.on('/gone').length >= 2);
  });

  it('WH-07: a hanging receiver and a 50 MB answer are cut short; the healthy destination is not slowed', async () => {
    rx.set('/hang', 'hang');
    rx.set('/huge', 'huge');
    const hang = await createHook('/hang', { filters: { actions: ['isolation.*'] } });
    const huge = await createHook('/huge', { filters: { actions: ['isolation.*'] } });
    await createHook('/healthy', { filters: { actions: ['isolation.*'] } });
    const before = rx.on('/healthy').length;
    await send(2, { action: 'isolation.check' });
    await until('healthy delivery', () => rx.on('/healthy').length > before);
    const hung = (await until('the hanging attempt', () => rx.on('/hang')[0]))!;
    // The dead receiver holds only its own slot: the healthy destination gets the same events before
    // the hanging attempt times out (WEBHOOK_TIMEOUT_MS, 1.5 s), however long sealing took on a busy machine.
    expect(rx.on('/healthy')[before]!.at).toBeLessThan(hung.at + 1_500);
    await until('timeout logged', async () => (await ctx.api.get(`/v1/webhooks/${hang.id}/deliveries`, { token: t.key })).body.data.some((d: any) => d.error === 'timeout'));
    const hd = (await ctx.api.get(`/v1/webhooks/${hang.id}/deliveries`, { token: t.key })).body.data.find((d: any) => d.error === 'timeout');
    expect(hd.latency_ms).toBeLessThan(3_000);
    await until('huge answered', async () => (await ctx.api.get(`/v1/webhooks/${huge.id}/deliveries`, { token: t.key })).body.data.length > 0);
    const big = (await ctx.api.get(`/v1/webhooks/${huge.id}/deliveries`, { token: t.key })).body.data[0];
    expect(big.succeeded).toBe(true);
    expect(big.response_body).toBeNull(); // an internal address's answer is never kept
    rx.set('/hang', 'ok');
  });

  it('a redirect is a failed delivery, never followed', async () => {
    rx.set('/redirect', 'redirect');
    const hook = await createHook('/redirect', { filters: { actions: ['redirect.*'] } });
    await send(1, { action: 'redirect.check' });
    await until('302 logged', async () => (await ctx.api.get(`/v1/webhooks/${hook.id}/deliveries`, { token: t.key })).body.data.length > 0);
    const d = (await ctx.api.get(`/v1/webhooks/${hook.id}/deliveries`, { token: t.key })).body.data[0];
    expect(d.succeeded).toBe(false);
    expect(d.response_status).toBe(302);
    await ctx.api.patch(`/v1/webhooks/${hook.id}`, { token: t.key, body: { status: 'paused' } });
  });

  it('PEN-L5: the test endpoint answers status and timing, never the body; answers from internal addresses are never kept', async () => {
    const hook = await createHook('/internal-service', { filters: { actions: ['internal.*'] } });
    const test = await ctx.api.post(`/v1/webhooks/${hook.id}/test`, { token: t.key });
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ kind: 'webhook.test', succeeded: true, response_status: 200, response_body: null, latency_ms: expect.any(Number) });
    expect(test.text).not.toContain('thanks');
    await send(1, { action: 'internal.ping' });
    const log = await until('the events delivery logged', async () => {
      const d = (await ctx.api.get(`/v1/webhooks/${hook.id}/deliveries`, { token: t.key })).body.data;
      return d.some((x: any) => x.kind === 'events') ? d : undefined;
    });
    expect(log.map((d: any) => [d.kind, d.succeeded, d.response_status, d.response_body])).toEqual([
      ['events', true, 200, null],
      ['webhook.test', true, 200, null],
    ]);
    // A retry of the logged test message answers without a body too.
    const retried = await ctx.api.post(`/v1/webhooks/${hook.id}/deliveries/${log[1].id}/retry`, { token: t.key });
    expect(retried.body).toMatchObject({ succeeded: true, response_status: 200, response_body: null });
  });

  it('PEN-L2: interval_ms below 50 is refused; an idle destination stored with 0 still waits 50 ms between looks', async () => {
    for (const interval_ms of [0, 49]) {
      const r = await ctx.api.post('/v1/webhooks', { token: t.key, body: { url: `${rx.url}/idle`, batch: { interval_ms } } });
      expect(r.status, String(interval_ms)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
    const hook = await createHook('/idle', { filters: { actions: ['idle.never'] } });
    const patched = await ctx.api.patch(`/v1/webhooks/${hook.id}`, { token: t.key, body: { batch: { interval_ms: 0 } } });
    expect(patched.status).toBe(400);
    // A row stored before the bound existed.
    await ctx.app.app.get(PrismaService).webhook.update({ where: { id: hook.id }, data: { batchIntervalMs: 0 } });
    // The trail entry of its creation in the log first: an append wakes the tenant's idle
    // destinations at once (a look sooner than 50 ms that is not the interval's doing).
    await until('the creation in the log', async () => {
      const r = await ctx.api.get('/v1/events/feed', { token: t.key, query: { limit: 1000, action: 'veritrail.webhook.created' } });
      return (r.body.data as any[]).some((e) => e.action === 'veritrail.webhook.created' && e.targets?.[0]?.id === hook.id);
    });
    const { claims, restore } = watchClaims(ctx, (w) => w.id === hook.id);
    try {
      await until('six looks at the idle destination', () => claims.length >= 6);
    } finally {
      restore();
    }
    // Each look was scheduled by the previous one at least 50 ms after it started (with 0: at once, a busy loop).
    for (let i = 1; i < claims.length; i++) expect(claims[i]!.w.nextAttemptAt.getTime() - claims[i - 1]!.at).toBeGreaterThanOrEqual(50);
    await ctx.api.patch(`/v1/webhooks/${hook.id}`, { token: t.key, body: { status: 'paused' } });
  });

  it('a destination waiting at the end of the log is woken by the append that brings it an event, not after its batch interval', async () => {
    // The longest interval there is: without the wake-up the event would wait five minutes.
    const hook = await createHook('/wake', { filters: { actions: ['wake.*'] }, batch: { interval_ms: 300_000, max_events: 25 } });
    const prisma = ctx.app.app.get(PrismaService);
    // It looked at the log, found nothing for it and now waits out its interval.
    await until('the destination idle until its interval ends', async () => {
      const row = await prisma.webhook.findUniqueOrThrow({ where: { id: hook.id } });
      return row.nextAttemptAt.getTime() > Date.now() + 60_000 && row.pendingMessageId === null;
    });
    const [id] = await send(1, { action: 'wake.up' });
    await until('the event delivered', () => deliveredEvents(rx.on('/wake')).some((e) => e.id === id));
    await ctx.api.patch(`/v1/webhooks/${hook.id}`, { token: t.key, body: { status: 'paused' } });
  });

  it('WH-05: during a rotation overlap both secrets verify; the test endpoint and retry reuse the machinery', async () => {
    const hook = await createHook('/rotate', { filters: { actions: ['rotate.never'] } });
    const rot = await ctx.api.post(`/v1/webhooks/${hook.id}/rotate-secret`, { token: t.key, body: { overlap_hours: 1 } });
    expect(rot.status).toBe(200);
    expect(rot.body.secret).not.toBe(hook.secret);
    const test = await ctx.api.post(`/v1/webhooks/${hook.id}/test`, { token: t.key });
    expect(test.status).toBe(200);
    expect(test.body.succeeded).toBe(true);
    expect(test.body.response_status).toBe(200);
    const r = rx.on('/rotate').at(-1)!;
    expect(JSON.parse(r.body).type).toBe('webhook.test');
    expect(r.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(hook.secret).verify(r.body, r.headers)).not.toThrow();
    expect(() => new Webhook(rot.body.secret).verify(r.body, r.headers)).not.toThrow();
    // Retry of a logged delivery: same webhook-id, fresh signature.
    const retried = await ctx.api.post(`/v1/webhooks/${hook.id}/deliveries/${test.body.id}/retry`, { token: t.key });
    expect(retried.status).toBe(200);
    expect(retried.body.message_id).toBe(test.body.message_id);
    expect(rx.on('/rotate').at(-1)!.headers['webhook-id']).toBe(r.headers['webhook-id']);
    // Without overlap only the new secret signs.
    const rot2 = await ctx.api.post(`/v1/webhooks/${hook.id}/rotate-secret`, { token: t.key, body: { overlap_hours: 0 } });
    await ctx.api.post(`/v1/webhooks/${hook.id}/test`, { token: t.key });
    const last = rx.on('/rotate').at(-1)!;
    expect(last.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(() => new Webhook(rot2.body.secret).verify(last.body, last.headers)).not.toThrow();
    expect(() => new Webhook(rot.body.secret).verify(last.body, last.headers)).toThrow();
  });

  it('masks fields per destination, filters by organization, replays from a time, and speaks Splunk HEC and Datadog', async () => {
    const masked = await createHook('/masked', { filters: { actions: ['mask.*'], organizations: ['org_m'] }, masking: { drop: ['actor.email', 'context.ip'], hash: ['actor.id'] } });
    const hec = await createHook('/hec', { kind: 'splunk_hec', credentials: { token: 'hec-token-1' }, filters: { actions: ['mask.*'] } });
    const dd = await createHook('/dd', { kind: 'datadog', credentials: { api_key: 'dd-key-1' }, filters: { actions: ['mask.*'] } });
    const start = new Date().toISOString();
    await send(3, { action: 'mask.me', organization_id: 'org_m', actor: { type: 'user', id: 'u_secret', email: 'x@example.com', name: 'X' } });
    await send(2, { action: 'mask.me', organization_id: 'org_other' });
    await until('masked', () => deliveredEvents(rx.on('/masked')).length >= 3);
    const evs = deliveredEvents(rx.on('/masked'));
    expect(evs).toHaveLength(3);
    for (const e of evs) {
      expect(e.organization_id).toBe('org_m');
      expect(e.actor.email).toBeUndefined();
      expect(e.context.ip).toBeUndefined();
      expect(e.actor.id).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    }
    expect(new Set(evs.map((e) => e.actor.id)).size).toBe(1); // same input, same hash: joinable

    await until('hec', () => rx.on('/hec').length > 0 && rx.on('/hec').flatMap((r) => r.body.split('\n')).length >= 5);
    const hecReq = rx.on('/hec')[0]!;
    expect(hecReq.headers.authorization).toBe('Splunk hec-token-1');
    const hecLine = JSON.parse(hecReq.body.split('\n')[0]!);
    expect(hecLine.sourcetype).toBe('veritrail:audit');
    expect(hecLine.event.action).toBe('mask.me');
    expect(typeof hecLine.time).toBe('number');
    await until('dd', () => rx.on('/dd').length > 0);
    const ddReq = rx.on('/dd')[0]!;
    expect(ddReq.headers['dd-api-key']).toBe('dd-key-1');
    const ddEntries = JSON.parse(ddReq.body);
    expect(ddEntries[0].ddsource).toBe('veritrail');
    expect(ddEntries[0].veritrail.action).toBe('mask.me');
    // The credentials are never shown back.
    expect(JSON.stringify((await ctx.api.get(`/v1/webhooks/${hec.id}`, { token: t.key })).body)).not.toContain('hec-token-1');
    expect(JSON.stringify((await ctx.api.get(`/v1/webhooks/${dd.id}`, { token: t.key })).body)).not.toContain('dd-key-1');

    // Replay from before the sends: the three events come again.
    const replay = await ctx.api.post(`/v1/webhooks/${masked.id}/replay`, { token: t.key, body: { from: start } });
    expect(replay.status, replay.text).toBe(200);
    await until('replayed', () => deliveredEvents(rx.on('/masked')).length >= 6);
    expect(deliveredEvents(rx.on('/masked')).slice(3).map((e) => e.id)).toEqual(evs.map((e) => e.id));
  });

  it('validates input with stable codes and keeps every tenant to its own webhooks', async () => {
    const hook = await createHook('/mine');
    const other = await ctx.tenant('Other webhooks');
    const paths: [string, string, unknown?][] = [
      ['get', `/v1/webhooks/${hook.id}`],
      ['patch', `/v1/webhooks/${hook.id}`, { name: 'stolen' }],
      ['delete', `/v1/webhooks/${hook.id}`],
      ['post', `/v1/webhooks/${hook.id}/test`],
      ['post', `/v1/webhooks/${hook.id}/rotate-secret`, {}],
      ['post', `/v1/webhooks/${hook.id}/replay`, { from: '2026-01-01T00:00:00Z' }],
      ['get', `/v1/webhooks/${hook.id}/deliveries`],
    ];
    for (const [verb, path, body] of paths) {
      const r = await (ctx.api as any)[verb](path, { token: other.key, body });
      expect(r.status, `${verb} ${path}`).toBe(404);
    }
    expect((await ctx.api.get('/v1/webhooks', { token: other.key })).body.data).toHaveLength(0);
    const bad: [Record<string, unknown>, number, string][] = [
      [{ url: 'not a url' }, 422, 'webhook_url_invalid'],
      [{ url: 'ftp://example.com/x' }, 422, 'webhook_url_not_allowed'],
      [{ url: 'https://user:pw@example.com/x' }, 422, 'webhook_url_not_allowed'],
      [{ url: 'https://example.com', kind: 'splunk_hec' }, 400, 'validation_failed'],
      [{ url: 'https://example.com', filters: { actions: ['BAD ACTION'] } }, 400, 'validation_failed'],
      [{ url: 'https://example.com', batch: { max_events: 0 } }, 400, 'validation_failed'],
      [{ url: 'https://example.com', surprise: true }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of bad) {
      const r = await ctx.api.post('/v1/webhooks', { token: t.key, body });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code).toBe(code);
    }
    const ingestOnly = await ctx.api.post('/v1/api-keys', { token: t.key, body: { name: 'ingest', scopes: ['events:write'] } });
    expect((await ctx.api.get('/v1/webhooks', { token: ingestOnly.body.key })).status).toBe(403);
    const del = await ctx.api.delete(`/v1/webhooks/${hook.id}`, { token: t.key });
    expect(del.status).toBe(204);
    expect((await ctx.api.get(`/v1/webhooks/${hook.id}`, { token: t.key })).status).toBe(404);
    const trail = await listAll(ctx.api, t.key, { action: 'veritrail.webhook.*' });
    expect(new Set(trail.map((e) => e.action))).toEqual(expect.any(Set));
    for (const a of ['veritrail.webhook.created', 'veritrail.webhook.deleted', 'veritrail.webhook.secret_rotated', 'veritrail.webhook.replayed']) {
      expect(trail.map((e) => e.action)).toContain(a);
    }
  });
});

describe('a destination with a backlog', () => {
  // A timeout long enough that a claim can go on for several turns of twenty messages.
  const ctx = useApp({ ...FAST, WEBHOOK_TIMEOUT_MS: '10000' });
  const rx = new TestReceiver();
  let t: TestTenant;

  beforeAll(async () => {
    await rx.start();
    t = await ctx.tenant('Backlog runs');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
  });
  afterAll(() => rx.stop());

  /** 600 events of `action`, in the log before the destination exists; their ids in log order. */
  async function backlog(action: string): Promise<string[]> {
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 600 }, (_, i) => event({ action, metadata: { i } })) } });
    expect(r.status).toBe(201);
    const ids = new Set(r.body.ids as string[]);
    const logged = await until('the backlog in the log', async () => {
      const inLog = (await feedOrder(ctx, t.key)).filter((id) => ids.has(id));
      return inLog.length === ids.size ? inLog : undefined;
    }, 60_000);
    return logged!;
  }

  it('sends turn after turn under one claim while they arrive, in log order, each event once', async () => {
    const ids = await backlog('runs.item');
    let hookId: string | undefined;
    // Counted from before the destination exists: it may be claimed before its creation answers.
    const { claims, restore } = watchClaims(ctx, (w) => w.url.endsWith('/runs'));
    try {
      // 120 messages of 5: six turns of twenty.
      const r = await ctx.api.post('/v1/webhooks', { token: t.key, body: { url: `${rx.url}/runs`, start: 'beginning', filters: { actions: ['runs.*'] }, batch: { interval_ms: 50, max_events: 5 } } });
      expect(r.status, r.text).toBe(201);
      hookId = r.body.id;
      await until('the backlog delivered', () => deliveredEvents(rx.on('/runs')).length >= ids.length, 60_000);
      const drainedAfter = claims.length;
      // Six turns: one claim each before turns were read ahead; one claim now (two if a look
      // at the log came in between).
      expect(drainedAfter).toBeGreaterThanOrEqual(1);
      expect(drainedAfter).toBeLessThanOrEqual(2);
    } finally {
      restore();
    }
    expect(deliveredEvents(rx.on('/runs')).map((e) => e.id)).toEqual(ids);
    const messages = rx.on('/runs').filter((q) => JSON.parse(q.body).type === 'events');
    expect(new Set(messages.map((q) => q.headers['webhook-id'])).size).toBe(messages.length);
    // Each turn's attempts are in the delivery log, recorded with the turn: one successful row per
    // message, its range and event count as sent.
    const logged = await until('every message in the delivery log', async () => {
      const rows = await ctx.app.app.get(PrismaService).webhookDelivery.findMany({ where: { webhookId: hookId!, kind: 'events' } });
      return rows.length >= messages.length ? rows : undefined;
    });
    expect(logged!.map((d) => d.messageId).sort()).toEqual(messages.map((q) => q.headers['webhook-id']).sort());
    for (const d of logged!) expect([d.succeeded, d.attempt, d.eventCount, Number(d.toIdx) - Number(d.fromIdx) >= 4]).toEqual([true, 1, 5, true]);
    await ctx.api.patch(`/v1/webhooks/${hookId}`, { token: t.key, body: { status: 'paused' } });
  });

  it('a change to the destination while its claim goes on applies from the next turn, not after the claim', async () => {
    const ids = await backlog('change.item');
    rx.set('/change', 'slow'); // 150 ms per request: a turn of twenty takes 3 s, the claim could go on for 10 s
    const r = await ctx.api.post('/v1/webhooks', { token: t.key, body: { url: `${rx.url}/change`, start: 'beginning', filters: { actions: ['change.*'] }, batch: { interval_ms: 50, max_events: 10 } } });
    expect(r.status, r.text).toBe(201);
    const eventMessages = () => rx.on('/change').filter((q) => JSON.parse(q.body).type === 'events');
    await until('the first messages', () => eventMessages().length >= 2, 30_000);
    const patched = await ctx.api.patch(`/v1/webhooks/${r.body.id}`, { token: t.key, body: { masking: { drop: ['actor.email'] } } });
    expect(patched.status, patched.text).toBe(200);
    const patchedAt = eventMessages().length;
    await until('the backlog delivered', () => deliveredEvents(rx.on('/change')).length >= ids.length, 60_000);
    const messages = eventMessages().map((q) => customerEvents(JSON.parse(q.body).data.events as any[]));
    const firstMasked = messages.findIndex((evs) => evs.every((e) => e.actor.email === undefined));
    expect(firstMasked).toBeGreaterThan(0);
    // Every message from there on is masked, and at most the turn in flight at the change (twenty
    // messages) went out the old way after it; the claim did not carry the old settings on.
    for (const evs of messages.slice(firstMasked)) for (const e of evs) expect(e.actor.email).toBeUndefined();
    expect(firstMasked - patchedAt).toBeLessThanOrEqual(20);
    expect(messages.flat().map((e) => e.id)).toEqual(ids);
    rx.set('/change', 'ok');
    await ctx.api.patch(`/v1/webhooks/${r.body.id}`, { token: t.key, body: { status: 'paused' } });
  });
});

describe('webhook SSRF guard', () => {
  const ctx = useApp({ ...FAST, WEBHOOKS_ALLOW_PRIVATE: 'false' });
  const rx = new TestReceiver();
  let t: TestTenant;

  beforeAll(async () => {
    await rx.start();
    t = await ctx.tenant('SSRF');
  });
  afterAll(() => rx.stop());

  it('WH-01: refuses internal destinations in every spelling at registration', async () => {
    const hostile = [
      'http://127.0.0.1/',
      'http://localhost/',
      'http://app.localhost/',
      'http://0.0.0.0/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/',
      'http://[::1]/',
      'http://[fe80::1]/',
      'http://[fc00::1]/',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://[::ffff:0:7f00:1]/',
      'http://[64:ff9b:1::7f00:1]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[2002:7f00:1::]/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://0x7f.1/',
      'http://127.1/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
      'file:///etc/passwd',
      'gopher://example.com/',
      'ftp://example.com/',
      'javascript:alert(1)',
      'http://intranet/',
    ];
    for (const url of hostile) {
      const r = await ctx.api.post('/v1/webhooks', { token: t.key, body: { url } });
      expect(r.status, url).toBe(422);
      expect(r.body.error.code, url).toBe('webhook_url_not_allowed');
    }
    expect((await ctx.api.get('/v1/webhooks', { token: t.key })).body.data).toHaveLength(0);
    // Public addresses and names pass.
    for (const url of ['https://hooks.example.com/in', 'https://93.184.216.34/in', 'https://[2606:4700::1111]/in']) {
      expect((await ctx.api.post('/v1/webhooks', { token: t.key, body: { url } })).status, url).toBe(201);
    }
  });

  it('WH-02: a name that resolves to 127.0.0.1 at send time is blocked before connecting (DNS rebinding)', async () => {
    const port = new URL(rx.url).port;
    const r = await ctx.api.post('/v1/webhooks', { token: t.key, body: { url: `http://rebind.example.com:${port}/canary` } });
    expect(r.status).toBe(201);
    const sender = ctx.app.app.get(WebhookSender);
    const original = sender.resolver;
    sender.resolver = (_host, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]);
    try {
      const test = await ctx.api.post(`/v1/webhooks/${r.body.id}/test`, { token: t.key });
      expect(test.body.succeeded).toBe(false);
      expect(test.body.error).toBe('ssrf_blocked');
      // A mixed answer (one public, one internal address) is refused too.
      sender.resolver = (_host, cb) => cb(null, [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.1', family: 4 }]);
      const mixed = await ctx.api.post(`/v1/webhooks/${r.body.id}/test`, { token: t.key });
      expect(mixed.body.error).toBe('ssrf_blocked');
    } finally {
      sender.resolver = original;
    }
    expect(rx.on('/canary')).toHaveLength(0);
  });
});

describe('s3 destinations', () => {
  const ctx = useApp(FAST);
  let s3: TestS3Server;

  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(() => s3?.stop());

  it('writes gzip NDJSON objects YYYY/MM/DD/HH/<message id>.ndjson.gz, masked, in order', async () => {
    const t = await ctx.tenant('S3 stream');
    const credentials = { endpoint: s3.endpoint, access_key_id: s3.accessKeyId, secret_access_key: s3.secretAccessKey, region: 'us-east-1' };
    const r = await ctx.api.post('/v1/webhooks', {
      token: t.key,
      body: { kind: 's3', url: `s3://${s3.bucket}/audit/`, credentials, filters: { actions: ['s3.*'] }, masking: { drop: ['actor.email'] }, batch: { max_events: 7, interval_ms: 50 } },
    });
    expect(r.status, r.text).toBe(201);
    const ids: string[] = (await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 20 }, () => event({ action: 's3.put' })) } })).body.ids;
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    const read = async () => {
      const list = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'audit/' }));
      const keys = (list.Contents ?? []).map((o) => o.Key!).sort();
      const events: any[] = [];
      for (const key of keys) {
        const obj = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
        const raw = Buffer.from(await obj.Body!.transformToByteArray());
        const text = (raw[0] === 0x1f ? gunzipSync(raw) : raw).toString('utf8');
        events.push(...text.split('\n').filter(Boolean).map((l) => JSON.parse(l)));
      }
      return { keys, events };
    };
    const got = (await until('20 events in the bucket', async () => {
      const x = await read();
      return x.events.length >= 20 ? x : undefined;
    }))!;
    for (const key of got.keys) expect(key).toMatch(/^audit\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/msg_[0-9a-f]{32}\.ndjson\.gz$/);
    expect(got.keys.length).toBe(3); // batches of at most 7
    // Keys sort by message id (uuidv7): reading them in order gives the log order.
    expect(got.events.map((e) => e.id)).toEqual((await feedOrder(ctx, t.key)).filter((id) => ids.includes(id)));
    expect(got.events.every((e) => e.actor.email === undefined)).toBe(true);
    const hook = (await ctx.api.get(`/v1/webhooks/${r.body.id}`, { token: t.key })).body;
    expect(JSON.stringify(hook)).not.toContain(s3.secretAccessKey);
    client.destroy();

    const bad = await ctx.api.post('/v1/webhooks', { token: t.key, body: { kind: 's3', url: 'https://bucket.example.com/' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('webhook_url_invalid');
  });
});
