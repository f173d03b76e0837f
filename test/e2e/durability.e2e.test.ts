import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp, type ChildApp } from '../support/child-app.js';
import { Api, customerEvents, event, listAll } from '../support/harness.js';

/**
 * Guarantee 1 (durable ack), with the real process killed: DU-01 (SIGKILL mid-stream, before
 * some INSERTs returned) and DU-02 (SIGKILL after the INSERT, before the response). After a
 * restart on the same data directory every acknowledged id is there exactly once and client
 * retries with their idempotency keys never duplicate.
 */
describe('durability across SIGKILL', () => {
  let dataDir: string;
  const adminToken = `e2e-admin-${randomBytes(12).toString('hex')}`;
  let vars: Record<string, string>;
  let child: ChildApp | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vt-e2e-durable-'));
    vars = { DATA_DIR: dataDir, ADMIN_TOKEN: adminToken, LOG_LEVEL: 'warn', IDEMPOTENCY_LEASE_MS: '1000', INGEST_FLUSH_INTERVAL_MS: '5' };
  });

  afterAll(async () => {
    await child?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(extra: Record<string, string> = {}): Promise<Api> {
    // A previous test that failed half-way may have left its process on the data directory.
    await child?.kill('SIGKILL');
    child = await spawnApp({ ...vars, ...extra });
    await child.waitReady();
    return new Api(child.url);
  }

  /** Sends until the server gives a definite answer (retrying 409 in-flight and 503). */
  async function sendUntilDone(api: Api, path: string, token: string, body: unknown, headers?: Record<string, string>) {
    for (let attempt = 0; attempt < 200; attempt++) {
      const r = await api.post(path, { token, body, headers }).catch(() => undefined);
      if (r && r.status === 201) return r;
      if (r && r.status !== 409 && r.status !== 503) throw new Error(`unexpected ${r.status}: ${r.text}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('no definite answer');
  }

  it('DU-01: SIGKILL while clients stream events; after restart every acked event exists once and retries do not duplicate', async () => {
    let api = await start();
    const tenant = await api.post('/admin/v1/tenants', { token: adminToken, body: { name: 'Durable' } });
    const key = tenant.body.api_key.key as string;

    type Req = { kind: 'one' | 'batch'; body: unknown; headers?: Record<string, string>; size: number };
    const sent: Req[] = [];
    const acked = new Map<Req, string[]>();
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const req: Req =
          i % 4 === 3
            ? {
                kind: 'batch',
                body: { events: Array.from({ length: 25 }, (_, j) => event({ action: 'stream.batch', metadata: { w, i, j } })) },
                headers: { 'idempotency-key': `b-${w}-${i}` },
                size: 25,
              }
            : { kind: 'one', body: event({ action: 'stream.one', idempotency_key: `e-${w}-${i}`, metadata: { w, i } }), size: 1 };
        sent.push(req);
        const r = await api
          .post(req.kind === 'one' ? '/v1/events' : '/v1/events/batch', { token: key, body: req.body, headers: req.headers })
          .catch(() => undefined);
        if (r?.status === 201) acked.set(req, req.kind === 'one' ? [r.body.id] : r.body.ids);
        if (!r) return; // connection refused: the server is gone
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Kill mid-stream, once a fair number of writes were acknowledged (however loaded the machine).
    const stopAt = Date.now() + 60_000;
    while (acked.size <= 10 && Date.now() < stopAt) await new Promise((r) => setTimeout(r, 25));
    const killed = await child!.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(killed.signal).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThan(10);

    api = await start();
    // Every acknowledged id survived the kill.
    const stored = customerEvents(await listAll(api, key, { action: 'stream.*', limit: 1000 }));
    const storedIds = new Set(stored.map((e) => e.id));
    for (const ids of acked.values()) for (const id of ids) expect(storedIds.has(id)).toBe(true);

    // The client retries everything it did not get a 201 for, with the same keys and bodies.
    for (const req of sent) {
      if (acked.has(req)) continue;
      const r = await sendUntilDone(api, req.kind === 'one' ? '/v1/events' : '/v1/events/batch', key, req.body, req.headers);
      acked.set(req, req.kind === 'one' ? [r.body.id] : r.body.ids);
    }
    const after = customerEvents(await listAll(api, key, { action: 'stream.*', limit: 1000 }));
    const expected = sent.reduce((n, r) => n + r.size, 0);
    expect(after.length).toBe(expected); // exactly once: no loss, no duplicate
    expect(new Set(after.map((e) => e.id)).size).toBe(expected);
    const ackedIds = [...acked.values()].flat();
    expect(new Set(ackedIds)).toEqual(new Set(after.map((e) => e.id)));
    await child!.kill('SIGTERM');
  }, 180_000);

  it('DU-02: SIGKILL after the INSERT, before the response: the retry returns the stored event, no duplicate', async () => {
    let api = await start({ VERITRAIL_FAULTS: 'exit_after_insert:crash.after' });
    const tenant = await api.post('/admin/v1/tenants', { token: adminToken, body: { name: 'Crash after insert' } });
    const key = tenant.body.api_key.key as string;
    const body = event({ action: 'crash.after', idempotency_key: 'crash-after-1' });
    const first = await api.post('/v1/events', { token: key, body }).catch((err: Error) => err);
    expect(first).toBeInstanceOf(Error); // no response at all: the process died
    const exit = await child!.exited;
    expect(exit.signal).toBe('SIGKILL');

    api = await start();
    const before = customerEvents(await listAll(api, key, { action: 'crash.after' }));
    expect(before.length).toBe(1); // the INSERT had happened
    const retry = await sendUntilDone(api, '/v1/events', key, body);
    expect(retry.body.id).toBe(before[0].id);
    const after = customerEvents(await listAll(api, key, { action: 'crash.after' }));
    expect(after.map((e) => e.id)).toEqual([before[0].id]);
    // Same for a batch under an Idempotency-Key header.
    await child!.kill('SIGTERM');
    api = await start({ VERITRAIL_FAULTS: 'exit_after_insert:crash.after' });
    const batch = { events: [event({ action: 'crash.after' }), event({ action: 'crash.after' }), event({ action: 'crash.other' })] };
    await api.post('/v1/events/batch', { token: key, body: batch, headers: { 'idempotency-key': 'crash-batch' } }).catch(() => undefined);
    await child!.exited;
    api = await start();
    const r = await sendUntilDone(api, '/v1/events/batch', key, batch, { 'idempotency-key': 'crash-batch' });
    expect(r.body.ids.length).toBe(3);
    const all = customerEvents(await listAll(api, key, { action: 'crash.*' }));
    expect(all.length).toBe(1 + 3);
    expect(new Set(all.map((e) => e.id))).toEqual(new Set([before[0].id, ...r.body.ids]));
    await child!.kill('SIGTERM');
  }, 240_000); // four starts of the real process: slow on a loaded machine

  it('graceful shutdown: SIGTERM drains in-flight writes; every 201 is stored; exit code 0', async () => {
    let api = await start({ INGEST_FLUSH_INTERVAL_MS: '50' });
    const tenant = await api.post('/admin/v1/tenants', { token: adminToken, body: { name: 'Drain' } });
    const key = tenant.body.api_key.key as string;
    let firstAck!: () => void;
    const acknowledged = new Promise<void>((r) => (firstAck = r));
    const inflight = Array.from({ length: 100 }, (_, i) =>
      api
        .post('/v1/events', { token: key, body: event({ action: 'drain.item', metadata: { i } }) })
        .then((r) => {
          if (r.status === 201) firstAck();
          return r;
        })
        .catch(() => undefined),
    );
    // The signal comes as the first write is acknowledged: the server is busy with the others.
    await acknowledged;
    const exit = child!.kill('SIGTERM');
    const results = await Promise.all(inflight);
    expect((await exit).code).toBe(0);
    const acked = results.filter((r) => r?.status === 201).map((r) => r!.body.id as string);
    expect(acked.length).toBeGreaterThan(0); // requests were in flight when the signal came
    for (const r of results) if (r) expect([201, 503]).toContain(r.status);
    api = await start();
    const stored = new Set(customerEvents(await listAll(api, key, { action: 'drain.item' })).map((e) => e.id));
    for (const id of acked) expect(stored.has(id)).toBe(true);
    await child!.kill('SIGTERM');
  }, 180_000);
});
