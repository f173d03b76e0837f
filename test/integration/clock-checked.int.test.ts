import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckedClock } from '../../src/common/checked-clock.js';
import { SYSTEM_TRAIL_TENANT_ID } from '../../src/integrity/clock-skew-trail.js';
import { SealerService } from '../../src/integrity/sealer.service.js';
import { ClockSkewMonitor } from '../../src/observability/clock-skew.js';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { TenantScope } from '../../src/tenancy/tenant-scope.js';
import { Api, createTenant, createTestEnv, event, startApp, until, type RunningApp, type TestEnv } from '../support/harness.js';

const TEN_MINUTES = 600_000;
/** Generous bound for "agrees with the real time" on a loaded machine. */
const CLOSE_MS = 30_000;

/**
 * LD-02, the correcting part: two replicas on the same stores, B's own clock 10 minutes ahead
 * (its CheckedClock test hook; PostgreSQL's clock and A's are real). Before B's skew is measured
 * it stamps the future (what the check is for); once measured, B stamps the PostgreSQL-corrected
 * time, the episode is recorded once in the system trail, and a checkpoint sealed by A after one
 * sealed by B (ahead) is not dated earlier. The skew checks are driven by the test
 * (CLOCK_SKEW_CHECK_INTERVAL=0) and no sealing job runs, so nothing races. Two processes on
 * one PostgreSQL need the server: embedded PGlite belongs to one process, so this runs in the
 * integration:postgres project only.
 */
describe('checked clock across two replicas', () => {
  const server = process.env.VT_TEST_POSTGRES === 'server';
  let env: TestEnv;
  let a: RunningApp | undefined;
  let b: RunningApp | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
    if (!server) return;
    const vars = { JOBS: 'none', CLOCK_SKEW_CHECK_INTERVAL: '0s', CLOCK_SKEW_WARN_MS: '2000' };
    a = await startApp(env, vars);
    b = await startApp(env, vars);
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await env?.drop();
  });

  const systemEntries = async () => {
    const ch = a!.app.get(ClickHouseService);
    return ch.query<{ r: number; payload: string }>(
      `SELECT toUnixTimestamp64Milli(received_at) AS r, payload FROM ${ch.tables.events} WHERE tenant_id = {t:String} AND action = 'veritrail.clock.skew_detected' ORDER BY received_at`,
      { t: SYSTEM_TRAIL_TENANT_ID },
    );
  };

  it.skipIf(!server)('LD-02: a replica 10 min ahead stamps corrected received_at once its skew is measured, records the episode once, and checkpoint times stay monotonic', async () => {
    const apiA = new Api(a!.url);
    const apiB = new Api(b!.url);
    const t = await createTenant(apiA, env, 'Skewed replica');
    const other = await createTenant(apiA, env, 'Other tenant');
    await apiA.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const scope = TenantScope.forTenant({ id: t.id, retentionDays: 365 });
    const clockB = b!.app.get(CheckedClock);
    clockB.skewLocalClockForTest(TEN_MINUTES);

    // Unmeasured: B stamps its own (wrong) clock, and seals a checkpoint dated 10 minutes ahead.
    const early = await apiB.post('/v1/events', { token: t.key, body: event({ action: 'skew.before_check' }) });
    expect(early.status).toBe(201);
    expect(Date.parse(early.body.received_at) - Date.now()).toBeGreaterThan(TEN_MINUTES - CLOSE_MS);
    const [first] = await b!.app.get(SealerService).sealTenant(scope);
    expect(first!.checkpoint.sealedAt.getTime() - Date.now()).toBeGreaterThan(TEN_MINUTES - CLOSE_MS);

    // Measured: B now stamps the PostgreSQL-corrected time.
    const reading = await b!.app.get(ClockSkewMonitor).check();
    expect(reading.skewed).toBe(true);
    expect(Math.abs(reading.skewMs - TEN_MINUTES)).toBeLessThan(CLOSE_MS);
    expect(Math.abs(clockB.correction - TEN_MINUTES)).toBeLessThan(CLOSE_MS);
    for (const tenant of [t, other]) {
      const r = await apiB.post('/v1/events', { token: tenant.key, body: event({ action: 'skew.after_check' }) });
      expect(r.status).toBe(201);
      expect(Math.abs(Date.parse(r.body.received_at) - Date.now())).toBeLessThan(CLOSE_MS);
    }
    // A's clock is right: its readings change nothing on A.
    expect((await a!.app.get(ClockSkewMonitor).check()).skewed).toBe(false);
    expect(a!.app.get(CheckedClock).correction).toBe(0);

    // The episode is one system-trail entry, stamped with the corrected time; a second skewed
    // check of the same episode adds none.
    await until('the skew entry in the system trail', async () => (await systemEntries()).length > 0);
    const entries = await systemEntries();
    expect(entries).toHaveLength(1);
    expect(Math.abs(Number(entries[0]!.r) - Date.now())).toBeLessThan(CLOSE_MS);
    const payload = JSON.parse(entries[0]!.payload) as { metadata: { skew_ms: number; limit_ms: number }; outcome: string };
    expect(Math.abs(payload.metadata.skew_ms - TEN_MINUTES)).toBeLessThan(CLOSE_MS);
    expect(payload.metadata.limit_ms).toBe(2000);
    expect((await b!.app.get(ClockSkewMonitor).check()).skewed).toBe(true);
    // The tenants' own trails get nothing about it.
    for (const tenant of [t, other]) {
      const own = await apiA.get('/v1/events', { token: tenant.key, query: { action: 'veritrail.clock.skew_detected' } });
      expect(own.status).toBe(200);
      expect(own.body.data).toEqual([]);
    }

    // A (right clock) seals the next checkpoint: not dated before B's 10-minutes-ahead one.
    expect((await apiA.post('/v1/events', { token: t.key, body: event({ action: 'skew.on_a' }) })).status).toBe(201);
    const [second] = await a!.app.get(SealerService).sealTenant(scope);
    expect(second!.checkpoint.number).toBe(first!.checkpoint.number + 1);
    expect(second!.checkpoint.sealedAt.getTime()).toBeGreaterThanOrEqual(first!.checkpoint.sealedAt.getTime());

    // Fixed, then skewed again: a new episode, a second entry.
    clockB.skewLocalClockForTest(0);
    expect((await b!.app.get(ClockSkewMonitor).check()).skewed).toBe(false);
    expect(clockB.correction).toBe(0);
    expect((await systemEntries()).length).toBe(1);
    clockB.skewLocalClockForTest(TEN_MINUTES);
    expect((await b!.app.get(ClockSkewMonitor).check()).skewed).toBe(true);
    await until('a second episode entry', async () => ((await systemEntries()).length === 2 ? true : undefined));
    clockB.skewLocalClockForTest(0);
    await b!.app.get(ClockSkewMonitor).check();
  });
});
