#!/usr/bin/env node
// Veritrail benchmarks. Every figure is a ratio against a reference measured in the same run
// on the same machine (these machines are noisy). Results: a table on stdout, bench/results/
// latest.json, and docs/benchmarks.md.
//
//   npm run bench                                   # everything, default sizes
//   npm run bench -- --only=ingest,single           # some scenarios
//   npm run bench -- --events=1000000 --query-events=10000000 --tenants=100
//   npm run bench -- --only=export --export-events=10000000
//   npm run bench -- --only=alerts [--alert-tenants=100 --alert-events=200000]
//   npm run bench -- --only=backtest [--backtest-events=1000000]
//   npm run bench -- --only=durability [--durability-events=100000]
//   npm run bench -- --only=syslog [--syslog-backlog=20000]
//   npm run bench -- --only=lag [--lag-rate=1000 --lag-seconds=30]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';
import { runLoad } from './lib/load.mjs';
import { ROOT, lastJsonLine, peakRssMb, startProcess } from './lib/proc.mjs';
import { benchAlerts, writeAlertsSection } from './alerts.mjs';
import { benchBacktest, writeBacktestSection } from './backtest.mjs';
import { benchDurability, writeDurabilitySection } from './durability.mjs';
import { benchSyslog, writeSyslogSection } from './syslog.mjs';
import { benchSchemas, writeSchemasSection } from './schemas.mjs';
import { benchAsUsersRunIt, writeAsUsersRunItSections } from './as-users-run-it.mjs';
import { benchLag, writeLagSection } from './lag.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const only = new Set((args.only ?? 'ingest,single,query,export,webhooks,syslog,lag,alerts,backtest,durability,schemas,memory,idempotency,single-keys').split(','));
// The integrity figures are measured inside the ingest scenario, on its backlog.
if (only.has('ingest')) only.add('integrity');
const EVENTS = Number(args.events ?? 1_000_000);
const QUERY_EVENTS = Number(args['query-events'] ?? 10_000_000);
const TENANTS = Number(args.tenants ?? 100);
const EXPORT_EVENTS = Number(args['export-events'] ?? 10_000_000);
const SINGLE_SECONDS = Number(args['single-seconds'] ?? 15);
const ADMIN = 'bench-admin-token-0123456789abcdef';
const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version }, date: new Date().toISOString(), scenarios: {} };

function log(...a) {
  process.stderr.write(`${a.join(' ')}\n`);
}

