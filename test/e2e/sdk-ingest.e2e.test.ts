import { beforeAll, describe, expect, it } from 'vitest';
import { Veritrail, VeritrailApiError, VeritrailDeliveryError, type FailedEvent, type VeritrailError } from '../../openapi/typescript-sdk/src/index.js';
import { createKey, customerEvents, listAll, useApp, type TestTenant } from '../support/harness.js';

/** A fetch that counts what the SDK sends to the batch endpoint. */
function countingFetch() {
  const calls: { path: string; status: number }[] = [];
  const f = async (input: string | URL, init?: RequestInit) => {
    const res = await fetch(input, init);
    calls.push({ path: new URL(String(input)).pathname, status: res.status });
    return res;
  };
  return { fetch: f, batches: () => calls.filter((c) => c.path === '/v1/events/batch') };
}

/** The TypeScript SDK against the real application (HTTP, PostgreSQL, ClickHouse). */
describe('SDK ingest', () => {
  const ctx = useApp();
  let t: TestTenant;

  beforeAll(async () => {
    t = await ctx.tenant('SDK ingest');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
  });

  it('10 000 events from 8 concurrent callers arrive exactly once (by id and by idempotency key)', async () => {
    const errors: VeritrailError[] = [];
    const counter = countingFetch();
    const audit = new Veritrail({ apiKey: t.key, baseUrl: ctx.app.url, fetch: counter.fetch, onError: (e) => errors.push(e) });
    const keys: string[] = [];
    const caller = async (c: number) => {
      for (let i = 0; i < 1250; i++) {
        const q = await audit.event({
          action: 'sdk.load',
          organization_id: `org_${c}`,
          actor: { type: 'user', id: `u_${c}_${i % 50}` },
          targets: [{ type: 'doc', id: `d_${i}` }],
          metadata: { caller: c, i },
        });
        keys.push(q.idempotency_key);
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: 8 }, (_, c) => caller(c)));
    await audit.close();
    const elapsed = Date.now() - started;

    const stored = customerEvents(await listAll(ctx.api, t.key, { action: 'sdk.load', limit: 1000 }));
    expect(stored).toHaveLength(10_000);
    expect(new Set(stored.map((e) => e.id)).size).toBe(10_000);
    expect(new Set(stored.map((e) => e.idempotency_key))).toEqual(new Set(keys));
    expect(new Set(keys).size).toBe(10_000);
    expect(errors).toEqual([]);
    // Batches of at most 500: at least 20 requests, and not one per event.
    const batches = counter.batches();
    expect(batches.length).toBeGreaterThanOrEqual(20);
    expect(batches.length).toBeLessThan(200);
    expect(batches.every((b) => b.status === 201)).toBe(true);
    console.log(`sdk: 10 000 events by 8 callers delivered in ${elapsed} ms with ${batches.length} requests`);
  });

  it('a 400 from the server surfaces as a typed error with code, status and request id — sent once, never retried', async () => {
    // An organization-scoped key may write only its organization: the SDK cannot know, the server refuses.
    const orgKey = await createKey(ctx.api, t.key, { scopes: ['events:write'], organization_id: 'org_a' });
    const counter = countingFetch();
    const reported: { error: VeritrailError; events: FailedEvent[] }[] = [];
    const audit = new Veritrail({ apiKey: orgKey, baseUrl: ctx.app.url, fetch: counter.fetch, onError: (error, events) => reported.push({ error, events }) });
    const q = await audit.event({ action: 'sdk.refused', organization_id: 'org_b', actor: { type: 'user', id: 'u_1' } });
    const err = (await audit.flush().catch((e: unknown) => e)) as VeritrailDeliveryError;
    expect(counter.batches()).toEqual([{ path: '/v1/events/batch', status: 400 }]);
    expect(err).toBeInstanceOf(VeritrailDeliveryError);
    expect(err.failures).toHaveLength(1);
    const e = err.failures[0]!.error;
    expect(e).toBeInstanceOf(VeritrailApiError);
    expect(e).toMatchObject({ code: 'validation_failed', status: 400, retryable: false });
    expect(e.requestId).toMatch(/\S+/);
    expect(e.details).toEqual([expect.objectContaining({ field: 'organization_id', code: 'organization_scope' })]);
    expect(err.failures[0]!.idempotency_key).toBe(q.idempotency_key);
    expect(reported).toHaveLength(1);
    expect(reported[0]!.events[0]!.idempotency_key).toBe(q.idempotency_key);
    // Nothing more is sent for it: not on a later flush, not on close.
    await audit.flush();
    await audit.close();
    expect(counter.batches()).toHaveLength(1);
    expect(customerEvents(await listAll(ctx.api, t.key, { action: 'sdk.refused' }))).toEqual([]);
  });

  it('a batch with one refused event: that one fails, the others are stored once, in one more request', async () => {
    const orgKey = await createKey(ctx.api, t.key, { scopes: ['events:write'], organization_id: 'org_a' });
    const counter = countingFetch();
    const audit = new Veritrail({ apiKey: orgKey, baseUrl: ctx.app.url, fetch: counter.fetch, onError: () => undefined });
    const good: string[] = [];
    for (let i = 0; i < 4; i++) good.push((await audit.event({ action: 'sdk.mixed', actor: { type: 'user', id: `u_${i}` } })).idempotency_key);
    const bad = await audit.event({ action: 'sdk.mixed', organization_id: 'org_b', actor: { type: 'user', id: 'u_bad' } });
    const err = (await audit.flush().catch((e: unknown) => e)) as VeritrailDeliveryError;
    expect(err.failures.map((f) => f.idempotency_key)).toEqual([bad.idempotency_key]);
    expect(counter.batches().map((b) => b.status)).toEqual([400, 201]);
    const stored = customerEvents(await listAll(ctx.api, t.key, { action: 'sdk.mixed' }));
    expect(stored.map((e) => e.idempotency_key).sort()).toEqual([...good].sort());
    expect(stored.every((e) => e.organization_id === 'org_a')).toBe(true);
    await audit.close();
  });

  it('a revoked key: 401 invalid_credentials, once, nothing stored', async () => {
    const key = await createKey(ctx.api, t.key, { scopes: ['events:write'] });
    const list = await ctx.api.get('/v1/api-keys', { token: t.key });
    const id = list.body.data.find((k: { prefix: string }) => key.startsWith(k.prefix)).id;
    expect((await ctx.api.delete(`/v1/api-keys/${id}`, { token: t.key })).status).toBe(200);
    const counter = countingFetch();
    const audit = new Veritrail({ apiKey: key, baseUrl: ctx.app.url, fetch: counter.fetch, onError: () => undefined });
    await audit.event({ action: 'sdk.revoked', actor: { type: 'user', id: 'u_1' } });
    const err = (await audit.flush().catch((e: unknown) => e)) as VeritrailDeliveryError;
    expect(err.failures[0]!.error).toMatchObject({ code: 'invalid_credentials', status: 401 });
    expect(err.message + JSON.stringify(err.failures[0]!.error.message)).not.toContain(key);
    expect(counter.batches()).toHaveLength(1);
    await audit.close();
  });
});
