import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportsRepository } from '../../src/exports/exports.repository.js';
import { JobLeasesRepository } from '../../src/jobs/job-leases.repository.js';
import { JobRunner } from '../../src/jobs/job-runner.service.js';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { WebhooksRepository } from '../../src/webhooks/webhooks.repository.js';
import { Api, createTenant, createTestEnv, customerEvents, event, listAll, startApp, type RunningApp, type TestEnv } from '../support/harness.js';

/**
 * Two replicas on the same stores (PostgreSQL server + one ClickHouse). Embedded PGlite belongs
 * to one process, so this runs in the PostgreSQL-server project only.
 */
describe('several replicas', () => {
  let env: TestEnv;
  let a: RunningApp | undefined;
  let b: RunningApp | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
    if (env.postgresMode !== 'server') return;
    a = await startApp(env, { AUTH_CACHE_TTL_MS: '300', JOBS: 'seal', SEAL_INTERVAL: '300ms' });
    b = await startApp(env, { AUTH_CACHE_TTL_MS: '300', JOBS: 'seal', SEAL_INTERVAL: '300ms' });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await env?.drop();
  });

  it.skipIf(process.env.VT_TEST_POSTGRES !== 'server')('a key revoked on one replica stops working on the other within the cache TTL', async () => {
    const apiA = new Api(a!.url);
    const apiB = new Api(b!.url);
    const t = await createTenant(apiA, env, 'Replicas');
    const created = await apiA.post('/v1/api-keys', { token: t.key, body: { name: 'shared', scopes: ['events:read'] } });
    const key = created.body.key as string;
    expect((await apiB.get('/v1/events', { token: key })).status).toBe(200); // cached on B
    expect((await apiA.delete(`/v1/api-keys/${created.body.id}`, { token: t.key })).status).toBe(200);
    expect((await apiA.get('/v1/events', { token: key })).status).toBe(401); // at once on A
    // On B: after the TTL the next request triggers a re-check; within a moment the key fails.
    await new Promise((r) => setTimeout(r, 400));
    const deadline = Date.now() + 2000;
    let status = 200;
    while (Date.now() < deadline && status !== 401) {
      status = (await apiB.get('/v1/events', { token: key })).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(401);
  });

  it.skipIf(process.env.VT_TEST_POSTGRES !== 'server')('idempotency holds across replicas: the same key sent to both stores one event', async () => {
    const apiA = new Api(a!.url);
    const apiB = new Api(b!.url);
    const t = await createTenant(apiA, env, 'Replica idem');
    const body = event({ action: 'replica.idem', idempotency_key: 'across-replicas' });
    const results = await Promise.all([apiA.post('/v1/events', { token: t.key, body }), apiB.post('/v1/events', { token: t.key, body })]);
    for (const r of results) expect([201, 409]).toContain(r.status);
    const retried = await apiB.post('/v1/events', { token: t.key, body });
    expect(retried.status).toBe(201);
    expect(customerEvents(await listAll(apiA, t.key, { action: 'replica.idem' })).map((e) => e.id)).toEqual([retried.body.id]);
  });

  it.skipIf(process.env.VT_TEST_POSTGRES !== 'server')('sealing under concurrent ingest on two replicas: every event sealed once, none left after two intervals', async () => {
    const apiA = new Api(a!.url);
    const apiB = new Api(b!.url);
    const t = await createTenant(apiA, env, 'Replica sealing');
    await apiA.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const stopAt = Date.now() + 3000;
    const writer = async (api: Api, name: string) => {
      let n = 0;
      while (Date.now() < stopAt) {
        const r = await api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 20 }, (_, i) => event({ action: 'replica.seal', metadata: { name, n, i } })) } });
        expect(r.status).toBe(201);
        n++;
      }
    };
    await Promise.all([writer(apiA, 'a'), writer(apiB, 'b'), writer(apiA, 'a2'), writer(apiB, 'b2')]);
    await new Promise((r) => setTimeout(r, 3 * 300 + 1500));
    const ch = a!.app.get(ClickHouseService);
    const [events] = await ch.query<{ n: number }>(`SELECT count() AS n FROM ${ch.tables.events} WHERE tenant_id = {t:String}`, { t: t.id });
    const [leaves] = await ch.query<{ n: number; distinct_events: number; max_idx: number }>(
      `SELECT count() AS n, uniqExact(event_id) AS distinct_events, max(idx) AS max_idx FROM ${ch.tables.merkleNodes} WHERE tenant_id = {t:String} AND level = 0`,
      { t: t.id },
    );
    expect(Number(leaves!.n)).toBe(Number(events!.n)); // nothing unsealed
    expect(Number(leaves!.distinct_events)).toBe(Number(leaves!.n)); // nothing twice
    expect(Number(leaves!.max_idx)).toBe(Number(leaves!.n) - 1); // no gaps
    const report = await apiB.post('/v1/integrity/verify', { token: t.key, body: {} });
    expect(report.body).toMatchObject({ status: 'ok', tree_size: Number(events!.n) });
    const checkpoints = await apiA.get('/v1/integrity/checkpoints', { token: t.key, query: { limit: 1000 } });
    const numbers = checkpoints.body.data.map((c: { number: number }) => c.number);
    expect(numbers).toEqual([...numbers].sort((x: number, y: number) => y - x));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it.skipIf(process.env.VT_TEST_POSTGRES !== 'server')('the feed polled on both replicas delivers events written to both exactly once', async () => {
    const apis = [new Api(a!.url), new Api(b!.url)];
    const t = await createTenant(apis[0]!, env, 'Replica feed');
    await apis[0]!.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const acknowledged = new Set<string>();
    const seen: string[] = [];
    const stopAt = Date.now() + 5000;
    const writer = async (api: Api) => {
      while (Date.now() < stopAt) {
        const r = await api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: 15 }, () => event({ action: 'replica.feed' })) } });
        expect(r.status).toBe(201);
        for (const id of r.body.ids) acknowledged.add(id);
      }
    };
    let cursor: string | undefined;
    let turn = 0;
    const poll = async () => {
      const r = await apis[turn++ % 2]!.get('/v1/events/feed', { token: t.key, query: { limit: 100, cursor, action: 'replica.*' } });
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((e: { id: string }) => e.id));
      cursor = r.body.next_cursor;
      return r.body.data.length as number;
    };
    const poller = async () => {
      while (Date.now() < stopAt) {
        await poll();
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await Promise.all([writer(apis[0]!), writer(apis[1]!), poller()]);
    // Both replicas seal every 300 ms: poll until everything acknowledged has come through.
    const deadline = Date.now() + 10_000;
    while (seen.length < acknowledged.size && Date.now() < deadline) {
      if ((await poll()) === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(acknowledged);
  });
});