async function startApp(dataDir, extra = {}, nodeArgs = []) {
  return startProcess('dist/main.js', { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', ...extra }, '/readyz', nodeArgs);
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
  // The raw reference runs before and after the API (the engine's rate drifts a lot between
  // runs on a shared machine); the faster of the two is used, so the ratio errs low.
  const rawInsert = () => lastJsonLine(execFileSync(process.execPath, ['bench/raw-insert.mjs'], { cwd: ROOT, env: { ...process.env, EVENTS: String(EVENTS), BATCH: '500' }, maxBuffer: 1 << 20 }));
  log(`ingest: raw chDB INSERT of the same rows (before the API run) …`);
  const rawBefore = rawInsert();
  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-ingest-'));
  // Background jobs off while measuring ingest alone; sealing is then timed on the backlog.
  const app = await startApp(dir, { JOBS: 'none' });
  const t = await createTenant(app.url, 'bench-ingest');
  log(`ingest: ${bodies.length} requests over HTTP, 4 in flight …`);
  const api = await runLoad({
    url: app.url,
    concurrency: 4,
    requests: bodies.length,
    warmupMs: 0,
    makeRequest: (i) => ({ path: '/v1/events/batch', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: bodies[i], items: 500 }),
  });
  const rss = await peakRssMb(app.pid);
  const integrity = await benchIntegrity(app.url, t.key);
  await app.stop();
  await rm(dir, { recursive: true, force: true });
  results.scenarios.integrity = { ...integrity, ingestEventsPerS: api.itemsPerS, sealRatio: integrity.sealEventsPerS / api.itemsPerS, target: 2 };
  if (args['with-sealing'] !== 'false') {
    log('ingest: again, with background sealing on (SEAL_INTERVAL=10s) …');
    const dir2 = await mkdtemp(join(tmpdir(), 'vt-bench-ingest-'));
    const app2 = await startApp(dir2);
    const t2 = await createTenant(app2.url, 'bench-ingest-sealing');
    const sealed = await runLoad({
      url: app2.url,
      concurrency: 4,
      requests: bodies.length,
      warmupMs: 0,
      makeRequest: (i) => ({ path: '/v1/events/batch', headers: { authorization: `Bearer ${t2.key}`, 'content-type': 'application/json' }, body: bodies[i], items: 500 }),
    });
    await app2.stop();
    await rm(dir2, { recursive: true, force: true });
    results.scenarios.integrity.ingestWithSealingEventsPerS = sealed.itemsPerS;
  }
  bodies.length = 0;
  log(`ingest: raw chDB INSERT of the same rows (after the API run) …`);
  const rawAfter = rawInsert();
  const raw = [...rawBefore.map((r) => ({ ...r, label: `${r.label}, before the API run` })), ...rawAfter.map((r) => ({ ...r, label: `${r.label}, after the API run` }))];
  const rawSame = Math.max(rawBefore[0].rowsPerS, rawBefore[1].rowsPerS, rawAfter[0].rowsPerS, rawAfter[1].rowsPerS);
  results.scenarios.ingest = {
    events: EVENTS,
    apiEventsPerS: api.itemsPerS,
    apiFailed: api.failed,
    apiFailures: api.firstFailures,
    apiP50Ms: api.p50,
    apiP99Ms: api.p99,
    appPeakRssMb: rss,
    raw,
    referenceEventsPerS: rawSame,
    ratio: api.itemsPerS / rawSame,
    target: 0.4,
  };
}

// ---------------------------------------------------------------- tamper evidence
async function benchIntegrity(url, key) {
  const auth = { authorization: `Bearer ${key}` };
  log('integrity: sealing the backlog …');
  let t0 = performance.now();
  const seal = await (await fetch(`${url}/v1/integrity/seal`, { method: 'POST', headers: auth })).json();
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
    verifiedEvents: report.events_checked,
    verifyEventsPerS: report.events_checked / verifyS,
    verifySeconds: verifyS,
    proofP50Ms: samples[Math.floor(samples.length * 0.5)],
    proofP95Ms: samples[Math.floor(samples.length * 0.95)],
  };
}

// ---------------------------------------------------------------- single events
async function benchSingle() {
  const r = rng(7);
  const now = Date.now();
  const bodies = Array.from({ length: 5000 }, (_, i) => JSON.stringify(makeEvent(r, 0, i % ORGS_PER_TENANT, now - 60_000 + i)));
  const keyed = bodies.map((b) => b.slice(0, -1));
  const load = (url, key, withKey) =>
    runLoad({
      url,
      concurrency: 64,
      durationMs: SINGLE_SECONDS * 1000,
      warmupMs: 2000,
      makeRequest: (i) => ({
        path: '/v1/events',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: withKey ? `${keyed[i % keyed.length]},"idempotency_key":"k-${i}"}` : bodies[i % bodies.length],
      }),
    });
  log('single: bare Fastify reference …');
  const bare = await startProcess('bench/bare-fastify.mjs', {});
  const ref = await load(bare.url, 'none', false);
  await bare.stop();
  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-single-'));
  const app = await startApp(dir);
  const t = await createTenant(app.url, 'bench-single');
  log('single: Veritrail, no idempotency key …');
  const plain = await load(app.url, t.key, false);
  log('single: Veritrail, every event with an idempotency key …');
  const withKeys = await load(app.url, t.key, true);
  await app.stop();
  await rm(dir, { recursive: true, force: true });
  log('single: engine ceiling (back-to-back INSERTs of 32 and 64 rows) …');
  const ceiling = lastJsonLine(execFileSync(process.execPath, ['bench/engine-ceiling.mjs'], { cwd: ROOT, env: process.env }));
  results.scenarios.single = {
    ceiling, concurrency: 64, seconds: SINGLE_SECONDS, reference: ref, api: plain, apiWithIdempotencyKeys: withKeys, ratio: plain.reqPerS / ref.reqPerS, ratioWithKeys: withKeys.reqPerS / ref.reqPerS, target: 0.25 };
}

// ---------------------------------------------------------------- viewer queries
async function benchQuery() {
  const dataDir = join(ROOT, 'bench/.data', `query-${QUERY_EVENTS}-${TENANTS}`);
  const metaFile = join(dataDir, 'tenants.json');
  if (!existsSync(metaFile)) {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    log(`query: creating ${TENANTS} tenants …`);
    const app = await startApp(dataDir);
    const tenants = [];
    for (let i = 0; i < TENANTS; i++) tenants.push(await createTenant(app.url, `bench-${i}`));
    await app.stop();
    log(`query: loading ${QUERY_EVENTS} events (one-off, cached in ${dataDir}) …`);
    await runChild('bench/query-data.mjs', { DATA_DIR: dataDir, MODE: 'load', EVENTS: String(QUERY_EVENTS), TENANTS_FILE: metaFile, TENANTS_JSON: JSON.stringify(tenants) });
  }
  log('query: raw SQL on chDB …');
  const raw = lastJsonLine(await runChild('bench/query-data.mjs', { DATA_DIR: dataDir, MODE: 'raw', TENANTS_FILE: metaFile }));
  log('query: the same queries through the API …');
  const app = await startApp(dataDir);
  const tenants = JSON.parse(await readFile(metaFile, 'utf8')).tenants;
  const api = {};
  const samples = {};
  // Same order as the reference: pass 0 over every kind warms up, pass 1 is measured.
  for (const pass of [0, 1]) {
    for (const [kind, list] of Object.entries(raw.queries)) {
      for (const q of list) {
        const t = tenants[q.tenant];
        const url = new URL('/v1/events', app.url);
        for (const [k, v] of Object.entries(q.query)) url.searchParams.set(k, String(v));
        const t0 = performance.now();
        const res = await fetch(url, { headers: { authorization: `Bearer ${t.key}` } });
        const body = await res.json();
        if (pass === 1) (samples[kind] ??= []).push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
        if (body.data.length !== q.rows) throw new Error(`API returned ${body.data.length} rows, raw SQL ${q.rows} for ${JSON.stringify(q)}`);
      }
    }
  }
  for (const [kind, list] of Object.entries(samples)) {
    list.sort((a, b) => a - b);
    const pct = (p) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))];
    api[kind] = { p50: pct(50), p95: pct(95), n: list.length };
  }
  await app.stop();
  const kinds = Object.keys(api).map((kind) => ({ kind, raw: raw.stats[kind], api: api[kind], ratioP95: api[kind].p95 / raw.stats[kind].p95 }));
  results.scenarios.query = { events: QUERY_EVENTS, tenants: TENANTS, kinds, target: 2 };
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
  const dataDir = join(ROOT, 'bench/.data', `export-${EXPORT_EVENTS}`);
  const metaFile = join(dataDir, 'tenants.json');
  if (!existsSync(metaFile)) {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    const app = await startApp(dataDir, { JOBS: 'none' });
    const t = await createTenant(app.url, 'bench-export');
    await api(app.url, t.key, 'PUT', '/v1/settings/auditing', { read_auditing: false });
    await app.stop();
    log(`export: loading ${EXPORT_EVENTS} events into one tenant (one-off, cached in ${dataDir}) …`);
    await runChild('bench/query-data.mjs', { DATA_DIR: dataDir, MODE: 'load', EVENTS: String(EXPORT_EVENTS), TENANTS_FILE: metaFile, TENANTS_JSON: JSON.stringify([t]) });
  }
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
  const sealedFile = join(dataDir, 'sealed.json');
  if (!existsSync(sealedFile)) {
    log('export: sealing the backlog for the feed (one-off) …');
    app = await startApp(dataDir, { JOBS: 'seal', SEAL_INTERVAL: '1s' });
    const s0 = performance.now();
    for (;;) {
      const cps = await api(app.url, tenant.key, 'GET', '/v1/integrity/checkpoints?limit=1');
      if ((cps.data[0]?.tree_size ?? 0) >= EXPORT_EVENTS) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    await app.stop();
    await writeFile(sealedFile, JSON.stringify({ sealSeconds: (performance.now() - s0) / 1000 }));
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
  // The drain's request bodies, kept to be posted again by the reference (the same bytes).
  let keepBodies = false;
  const drainBodies = [];
  const receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      messages++;
      const raw = Buffer.concat(chunks);
      if (keepBodies && req.headers['webhook-id']) drainBodies.push({ id: req.headers['webhook-id'], body: raw });
      const body = JSON.parse(raw.toString('utf8'));
      if (body.type === 'events') for (const e of body.data.events) if (!arrivals.has(e.id)) arrivals.set(e.id, now);
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
  const appEnv = { SEAL_INTERVAL: '1s', WEBHOOK_TIMEOUT_MS: '10000', WEBHOOKS_ALLOW_PRIVATE: 'true' };
  let app = await startApp(dir, appEnv);
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
  if (args['app-cpu-prof']) {
    // --app-cpu-prof=<dir>: the drain profiled alone (the process restarted on the same data, under --cpu-prof).
    await app.stop();
    app = await startApp(dir, appEnv, ['--cpu-prof', `--cpu-prof-dir=${args['app-cpu-prof']}`]);
  }
  await post('/v1/webhooks', { url: deadUrl, name: 'dead', batch: { max_events: 100, interval_ms: 50 } });
  log('webhooks: draining the backlog to the receiver, a dead destination alongside …');
  keepBodies = true;
  const d0 = performance.now();
  await post('/v1/webhooks', { url: rxUrl, name: 'live', start: 'beginning', batch: { max_events: 100, interval_ms: 50 } });
  while (arrivals.size < BACKLOG && performance.now() - d0 < 600_000) await new Promise((r) => setTimeout(r, 100));
  const drainSeconds = (performance.now() - d0) / 1000;
  const drained = arrivals.size;
  const drainMessages = messages;
  keepBodies = false;
  const reference = await webhookReference(rxUrl, drainBodies);
  drainBodies.length = 0;
  arrivals.clear();

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
    reference,
    drain: { events: drained, seconds: drainSeconds, eventsPerS: drained / drainSeconds, messagesPerS: drainMessages / drainSeconds },
    steady: { rate: RATE, seconds: SECONDS, delivered: lags.length, acked: acked.size, lagP50Ms: pct(50), lagP99Ms: pct(99), sealInterval: '1s' },
    ratio: drained / drainSeconds / reference.eventsPerS,
    appPeakRssMb: peak,
  };
}

