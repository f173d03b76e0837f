// LD-03 as a benchmark (the bounded version is test/integration/webhooks-backlog.int.test.ts):
// 50,000 events queue up for six destinations while their sink is down, a seventh destination
// never answers and an eighth is healthy throughout; then the sink recovers. Reports how fast the
// backlog drains, how many connections the receiver saw at once (overall and per destination:
// no thundering herd), and how long a new event takes to reach the healthy destination while the
// backlog drains and the dead one hangs, against the same lag measured first with no backlog
// (the reference, same process, same run). Needs `node scripts/build.mjs` first; writes its row
// and section to bench/results/backlog.md (docs/benchmarks.md holds only what one `npm run bench`
// run measured) and prints one JSON object.
//
//   node bench/backlog.mjs                      # 50,000 events (the catalog row)
//   BACKLOG_EVENTS=5000 node bench/backlog.mjs  # a quick run
//
// The product runs with its defaults (every job on) except: private addresses allowed (the
// receiver is local), a shorter retry schedule (1s,2s,4s: the default waits up to 2 minutes
// before its third retry, which would measure the schedule rather than the drain) and a 5 s
// request timeout for the destination that never answers.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startProcess } from './lib/proc.mjs';
import { fmt, setPageFile, writeBenchmarkSection } from './lib/report.mjs';

const EVENTS = Number(process.env.BACKLOG_EVENTS ?? 50_000);
const SINKS = 6;
const ADMIN = `bench-admin-${randomBytes(12).toString('hex')}`;
const CONCURRENCY = 16; // the product's default WEBHOOK_CONCURRENCY, stated for the report

// ------------------------------------------------------------------------------ the receiver
const modes = new Map(); // path -> 'ok' | 'fail' | 'hang'
const ids = new Map(); // path -> Set of event ids delivered with a 2xx
const arrivals = new Map(); // event id -> first arrival time at /live
let active = 0;
let maxActive = 0;
const activeByPath = new Map();
const maxActiveByPath = new Map();
const hung = new Set();
const receiver = createServer((req, res) => {
  const path = req.url ?? '/';
  active++;
  maxActive = Math.max(maxActive, active);
  activeByPath.set(path, (activeByPath.get(path) ?? 0) + 1);
  maxActiveByPath.set(path, Math.max(maxActiveByPath.get(path) ?? 0, activeByPath.get(path)));
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    active--;
    activeByPath.set(path, activeByPath.get(path) - 1);
  };
  res.on('close', finish);
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const mode = modes.get(path) ?? 'ok';
    if (mode === 'hang') {
      hung.add(res);
      return;
    }
    if (mode === 'fail') {
      res.writeHead(500).end();
      return;
    }
    const now = performance.now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body.type === 'events') {
      let set = ids.get(path);
      if (!set) ids.set(path, (set = new Set()));
      for (const e of body.data.events) {
        set.add(e.id);
        if (path === '/live' && !arrivals.has(e.id)) arrivals.set(e.id, now);
      }
    }
    // A sink that is up but busy: 20 ms per request, so overlapping requests would show.
    setTimeout(() => res.writeHead(204).end(), path === '/live' ? 0 : 20);
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const rxUrl = `http://127.0.0.1:${receiver.address().port}`;

