// "As users run it": the app started the way `npm start` starts it (default settings, every
// background job on, privacy defaults on, an empty data directory), measured against itself.
//
//   memory       RSS after start (settled), and the peak while batches are ingested
//   idempotency  batches of 500, 4 in flight, with an idempotency key per event and an
//                Idempotency-Key per batch (what the SDK sends) / the same batches without keys;
//                alternating rounds on one app, medians compared (the machines are noisy)
//
//   npm run bench -- --only=memory,idempotency [--keys-events=20000 --keys-rounds=3]
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, ORGS_PER_TENANT, rng } from './lib/data.mjs';
import { runLoad } from './lib/load.mjs';
import { fmt, writeBenchmarkSection } from './lib/report.mjs';

async function memoryStatus(pid) {
  const s = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN) / 1024;
  return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM'), anonMb: kb('RssAnon'), fileMb: kb('RssFile') };
}

/** Samples the RSS every 100 ms until stopped; returns the highest seen. */
function sampleRss(pid) {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      peak = Math.max(peak, (await memoryStatus(pid).catch(() => ({ rssMb: 0 }))).rssMb);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return peak;
  };
}

function batches(seed, events, withKeys) {
  const r = rng(seed);
  const now = Date.now();
  const out = [];
  for (let i = 0; i < events; i += 500) {
    const list = [];
    for (let j = i; j < Math.min(events, i + 500); j++) {
      const e = makeEvent(r, 0, j % ORGS_PER_TENANT, now - 60_000 + (j % 60_000));
      if (withKeys) e.idempotency_key = randomUUID();
      list.push(e);
    }
    out.push(Buffer.from(JSON.stringify({ events: list })));
  }
  return out;
}

async function ingestRun(url, key, bodies, withKeys) {
  const r = await runLoad({
    url,
    concurrency: 4,
    requests: bodies.length,
    warmupMs: 0,
    makeRequest: (i) => ({
      path: '/v1/events/batch',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(withKeys ? { 'idempotency-key': `bench-${randomUUID()}` } : {}) },
      body: bodies[i],
      items: 500,
    }),
  });
  if (r.failed > 0) throw new Error(`ingest run failed: ${r.firstFailures.join('; ')}`);
  return r;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