/**
 * The reference for the drain: a sender doing the same work on the same bytes — the bodies the
 * drain posted (kept by the receiver), each signed (Standard Webhooks HMAC-SHA256 over id,
 * timestamp and body) and posted in order, one at a time (a destination's messages are ordered),
 * over a keep-alive connection, the next after the answer to the previous one.
 */
async function webhookReference(url, bodies) {
  const { request, Agent } = await import('node:http');
  const { createHmac } = await import('node:crypto');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const secret = Buffer.from('bench-reference-secret-0123456789');
  const target = new URL(url);
  const post = (id, body) =>
    new Promise((resolve, reject) => {
      const ts = Math.floor(Date.now() / 1000);
      const sig = `v1,${createHmac('sha256', secret).update(`${id}.${ts}.`).update(body).digest('base64')}`;
      const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(body.length), 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': sig } });
      req.on('error', reject);
      req.on('response', (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.end(body);
    });
  let events = 0;
  for (const { body } of bodies) events += JSON.parse(body.toString('utf8')).data?.events?.length ?? 0;
  const t0 = performance.now();
  for (const { id, body } of bodies) await post(`ref_${id}`, body);
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { posts: bodies.length, events, seconds, postsPerS: bodies.length / seconds, eventsPerS: events / seconds, bytesPerPost: bodies.length ? Math.round(bodies.reduce((n, b) => n + b.body.length, 0) / bodies.length) : 0 };
}

function runChild(script, env) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--max-old-space-size=8192', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}`))));
  });
}

