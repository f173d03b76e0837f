// LD-01 as a benchmark (the bounded version is test/integration/rate-limits.int.test.ts): steady
// tenants ingest batches at their own pace, first alone, then while one tenant floods with far
// more than its rate limit allows. Reports the steady tenants' latency alone and under the flood,
// what the flooder got (201 / 429 with Retry-After), and whether every acknowledged event of
// every tenant is stored. Needs `node scripts/build.mjs` first; prints one JSON object.
//
//   node bench/fairness.mjs                       # FAIRNESS_SECONDS=30 per phase
//   FAIRNESS_SECONDS=600 node bench/fairness.mjs  # a long run
//   FLOOD_EVENTS_PER_S=1000 FLOOD_REQUESTS_PER_S=20 node bench/fairness.mjs  # the flooder's limits (default 200 / 20)
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startProcess } from './lib/proc.mjs';

const SECONDS = Number(process.env.FAIRNESS_SECONDS ?? 30);
const STEADY_TENANTS = 3;
const STEADY_CONCURRENCY = 2;
const STEADY_BATCH = 50;
const FLOOD_CONCURRENCY = 16;
const FLOOD_BATCH = 100;
const FLOOD_LIMITS = { ingest_requests_per_second: Number(process.env.FLOOD_REQUESTS_PER_S ?? 20), ingest_events_per_second: Number(process.env.FLOOD_EVENTS_PER_S ?? 200) };
const ADMIN = `bench-admin-${randomBytes(12).toString('hex')}`;

const dir = await mkdtemp(join(tmpdir(), 'vt-bench-fairness-'));
const app = await startProcess('dist/main.js', { DATA_DIR: dir, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', JOBS: 'none' });
const pool = new Pool(app.url, { connections: STEADY_TENANTS * STEADY_CONCURRENCY + FLOOD_CONCURRENCY + 2, pipelining: 1 });

async function call(method, path, token, body) {
  const res = await pool.request({ method, path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
async function tenant(name, rate_limits) {
  const r = await call('POST', '/admin/v1/tenants', ADMIN, { name });
  if (r.status !== 201) throw new Error(`tenant: ${r.status}`);
  if (rate_limits) {
    const p = await call('PATCH', `/admin/v1/tenants/${r.body.tenant.id}`, ADMIN, { rate_limits });
    if (p.status !== 200) throw new Error(`limits: ${p.status}`);
  }
  return { id: r.body.tenant.id, key: r.body.api_key.key, acked: 0 };
}
const batch = (action, n, seq) =>
  Array.from({ length: n }, (_, i) => ({
    action,
    occurred_at: new Date(Date.now() - 1000).toISOString(),
    organization_id: `org_${i % 5}`,
    actor: { type: 'user', id: `u_${(seq + i) % 97}` },
    metadata: { seq, i },
  }));

/** Closed-loop clients of one tenant until `stopAt`; latencies of 201s, counts of each status. */
async function drive(t, action, concurrency, size, stopAt, out) {
  let seq = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < stopAt) {
        const t0 = performance.now();
        const r = await call('POST', '/v1/events/batch', t.key, { events: batch(action, size, seq++ * size) });
        const ms = performance.now() - t0;
        out.statuses[r.status] = (out.statuses[r.status] ?? 0) + 1;
        if (r.status === 201) {
          t.acked += size;
          out.latencies.push(ms);
        } else if (r.status === 429) {
          out.retryAfterPresent &&= Number(r.headers['retry-after']) >= 1;
          // A well-behaved client waits as told; a flooder does not (no wait here).
        } else throw new Error(`${action}: unexpected ${r.status} ${JSON.stringify(r.body)}`);
      }
    }),
  );
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]) : null;
};

try {
  const steady = [];
  for (let i = 0; i < STEADY_TENANTS; i++) steady.push(await tenant(`steady-${i}`));
  const flooder = await tenant('flooder', FLOOD_LIMITS);

  const alone = { latencies: [], statuses: {} };
  let stopAt = performance.now() + SECONDS * 1000;
  await Promise.all(steady.map((t) => drive(t, 'fair.steady', STEADY_CONCURRENCY, STEADY_BATCH, stopAt, alone)));
  const aloneEventsPerS = (alone.latencies.length * STEADY_BATCH) / SECONDS;

  const loaded = { latencies: [], statuses: {} };
  const flood = { latencies: [], statuses: {}, retryAfterPresent: true };
  stopAt = performance.now() + SECONDS * 1000;
  await Promise.all([...steady.map((t) => drive(t, 'fair.steady', STEADY_CONCURRENCY, STEADY_BATCH, stopAt, loaded)), drive(flooder, 'fair.flood', FLOOD_CONCURRENCY, FLOOD_BATCH, stopAt, flood)]);
  const floodOffered = ((Object.values(flood.statuses).reduce((a, b) => a + b, 0)) * FLOOD_BATCH) / SECONDS;

  // Zero acknowledged events lost: stored customer events per tenant (stats counts them) equal the acknowledged ones.
  const lost = {};
  for (const t of [...steady, flooder]) {
    const s = await call('GET', '/v1/events/stats?action=fair.*', t.key);
    if (s.status !== 200) throw new Error(`stats ${s.status}`);
    lost[t.id] = t.acked - s.body.total;
  }
  const result = {
    seconds_per_phase: SECONDS,
    steady: { tenants: STEADY_TENANTS, concurrency_each: STEADY_CONCURRENCY, batch: STEADY_BATCH },
    flooder: { concurrency: FLOOD_CONCURRENCY, batch: FLOOD_BATCH, limits: FLOOD_LIMITS },
    alone: { events_per_s: Math.round(aloneEventsPerS), p50_ms: pct(alone.latencies, 50), p99_ms: pct(alone.latencies, 99), statuses: alone.statuses },
    under_flood: {
      events_per_s: Math.round((loaded.latencies.length * STEADY_BATCH) / SECONDS),
      p50_ms: pct(loaded.latencies, 50),
      p99_ms: pct(loaded.latencies, 99),
      statuses: loaded.statuses,
    },
    flood: { offered_events_per_s: Math.round(floodOffered), offered_vs_steady_peak: +(floodOffered / aloneEventsPerS).toFixed(1), statuses: flood.statuses, acked_events_per_s: Math.round(flooder.acked / SECONDS), retry_after_on_every_429: flood.retryAfterPresent },
    p99_ratio: +(pct(loaded.latencies, 99) / pct(alone.latencies, 99)).toFixed(2),
    acknowledged_but_missing: Object.values(lost).reduce((a, b) => a + b, 0),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, load5_at_end: +loadavg()[1].toFixed(1) },
    date: new Date().toISOString(),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await pool.close();
  await app.stop();
  await rm(dir, { recursive: true, force: true });
}
