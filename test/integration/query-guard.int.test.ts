import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { BACKGROUND_LANE, runInLane, SYSTEM_LANE, tenantLane } from '../../src/storage/clickhouse/engine-scheduler.js';
import type { QueryLimits } from '../../src/storage/clickhouse/query-guard.js';
import { event, useApp, type TestTenant } from '../support/harness.js';

/**
 * Query guard rails (TEST-CATALOG TN-06): every ClickHouse read a tenant's request makes runs with
 * time, memory and read limits, a tenant has at most TENANT_MAX_CONCURRENT_QUERIES reads queued or
 * running, and a flood of one tenant's aggregations neither fails nor slows another tenant much.
 * Limits are changed per test on the running app's configuration object (the one the ClickHouse
 * client reads at each statement) and put back afterwards.
 */
describe('query guard rails', () => {
  const ctx = useApp();
  const ch = () => ctx.app.app.get(ClickHouseService);
  const limits = (): QueryLimits => ctx.app.config.storage.queryLimits;
  let defaults: QueryLimits;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    defaults = { ...limits() };
    a = await ctx.tenant('Flooder');
    b = await ctx.tenant('Bystander');
    for (let i = 0; i < 4; i++) {
      const r = await ctx.api.post('/v1/events/batch', {
        token: a.key,
        body: { events: Array.from({ length: 500 }, (_, k) => event({ action: `load.a${(i * 500 + k) % 37}`, organization_id: `org_${k % 5}` })) },
      });
      expect(r.status, r.text).toBe(201);
    }
    const r = await ctx.api.post('/v1/events/batch', { token: b.key, body: { events: Array.from({ length: 20 }, () => event({ action: 'load.b' })) } });
    expect(r.status, r.text).toBe(201);
  }, 120_000);

  afterEach(() => {
    Object.assign(limits(), defaults);
  });

  const slow = 'SELECT count() AS n FROM numbers({n:UInt64}) WHERE sipHash64(number) % 7 = 3';

  it('TN-06: chDB honours the limits: rows read → 422 query_too_expensive over HTTP, with advice; nothing is changed and the same read passes once the limit allows it', async () => {
    Object.assign(limits(), { maxRowsToRead: 100 });
    const refused = await ctx.api.get('/v1/events/stats', { token: a.key });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.error.code).toBe('query_too_expensive');
    expect(refused.body.error.message).toMatch(/Narrow the time range/);
    Object.assign(limits(), defaults);
    const ok = await ctx.api.get('/v1/events/stats', { token: a.key });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.total).toBeGreaterThanOrEqual(2000);
  });

  it('TN-06: memory and bytes read → query_too_expensive, run time → 504 query_timeout, only in a tenant\'s lane', async () => {
    Object.assign(limits(), { maxMemoryBytes: 8 * 1024 * 1024, maxRowsToRead: 0, maxBytesToRead: 0, maxExecutionMs: 300 });
    const inTenant = <T>(fn: () => Promise<T>) => runInLane(tenantLane(a.id), fn);
    await expect(inTenant(() => ch().query('SELECT length(groupArray(number)) AS n FROM numbers(20000000)'))).rejects.toMatchObject({ status: 422, code: 'query_too_expensive' });
    const started = performance.now();
    await expect(inTenant(() => ch().query(slow, { n: 50_000_000_000 }))).rejects.toMatchObject({ status: 504, code: 'query_timeout' });
    // Cancelled by the engine near the limit, not after scanning 50 billion rows.
    expect(performance.now() - started).toBeLessThan(15_000);
    Object.assign(limits(), { maxExecutionMs: 0, maxMemoryBytes: 0, maxBytesToRead: 1000 });
    await expect(inTenant(() => ch().query('SELECT sum(number) AS s FROM numbers(1000000)'))).rejects.toMatchObject({ status: 422, code: 'query_too_expensive' });
    // The same reads outside a tenant's lane (jobs, operator) are not limited by the tenant guard.
    Object.assign(limits(), { maxMemoryBytes: 8 * 1024 * 1024, maxBytesToRead: 1000 });
    await expect(runInLane(BACKGROUND_LANE, () => ch().query<{ n: number }>('SELECT length(groupArray(number)) AS n FROM numbers(2000000)'))).resolves.toEqual([{ n: 2_000_000 }]);
  });

  it('embedded mode: a statement\'s settings do not stay in force for the next one (chDB applies them as SET on its one session)', async () => {
    Object.assign(limits(), { maxRowsToRead: 10 });
    await expect(runInLane(tenantLane(a.id), () => ch().query('SELECT count() AS n FROM numbers(1000)'))).rejects.toMatchObject({ code: 'query_too_expensive' });
    // A read of the system lane right after: no tenant limit left over from the refused one.
    expect(await runInLane(SYSTEM_LANE, () => ch().query<{ n: number }>('SELECT count() AS n FROM numbers(1000)'))).toEqual([{ n: 1000 }]);
    // A setting one repository passes does not change the next statement's answer.
    expect(await ch().query<{ s: number | null }>('SELECT sum(number) AS s FROM numbers(0)', {}, { settings: { aggregate_functions_null_for_empty: 1 } })).toEqual([{ s: null }]);
    expect(await ch().query<{ s: number | null }>('SELECT sum(number) AS s FROM numbers(0)')).toEqual([{ s: 0 }]);
  });

  it('TN-06: past TENANT_MAX_CONCURRENT_QUERIES a tenant\'s reads are refused 429 too_many_concurrent_queries with Retry-After; another tenant\'s are not', async () => {
    Object.assign(limits(), { tenantConcurrentQueries: 3 });
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => runInLane(tenantLane(a.id), () => ch().query(slow, { n: 3_000_000 }))));
    const b1 = runInLane(tenantLane(b.id), () => ch().query<{ x: number }>('SELECT 1 AS x'));
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    expect(refused).toHaveLength(5);
    for (const e of refused) expect(e).toMatchObject({ status: 429, code: 'too_many_concurrent_queries', headers: { 'retry-after': '1' } });
    expect(await b1).toEqual([{ x: 1 }]);
    // Over HTTP: the same refusal as an API error with the header.
    Object.assign(limits(), { tenantConcurrentQueries: 1 });
    const answers = await Promise.all(Array.from({ length: 12 }, () => ctx.api.get('/v1/events/stats', { token: a.key })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 429), statuses.join()).toBe(true);
    const tooMany = answers.find((r) => r.status === 429);
    expect(tooMany, statuses.join()).toBeDefined();
    expect(tooMany!.body.error.code).toBe('too_many_concurrent_queries');
    expect(tooMany!.headers.get('retry-after')).toBe('1');
  });

  it('TN-06: tenant A fires 50 concurrent full-range aggregations; A is refused or queued, B\'s reads all succeed and B\'s p99 stays bounded by its unloaded p99', async () => {
    const bRead = async () => {
      const t0 = performance.now();
      const r = await ctx.api.get('/v1/events', { token: b.key, query: { limit: 10 } });
      expect(r.status, r.text).toBe(200);
      return performance.now() - t0;
    };
    const p99 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.ceil(xs.length * 0.99) - 1]!;
    for (let i = 0; i < 3; i++) await bRead(); // warm
    const unloaded: number[] = [];
    for (let i = 0; i < 20; i++) unloaded.push(await bRead());

    // A's aggregations: each scans A's whole history (stats: totals, by action, outcome, day).
    let stop = false;
    const aStatuses: number[] = [];
    const flood = async () => {
      while (!stop) {
        const burst = await Promise.all(Array.from({ length: 50 }, () => ctx.api.get('/v1/events/stats', { token: a.key })));
        for (const r of burst) {
          aStatuses.push(r.status);
          if (r.status === 429) expect(['too_many_concurrent_queries', 'rate_limited']).toContain(r.body.error.code);
        }
      }
    };
    const flooding = flood();
    const loaded: number[] = [];
    try {
      for (let i = 0; i < 20; i++) loaded.push(await bRead());
    } finally {
      stop = true;
      await flooding;
    }
    expect(aStatuses.length).toBeGreaterThanOrEqual(50);
    expect(aStatuses.every((s) => s === 200 || s === 429), [...new Set(aStatuses)].join()).toBe(true);
    // Bounded, with margins for a loaded 2-core machine: B waits behind at most one or two of A's
    // statements per turn, not behind A's whole backlog of 50 requests.
    const base = p99(unloaded);
    const bound = Math.max(4 * base, base + 1500);
    expect(p99(loaded), `unloaded p99 ${base.toFixed(0)} ms, loaded ${loaded.map((x) => x.toFixed(0)).join(',')}`).toBeLessThanOrEqual(bound);
  }, 120_000);
});