export async function benchAsUsersRunIt({ args, only, startApp, createTenant, log }) {
  const EVENTS = Number(args['keys-events'] ?? 20_000);
  const ROUNDS = Number(args['keys-rounds'] ?? 3);
  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-users-'));
  // npm start's defaults: only what a bench needs to drive it (the admin token, a port).
  const app = await startApp(dir);
  const out = {};
  try {
    // Settled: the first jobs have run and the start-up garbage is collectable.
    await new Promise((r) => setTimeout(r, 5000));
    const idle = await memoryStatus(app.pid);
    log(`memory: after start ${fmt(idle.rssMb)} MB RSS (${fmt(idle.anonMb)} anonymous, ${fmt(idle.fileMb)} file-backed), start-up peak ${fmt(idle.peakMb)} MB`);
    out.memory = { idle };
    const stop = sampleRss(app.pid);
    const plain = [];
    const keyed = [];
    const tPlain = await createTenant(app.url, 'bench-users-plain');
    const tKeyed = await createTenant(app.url, 'bench-users-keyed');
    const rounds = only.has('idempotency') ? ROUNDS : only.has('memory') ? 1 : 0;
    log(`idempotency: ${EVENTS} events per run, ${rounds} alternating rounds …`);
    if (rounds > 0) await ingestRun(app.url, tPlain.key, batches(99, 2000, false), false); // warm-up
    for (let round = 0; round < rounds; round++) {
      const a = await ingestRun(app.url, tPlain.key, batches(100 + round, EVENTS, false), false);
      plain.push(a);
      const b = await ingestRun(app.url, tKeyed.key, batches(200 + round, EVENTS, true), true);
      keyed.push(b);
      log(`  round ${round + 1}: no keys ${fmt(a.itemsPerS)} events/s (p99 ${fmt(a.p99, 1)} ms), keys ${fmt(b.itemsPerS)} events/s (p99 ${fmt(b.p99, 1)} ms)`);
    }
    if (only.has('single-keys')) {
      const SECONDS = Number(args['single-seconds'] ?? 10);
      const r = rng(7);
      const now = Date.now();
      const bodies = Array.from({ length: 5000 }, (_, i) => JSON.stringify(makeEvent(r, 0, i % ORGS_PER_TENANT, now - 60_000 + i)));
      const single = (key, withKeys) =>
        runLoad({
          url: app.url,
          concurrency: 64,
          durationMs: SECONDS * 1000,
          warmupMs: 2000,
          makeRequest: (i) => ({
            path: '/v1/events',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: withKeys ? `${bodies[i % bodies.length].slice(0, -1)},"idempotency_key":"${randomUUID()}"}` : bodies[i % bodies.length],
          }),
        });
      log(`single events: concurrency 64, ${SECONDS} s each, without and with keys …`);
      const a = await single(tPlain.key, false);
      const b = await single(tKeyed.key, true);
      log(`  no keys ${fmt(a.reqPerS)} req/s (p50 ${fmt(a.p50, 1)} ms, p99 ${fmt(a.p99, 1)} ms); keys ${fmt(b.reqPerS)} req/s (p50 ${fmt(b.p50, 1)} ms, p99 ${fmt(b.p99, 1)} ms); failed ${a.failed + b.failed}`);
      const batch = plain.length > 0 ? median(plain.map((x) => x.itemsPerS)) : (await ingestRun(app.url, tPlain.key, batches(300, EVENTS, false), false)).itemsPerS;
      out.single = { seconds: SECONDS, plain: a, keyed: b, batchEventsPerS: batch, keysRatio: b.reqPerS / a.reqPerS, batchRatio: a.reqPerS / batch, keyedBatchRatio: b.reqPerS / batch };
    }
    const peak = await stop();
    out.memory.ingestPeakSampledMb = peak;
    out.memory.processPeakMb = (await memoryStatus(app.pid)).peakMb;
    if (rounds > 0) out.idempotency = {
      events: EVENTS,
      rounds,
      plainEventsPerS: median(plain.map((r) => r.itemsPerS)),
      keyedEventsPerS: median(keyed.map((r) => r.itemsPerS)),
      plainP99Ms: median(plain.map((r) => r.p99)),
      keyedP99Ms: median(keyed.map((r) => r.p99)),
    };
    if (out.idempotency) out.idempotency.ratio = out.idempotency.keyedEventsPerS / out.idempotency.plainEventsPerS;
  } finally {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

export async function writeAsUsersRunItSections(r, { command, date, machine, only }) {
  const where = `${machine.cpus} × ${machine.model}, ${machine.memGb} GB, Node ${machine.node}`;
  if (only.has('single-keys') && r.single) {
    const x = r.single;
    const lat = (l) => `p50 ${fmt(l.p50, 1)} ms, p99 ${fmt(l.p99, 1)} ms`;
    await writeBenchmarkSection({
      rowPrefix: '| Single events as users run it',
      row: `| Single events as users run it (concurrency 64, \`npm start\` defaults), with an idempotency key each / without | ${fmt(x.keyed.reqPerS)} req/s (${lat(x.keyed)}) | without keys: ${fmt(x.plain.reqPerS)} req/s (${lat(x.plain)}) | **${fmt(x.keysRatio * 100)} %** | ≥ 80 % |`,
      heading: '## Single events as users run it',
      section: [
        '## Single events as users run it',
        '',
        `\`${command}\` (${date}; ${where}). The same app as the idempotency scenario (\`npm start\` defaults, every job on); 64 clients each POST one event to /v1/events and send the next as soon as the answer arrives, ${x.seconds} s after 2 s of warm-up, first without keys, then with a fresh \`idempotency_key\` in every event.`,
        '',
        `- Without keys: ${fmt(x.plain.reqPerS)} events/s (${lat(x.plain)}), ${fmt(x.batchRatio * 100)} % of batch ingest on the same app (${fmt(x.batchEventsPerS)} events/s, batches of 500, 4 in flight); target ≥ 50 % and p99 ≤ 100 ms.`,
        `- With keys: ${fmt(x.keyed.reqPerS)} events/s (${lat(x.keyed)}), ${fmt(x.keysRatio * 100)} % of the rate without; target ≥ 80 %.`,
        '',
      ].join('\n'),
    });
  }
  if (only.has('memory') && r.memory) {
    const m = r.memory;
    await writeBenchmarkSection({
      rowPrefix: '| Memory as users run it',
      row: `| Memory as users run it (\`npm start\` defaults, empty data directory) | ${fmt(m.idle.rssMb)} MB RSS after start; ${fmt(m.ingestPeakSampledMb)} MB peak while ingesting batches | — | — | ≤ 400 MB after start; ≤ 800 MB peak |`,
      heading: '## Memory as users run it',
      section: [
        '## Memory as users run it',
        '',
        `\`${command}\` (${date}; ${where}). The app started as \`npm start\` starts it, on an empty data directory, every background job on; the RSS read from /proc five seconds after it answered /readyz, then sampled every 100 ms while the other scenarios of the run (batches of 500 events with and without keys, single events) ran on it.`,
        '',
        `- After start: ${fmt(m.idle.rssMb)} MB RSS, of which ${fmt(m.idle.anonMb)} MB anonymous (JavaScript heap, PGlite's WebAssembly heap, chDB's allocations) and ${fmt(m.idle.fileMb)} MB file-backed (mostly the pages of the chDB library that were touched). Start-up peak: ${fmt(m.idle.peakMb)} MB.`,
        `- While ingesting: ${fmt(m.ingestPeakSampledMb)} MB at the highest sample; the process's peak (start-up included): ${fmt(m.processPeakMb)} MB.`,
        '- What each part costs and the settings that size it: docs/operations.md, "Memory".',
        '',
      ].join('\n'),
    });
  }
  if (only.has('idempotency') && r.idempotency) {
    const k = r.idempotency;
    await writeBenchmarkSection({
      rowPrefix: '| Batches with idempotency keys',
      row: `| Batches with idempotency keys (a key per event and per batch, what the SDK sends; \`npm start\` defaults) | ${fmt(k.keyedEventsPerS)} events/s (p99 ${fmt(k.keyedP99Ms, 1)} ms) | the same batches without keys: ${fmt(k.plainEventsPerS)} events/s (p99 ${fmt(k.plainP99Ms, 1)} ms) | **${fmt(k.ratio * 100)} %** | ≥ 85 % |`,
      heading: '## Batches with idempotency keys',
      section: [
        '## Batches with idempotency keys',
        '',
        `\`${command}\` (${date}; ${where}). One app started as \`npm start\` starts it (every background job on). Batches of 500 events, 4 in flight, ${fmt(k.events)} events per run; runs with and without keys alternate for ${k.rounds} rounds on two tenants and the medians are compared. With keys every event carries its own \`idempotency_key\` and every batch an \`Idempotency-Key\` header, as the SDK sends them.`,
        '',
        `- Without keys: ${fmt(k.plainEventsPerS)} events/s, p99 ${fmt(k.plainP99Ms, 1)} ms per request.`,
        `- With keys: ${fmt(k.keyedEventsPerS)} events/s, p99 ${fmt(k.keyedP99Ms, 1)} ms per request: ${fmt(k.ratio * 100)} % of the rate without.`,
        '',
      ].join('\n'),
    });
  }
}
