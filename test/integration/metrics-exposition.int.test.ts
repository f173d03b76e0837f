import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseService } from '../../src/storage/clickhouse/clickhouse.service.js';
import { Api, createTenant, createTestEnv, event, startApp, type RunningApp, type TestEnv } from '../support/harness.js';

/**
 * STD-PROM: the real /metrics output of a running app passes Prometheus's own linter
 * (`promtool check metrics`, Debian package prometheus; .ci/run installs it). Only promtool is
 * used: no Prometheus server is started, and nothing here needs port 9090.
 */
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
if (!PROMTOOL) console.warn('STD-PROM promtool checks skipped: promtool is not installed (apt-get install --no-install-recommends prometheus; .ci/run does)');

function promtoolCheck(text: string): { status: number | null; output: string } {
  const r = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

/** The value of one sample (`name{labels}`) in the exposition text, undefined when absent. */
function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

async function pollMetrics(api: Api, until: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await api.get('/metrics')).text as string;
    if (until(text)) return text;
    if (Date.now() > deadline) throw new Error(`metrics never matched; last:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('metrics exposition', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv();
  });

  afterAll(async () => {
    await env?.drop();
  });

  it.skipIf(!PROMTOOL)('STD-PROM: promtool check metrics accepts the /metrics of a running app, with jobs and traffic', async () => {
    const app: RunningApp = await startApp(env, { JOBS: 'seal,integrity-watch', SEAL_INTERVAL: '1s', LOG_APPEND_INTERVAL: '250ms' });
    try {
      const api = new Api(app.url);
      const t = await createTenant(api, env, 'Prom');
      expect((await api.post('/v1/events', { token: t.key, body: event() })).status).toBe(201);
      expect((await api.get('/v1/events', { token: 'vt_wrong' })).status).toBe(401);
      const text = await pollMetrics(api, (m) => (sample(m, 'veritrail_job_runs_total{kind="seal",result="ok"}') ?? 0) >= 1);
      const check = promtoolCheck(text);
      expect(check.output).toBe('');
      expect(check.status).toBe(0);
      // The renamed default gauges, and no gauge ending in _total.
      expect(text).toMatch(/^veritrail_nodejs_active_handles_all \d+/m);
      expect(text).not.toMatch(/^# TYPE \S+_total gauge$/m);
      // Per-job lag and interval for every job enabled here; the breaker closed.
      // The seal job runs at the log's append interval (it signs on SEAL_INTERVAL within those runs).
      expect(sample(text, 'veritrail_job_interval_seconds{kind="seal"}')).toBe(0.25);
      expect(sample(text, 'veritrail_job_lag_seconds{kind="seal"}')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'veritrail_job_lag_seconds{kind="integrity-watch"}')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'veritrail_job_lag_seconds{kind="export"}')).toBeUndefined();
      expect(sample(text, 'veritrail_clickhouse_circuit_state{state="closed"}')).toBe(1);
      expect(text).not.toContain(t.id);
    } finally {
      await app.close();
    }
  });

  it.skipIf(!PROMTOOL)('the promtool check can fail: a gauge named like a counter is refused', () => {
    const bad = promtoolCheck('# HELP x_total a gauge\n# TYPE x_total gauge\nx_total 1\n');
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain('non-counter metrics should not have "_total" suffix');
  });

  it('STD-PROM: veritrail_clickhouse_circuit_state follows the breaker: closed → open → half_open → closed', async () => {
    const app = await startApp(env, { CLICKHOUSE_BREAKER_THRESHOLD: '2', CLICKHOUSE_BREAKER_COOLDOWN_MS: '3000' });
    try {
      const api = new Api(app.url);
      const t = await createTenant(api, env, 'Breaker metric');
      const ch = app.app.get(ClickHouseService);
      const state = (m: string) => ['closed', 'open', 'half_open'].filter((s) => sample(m, `veritrail_clickhouse_circuit_state{state="${s}"}`) === 1);
      expect(state(await pollMetrics(api, () => true))).toEqual(['closed']);
      await ch.command(`DETACH TABLE ${ch.tables.events}`);
      for (let i = 0; i < 2; i++) expect((await api.post('/v1/events', { token: t.key, body: event() })).status).toBe(503);
      expect(ch.breakerState).toBe('open');
      const open = await pollMetrics(api, (m) => state(m).length === 1 && state(m)[0] !== 'closed');
      // Open for the cool-down (3 s), then half-open until a statement probes.
      expect(['open', 'half_open']).toContain(state(open)[0]);
      if (PROMTOOL) expect(promtoolCheck(open)).toEqual({ status: 0, output: '' });
      await pollMetrics(api, (m) => state(m)[0] === 'half_open');
      await ch.command(`ATTACH TABLE ${ch.tables.events}`); // the probe: it succeeds and closes the circuit
      expect(state(await pollMetrics(api, () => true))).toEqual(['closed']);
      expect((await api.post('/v1/events', { token: t.key, body: event() })).status).toBe(201);
    } finally {
      await app.close();
    }
  });
});