/**
 * Leases found at start. Embedded PostgreSQL belongs to one process, so a live lease at start is a
 * dead process's and is released; with a server another replica may be holding it, so it stays.
 * claimOnce markers are not leases: they stay in both modes. The same holds for the leases the
 * webhooks and exports modules keep on their own rows (a destination being delivered, an export
 * being produced).
 */
describe('leases at start', () => {
  let env: TestEnv;
  const started: RunningApp[] = [];
  // The destination below points at a local address (never called: no job runs).
  const start = async () => {
    const app = await startApp(env, { WEBHOOKS_ALLOW_PRIVATE: 'true' });
    started.push(app);
    return app;
  };

  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    for (const app of started) await app.close().catch(() => undefined);
    await env?.drop();
  });

  it.skipIf(process.env.VT_TEST_POSTGRES === 'server')('embedded: a restart releases the leases a killed process held, and keeps once-per-period markers', async () => {
    const first = await start();
    const dead = 'dead-host:1:abcdef';
    expect(await first.app.get(JobLeasesRepository).tryAcquire('seal:t_dead', dead, 60_000)).toBe(true);
    expect(await first.app.get(JobRunner).claimOnce('alert:stale:t_dead', dead, 60_000)).toBe(true);
    await first.close(); // the lease is not released by a shutdown: as if the holder had been killed

    const next = await start();
    const holder = `${next.app.get(JobRunner).holder}:x`;
    expect(await next.app.get(JobLeasesRepository).tryAcquire('seal:t_dead', holder, 60_000)).toBe(true);
    expect(await next.app.get(JobRunner).claimOnce('alert:stale:t_dead', holder, 60_000)).toBe(false);
  });

  it.skipIf(process.env.VT_TEST_POSTGRES !== 'server')('server: starting a replica leaves the leases of a live replica alone', async () => {
    const live = await start();
    const liveHolder = `${live.app.get(JobRunner).holder}:live`;
    const leases = live.app.get(JobLeasesRepository);
    expect(await leases.tryAcquire('seal:t_live', liveHolder, 60_000)).toBe(true);
    expect(await live.app.get(JobRunner).claimOnce('alert:stale:t_live', liveHolder, 60_000)).toBe(true);

    const other = await start();
    const otherHolder = `${other.app.get(JobRunner).holder}:other`;
    expect(await other.app.get(JobLeasesRepository).tryAcquire('seal:t_live', otherHolder, 60_000)).toBe(false);
    expect(await leases.renew('seal:t_live', liveHolder, 60_000)).toBe(true);
    expect(await other.app.get(JobRunner).claimOnce('alert:stale:t_live', otherHolder, 60_000)).toBe(false);
  });

  /** A destination and an export of a new tenant, both claimed by `holder` (no job runs: nothing else claims them). */
  const claimRows = async (app: RunningApp, name: string, holder: string) => {
    const api = new Api(app.url);
    const t = await createTenant(api, env, name);
    const hook = await api.post('/v1/webhooks', { token: t.key, body: { url: 'http://127.0.0.1:9/hook' } });
    expect(hook.status, hook.text).toBe(201);
    const exp = await api.post('/v1/exports', { token: t.key, body: { format: 'ndjson' } });
    expect(exp.status, exp.text).toBe(202);
    expect((await app.app.get(WebhooksRepository).claimDue(holder, 60_000))?.id).toBe(hook.body.id);
    expect((await app.app.get(ExportsRepository).claim(holder, 60_000, 10))?.id).toBe(exp.body.id);
    return { webhookId: hook.body.id as string, exportId: exp.body.id as string };
  };

  it.skipIf(process.env.VT_TEST_POSTGRES === 'server')('embedded: a restart takes over the webhook destination and the export a killed process held', async () => {
    for (const app of started.splice(0)) await app.close(); // one process per embedded data directory
    const first = await start();
    const rows = await claimRows(first, 'Row leases', 'dead-host:1:abcdef');
    await first.close(); // neither row lease is released by a shutdown: as if the holder had been killed

    const next = await start();
    const holder = `${next.app.get(JobRunner).holder}:x`;
    expect((await next.app.get(WebhooksRepository).claimDue(holder, 60_000))?.id).toBe(rows.webhookId);
    const taken = await next.app.get(ExportsRepository).claim(holder, 60_000, 10);
    expect(taken?.id).toBe(rows.exportId);
    expect(taken?.attempts).toBe(2); // the killed run counts as an attempt, as after any crash
  });

  it.skipIf(process.env.VT_TEST_POSTGRES !== 'server')('server: starting a replica leaves a live replica\'s webhook destination and export alone', async () => {
    const live = await start();
    const liveHolder = `${live.app.get(JobRunner).holder}:live`;
    const rows = await claimRows(live, 'Live row leases', liveHolder);

    const other = await start();
    const otherHolder = `${other.app.get(JobRunner).holder}:other`;
    expect(await other.app.get(WebhooksRepository).claimDue(otherHolder, 60_000)).toBeUndefined();
    expect(await other.app.get(ExportsRepository).claim(otherHolder, 60_000, 10)).toBeUndefined();
    // The live replica still holds both: its lease-fenced writes go through.
    expect(await live.app.get(ExportsRepository).heartbeat(rows.exportId, liveHolder, 60_000, { rows: 0, bytes: 0 })).toBe('ok');
    expect(await live.app.get(WebhooksRepository).setPending(rows.webhookId, liveHolder, { messageId: 'msg_live', kind: 'events', from: -1, to: -1 })).toBe(true);
  });

  it('a marker is claimed once per period, by the process that set it too', async () => {
    const app = started.at(-1) ?? (await start());
    const runner = app.app.get(JobRunner);
    expect(await runner.claimOnce('alert:stale:t_once', runner.holder, 60_000)).toBe(true);
    expect(await runner.claimOnce('alert:stale:t_once', runner.holder, 60_000)).toBe(false);
    expect(await runner.claimOnce('alert:stale:t_short', runner.holder, 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await runner.claimOnce('alert:stale:t_short', runner.holder, 60_000)).toBe(true);
  });
});
