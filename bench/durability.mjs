// What DURABILITY=fsync costs: batch ingest through the API (batches of 500, 4 in flight, as in
// the ingest scenario) with DURABILITY=none and DURABILITY=fsync, alternating none/fsync/fsync/none
// (`rounds` times) so that drift of the shared machine hits both alike, and the engine's own
// per-INSERT cost (bench/fsync-engine.mjs). Writes its own row and section of docs/benchmarks.md.
//
//   npm run bench -- --only=durability [--durability-events=50000 --durability-rounds=2]
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';
import { runLoad } from './lib/load.mjs';
import { ROOT, lastJsonLine } from './lib/proc.mjs';
import { fmt, writeBenchmarkSection } from './lib/report.mjs';

const ORDER = ['none', 'fsync', 'fsync', 'none'];

export async function benchDurability({ args, startApp, createTenant, log }) {
  const events = Number(args['durability-events'] ?? 50_000);
  const rounds = Number(args['durability-rounds'] ?? 2);
  const r = rng(43);
  const now = Date.now();
  const bodies = [];
  for (let i = 0; i < events; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(events, i + 500); j++) batch.push(makeEvent(r, 0, j % ORGS_PER_TENANT, now - 60_000 + (j % 60_000)));
    bodies.push(Buffer.from(JSON.stringify({ events: batch })));
  }
  const api = { none: [], fsync: [] };
  const order = Array.from({ length: rounds }, () => ORDER).flat();
  for (const durability of order) {
    log(`durability: ${events} events through the API with DURABILITY=${durability} …`);
    const dir = await mkdtemp(join(tmpdir(), 'vt-bench-durability-'));
    const app = await startApp(dir, { JOBS: 'none', DURABILITY: durability });
    const t = await createTenant(app.url, `bench-durability-${durability}`);
    const run = await runLoad({
      url: app.url,
      concurrency: 4,
      requests: bodies.length,
      warmupMs: 0,
      makeRequest: (i) => ({ path: '/v1/events/batch', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: bodies[i], items: 500 }),
    });
    await app.stop();
    await rm(dir, { recursive: true, force: true });
    if (run.failed > 0) throw new Error(`durability: ${run.failed} failed requests: ${run.firstFailures.join('; ')}`);
    api[durability].push({ eventsPerS: run.itemsPerS, p50: run.p50, p99: run.p99 });
  }
  log('durability: engine reference, INSERTs of 500 rows with the fsync settings switched on and off every 10 INSERTs …');
  const engine = lastJsonLine(execFileSync(process.execPath, ['bench/fsync-engine.mjs'], { cwd: ROOT, env: { ...process.env }, maxBuffer: 1 << 20 }));
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const apiNone = mean(api.none.map((x) => x.eventsPerS));
  const apiFsync = mean(api.fsync.map((x) => x.eventsPerS));
  return {
    events,
    order,
    api,
    apiNoneEventsPerS: apiNone,
    apiFsyncEventsPerS: apiFsync,
    cost: 1 - apiFsync / apiNone,
    engine,
    engineCost: engine.fsyncMedianMs / engine.noneMedianMs - 1,
    loadAverage5m: loadavg()[1],
  };
}


export async function writeDurabilitySection(d, { command, date, machine }) {
  const verdict = d.cost > 0 ? `**${fmt(d.cost * 100, 1)} %** slower` : `**none measurable** (fsync ${fmt(-d.cost * 100, 1)} % faster: noise)`;
  const row = `| cost of DURABILITY=fsync, batch ingest over HTTP (${fmt(d.events)} events, batches of 500, 4 in flight, ${d.order.length} alternating runs) | ${fmt(d.apiFsyncEventsPerS)} events/s with fsync | ${fmt(d.apiNoneEventsPerS)} events/s with DURABILITY=none, same run | ${verdict} | < 20 % (then fsync is the default) |`;
  const runs = (xs) => xs.map((x) => fmt(x.eventsPerS)).join(', ');
  const section = [
    '## Durability details',
    '',
    `Produced by \`${command}\` on ${date.slice(0, 10)} (${machine.cpus} × ${machine.model}, Node ${machine.node}; 5-minute load average ${fmt(d.loadAverage5m, 1)} at the end; data on the local ext4 disk).`,
    '',
    `- API batch ingest, runs in the order ${d.order.join(', ')}: DURABILITY=none ${runs(d.api.none)} events/s; DURABILITY=fsync ${runs(d.api.fsync)} events/s. Mean cost of fsync: **${fmt(d.cost * 100, 1)} %** (negative: the fsync runs were faster, i.e. the cost is below the run-to-run noise).`,
    `- Engine reference (\`bench/fsync-engine.mjs\`, one process, the fsync settings switched on and off every 10 INSERTs, ${d.engine.inserts} INSERTs of ${d.engine.batch} rows): median ${fmt(d.engine.noneMedianMs, 1)} ms per INSERT without fsync, ${fmt(d.engine.fsyncMedianMs, 1)} ms with (+${fmt(d.engineCost * 100, 0)} %).`,
    '- With fsync, each INSERT syncs every file of its part (about 25 files for `events_v1`), the part directory and the table directory before it returns. The API pays it once per group-commit flush, not per event, and the wait overlaps the main thread\'s work on the next requests (the flushes grow instead): hence a per-INSERT cost in the engine that does not show in the API\'s throughput. See docs/operations.md.',
    '',
  ].join('\n');
  await writeBenchmarkSection({ rowPrefix: '| cost of DURABILITY=fsync', row, heading: '## Durability details', section });
}
