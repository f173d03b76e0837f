import { HTTP, ValidationError, type CloudEvent } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerEvents, event, until, useApp, type TestTenant } from '../support/harness.js';
import { TestReceiver } from '../support/receiver.js';

const FAST = { JOBS: 'seal,webhooks', SEAL_INTERVAL: '200ms', WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_RETRY_SCHEDULE: '100ms,200ms' };

/**
 * CloudEvents binary content mode on https destinations (opt-in): each request read back with
 * the official CloudEvents SDK (npm `cloudevents`, HTTP.toEvent validates the 1.0 attributes),
 * the Standard Webhooks signature still verifying the unchanged body.
 */
describe('CloudEvents on https destinations', () => {
  const ctx = useApp(FAST);
  const rx = new TestReceiver();
  let t: TestTenant;

  beforeAll(async () => {
    await rx.start();
    t = await ctx.tenant('CloudEvents');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
  });
  afterAll(() => rx.stop());

  it('WH-CE-01: ce-specversion, ce-id, ce-type, ce-source and ce-time beside the signature, body unchanged; only when asked', async () => {
    const body = { filters: { actions: ['invoice.*'], kinds: ['event', 'checkpoint.sealed'] }, batch: { interval_ms: 50, max_events: 4 } };
    const ce = (await ctx.api.post('/v1/webhooks', { token: t.key, body: { ...body, url: `${rx.url}/ce`, cloudevents: true } })).body;
    const plain = (await ctx.api.post('/v1/webhooks', { token: t.key, body: { ...body, url: `${rx.url}/plain` } })).body;
    expect(ce.cloudevents).toBe(true);
    expect(plain.cloudevents).toBe(false);
    const ids = (await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 10 }, () => event({ action: 'invoice.paid' })) } })).body.ids as string[];
    const delivered = (path: string) => customerEvents(rx.on(path).flatMap((r) => (JSON.parse(r.body).type === 'events' ? JSON.parse(r.body).data.events : [])));
    await until('events at both', () => delivered('/ce').length >= 10 && delivered('/plain').length >= 10 && rx.on('/ce').some((r) => JSON.parse(r.body).type === 'checkpoint.sealed'), 60_000);
    expect(new Set(delivered('/ce').map((e) => e.id))).toEqual(new Set(ids));
    expect(delivered('/ce')).toHaveLength(10);

    const wh = new Webhook(ce.secret);
    for (const r of rx.on('/ce')) {
      const envelope = JSON.parse(r.body);
      const parsed = HTTP.toEvent({ headers: r.headers, body: r.body });
      if (Array.isArray(parsed)) throw new Error('binary mode carries one event');
      const ev = parsed as CloudEvent<unknown>;
      expect(ev.validate()).toBe(true);
      expect(ev.specversion).toBe('1.0');
      expect(ev.id).toBe(r.headers['webhook-id']);
      expect(ev.type).toBe(`com.veritrail.${envelope.type}`);
      expect(ev.source).toBe(`/veritrail/tenants/${t.id}`);
      expect(ev.time).toBe(envelope.timestamp);
      expect(ev.datacontenttype).toBe('application/json');
      // Binary mode: the data is the body as it was, the signature still verifies it.
      expect(ev.data).toEqual(envelope);
      expect(() => wh.verify(r.body, r.headers)).not.toThrow();
    }
    expect(new Set(rx.on('/ce').map((r) => JSON.parse(r.body).type))).toEqual(new Set(['events', 'checkpoint.sealed']));
    for (const r of rx.on('/plain')) expect(Object.keys(r.headers).filter((h) => h.startsWith('ce-'))).toEqual([]);
    // The SDK refuses a plain delivery as a CloudEvent: the headers above are what makes one.
    expect(() => HTTP.toEvent({ headers: rx.on('/plain')[0]!.headers, body: rx.on('/plain')[0]!.body })).toThrow(ValidationError);

    // Off again on PATCH; on for a test message too.
    const off = await ctx.api.patch(`/v1/webhooks/${ce.id}`, { token: t.key, body: { cloudevents: false } });
    expect(off.body.cloudevents).toBe(false);
    const on = await ctx.api.patch(`/v1/webhooks/${ce.id}`, { token: t.key, body: { cloudevents: true } });
    expect(on.body.cloudevents).toBe(true);
    const test = await ctx.api.post(`/v1/webhooks/${ce.id}/test`, { token: t.key });
    expect(test.body.succeeded).toBe(true);
    // Checkpoints keep arriving meanwhile: pick the test message by its id.
    const last = rx.on('/ce').find((r) => r.headers['webhook-id'] === test.body.message_id)!;
    expect(last.headers['ce-id']).toBe(test.body.message_id);
    expect((HTTP.toEvent({ headers: last.headers, body: last.body }) as { type: string }).type).toBe('com.veritrail.webhook.test');
  }, 90_000);

  it('WH-CE-02: cloudevents is refused for other kinds and non-boolean values, and changes nothing', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ url: 'https://splunk.example.com:8088/services/collector/event', kind: 'splunk_hec', credentials: { token: 't' }, cloudevents: true }, 400, 'webhook_option_not_applicable'],
      [{ url: 's3://bucket/x', kind: 's3', credentials: { access_key_id: 'a', secret_access_key: 'b' }, cloudevents: true }, 400, 'webhook_option_not_applicable'],
      [{ url: `${rx.url}/x`, cloudevents: 'yes' }, 400, 'validation_failed'],
    ];
    const before = (await ctx.api.get('/v1/webhooks', { token: t.key, query: { limit: 100 } })).body.data.length;
    for (const [b, status, code] of cases) {
      const r = await ctx.api.post('/v1/webhooks', { token: t.key, body: b });
      expect(r.status, r.text).toBe(status);
      expect(r.body.error.code).toBe(code);
    }
    expect((await ctx.api.get('/v1/webhooks', { token: t.key, query: { limit: 100 } })).body.data.length).toBe(before);
  });
});
