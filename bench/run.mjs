#!/usr/bin/env node
// Veritrail benchmarks. Every figure is a ratio against a reference measured in the same run
// on the same machine (these machines are noisy). One run writes the whole of docs/benchmarks.md
// (and bench/results/latest.json): nothing on the page comes from another run or is edited by
// hand; scenarios left out of a run are listed as such, without figures.
//
//   npm run bench                                   # everything, default sizes (hours on 2 cores)
//   npm run bench -- --quick                        # every scenario at smoke-test sizes (minutes)
//   npm run bench -- --only=ingest,users,query      # some scenarios (the page then holds only those)
//   npm run bench -- --events=200000 --query-events=10000000 --tenants=100
//   npm run bench -- --only=query --query-events=200000 --pg-url=postgres://postgres@127.0.0.1:5432
//   npm run bench -- --only=export --export-events=10000000
//   npm run bench -- --only=alerts [--alert-tenants=100 --alert-events=200000]
//   npm run bench -- --only=backtest [--backtest-events=1000000] [--backtest-load=api|grow]
//   npm run bench -- --only=durability [--durability-events=100000]
//   npm run bench -- --only=syslog [--syslog-backlog=20000]
//   npm run bench -- --only=lag [--lag-rate=1000 --lag-seconds=30]
//
// "As users run it": the app is started as `npm start` starts it (dist/main.js with its defaults:
// every background job on, privacy defaults on, default log level); only DATA_DIR, PORT and
// ADMIN_TOKEN are set, plus what a scenario says it sets on the page.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT, ACTORS_PER_ORG } from './lib/data.mjs';
import { percentiles, runLoad } from './lib/load.mjs';
import { ROOT, lastJsonLine, peakRssMb, startProcess } from './lib/proc.mjs';
import { fmt, setPageFile } from './lib/report.mjs';
import { renderPage, SCENARIOS } from './lib/page.mjs';
import { benchAlerts, writeAlertsSection } from './alerts.mjs';
import { benchBacktest, writeBacktestSection } from './backtest.mjs';
import { benchDurability, writeDurabilitySection } from './durability.mjs';
import { benchSyslog, writeSyslogSection } from './syslog.mjs';
import { benchSchemas, writeSchemasSection } from './schemas.mjs';
import { benchAsUsersRunIt, writeAsUsersRunItSections } from './as-users-run-it.mjs';
import { benchLag, writeLagSection } from './lag.mjs';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
// --quick: every scenario, sizes small enough for a smoke run; explicit options still win.
const QUICK_SIZES = {
  events: '20000', 'query-events': '100000', tenants: '10', 'export-events': '50000', 'feed-seconds': '10', 'webhook-backlog': '5000', 'webhook-seconds': '5',
  'keys-events': '5000', 'keys-rounds': '1', 'single-seconds': '4', 'lag-seconds': '5', 'alert-tenants': '10', 'alert-events': '10000', 'backtest-events': '10000',
  'durability-events': '5000', 'durability-rounds': '1', 'syslog-backlog': '2000', 'schema-events': '5000', 'schema-rounds': '1', samples: '20',
};
const args = {
  ...(QUICK ? QUICK_SIZES : {}),
  ...Object.fromEntries(
    argv.map((a) => {
      const [k, ...v] = a.replace(/^--/, '').split('=');
      return [k, v.length ? v.join('=') : 'true'];
    }),
  ),
};
const only = new Set((args.only ?? SCENARIOS.join(',')).split(','));
// The integrity figures are measured inside the ingest scenario, on its backlog; the
// single-event reference is compared with the single events of the "as users run it" app.
if (only.has('ingest')) only.add('integrity');
if (only.has('single')) only.add('users');
if (['memory', 'idempotency', 'single-keys'].some((k) => only.has(k))) only.add('users');
if (only.has('users') && !['memory', 'idempotency', 'single-keys'].some((k) => only.has(k))) for (const k of ['memory', 'idempotency', 'single-keys']) only.add(k);
const EVENTS = Number(args.events ?? 200_000);
const QUERY_EVENTS = Number(args['query-events'] ?? 10_000_000);
const TENANTS = Number(args.tenants ?? 100);
const EXPORT_EVENTS = Number(args['export-events'] ?? 10_000_000);
const SINGLE_SECONDS = Number(args['single-seconds'] ?? 15);
const PG_URL = (args['pg-url'] ?? process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const SEED_ACTION = 'bench.seed';
const ADMIN = 'bench-admin-token-0123456789abcdef';
const COMMAND = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
const commit = (() => {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'bench', 'scripts', 'prisma', 'package.json'], { cwd: ROOT }).toString().trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
})();
const results = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version },
  date: new Date().toISOString(),
  commit,
  command: COMMAND,
  only: [...only],
  loadAverage: { start: loadavg() },
  scenarios: {},
};

