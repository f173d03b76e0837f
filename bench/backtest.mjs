// Backtest speed: one tenant with a month of generated traffic, each of a few rules replayed
// over the whole month through POST /v1/alert-rules/{id}/backtest, against the batch-ingest rate
// of the same events in the same run. Writes its own row and section of docs/benchmarks.md.
//
//   npm run bench -- --only=backtest [--backtest-events=1000000] [--backtest-load=api|grow]
//
// --backtest-load=grow (the default from 200,000 events; through the API that many take too long
// on a small machine): the batch-ingest reference is 20,000 events through the API, then the
// API's seed events (one per organization and actor, each actor at its own address) are grown
// to the rest inside chDB as the query scenario grows its data (bench/query-data.mjs), one
// event in 200 from another address.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';
import { runLoad } from './lib/load.mjs';
import { fmt, writeBenchmarkSection } from './lib/report.mjs';

const DAY = 86_400_000;
/** The rules replayed: a window rule, a history baseline, two rules reading each actor's sign-in history. */
const RULES = [{ template: 'brute_force_sign_in' }, { template: 'bulk_export' }, { template: 'unusual_volume' }, { template: 'impossible_travel' }, { template: 'new_country_sign_in' }];

/** Each actor works from its own address (countries vary between actors); one event in 200 from elsewhere. */
function settle(ev, r) {
  let h = 0;
  for (const ch of ev.actor.id) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  const first = [8, 81, 5, 133][h % 4];
  ev.context.ip = r() < 0.005 ? `${[8, 81, 5, 133, 77][Math.floor(r() * 5)]}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}` : `${first}.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${h & 255}`;
  return ev;
}

/** Events sent through the API as the ingest reference when the rest is grown in chDB. */
const GROW_REFERENCE_EVENTS = 20_000;