// ------------------------------------------------------------------------------ the product
const dir = await mkdtemp(join(tmpdir(), 'vt-bench-backlog-'));
const app = await startProcess('dist/main.js', {
  DATA_DIR: dir,
  ADMIN_TOKEN: ADMIN,
  LOG_LEVEL: 'warn',
  WEBHOOKS_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_SCHEDULE: '1s,2s,4s',
  WEBHOOK_TIMEOUT_MS: '5000',
});
// Stop the product and the receiver whatever happens below (a failed run must not leave them running).
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const res of hung) res.destroy();
  await app.stop();
  receiver.close();
  await rm(dir, { recursive: true, force: true });
}
process.on('uncaughtException', async (err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  await cleanup();
  process.exit(1);
});
async function call(method, path, token, body) {
  const r = await fetch(`${app.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, timeoutMs) {
  const stopAt = performance.now() + timeoutMs;
  while (!fn()) {
    if (performance.now() > stopAt) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const created = await call('POST', '/admin/v1/tenants', ADMIN, { name: 'bench-backlog' });
if (created.status !== 201) throw new Error(`tenant: ${created.status}`);
const key = created.body.api_key.key;
await call('PUT', '/v1/settings/auditing', key, { read_auditing: false });
const sinks = Array.from({ length: SINKS }, (_, i) => `/sink-${i}`);
for (const p of [...sinks, '/dead', '/live']) {
  const r = await call('POST', '/v1/webhooks', key, { url: `${rxUrl}${p}`, name: p.slice(1), filters: { actions: ['backlog.*'] } });
  if (r.status !== 201) throw new Error(`webhook: ${r.status} ${JSON.stringify(r.body)}`);
}
modes.set('/dead', 'hang');

/** Sends one marker event and waits for it at the live destination; its lag in ms. */
async function markerLag() {
  const t0 = performance.now();
  const r = await call('POST', '/v1/events', key, { action: 'backlog.marker', occurred_at: new Date().toISOString(), actor: { type: 'user', id: 'u_marker' } });
  if (r.status !== 201) throw new Error(`marker: ${r.status} ${JSON.stringify(r.body)}`);
  await until('the marker at /live', () => arrivals.has(r.body.id), 120_000);
  return arrivals.get(r.body.id) - t0;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Reference: the live destination's lag with no backlog anywhere (sinks up, the dead one hangs).
process.stderr.write('backlog: measuring the live destination\'s lag without a backlog …\n');
const unloaded = [];
for (let i = 0; i < 7; i++) unloaded.push(await markerLag());

// The outage: the sinks answer 500 while the backlog is ingested.
for (const p of sinks) modes.set(p, 'fail');
process.stderr.write(`backlog: ingesting ${fmt(EVENTS)} events while ${SINKS} sinks are down …\n`);
const ingestStart = performance.now();
for (let i = 0; i < EVENTS; i += 1000) {
  const n = Math.min(1000, EVENTS - i);
  const r = await call('POST', '/v1/events/batch', key, { events: Array.from({ length: n }, (_, j) => ({ action: 'backlog.item', occurred_at: new Date().toISOString(), actor: { type: 'user', id: `u_${(i + j) % 97}` }, metadata: { i: i + j } })) });
  if (r.status !== 201) throw new Error(`batch: ${r.status}`);
}
const ingestSeconds = (performance.now() - ingestStart) / 1000;
const live = () => ids.get('/live')?.size ?? 0;
await until('the backlog at the live destination', () => live() >= EVENTS + unloaded.length, 600_000);
const liveDuringOutageSeconds = (performance.now() - ingestStart) / 1000;

// Recovery: the sinks answer again; markers go to the live destination every second meanwhile.
process.stderr.write('backlog: the sink recovers; draining …\n');
const recoveredAt = performance.now();
for (const p of sinks) modes.set(p, 'ok');
const drained = () => sinks.every((p) => (ids.get(p)?.size ?? 0) >= EVENTS);
const during = [];
while (!drained()) {
  during.push(await markerLag());
  if (performance.now() - recoveredAt > 1_800_000) throw new Error('the backlog did not drain in 30 minutes');
  await sleep(1000);
}
const lastSinkEvent = performance.now();
const drainSeconds = (lastSinkEvent - recoveredAt) / 1000;
const deadTries = maxActiveByPath.has('/dead');
await cleanup();

const result = {
  events: EVENTS,
  sinks: SINKS,
  ingestSeconds,
  liveDuringOutageSeconds,
  drainSeconds,
  drainEventsPerS: (EVENTS * SINKS) / drainSeconds,
  maxConcurrent: maxActive,
  maxConcurrentPerDestination: Math.max(...[...maxActiveByPath.values()]),
  deadDestinationTried: deadTries,
  liveLagUnloadedMs: { median: median(unloaded), max: Math.max(...unloaded) },
  liveLagDuringDrainMs: { median: median(during), max: Math.max(...during), samples: during.length },
  ratio: median(during) / median(unloaded),
  loadavg: loadavg()[0],
};

const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.versions.node}`;
const command = EVENTS === 50_000 ? 'node bench/backlog.mjs' : `BACKLOG_EVENTS=${EVENTS} node bench/backlog.mjs`;
// docs/benchmarks.md holds only what one `npm run bench` run measured: this script's own page.
setPageFile(join(ROOT, 'bench/results/backlog.md'));
await mkdir(join(ROOT, 'bench/results'), { recursive: true });
await writeBenchmarkSection({
  rowPrefix: '| LD-03 webhook backlog',
  row: `| LD-03 webhook backlog: ${fmt(EVENTS)} events × ${SINKS} destinations after a sink outage, one dead destination, one live | live destination's median lag while draining: ${fmt(result.liveLagDuringDrainMs.median)} ms (drain ${fmt(result.drainEventsPerS)} events/s) | the same lag with no backlog, same run: ${fmt(result.liveLagUnloadedMs.median)} ms | **${fmt(result.ratio, 2)} ×** | no herd: ≤ ${CONCURRENCY} connections, 1 per destination |`,
  heading: '## LD-03 webhook backlog details',
  section: [
    '## LD-03 webhook backlog details',
    '',
    `Produced by \`${command}\` on ${date} (${machine}; load average ${fmt(result.loadavg, 1)} at the end).`,
    '',
    `- The product with its defaults (every job on, \`WEBHOOK_CONCURRENCY\` ${CONCURRENCY}), except a retry schedule of 1s,2s,4s, a 5 s request timeout and private addresses allowed. Eight destinations with default batching (100 events): ${SINKS} sinks answering 500 during the outage, one that never answers, one healthy throughout.`,
    `- ${fmt(EVENTS)} events ingested in batches of 1,000 in ${fmt(ingestSeconds, 1)} s; the healthy destination had all of them ${fmt(liveDuringOutageSeconds, 1)} s after ingest began, while the others failed and the dead one hung.`,
    `- After recovery the ${SINKS} sinks (answering in 20 ms) drained ${fmt(EVENTS * SINKS)} deliveries in ${fmt(drainSeconds, 1)} s = ${fmt(result.drainEventsPerS)} events/s.`,
    `- The receiver saw at most ${result.maxConcurrent} connections at once and at most ${result.maxConcurrentPerDestination} per destination.`,
    `- A new event reached the healthy destination in a median of ${fmt(result.liveLagDuringDrainMs.median)} ms (max ${fmt(result.liveLagDuringDrainMs.max)} ms, ${result.liveLagDuringDrainMs.samples} samples) while the backlog drained and the dead destination hung, against ${fmt(result.liveLagUnloadedMs.median)} ms (max ${fmt(result.liveLagUnloadedMs.max)} ms) with no backlog.`,
    '',
  ].join('\n'),
});
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