function log(...a) {
  process.stderr.write(`${a.join(' ')}\n`);
}

async function startApp(dataDir, extra = {}) {
  return startProcess('dist/main.js', { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, ...extra });
}

async function createTenant(url, name) {
  const r = await fetch(`${url}/admin/v1/tenants`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  if (r.status !== 201) throw new Error(`tenant: ${r.status} ${await r.text()}`);
  const body = await r.json();
  return { id: body.tenant.id, key: body.api_key.key };
}

// ---------------------------------------------------------------- batch ingest
async function benchIngest() {
  log(`ingest: generating ${EVENTS} events in batches of 500 …`);
  const r = rng(42);
  const now = Date.now();
  const bodies = [];
  for (let i = 0; i < EVENTS; i += 500) {
    const events = [];
    for (let j = i; j < Math.min(EVENTS, i + 500); j++) events.push(makeEvent(r, 0, j % ORGS_PER_TENANT, now - 60_000 + (j % 60_000)));
    bodies.push(Buffer.from(JSON.stringify({ events })));
  }
  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-ingest-'));
  let app;
  try {
    // As users run it: npm start's defaults, every background job on.
    app = await startApp(dir);
    const t = await createTenant(app.url, 'bench-ingest');
    // Warm-up on another tenant (its rows are not part of the reference): JIT, caches, first parts.
    const w = await createTenant(app.url, 'bench-ingest-warmup');
    await runLoad({ url: app.url, concurrency: 4, requests: Math.min(4, bodies.length), warmupMs: 0, makeRequest: (i) => ({ path: '/v1/events/batch', headers: { authorization: `Bearer ${w.key}`, 'content-type': 'application/json' }, body: bodies[i], items: 500 }) });
    log(`ingest: ${bodies.length} requests over HTTP, 4 in flight, every job on …`);
    const api = await runLoad({
      url: app.url,
      concurrency: 4,
      requests: bodies.length,
      warmupMs: 0,
      makeRequest: (i) => ({ path: '/v1/events/batch', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: bodies[i], items: 500 }),
    });
    if (api.failed > 0) throw new Error(`${api.failed} ingest requests failed: ${api.firstFailures.join('; ')}`);
    const rss = await peakRssMb(app.pid);
    const integrity = await benchIntegrity(app.url, t.key);
    await app.stop();
    app = undefined;
    bodies.length = 0;
    // The reference inserts the rows this API run stored (read back from its data directory:
    // ciphertext, blind-index tokens, hashes and all) into a table of the same definition.
    log('ingest: raw chDB INSERT of exactly the rows the API stored …');
    const raw = lastJsonLine(execFileSync(process.execPath, ['bench/raw-insert.mjs'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir, TENANT_ID: t.id, BATCH: '500' }, maxBuffer: 1 << 24 }));
    // The faster of the two runs at the API's batch size, so the ratio errs low.
    const ref = raw.runs.filter((x) => x.batch === 500).reduce((a, b) => (b.rowsPerS > a.rowsPerS ? b : a));
    results.scenarios.integrity = integrity;
    results.scenarios.ingest = {
      events: EVENTS,
      apiEventsPerS: api.itemsPerS,
      apiFailed: api.failed,
      apiP50Ms: api.p50,
      apiP99Ms: api.p99,
      appPeakRssMb: rss,
      raw,
      referenceEventsPerS: ref.rowsPerS,
      ratio: api.itemsPerS / ref.rowsPerS,
      target: 0.4,
    };
  } finally {
    await app?.stop();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

// ---------------------------------------------------------------- tamper evidence
async function benchIntegrity(url, key) {
  const auth = { authorization: `Bearer ${key}` };
  log('integrity: sealing what the background jobs have not sealed yet …');
  let t0 = performance.now();
  let seal;
  for (;;) {
    const res = await fetch(`${url}/v1/integrity/seal`, { method: 'POST', headers: auth });
    seal = await res.json();
    if (res.status === 200) break;
    if (res.status !== 409 || performance.now() - t0 > 300_000) throw new Error(`seal: ${res.status} ${JSON.stringify(seal)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const sealS = (performance.now() - t0) / 1000;
  log(`integrity: sealed ${seal.sealed} events in ${sealS.toFixed(1)} s; verifying the whole trail …`);
  t0 = performance.now();
  const report = await (await fetch(`${url}/v1/integrity/verify`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' })).json();
  const verifyS = (performance.now() - t0) / 1000;
  if (report.status !== 'ok') throw new Error(`verification failed: ${JSON.stringify(report).slice(0, 500)}`);
  log('integrity: inclusion proofs …');
  const page = await (await fetch(`${url}/v1/events?limit=1000&order=asc`, { headers: auth })).json();
  const r = rng(11);
  const samples = [];
  for (let i = 0; i < 300; i++) {
    const ev = page.data[Math.floor(r() * page.data.length)];
    const t1 = performance.now();
    const res = await fetch(`${url}/v1/events/${ev.id}/proof`, { headers: auth });
    await res.json();
    if (res.status !== 200) throw new Error(`proof ${res.status}`);
    samples.push(performance.now() - t1);
  }
  samples.sort((a, b) => a - b);
  return {
    sealed: seal.sealed,
    checkpoints: seal.checkpoints.length,
    sealEventsPerS: seal.sealed / sealS,
    sealSeconds: sealS,
    verifiedEvents: report.events_checked,
    verifyEventsPerS: report.events_checked / verifyS,
    verifySeconds: verifyS,
    proofP50Ms: samples[Math.floor(samples.length * 0.5)],
    proofP95Ms: samples[Math.floor(samples.length * 0.95)],
  };
}

// ---------------------------------------------------------------- single events
/** The bare-route reference for the single events of the "as users run it" app (same bodies, same load). */
async function benchSingle() {
  const r = rng(7);
  const now = Date.now();
  const bodies = Array.from({ length: 5000 }, (_, i) => JSON.stringify(makeEvent(r, 0, i % ORGS_PER_TENANT, now - 60_000 + i)));
  log('single: bare Fastify reference …');
  const bare = await startProcess('bench/bare-fastify.mjs', {});
  try {
    const ref = await runLoad({
      url: bare.url,
      concurrency: 64,
      durationMs: SINGLE_SECONDS * 1000,
      warmupMs: 2000,
      makeRequest: (i) => ({ path: '/v1/events', headers: { authorization: 'Bearer none', 'content-type': 'application/json' }, body: bodies[i % bodies.length] }),
    });
    results.scenarios.single = { concurrency: 64, seconds: SINGLE_SECONDS, reference: ref, target: 0.25 };
  } finally {
    await bare.stop();
  }
}

// ---------------------------------------------------------------- viewer queries
/** One seed event per (organization, actor) of tenant `t`: the API encrypts its personal data. */
function seedEvents(t) {
  const r = rng(1000 + t);
  const now = Date.now();
  const out = [];
  for (let o = 0; o < ORGS_PER_TENANT; o++) {
    for (let a = 0; a < ACTORS_PER_ORG; a++) {
      const ev = makeEvent(r, t, o, now - 60_000);
      ev.action = SEED_ACTION;
      ev.actor = { type: 'user', id: `u_${t}_${o}_${a}`, name: ev.actor.name, email: ev.actor.email.replace(/\d+@/, `${a}@`) };
      delete ev.changes;
      out.push(ev);
    }
  }
  return out;
}

/** The viewer's list query on PostgreSQL: the same filters and order as buildListQuery. */
const PG_KINDS = {
  'organization newest page': '',
  'filtered by action': ' AND action = $3',
  'filtered by actor': ' AND actor_id = $3',
  'text search (a word of the encrypted target names)': ' AND (search_text LIKE $3 OR pii_tokens @> ARRAY[$4]::text[])',
};
const pgSql = (kind) =>
  `SELECT payload, occurred_at, id FROM events WHERE tenant_id = $1 AND organization_id = $2 AND expires_at > (now() AT TIME ZONE 'UTC')${PG_KINDS[kind]} ORDER BY occurred_at DESC, id DESC LIMIT 51`;
const pgParams = (kind, tenantId, q) => {
  const base = [tenantId, q.query.organization_id];
  if (kind === 'filtered by action') return [...base, q.query.action];
  if (kind === 'filtered by actor') return [...base, q.query.actor_id];
  if (PG_KINDS[kind].includes('$4')) return [...base, `%${q.query.q}%`, q.tokens[0]];
  return base;
};

async function benchQuery() {
  const pg = (await import('pg')).default;
  const dataDir = await mkdtemp(join(tmpdir(), 'vt-bench-query-'));
  const metaFile = join(dataDir, 'bench-tenants.json');
  const pgDb = `vt_bench_query_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  try {
    log(`query: ${TENANTS} tenants, ${ORGS_PER_TENANT * ACTORS_PER_ORG} seed events each over HTTP (personal data encrypted by the API) …`);
    let app = await startApp(dataDir, { JOBS: 'none' });
    const tenants = [];
    for (let i = 0; i < TENANTS; i++) tenants.push(await createTenant(app.url, `bench-${i}`));
    for (let i = 0; i < TENANTS; i++) {
      const res = await fetch(`${app.url}/v1/events/batch`, { method: 'POST', headers: { authorization: `Bearer ${tenants[i].key}`, 'content-type': 'application/json' }, body: JSON.stringify({ events: seedEvents(i) }) });
      if (res.status !== 201) throw new Error(`seed batch: ${res.status} ${await res.text()}`);
    }
    await app.stop();
    await writeFile(metaFile, JSON.stringify({ tenants }));

    await admin.query(`DROP DATABASE IF EXISTS ${pgDb}`);
    await admin.query(`CREATE DATABASE ${pgDb}`);
    const db = new pg.Client({ connectionString: `${PG_URL}/${pgDb}` });
    await db.connect();
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await db.query(`CREATE TABLE events (tenant_id text NOT NULL, organization_id text NOT NULL, occurred_at timestamp(3) NOT NULL, id text NOT NULL, received_at timestamp(3) NOT NULL,
      action text NOT NULL, outcome text NOT NULL, actor_type text NOT NULL, actor_id text NOT NULL, target_ids text[] NOT NULL, ip text NOT NULL, expires_at timestamp NOT NULL,
      payload text NOT NULL, search_text text NOT NULL, pii_tokens text[] NOT NULL)`);
    log(`query: growing them to ${fmt(QUERY_EVENTS)} events in chDB (INSERT … SELECT FROM numbers()) and copying the rows to PostgreSQL …`);
    const t0 = performance.now();
    const loaded = lastJsonLine(await runChild('bench/query-data.mjs', { DATA_DIR: dataDir, MODE: 'load', EVENTS: String(QUERY_EVENTS), TENANTS: String(TENANTS), PG_URL: `${PG_URL}/${pgDb}` }));
    const loadSeconds = (performance.now() - t0) / 1000;
    log('query: PostgreSQL indexes (btree on tenant, organization, time; trigram GIN on the search text; GIN on the blind-index tokens) …');
    const i0 = performance.now();
    await db.query("SET maintenance_work_mem = '512MB'");
    await db.query('CREATE INDEX events_scope_time ON events (tenant_id, organization_id, occurred_at DESC, id DESC)');
    await db.query('CREATE INDEX events_search_trgm ON events USING gin (search_text gin_trgm_ops)');
    await db.query('CREATE INDEX events_pii_tokens ON events USING gin (pii_tokens)');
    await db.query('VACUUM ANALYZE events');
    const indexSeconds = (performance.now() - i0) / 1000;
    const [{ bytes: pgBytes }] = (await db.query(`SELECT pg_total_relation_size('events') AS bytes`)).rows;

    log('query: the API\'s SQL (after blind()) directly on chDB …');
    const raw = lastJsonLine(await runChild('bench/query-data.mjs', { DATA_DIR: dataDir, MODE: 'raw', TENANTS_FILE: metaFile, SAMPLES: String(args.samples ?? 100) }));
    log('query: the same queries through the API …');
    app = await startApp(dataDir, { JOBS: 'none' });
    const apiSamples = {};
    // Same order as the reference: pass 0 over every kind warms up, pass 1 is measured.
    for (const pass of [0, 1]) {
      for (const [kind, list] of Object.entries(raw.queries)) {
        for (const q of list) {
          const t = tenants[q.tenant];
          const url = new URL('/v1/events', app.url);
          for (const [k, v] of Object.entries(q.query)) url.searchParams.set(k, String(v));
          const s0 = performance.now();
          const res = await fetch(url, { headers: { authorization: `Bearer ${t.key}` } });
          const body = await res.json();
          if (pass === 1) (apiSamples[kind] ??= []).push(performance.now() - s0);
          if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
          if (body.data.length !== q.rows) throw new Error(`API returned ${body.data.length} rows, raw SQL ${q.rows} for ${JSON.stringify(q)}`);
        }
      }
    }
    await app.stop();
    log('query: the same queries on PostgreSQL …');
    const pgSamples = {};
    for (const pass of [0, 1]) {
      for (const [kind, list] of Object.entries(raw.queries)) {
        for (const q of list) {
          const s0 = performance.now();
          const res = await db.query({ name: `q${Object.keys(PG_KINDS).indexOf(kind)}`, text: pgSql(kind), values: pgParams(kind, tenants[q.tenant].id, q) });
          if (pass === 1) (pgSamples[kind] ??= []).push(performance.now() - s0);
          if (Math.min(res.rows.length, 50) !== q.rows) throw new Error(`PostgreSQL returned ${res.rows.length} rows, chDB ${q.rows} for ${JSON.stringify(q)}`);
        }
      }
    }
    const plans = {};
    for (const [kind, list] of Object.entries(raw.queries)) {
      const plan = await db.query(`EXPLAIN ${pgSql(kind).replace(/\$(\d)/g, (_, n) => `'${String(pgParams(kind, tenants[list[0].tenant].id, list[0])[n - 1]).replace(/'/g, "''")}'`)}`);
      plans[kind] = plan.rows.map((r) => r['QUERY PLAN']).filter((l) => /Scan|Sort/.test(l)).map((l) => l.trim().replace(/\s+\(cost.*$/, '').replace(/^->\s*/, ''));
    }
    await db.end();
    const kinds = Object.keys(raw.stats).map((kind) => {
      const api = percentiles(apiSamples[kind]);
      const pgStats = percentiles(pgSamples[kind]);
      return { kind, raw: raw.stats[kind], api, pg: pgStats, ratioP95: api.p95 / raw.stats[kind].p95, pgRatioP95: pgStats.p95 / api.p95, pgPlan: plans[kind] };
    });
    results.scenarios.query = { events: loaded.rows, tenants: TENANTS, samples: raw.stats[kinds[0].kind].n, loadSeconds, pgCopySeconds: loaded.pgCopySeconds, indexSeconds, pgBytes: Number(pgBytes), kinds, target: 2, pgTarget: 10 };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`).catch((e) => log(`query: could not drop ${pgDb}: ${e}`));
    await admin.end();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- export and feed
async function api(url, key, method, path, body) {
  const r = await fetch(new URL(path, url), { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const json = await r.json();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** Samples a process's resident set every 200 ms; stop() returns the peak (MB). */
function rssSampler(pid, url) {
  let peak = 0;
  let heapPeak = 0;
  const timer = setInterval(async () => {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
    } catch {}
  }, 200);
  // The JavaScript heap (Node's own share of the RSS; the rest is mostly the embedded ClickHouse), every 2 s.
  const heapTimer = url
    ? setInterval(async () => {
        try {
          const text = await (await fetch(`${url}/metrics`)).text();
          heapPeak = Math.max(heapPeak, Number(/^veritrail_nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? 0) / 2 ** 20);
        } catch {}
      }, 2000)
    : undefined;
  return {
    stop: () => (clearInterval(timer), clearInterval(heapTimer), peak),
    heapPeakMb: () => heapPeak,
  };
}

async function benchExport() {
  const dataDir = await mkdtemp(join(tmpdir(), 'vt-bench-export-'));
  try {
    await benchExportIn(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function benchExportIn(dataDir) {
  {
    const app = await startApp(dataDir, { JOBS: 'none' });
    const t = await createTenant(app.url, 'bench-export');
    await api(app.url, t.key, 'PUT', '/v1/settings/auditing', { read_auditing: false });
    await api(app.url, t.key, 'POST', '/v1/events/batch', { events: seedEvents(0) });
    await app.stop();
    await writeFile(join(dataDir, 'bench-tenants.json'), JSON.stringify({ tenants: [t] }));
    log(`export: growing the API's seed events to ${EXPORT_EVENTS} events in one tenant …`);
    await runChild('bench/query-data.mjs', { DATA_DIR: dataDir, MODE: 'load', EVENTS: String(EXPORT_EVENTS), TENANTS: '1' });
  }
  const metaFile = join(dataDir, 'bench-tenants.json');
  const tenant = JSON.parse(await readFile(metaFile, 'utf8')).tenants[0];

  log('export: raw chDB SELECT … FORMAT JSONEachRow of the same rows …');
  const raw = lastJsonLine(await runChild('bench/export-raw.mjs', { DATA_DIR: dataDir, TENANT_ID: tenant.id }));

  log('export: NDJSON export job through the API …');
  let app = await startApp(dataDir, { JOBS: 'export' });
  const idleRss = await peakRssMb(app.pid);
  let sampler = rssSampler(app.pid, app.url);
  const requested = await api(app.url, tenant.key, 'POST', '/v1/exports', { format: 'ndjson' });
  const t0 = performance.now();
  let job;
  for (;;) {
    job = await api(app.url, tenant.key, 'GET', `/v1/exports/${requested.id}`);
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const exportPeakRss = Math.max(sampler.stop(), await peakRssMb(app.pid));
  const exportHeapPeak = sampler.heapPeakMb();
  if (job.status !== 'succeeded') throw new Error(`export ${job.status}: ${JSON.stringify(job.error)}`);
  const jobSeconds = (Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000;
  // Downloading the file is a plain file stream; measured for completeness.
  const d0 = performance.now();
  const res = await fetch(new URL(`/v1/exports/${job.id}/download`, app.url), { headers: { authorization: `Bearer ${tenant.key}` } });
  let downloaded = 0;
  for await (const chunk of res.body) downloaded += chunk.length;
  const downloadSeconds = (performance.now() - d0) / 1000;
  await app.stop();

  // The feed serves sealed events: seal the backlog once (cached with the data), then poll it.
  {
    log('export: sealing the backlog for the feed (one-off) …');
    app = await startApp(dataDir, { JOBS: 'seal', SEAL_INTERVAL: '1s' });
    const s0 = performance.now();
    for (;;) {
      const cps = await api(app.url, tenant.key, 'GET', '/v1/integrity/checkpoints?limit=1');
      if ((cps.data[0]?.tree_size ?? 0) >= EXPORT_EVENTS) break;
      if (performance.now() - s0 > 600_000) throw new Error(`the backlog was not sealed within 10 minutes (${cps.data[0]?.tree_size ?? 0} of ${EXPORT_EVENTS})`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    await app.stop();
  }
  const FEED_SECONDS = Number(args['feed-seconds'] ?? 120);
  log(`export: polling the feed from its start, pages of 1000, for at most ${FEED_SECONDS} s …`);
  app = await startApp(dataDir, { JOBS: 'none' });
  sampler = rssSampler(app.pid);
  let cursor;
  let feedEvents = 0;
  let pages = 0;
  const f0 = performance.now();
  while (performance.now() - f0 < FEED_SECONDS * 1000) {
    const page = await api(app.url, tenant.key, 'GET', `/v1/events/feed?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    cursor = page.next_cursor;
    pages++;
    if (page.data.length === 0) break;
    feedEvents += page.data.length;
    if (pages % 500 === 0) log(`  feed: ${feedEvents} events, ${Math.round(feedEvents / ((performance.now() - f0) / 1000))} events/s`);
  }
  const feedSeconds = (performance.now() - f0) / 1000;
  const feedPeakRss = Math.max(sampler.stop(), await peakRssMb(app.pid));
  await app.stop();

  results.scenarios.export = {
    events: EXPORT_EVENTS,
    raw: { ...raw, rowsPerS: raw.rows / raw.seconds },
    ndjson: { rows: job.row_count, bytes: job.bytes, jobSeconds, wallSeconds, eventsPerS: job.row_count / jobSeconds, idleRssMb: idleRss, peakRssMb: exportPeakRss, heapPeakMb: exportHeapPeak },
    download: { bytes: downloaded, seconds: downloadSeconds, mbPerS: downloaded / 2 ** 20 / downloadSeconds },
    feed: { events: feedEvents, pages, seconds: feedSeconds, eventsPerS: feedEvents / feedSeconds, peakRssMb: feedPeakRss },
    ratio: job.row_count / jobSeconds / (raw.rows / raw.seconds),
    target: { eventsPerS: 100_000, ratio: 0.5, rssMb: 300 },
  };
}

// ---------------------------------------------------------------- webhooks
async function benchWebhooks() {
  const { createServer } = await import('node:http');
  const arrivals = new Map(); // event id → arrival ms
  let messages = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let recording = false;
  const recorded = []; // the bodies the product posted while draining (the reference replays them)
  const receiver = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      messages++;
      const raw = Buffer.concat(chunks);
      if (recording && recorded.length < 200) recorded.push({ body: raw, headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k === 'content-type' || k.startsWith('webhook-') || k.startsWith('x-veritrail'))) });
      const body = JSON.parse(raw.toString('utf8'));
      if (body.type === 'events') for (const e of body.data.events) if (!arrivals.has(e.id)) arrivals.set(e.id, now);
      inFlight--;
      res.writeHead(204).end();
    });
  });
  // The dead destination accepts connections and never answers.
  const dead = createServer(() => undefined);
  await Promise.all([new Promise((r) => receiver.listen(0, '127.0.0.1', r)), new Promise((r) => dead.listen(0, '127.0.0.1', r))]);
  const rxUrl = `http://127.0.0.1:${receiver.address().port}/in`;
  const deadUrl = `http://127.0.0.1:${dead.address().port}/in`;

  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-webhooks-'));
  // The receiver is on this machine: private targets must be allowed explicitly.
  const app = await startApp(dir, { SEAL_INTERVAL: '1s', WEBHOOK_TIMEOUT_MS: '10000', WEBHOOKS_ALLOW_PRIVATE: 'true' });
  const t = await createTenant(app.url, 'bench-webhooks');
  const post = (path, body) => fetch(`${app.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  await fetch(`${app.url}/v1/settings/auditing`, { method: 'PUT', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ read_auditing: false }) });

  // 1. Backlog drain: 100k events already sealed, a destination created with start=beginning.
  const BACKLOG = Number(args['webhook-backlog'] ?? 100_000);
  log(`webhooks: ingesting a backlog of ${BACKLOG} events …`);
  const r0 = rng(7);
  for (let i = 0; i < BACKLOG; i += 1000) {
    await post('/v1/events/batch', { events: Array.from({ length: Math.min(1000, BACKLOG - i) }, (_, j) => makeEvent(r0, 0, j % ORGS_PER_TENANT, Date.now() - 1000)) });
  }
  for (;;) {
    const cps = await (await fetch(`${app.url}/v1/integrity/checkpoints?limit=1`, { headers: { authorization: `Bearer ${t.key}` } })).json();
    if ((cps.data[0]?.tree_size ?? 0) >= BACKLOG) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await post('/v1/webhooks', { url: deadUrl, name: 'dead', batch: { max_events: 100, interval_ms: 50 } });
  log('webhooks: draining the backlog to the receiver, a dead destination alongside …');
  const d0 = performance.now();
  maxInFlight = 0;
  recording = true;
  await post('/v1/webhooks', { url: rxUrl, name: 'live', start: 'beginning', batch: { max_events: 100, interval_ms: 50 } });
  while (arrivals.size < BACKLOG && performance.now() - d0 < 600_000) await new Promise((r) => setTimeout(r, 100));
  const drainSeconds = (performance.now() - d0) / 1000;
  recording = false;
  const drained = arrivals.size;
  const drainMessages = messages;
  const drainConcurrency = maxInFlight;

  // Reference, same run: the receiver driven directly with the very bodies the product posted
  // (same size, same headers), at the concurrency the product reached (its requests in flight).
  log(`webhooks: reference, the product's ${recorded.length} recorded bodies posted directly, ${drainConcurrency} at a time …`);
  const refBytes = recorded.reduce((a, x) => a + x.body.length, 0) / Math.max(1, recorded.length);
  const refEvents = recorded.map((x) => JSON.parse(x.body.toString('utf8')).data?.events?.length ?? 0);
  let refPosts = 0;
  let refEventCount = 0;
  const refSeconds = Number(args['webhook-ref-seconds'] ?? 5);
  const refUntil = performance.now() + refSeconds * 1000;
  const arrivalsBefore = new Map(arrivals);
  await Promise.all(
    Array.from({ length: Math.max(1, drainConcurrency) }, async (_, w) => {
      for (let i = w; performance.now() < refUntil; i += Math.max(1, drainConcurrency)) {
        const x = recorded[i % recorded.length];
        await fetch(rxUrl, { method: 'POST', headers: x.headers, body: x.body });
        refPosts++;
        refEventCount += refEvents[i % recorded.length];
      }
    }),
  );
  arrivals.clear();
  for (const [k, v] of arrivalsBefore) arrivals.set(k, v);

  // 2. Steady ingest, lag from acknowledgement to arrival.
  const RATE = Number(args['webhook-rate'] ?? 1000);
  const SECONDS = Number(args['webhook-seconds'] ?? 30);
  log(`webhooks: steady ingest ${RATE} events/s for ${SECONDS} s, measuring ack → receiver lag …`);
  arrivals.clear();
  const acked = new Map();
  const r1 = rng(8);
  const s0 = performance.now();
  for (let tick = 0; tick < SECONDS * 10; tick++) {
    const due = s0 + tick * 100;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = await post('/v1/events/batch', { events: Array.from({ length: RATE / 10 }, (_, j) => makeEvent(r1, 0, j % ORGS_PER_TENANT, Date.now())) });
    const at = performance.now();
    for (const id of body.ids) acked.set(id, at);
  }
  const settleUntil = performance.now() + 60_000;
  while ([...acked.keys()].some((id) => !arrivals.has(id)) && performance.now() < settleUntil) await new Promise((r) => setTimeout(r, 200));
  const lags = [...acked].filter(([id]) => arrivals.has(id)).map(([id, at]) => arrivals.get(id) - at).sort((a, b) => a - b);
  const pct = (p) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))];
  const peak = await peakRssMb(app.pid);
  await app.stop();
  receiver.close();
  dead.close();
  dead.closeAllConnections?.();
  await rm(dir, { recursive: true, force: true });
  results.scenarios.webhooks = {
    reference: { postsPerS: refPosts / refSeconds, eventsPerS: refEventCount / refSeconds, concurrency: Math.max(1, drainConcurrency), bodies: recorded.length, avgBodyBytes: refBytes },
    drain: { events: drained, seconds: drainSeconds, eventsPerS: drained / drainSeconds, messagesPerS: drainMessages / drainSeconds },
    steady: { rate: RATE, seconds: SECONDS, delivered: lags.length, acked: acked.size, lagP50Ms: pct(50), lagP99Ms: pct(99), sealInterval: '1s' },
    ratio: drained / drainSeconds / (refEventCount / refSeconds),
    appPeakRssMb: peak,
  };
}

function runChild(script, env) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--max-old-space-size=8192', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}`))));
  });
}

// ---------------------------------------------------------------- the run
/** Runs one scenario; a failure is recorded (and shown on the page) instead of ending the run. */
async function scenario(name, fn) {
  if (!only.has(name) || args.from) return;
  const t0 = performance.now();
  log(`== ${name}`);
  try {
    const r = await fn();
    if (r !== undefined) results.scenarios[name] = r;
  } catch (err) {
    log(`${name} failed: ${err?.stack ?? err}`);
    results.failures = { ...results.failures, [name]: String(err?.message ?? err).slice(0, 500) };
  }
  results.durations = { ...results.durations, [name]: (performance.now() - t0) / 1000 };
}

const ctx = { args, only, startApp, createTenant, log, runChild, seedEvents };
// --from=<results.json>: write the page again from a run's saved results (after a change to the
// page's wording), without measuring anything; the page still names that run's command and date.
if (args.from) {
  Object.assign(results, JSON.parse(await readFile(join(ROOT, args.from), 'utf8')));
  only.clear();
  for (const k of results.only) only.add(k);
}
await scenario('ingest', benchIngest);
await scenario('users', async () => {
  const r = await benchAsUsersRunIt(ctx);
  for (const k of ['memory', 'idempotency', 'single']) if (r[k]) results.scenarios[k === 'single' ? 'single-keys' : k] = r[k];
});
await scenario('single', benchSingle);
await scenario('query', benchQuery);
await scenario('webhooks', benchWebhooks);
await scenario('lag', () => benchLag(ctx));
await scenario('export', benchExport);
await scenario('alerts', () => benchAlerts(ctx));
await scenario('backtest', () => benchBacktest(ctx));
await scenario('durability', () => benchDurability(ctx));
await scenario('schemas', () => benchSchemas(ctx));
await scenario('syslog', () => benchSyslog(ctx));
if (!args.from) {
  results.loadAverage.end = loadavg();
  results.finished = new Date().toISOString();
}

// The page: written whole from this run's results, then each self-reporting scenario adds its
// row and section to it (bench/lib/report.mjs).
const page = join(ROOT, args.out ?? 'docs/benchmarks.md');
await mkdir(dirname(page), { recursive: true });
await writeFile(page, renderPage(results));
setPageFile(page);
const meta = { command: results.command, date: results.date, machine: results.machine, only, file: page };
const s = results.scenarios;
if (s.memory || s.idempotency || s['single-keys']) await writeAsUsersRunItSections({ memory: s.memory, idempotency: s.idempotency, single: s['single-keys'] }, meta);
if (s.lag) await writeLagSection(s.lag, meta);
if (s.alerts) await writeAlertsSection(s.alerts, meta);
if (s.backtest) await writeBacktestSection(s.backtest, meta);
if (s.durability) await writeDurabilitySection(s.durability, meta);
if (s.schemas) await writeSchemasSection(s.schemas, meta);
if (s.syslog) await writeSyslogSection(s.syslog, meta);
await mkdir(join(ROOT, 'bench/results'), { recursive: true });
if (!args.from) await writeFile(join(ROOT, 'bench/results/latest.json'), JSON.stringify(results, null, 2));
process.stdout.write(await readFile(page, 'utf8'));