export async function benchBacktest({ args, startApp, createTenant, log, runChild, seedEvents }) {
  const EVENTS = Number(args['backtest-events'] ?? 1_000_000);
  const grow = (args['backtest-load'] ?? (EVENTS >= 200_000 ? 'grow' : 'api')) === 'grow';
  const sent = grow ? Math.min(EVENTS, GROW_REFERENCE_EVENTS) : EVENTS;
  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-backtest-'));
  let app = await startApp(dir, { JOBS: 'none' });
  try {
    const t = await createTenant(app.url, 'bench-backtest');
    const call = async (method, path, body) => {
      const r = await fetch(`${app.url}${path}`, { method, headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
      return r.json();
    };
    await call('PUT', '/v1/settings/auditing', { read_auditing: false });
    const rules = [];
    for (const rule of RULES) rules.push(await call('POST', '/v1/alert-rules', { ...rule, enabled: false }));

    // 30 days of traffic, in time order, as batches of 500 sent with 4 in flight: the reference.
    log(`backtest: ingesting ${sent} events over 30 days …`);
    const r = rng(4242);
    let to = Date.now() - 60_000;
    let from = to - 30 * DAY;
    const bodies = [];
    for (let i = 0; i < sent; i += 500) {
      const events = [];
      for (let j = i; j < Math.min(sent, i + 500); j++) events.push(settle(makeEvent(r, 0, j % ORGS_PER_TENANT, from + Math.floor((j / sent) * 30 * DAY)), r));
      bodies.push({ body: Buffer.from(JSON.stringify({ events })), n: events.length });
    }
    const ingest = await runLoad({
      url: app.url,
      concurrency: 4,
      requests: bodies.length,
      warmupMs: 0,
      makeRequest: (i) => ({ path: '/v1/events/batch', headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: bodies[i].body, items: bodies[i].n }),
    });
    bodies.length = 0;
    log(`backtest: batch ingest ${Math.round(ingest.itemsPerS)} events/s`);
    let loadSeconds;
    if (grow && EVENTS > sent) {
      const seeds = seedEvents(0).map((ev) => settle(ev, () => 1));
      await call('POST', '/v1/events/batch', { events: seeds });
      await app.stop();
      log(`backtest: growing ${seeds.length} seed events to ${EVENTS - sent} in chDB …`);
      const t0 = performance.now();
      await runChild('bench/query-data.mjs', { DATA_DIR: dir, MODE: 'load', EVENTS: String(EVENTS - sent), TENANTS: '1', IP_VARY: '0.005' });
      loadSeconds = (performance.now() - t0) / 1000;
      app = await startApp(dir, { JOBS: 'none' });
      // The grown events span the 30 days before the load.
      to = Date.now();
      from = to - 31 * DAY;
    }
    log('backtest: replaying …');

    const runs = [];
    for (const rule of rules) {
      const started = performance.now();
      const bt = await call('POST', `/v1/alert-rules/${rule.id}/backtest`, { from: new Date(from).toISOString(), to: new Date(to + 1).toISOString() });
      const seconds = (performance.now() - started) / 1000;
      runs.push({ template: rule.template, seconds, scanned: bt.events_scanned, eventsPerS: bt.events_scanned / seconds, alerts: bt.total, truncated: bt.truncated_reason });
      log(`backtest: ${rule.template}: ${bt.events_scanned} events in ${seconds.toFixed(1)} s${bt.truncated ? ` (stopped: ${bt.truncated_reason})` : ''}, ${bt.total} alerts`);
    }
    const median = [...runs].sort((a, b) => a.eventsPerS - b.eventsPerS)[Math.floor(runs.length / 2)].eventsPerS;
    return {
      events: EVENTS,
      load: grow ? 'grow' : 'api',
      apiEvents: sent,
      loadSeconds,
      ingestEventsPerS: ingest.itemsPerS,
      ingestFailed: ingest.failed,
      runs,
      medianEventsPerS: median,
      secondsPerMillion: 1_000_000 / median,
      loadAverage5m: loadavg()[1],
      ratio: median / ingest.itemsPerS,
    };
  } finally {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Replaces (or adds) the backtest row of the summary table and the "Backtest details" section of docs/benchmarks.md. */
export async function writeBacktestSection(b, { command, date, machine }) {
  const row = `| backtest, one rule over 30 days (${fmt(b.events)} events) | ${fmt(b.medianEventsPerS)} events/s (${fmt(b.secondsPerMillion, 1)} s per million) | batch ingest of the same events in the same run: ${fmt(b.ingestEventsPerS)} events/s | **${fmt(b.ratio, 2)} ×** | 1 M events within the 20 s budget |`;
  const section = [
    '## Backtest details',
    '',
    `Produced by \`${command}\` on ${date.slice(0, 10)} (${machine.cpus} × ${machine.model}, Node ${machine.node}; 5-minute load average ${fmt(b.loadAverage5m, 1)} at the end${b.loadAverage5m > machine.cpus * 1.5 ? ': the machine was shared and busy, absolute figures are far below a quiet run' : ''}).`,
    '',
    b.load === 'grow'
      ? `- One tenant, ${fmt(b.events)} events over 30 days: ${fmt(b.apiEvents)} generated (the alerts scenario's traffic) sent as batches of 500, 4 in flight — ${fmt(b.ingestEventsPerS)} events/s (${b.ingestFailed} failed requests), the reference rate — and the rest grown inside chDB from the API's seed events (one per organization and actor, each at its own address; one event in 200 from another country) in ${fmt(b.loadSeconds, 1)} s, as the query scenario grows its data.`
      : `- One tenant, ${fmt(b.events)} generated events over 30 days (the alerts scenario's traffic), sent as batches of 500, 4 in flight: ${fmt(b.ingestEventsPerS)} events/s (${b.ingestFailed} failed requests).`,
    `- Each rule replayed over the whole month by \`POST /v1/alert-rules/{id}/backtest\` (wall-clock time of the request; a backtest stops at 20 s or 1 000 000 events and says so):`,
    ...b.runs.map((x) => `  - \`${x.template}\`: ${fmt(x.scanned)} events in ${fmt(x.seconds, 1)} s = ${fmt(x.eventsPerS)} events/s, ${fmt(x.alerts)} alerts${x.truncated ? ` — stopped early (${x.truncated})` : ''}`),
    ...(b.events < 1_000_000 ? [`- ${fmt(b.events)} events rather than the default 1,000,000 (\`--backtest-load=grow\` loads a million in chDB directly).`] : []),
    `- Median ${fmt(b.medianEventsPerS)} events/s: a million events in about ${fmt(b.secondsPerMillion, 1)} s${b.secondsPerMillion > 20 ? ', over the 20 s budget on this machine: a backtest of a month this busy answers with `truncated: true` and the day it reached, and is continued with a later `from`' : ''}.`,
    '',
  ].join('\n');
  await writeBenchmarkSection({ rowPrefix: '| backtest', row, heading: '## Backtest details', section });
}
