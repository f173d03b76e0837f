import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Veritrail, VeritrailApiError, VeritrailDeliveryError, VeritrailError, VeritrailValidationError, type FailedEvent } from '../src/index.js';
import { retryDelay } from '../src/transport.js';
import { ScriptedServer, type Answer, type Recorded } from './support/scripted-server.js';

const KEY = 'vt_TestKeyThatMustNeverAppearInAnyMessage00';
const evt = (i: number, extra: Record<string, unknown> = {}) => ({ action: 'user.login', actor: { type: 'user' as const, id: `u_${i}` }, metadata: { i }, ...extra });

let server: ScriptedServer | undefined;
let clients: Veritrail[] = [];
afterEach(async () => {
  for (const c of clients) await c.close({ timeoutMs: 100 }).catch(() => undefined);
  clients = [];
  await server?.stop();
  server = undefined;
});

async function setup(answer: (req: Recorded, i: number) => Answer, options: Partial<ConstructorParameters<typeof Veritrail>[0]> = {}) {
  server = await new ScriptedServer(answer).start();
  const errors: { error: VeritrailError; events: FailedEvent[] }[] = [];
  const audit = new Veritrail({ apiKey: KEY, baseUrl: server.url, retry: { initialDelayMs: 10, maxDelayMs: 50 }, onError: (error, events) => errors.push({ error, events }), ...options });
  clients.push(audit);
  return { audit, server, errors };
}

const sentKeys = (reqs: Recorded[]) => reqs.flatMap((r) => r.body.events.map((e: any) => e.idempotency_key as string));

describe('batching', () => {
  it('sends by size: 1200 events → 500 + 500 + 200, each event once with its own idempotency key', async () => {
    const { audit, server } = await setup(ScriptedServer.accept, { flushIntervalMs: 60_000 });
    const queued = await Promise.all(Array.from({ length: 1200 }, (_, i) => audit.event(evt(i))));
    await audit.flush();
    expect(server.batches().map((r) => r.body.events.length).sort()).toEqual([200, 500, 500]);
    const keys = sentKeys(server.batches());
    expect(new Set(keys).size).toBe(1200);
    expect(new Set(keys)).toEqual(new Set(queued.map((q) => q.idempotency_key)));
    for (const r of server.batches()) {
      expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(r.headers['idempotency-key']).toMatch(/^sdk_[A-Za-z0-9_-]{43}$/);
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(audit.stats()).toMatchObject({ pending: 0, delivered: 1200, failed: 0, requests: 3, retries: 0 });
  });

  it('sends by age: a few events go out one interval after the first, without flush()', async () => {
    const { audit, server } = await setup(ScriptedServer.accept, { flushIntervalMs: 150 });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await audit.event(evt(i));
    await new Promise((r) => setTimeout(r, 80));
    expect(server.batches()).toHaveLength(0);
    while (server.batches().length === 0 && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 10));
    expect(server.batches()).toHaveLength(1);
    expect(server.batches()[0]!.at - t0).toBeGreaterThanOrEqual(140);
    expect(server.batches()[0]!.body.events).toHaveLength(3);
  });

  it('keeps a caller-supplied idempotency_key and fills in occurred_at', async () => {
    const { audit, server } = await setup(ScriptedServer.accept);
    const before = Date.now();
    const q = await audit.event({ ...evt(1), idempotency_key: 'order-42-paid' });
    await audit.event({ ...evt(2), occurred_at: new Date('2026-01-02T03:04:05.678Z') });
    await audit.flush();
    expect(q.idempotency_key).toBe('order-42-paid');
    const [a, b] = server.batches()[0]!.body.events;
    expect(a.idempotency_key).toBe('order-42-paid');
    expect(Date.parse(a.occurred_at)).toBeGreaterThanOrEqual(before - 1);
    expect(b.occurred_at).toBe('2026-01-02T03:04:05.678Z');
  });

  it('never puts one idempotency key twice in a batch (the API would refuse the batch)', async () => {
    const { audit, server } = await setup(ScriptedServer.accept, { flushIntervalMs: 60_000 });
    await audit.event({ ...evt(1), idempotency_key: 'same' });
    await audit.event({ ...evt(1), idempotency_key: 'same' });
    await audit.event(evt(2));
    await audit.flush();
    for (const r of server.batches()) {
      const keys = r.body.events.map((e: any) => e.idempotency_key);
      expect(new Set(keys).size).toBe(keys.length);
    }
    expect(sentKeys(server.batches()).filter((k) => k === 'same')).toHaveLength(2);
  });
});