// ---------------------------------------------------------------- report
function fmt(n, d = 0) {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a';
}

async function report() {
  const lines = [];
  const cmd = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  lines.push('# Benchmarks', '');
  lines.push(`Produced by \`${cmd}\` on ${results.date.slice(0, 10)} (${results.machine.cpus} × ${results.machine.model}, ${results.machine.memGb} GB, Node ${results.machine.node}).`);
  lines.push('Every figure is a ratio against a reference measured in the same run on the same machine; absolute numbers vary between runs and machines, ratios much less. Embedded stores (chDB + PGlite), default configuration, LOG_LEVEL=warn.', '');
  lines.push('| scenario | Veritrail | reference | ratio | target |', '|---|---|---|---|---|');
  const s = results.scenarios;
  if (s.ingest) {
    lines.push(`| batch ingest over HTTP (${fmt(s.ingest.events)} events, batches of 500, 4 in flight) | ${fmt(s.ingest.apiEventsPerS)} events/s | raw chDB INSERT of the same rows, batches of 500: ${fmt(s.ingest.referenceEventsPerS)} rows/s | **${fmt(s.ingest.ratio * 100)} %** | ≥ 40 % |`);
  }
  if (s.integrity) {
    lines.push(`| sealing the ingested backlog (${fmt(s.integrity.sealed)} events, ${s.integrity.checkpoints} checkpoints) | ${fmt(s.integrity.sealEventsPerS)} events/s | batch ingest in the same run: ${fmt(s.integrity.ingestEventsPerS)} events/s | **${fmt(s.integrity.sealRatio, 1)} ×** | ≥ 2 × |`);
  }
  if (s.single) {
    lines.push(`| single-event ingest, concurrency 64 | ${fmt(s.single.api.reqPerS)} req/s (p50 ${fmt(s.single.api.p50, 1)} ms, p99 ${fmt(s.single.api.p99, 1)} ms) | bare Fastify route: ${fmt(s.single.reference.reqPerS)} req/s (p50 ${fmt(s.single.reference.p50, 1)} ms, p99 ${fmt(s.single.reference.p99, 1)} ms) | **${fmt(s.single.ratio * 100)} %** | ≥ 25 % |`);
    lines.push(`| … every event with an idempotency key | ${fmt(s.single.apiWithIdempotencyKeys.reqPerS)} req/s (p50 ${fmt(s.single.apiWithIdempotencyKeys.p50, 1)} ms, p99 ${fmt(s.single.apiWithIdempotencyKeys.p99, 1)} ms) | same | ${fmt(s.single.ratioWithKeys * 100)} % | — |`);
  }
  if (s.export) {
    const e = s.export;
    lines.push(`| NDJSON export job (${fmt(e.ndjson.rows)} events, one tenant) | ${fmt(e.ndjson.eventsPerS)} events/s, peak RSS ${fmt(e.ndjson.peakRssMb)} MB | raw chDB \`SELECT payload … ORDER BY occurred_at, id FORMAT JSONEachRow\` of the same rows: ${fmt(e.raw.rowsPerS)} rows/s | **${fmt(e.ratio * 100)} %** | ≥ 100 000 events/s and ≥ 50 %; RSS < 300 MB |`);
    lines.push(`| SIEM feed of the same ${fmt(e.events)}-event trail (${fmt(e.feed.events)} events polled from its start, pages of 1000) | ${fmt(e.feed.eventsPerS)} events/s, peak RSS ${fmt(e.feed.peakRssMb)} MB | — | — | — |`);
  }
  if (s.webhooks) {
    const w = s.webhooks;
    lines.push(`| webhook delivery, backlog of ${fmt(w.drain.events)} events to a local receiver (batches of 100), one dead destination alongside | ${fmt(w.drain.eventsPerS)} events/s (${fmt(w.drain.messagesPerS)} requests/s) | the drain's own request bodies (${fmt(w.reference.bytesPerPost)} bytes on average) signed and posted to the same receiver directly, in order, one at a time: ${fmt(w.reference.eventsPerS)} events/s | **${fmt(w.ratio * 100)} %** | — |`);
    lines.push(`| webhook end-to-end lag at a steady ${fmt(w.steady.rate)} events/s (SEAL_INTERVAL=${w.steady.sealInterval}), dead destination alongside | p50 ${fmt(w.steady.lagP50Ms)} ms, p99 ${fmt(w.steady.lagP99Ms)} ms (${fmt(w.steady.delivered)} of ${fmt(w.steady.acked)} delivered) | — | — | — |`);
  }
  if (s.query) {
    for (const k of s.query.kinds) {
      lines.push(`| viewer query: ${k.kind} (${fmt(s.query.events)} events, ${s.query.tenants} tenants) | p50 ${fmt(k.api.p50, 1)} ms, p95 ${fmt(k.api.p95, 1)} ms | same SQL on chDB: p50 ${fmt(k.raw.p50, 1)} ms, p95 ${fmt(k.raw.p95, 1)} ms | **${fmt(k.ratioP95, 2)} ×** p95 | ≤ 2 × |`);
    }
  }
  lines.push('');
  if (s.ingest) {
    lines.push('## Batch ingest details', '');
    lines.push(`- API: ${fmt(s.ingest.apiEventsPerS)} events/s, request p50 ${fmt(s.ingest.apiP50Ms, 1)} ms, p99 ${fmt(s.ingest.apiP99Ms, 1)} ms, ${s.ingest.apiFailed} failed requests, app peak RSS ${fmt(s.ingest.appPeakRssMb)} MB.`);
    for (const r of s.ingest.raw) lines.push(`- raw chDB, ${r.label}: ${fmt(r.rowsPerS)} rows/s`);
    lines.push('- The reference is the fastest raw run at the API\'s batch size (one at a time or 4 in flight, before or after the API run). The API\'s group commit may merge concurrent requests into larger INSERTs; the 50 000-row figure shows the engine\'s ceiling.', '');
  }
  if (s.integrity) {
    lines.push('## Tamper-evidence details', '');
    lines.push(`- Full verification (\`POST /v1/integrity/verify\`: every signature, every stored event re-hashed against its leaf, every root recomputed): ${fmt(s.integrity.verifiedEvents)} events in ${fmt(s.integrity.verifySeconds, 1)} s = **${fmt(s.integrity.verifyEventsPerS)} events/s**.`);
    lines.push(`- Inclusion proof (\`GET /v1/events/{id}/proof\`, 300 random events of a ${fmt(s.integrity.sealed)}-leaf log): p50 ${fmt(s.integrity.proofP50Ms, 1)} ms, **p95 ${fmt(s.integrity.proofP95Ms, 1)} ms**.`);
    if (s.integrity.ingestWithSealingEventsPerS) lines.push(`- Batch ingest with background sealing on (SEAL_INTERVAL=10s), same events: ${fmt(s.integrity.ingestWithSealingEventsPerS)} events/s (${fmt((s.integrity.ingestWithSealingEventsPerS / s.integrity.ingestEventsPerS) * 100)} % of ingest alone).`);
    lines.push('');
  }
  if (s.single) {
    lines.push('## Single-event details', '');
    lines.push('The reference route parses the JSON body and answers 201 with a fresh id: no authentication, validation, hashing or storage. Veritrail answers 201 only after the event is committed to ClickHouse (group commit).', '');
    if (s.single.ceiling) {
      lines.push('With 64 clients each waiting for its acknowledgement, a flush holds at most 64 events (in practice about half: the clients answered by one flush send their next event while the other half is being written). The embedded engine\'s own rate for INSERTs of that size, back to back with no HTTP at all, bounds what any API could acknowledge here:', '');
      for (const c of s.single.ceiling) lines.push(`- INSERTs of ${c.rowsPerInsert} rows back to back: ${fmt(c.rowsPerS)} events/s (${fmt(c.msPerInsert, 1)} ms per INSERT)`);
      const best = s.single.ceiling[s.single.ceiling.length - 1];
      lines.push('', `Veritrail reaches ${fmt(s.single.api.reqPerS)} req/s, ${fmt((s.single.api.reqPerS / best.rowsPerS) * 100)} % of the ${best.rowsPerInsert}-row ceiling, while sharing the two cores with HTTP, validation, hashing and the load generator. The target (25 % of a bare route) needs the engine to write a part several times faster than chDB does on this machine; batches (\`/v1/events/batch\`, SDK batching) are the fast path for embedded installs. See docs/architecture.md.`, '');
    }
  }
  if (s.export) {
    const e = s.export;
    lines.push('## Export and feed details', '');
    lines.push(`- ${fmt(e.events)} generated events in one tenant (the query scenario's generator), stored exactly as the API stores them.`);
    lines.push(`- NDJSON export: ${fmt(e.ndjson.rows)} rows, ${fmt(e.ndjson.bytes / 2 ** 20)} MB in ${fmt(e.ndjson.jobSeconds, 1)} s between the job's started_at and finished_at (${fmt(e.ndjson.wallSeconds, 1)} s from the request to the client seeing \`succeeded\`). The app's RSS: ${fmt(e.ndjson.idleRssMb)} MB after start, ${fmt(e.ndjson.peakRssMb)} MB at the peak — the embedded ClickHouse runs inside the process and is included; the JavaScript heap peaked at ${fmt(e.ndjson.heapPeakMb)} MB.`);
    lines.push(`- Reference: ${fmt(e.raw.rows)} rows, ${fmt(e.raw.bytes / 2 ** 20)} MB of JSONEachRow in ${fmt(e.raw.seconds, 1)} s, read in ${e.raw.slices} occurred_at slices of equal size (a single query would build the whole multi-GB answer in memory).`);
    lines.push(`- Downloading the finished file: ${fmt(e.download.mbPerS)} MB/s.`);
    lines.push(`- Feed: ${fmt(e.feed.pages)} requests in ${fmt(e.feed.seconds, 1)} s, one client polling back to back.`, '');
  }
  if (s.query) {
    lines.push('## Query details', '');
    lines.push('Each kind runs the same randomly chosen (tenant, organization) samples through the API (HTTP, API-key auth, read auditing on) and, as reference, the identical SQL the API builds (`buildListQuery`) run directly on chDB through the same client library. Page size 50.', '');
  }
  const md = `${lines.join('\n')}\n`;
  await mkdir(join(ROOT, 'docs'), { recursive: true });
  await writeFile(join(ROOT, 'docs/benchmarks.md'), md);
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(join(ROOT, 'bench/results/latest.json'), JSON.stringify(results, null, 2));
  process.stdout.write(md);
}

