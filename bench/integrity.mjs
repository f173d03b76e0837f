#!/usr/bin/env node
// Full-verification throughput on its own: ingests seeded events once into a data directory
// (kept, so two builds can be compared on the same data), seals them, then times
// `POST /v1/integrity/verify` several times and prints the best run.
//
//   node bench/integrity.mjs [--events=200000] [--runs=3] [--data-dir=/tmp/vt-bench-integrity]
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';
import { runLoad } from './lib/load.mjs';
import { startProcess } from './lib/proc.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const EVENTS = Number(args.events ?? 200_000);
const RUNS = Number(args.runs ?? 3);
const DIR = args['data-dir'] ?? `/tmp/vt-bench-integrity-${EVENTS}`;
const ADMIN = 'bench-admin-token-0123456789abcdef';
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);

await mkdir(DIR, { recursive: true });
const marker = join(DIR, 'bench-tenant.json');
const app = await startProcess('dist/main.js', { DATA_DIR: DIR, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', JOBS: 'none' });
try {
  let tenant;
  if (existsSync(marker)) tenant = JSON.parse(await readFile(marker, 'utf8'));
  else {
    const r = await fetch(`${app.url}/admin/v1/tenants`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: '{"name":"bench-integrity"}' });
    const body = await r.json();
    tenant = { id: body.tenant.id, key: body.api_key.key };
    const auth = { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' };
    await fetch(`${app.url}/v1/settings/auditing`, { method: 'PUT', headers: auth, body: '{"read_auditing":false}' });
    log(`ingesting ${EVENTS} events …`);
    const r2 = rng(42);
    const now = Date.now();
    const load = await runLoad({
      url: app.url,
      concurrency: 4,
      requests: Math.ceil(EVENTS / 500),
      warmupMs: 0,
      makeRequest: (i) => {
        const events = [];
        for (let j = i * 500; j < Math.min(EVENTS, (i + 1) * 500); j++) events.push(makeEvent(r2, 0, j % ORGS_PER_TENANT, now - 60_000 + (j % 60_000)));
        return { path: '/v1/events/batch', headers: auth, body: JSON.stringify({ events }), items: events.length };
      },
    });
    if (load.failed > 0) throw new Error(`ingest failures: ${JSON.stringify(load.firstFailures)}`);
    const seal = await (await fetch(`${app.url}/v1/integrity/seal`, { method: 'POST', headers: { authorization: `Bearer ${tenant.key}` } })).json();
    log(`sealed ${seal.sealed} events`);
    await writeFile(marker, JSON.stringify(tenant));
  }
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await fetch(`${app.url}/v1/integrity/verify`, { method: 'POST', headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' }, body: '{}' });
    const report = await res.json();
    const s = (performance.now() - t0) / 1000;
    if (report.status !== 'ok') throw new Error(`verification failed: ${JSON.stringify(report).slice(0, 500)}`);
    runs.push({ seconds: s, eventsPerS: report.events_checked / s, events: report.events_checked });
    log(`verify run ${i + 1}: ${report.events_checked} events in ${s.toFixed(2)} s = ${Math.round(report.events_checked / s)} events/s`);
  }
  const best = runs.reduce((a, b) => (b.eventsPerS > a.eventsPerS ? b : a));
  process.stdout.write(`${JSON.stringify({ events: best.events, bestEventsPerS: Math.round(best.eventsPerS), runs: runs.map((r) => Math.round(r.eventsPerS)) })}\n`);
} finally {
  await app.stop();
}
