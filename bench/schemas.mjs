// What per-action metadata schemas cost on ingest: batch ingest through the API (batches of 500,
// 4 in flight) into a tenant with an enforce-mode schema on every action it sends, against the
// same events into a tenant without schemas, in the same process (started with the defaults of
// `npm start`: every background job on), alternating off/on/on/off (`rounds` times) so that drift
// of the shared machine hits both alike. Writes its own row and section of docs/benchmarks.md.
//
//   npm run bench -- --only=schemas [--schema-events=50000 --schema-rounds=2]
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';
import { runLoad } from './lib/load.mjs';
import { ROOT } from './lib/proc.mjs';
import { fmt, writeBenchmarkSection } from './lib/report.mjs';

const ORDER = ['off', 'on', 'on', 'off'];

/** A schema a real application would register for the metadata bench/lib/data.mjs generates. */
const METADATA_SCHEMA = {
  type: 'object',
  required: ['plan', 'region'],
  properties: {
    plan: { enum: ['free', 'pro', 'enterprise'] },
    region: { type: 'string', pattern: '^[a-z]{2}-[a-z]+-[0-9]$', maxLength: 32 },
  },
  additionalProperties: false,
};

export async function benchSchemas({ args, startApp, createTenant, log }) {
  const events = Number(args['schema-events'] ?? 50_000);
  const rounds = Number(args['schema-rounds'] ?? 2);
  const r = rng(44);
  const now = Date.now();
  const batches = [];
  const actions = new Set();
  for (let i = 0; i < events; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(events, i + 500); j++) {
      const e = makeEvent(r, 0, j % ORGS_PER_TENANT, now - 60_000 + (j % 60_000));
      actions.add(e.action);
      batch.push(e);
    }
    batches.push(Buffer.from(JSON.stringify({ events: batch })));
  }
  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-schemas-'));
  const app = await startApp(dir, {});
  try {
    const tenants = { off: await createTenant(app.url, 'bench-schemas-off'), on: await createTenant(app.url, 'bench-schemas-on') };
    for (const action of actions) {
      const res = await fetch(`${app.url}/v1/actions/${action}/schema`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${tenants.on.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ schema: METADATA_SCHEMA, mode: 'enforce' }),
      });
      if (res.status !== 200) throw new Error(`schema for ${action}: ${res.status} ${await res.text()}`);
    }
    const runs = { off: [], on: [] };
    const order = Array.from({ length: rounds }, () => ORDER).flat();
    for (const which of order) {
      log(`schemas: ${events} events, schemas ${which} …`);
      const t = tenants[which];
      const run = await runLoad({
        url: app.url,
        concurrency: 4,
        requests: batches.length,
        warmupMs: 0,
        makeRequest: (i) => ({ path: '/v1/events/batch', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: batches[i], items: 500 }),
      });
      if (run.failed > 0) throw new Error(`schemas: ${run.failed} failed requests: ${run.firstFailures.join('; ')}`);
      runs[which].push({ eventsPerS: run.itemsPerS, p50: run.p50, p99: run.p99 });
    }
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const off = mean(runs.off.map((x) => x.eventsPerS));
    const on = mean(runs.on.map((x) => x.eventsPerS));
    return { events, order, actions: actions.size, runs, offEventsPerS: off, onEventsPerS: on, cost: 1 - on / off, loadAverage5m: loadavg()[1] };
  } finally {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  }
}


export async function writeSchemasSection(d, { command, date, machine }) {
  const verdict = d.cost > 0 ? `**${fmt(d.cost * 100, 1)} %** slower` : `**none measurable** (${fmt(-d.cost * 100, 1)} % faster with schemas: noise)`;
  const row = `| cost of per-action metadata schemas, batch ingest over HTTP (${fmt(d.events)} events, every action with an enforce-mode schema, \`npm start\` defaults, ${d.order.length} alternating runs) | ${fmt(d.onEventsPerS)} events/s with schemas | ${fmt(d.offEventsPerS)} events/s without, same process and run | ${verdict} | ≤ 10 % |`;
  const list = (xs) => xs.map((x) => fmt(x.eventsPerS)).join(', ');
  const section = [
    '## Metadata schema details',
    '',
    `Produced by \`${command}\` on ${date.slice(0, 10)} (${machine.cpus} × ${machine.model}, Node ${machine.node}; 5-minute load average ${fmt(d.loadAverage5m, 1)} at the end).`,
    '',
    `- One process started as \`npm start\` starts it (every job on); two tenants receive the same ${fmt(d.events)} generated events in batches of 500, 4 in flight. One has an enforce-mode schema (required fields, an enum, an RE2 pattern, no additional properties) on each of the ${d.actions} actions sent.`,
    `- Runs in the order ${d.order.join(', ')}: without schemas ${list(d.runs.off)} events/s; with schemas ${list(d.runs.on)} events/s. Mean cost: **${fmt(d.cost * 100, 1)} %** (negative: below the run-to-run noise).`,
    '',
  ].join('\n');
  await writeBenchmarkSection({ rowPrefix: '| cost of per-action metadata schemas', row, heading: '## Metadata schema details', section });
}