// Scenarios not run this time keep their previous figures (marked with their date).
const previousFile = join(ROOT, 'bench/results/latest.json');
if (existsSync(previousFile)) {
  const previous = JSON.parse(await readFile(previousFile, 'utf8'));
  for (const [k, v] of Object.entries(previous.scenarios ?? {})) if (!only.has(k)) results.scenarios[k] = { ...v, measuredAt: v.measuredAt ?? previous.date };
}
for (const k of only) if (results.scenarios[k]) delete results.scenarios[k];

if (only.has('ingest')) await benchIngest();
if (only.has('single')) await benchSingle();
if (only.has('query')) await benchQuery();
if (only.has('export')) await benchExport();
if (only.has('webhooks')) await benchWebhooks();
if (only.has('syslog')) results.scenarios.syslog = await benchSyslog({ args, startApp, createTenant, log });
if (only.has('lag')) results.scenarios.lag = await benchLag({ args, startApp, createTenant, log });
if (only.has('alerts')) results.scenarios.alerts = await benchAlerts({ args, startApp, createTenant, log });
if (only.has('backtest')) results.scenarios.backtest = await benchBacktest({ args, startApp, createTenant, log });
if (only.has('durability')) {
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  results.scenarios.durability = { ...(await benchDurability({ args, startApp, createTenant, log })), command, date: results.date, machine: results.machine };
}
if (only.has('schemas')) {
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  results.scenarios.schemas = { ...(await benchSchemas({ args, startApp, createTenant, log })), command, date: results.date, machine: results.machine };
}
// The alerts, backtest, durability, syslog, schemas, lag, memory, idempotency and single-keys scenarios write only their own rows and sections of docs/benchmarks.md.
const SELF_REPORTING = new Set(['alerts', 'backtest', 'durability', 'syslog', 'schemas', 'lag', 'memory', 'idempotency', 'single-keys']);
if ([...only].some((k) => !SELF_REPORTING.has(k))) await report();
else {
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(join(ROOT, 'bench/results/latest.json'), JSON.stringify(results, null, 2));
}
if (only.has('memory') || only.has('idempotency') || only.has('single-keys')) {
  // After report(), which rewrites the page: these write only their own rows and sections.
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const r = await benchAsUsersRunIt({ args, only, startApp, createTenant, log });
  for (const k of ['memory', 'idempotency', 'single']) if (r[k]) results.scenarios[k === 'single' ? 'single-keys' : k] = r[k];
  await writeAsUsersRunItSections(r, { command, date: results.date, machine: results.machine, only });
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  await writeFile(join(ROOT, 'bench/results/latest.json'), JSON.stringify(results, null, 2));
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
if (results.scenarios.durability) {
  const d = results.scenarios.durability;
  await writeDurabilitySection(d, { command: d.command, date: d.date, machine: d.machine });
  if (only.size === 1 && only.has('durability')) process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
}
if (results.scenarios.syslog && only.has('syslog')) {
  await writeSyslogSection(results.scenarios.syslog, { command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), date: results.date, machine: results.machine });
  if (only.size === 1) process.stdout.write(`${JSON.stringify(results.scenarios.syslog, null, 2)}\n`);
}
if (results.scenarios.schemas) {
  const d = results.scenarios.schemas;
  await writeSchemasSection(d, { command: d.command, date: d.date, machine: d.machine });
  if (only.size === 1) process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
}
if (results.scenarios.backtest) {
  await writeBacktestSection(results.scenarios.backtest, { command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), date: results.date, machine: results.machine });
  if (only.size === 1) process.stdout.write(`${JSON.stringify(results.scenarios.backtest, null, 2)}\n`);
}
if (results.scenarios.alerts) {
  await writeAlertsSection(results.scenarios.alerts, { command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), date: results.date, machine: results.machine });
  if (only.size === 1) process.stdout.write(`${JSON.stringify(results.scenarios.alerts, null, 2)}\n`);
}
if (results.scenarios.lag && only.has('lag')) {
  await writeLagSection(results.scenarios.lag, { command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), date: results.date, machine: results.machine });
  if (only.size === 1) process.stdout.write(`${JSON.stringify(results.scenarios.lag, null, 2)}\n`);
}