describe('retries', () => {
  it('429: waits at least Retry-After, then resends the same batch with the same Idempotency-Key', async () => {
    const { audit, server } = await setup((req, i) => (i === 0 ? ScriptedServer.error(429, 'rate_limited', { headers: { 'retry-after': '1' } }) : ScriptedServer.accept(req)));
    await audit.event(evt(1));
    await audit.flush();
    const [first, second] = server.batches();
    expect(server.batches()).toHaveLength(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
    expect(second!.body).toEqual(first!.body);
    expect(audit.stats().retries).toBe(1);
  });

  it('retries 408, 500, 503, 409 idempotency_key_in_use and a dropped connection; never changes the batch', async () => {
    const script: Answer[] = [
      ScriptedServer.error(408, 'request_timeout'),
      ScriptedServer.error(500, 'internal_error'),
      'destroy',
      ScriptedServer.error(503, 'storage_unavailable', { headers: { 'retry-after': '0' } }),
      ScriptedServer.error(409, 'idempotency_key_in_use'),
    ];
    const { audit, server, errors } = await setup((req, i) => script[i] ?? ScriptedServer.accept(req));
    await audit.event(evt(1));
    await audit.event(evt(2));
    await audit.flush();
    expect(server.batches()).toHaveLength(6);
    expect(new Set(server.batches().map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(server.batches().map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(errors).toEqual([]);
    expect(audit.stats()).toMatchObject({ delivered: 2, failed: 0, retries: 5 });
  });

  it('backoff is full jitter: within [0, min(cap, base·2^n)], and never below Retry-After', () => {
    const policy = { maxAttempts: Infinity, initialDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelay(0, policy, undefined, () => 0.999)).toBe(99);
    expect(retryDelay(3, policy, undefined, () => 0.999)).toBe(799);
    expect(retryDelay(10, policy, undefined, () => 0.999)).toBe(999);
    expect(retryDelay(10, policy, undefined, () => 0)).toBe(0);
    expect(retryDelay(0, policy, new VeritrailError('rate_limited', 'x', { retryAfterMs: 2000 }), () => 0.5)).toBe(2000);
  });

  it('without a buffer, gives up after retry.maxAttempts and reports the events', async () => {
    const { audit, server, errors } = await setup(() => ScriptedServer.error(503, 'storage_unavailable'), { retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 5 } });
    const q = await audit.event(evt(1));
    const err = await audit.flush().catch((e: unknown) => e);
    expect(server.batches()).toHaveLength(3);
    expect(err).toBeInstanceOf(VeritrailDeliveryError);
    expect((err as VeritrailDeliveryError).failures[0]).toMatchObject({ idempotency_key: q.idempotency_key, action: 'user.login' });
    expect((err as VeritrailDeliveryError).failures[0]!.error).toMatchObject({ code: 'storage_unavailable', status: 503 });
    expect(errors).toHaveLength(1);
  });
});

describe('refusals', () => {
  for (const [status, code] of [
    [400, 'invalid_json'],
    [401, 'invalid_credentials'],
    [403, 'insufficient_scope'],
    [404, 'route_not_found'],
    [422, 'idempotency_key_mismatch'],
  ] as const) {
    it(`${status} ${code}: one request, no retry, a typed error with code, status and request id`, async () => {
      const { audit, server, errors } = await setup(() => ScriptedServer.error(status, code));
      const q = await audit.event(evt(1));
      const err = (await audit.flush().catch((e: unknown) => e)) as VeritrailDeliveryError;
      expect(server.batches()).toHaveLength(1);
      expect(err).toBeInstanceOf(VeritrailDeliveryError);
      expect(err.code).toBe('delivery_failed');
      const e = err.failures[0]!.error;
      expect(e).toBeInstanceOf(VeritrailApiError);
      expect(e).toMatchObject({ code, status, requestId: `req_${code}`, retryable: false });
      expect(err.failures.map((f) => f.idempotency_key)).toEqual([q.idempotency_key]);
      expect(errors.map((x) => x.error.code)).toEqual([code]);
      // Reported once: a second flush has nothing left to report.
      await expect(audit.flush()).resolves.toBeUndefined();
    });
  }

  it('400 naming some events by index: those fail with their own details, the others are sent again once', async () => {
    const { audit, server } = await setup((req, i) =>
      i === 0
        ? ScriptedServer.error(400, 'validation_failed', {
            details: [
              { index: 1, field: 'events[1].organization_id', code: 'organization_scope', message: 'other org' },
              { field: 'events[3].metadata.constructor', code: 'forbidden_key', message: 'no' },
            ],
          })
        : ScriptedServer.accept(req),
    );
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push((await audit.event(evt(i))).idempotency_key);
    const err = (await audit.flush().catch((e: unknown) => e)) as VeritrailDeliveryError;
    expect(server.batches()).toHaveLength(2);
    expect(sentKeys([server.batches()[1]!])).toEqual([keys[0], keys[2], keys[4]]);
    expect(err.failures.map((f) => f.idempotency_key).sort()).toEqual([keys[1], keys[3]].sort());
    const byKey = new Map(err.failures.map((f) => [f.idempotency_key, f.error]));
    expect(byKey.get(keys[1]!)!.details).toEqual([{ field: 'organization_id', code: 'organization_scope', message: 'other org' }]);
    expect(byKey.get(keys[3]!)!.details).toEqual([{ field: 'metadata.constructor', code: 'forbidden_key', message: 'no' }]);
    expect(audit.stats()).toMatchObject({ delivered: 3, failed: 2 });
  });

  it('413 for a whole batch: split until the culprit is alone, deliver the rest', async () => {
    const { audit, server } = await setup((req) => (req.body.events.some((e: any) => e.metadata.i === 5) ? ScriptedServer.error(413, 'payload_too_large') : ScriptedServer.accept(req)));
    for (let i = 0; i < 8; i++) await audit.event(evt(i));
    const err = (await audit.flush().catch((e: unknown) => e)) as VeritrailDeliveryError;
    expect(err.failures).toHaveLength(1);
    expect(err.failures[0]!.error.code).toBe('payload_too_large');
    expect(audit.stats()).toMatchObject({ delivered: 7, failed: 1 });
    expect(server.batches().length).toBeLessThanOrEqual(1 + 2 + 2 + 2);
  });

  it('an invalid event is refused locally: nothing is sent', async () => {
    const { audit, server } = await setup(ScriptedServer.accept);
    const err = await audit.event({ action: 'Bad Action', actor: { type: 'user', id: '' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VeritrailValidationError);
    expect((err as VeritrailValidationError).details.map((d) => `${d.field}:${d.code}`).sort()).toEqual(['action:invalid_format', 'actor.id:required']);
    await audit.flush();
    expect(server.requests).toHaveLength(0);
  });
});

describe('numbers JSON cannot carry', () => {
  it('PEN-L9: NaN, Infinity and integers beyond 2^53 are refused locally instead of being sent changed', async () => {
    const { audit, server } = await setup(ScriptedServer.accept);
    for (const n of [Number.POSITIVE_INFINITY, Number.NaN, 2 ** 60]) {
      const err = await audit.event({ ...evt(1), metadata: { n } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VeritrailValidationError);
      expect((err as VeritrailValidationError).details.map((d) => d.code)).toEqual(['unrepresentable_number']);
    }
    await audit.flush();
    expect(server.requests).toHaveLength(0);
  });
});

describe('lifecycle and secrets', () => {
  it('close() delivers what is queued, then refuses new events', async () => {
    const { audit, server } = await setup(ScriptedServer.accept, { flushIntervalMs: 60_000 });
    for (let i = 0; i < 10; i++) await audit.event(evt(i));
    await audit.close();
    expect(sentKeys(server.batches())).toHaveLength(10);
    await expect(audit.event(evt(11))).rejects.toMatchObject({ code: 'client_closed' });
  });

  it('close() without a buffer reports events it could not deliver as lost', async () => {
    const { audit } = await setup(() => ScriptedServer.error(503, 'storage_unavailable'));
    await audit.event(evt(1));
    const err = (await audit.close({ timeoutMs: 200 }).catch((e: unknown) => e)) as VeritrailDeliveryError;
    expect(err).toBeInstanceOf(VeritrailDeliveryError);
    expect(err.code).toBe('flush_timeout');
    expect(err.undelivered).toBe(1);
  });

  it('queue_full when too many events wait in memory', async () => {
    const { audit } = await setup(() => ScriptedServer.error(503, 'storage_unavailable'), { maxQueuedEvents: 3 });
    for (let i = 0; i < 3; i++) await audit.event(evt(i));
    await expect(audit.event(evt(4))).rejects.toMatchObject({ code: 'queue_full' });
  });

  it('the API key appears in no error message, stack, inspect() or JSON output', async () => {
    const { audit } = await setup(() => ScriptedServer.error(401, 'invalid_credentials'));
    await audit.event(evt(1));
    const err = await audit.flush().catch((e: unknown) => e);
    const down = new Veritrail({ apiKey: KEY, baseUrl: 'http://127.0.0.1:1', retry: { maxAttempts: 1 }, onError: () => undefined });
    clients.push(down);
    await down.event(evt(1));
    const netErr = await down.flush().catch((e: unknown) => e);
    const readErr = await down.events.page().catch((e: unknown) => e);
    expect((readErr as VeritrailError).code).toBe('network_error');
    for (const text of [inspect(err, { depth: 10 }), inspect(netErr, { depth: 10 }), inspect(readErr, { depth: 10 }), String((readErr as Error).stack), inspect(audit, { depth: 10 }), JSON.stringify(audit)]) {
      expect(text).not.toContain(KEY);
    }
    expect(() => new Veritrail({ apiKey: KEY, baseUrl: `http://user:${KEY}@x` })).toThrow(/credentials/);
  });
});
