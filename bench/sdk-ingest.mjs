#!/usr/bin/env node
// SDK delivery rate against the same work sent by hand, on one embedded app (JOBS=none):
//   A  raw HTTP: batches of 500, 2 in flight, no idempotency keys
//   B  raw HTTP: the same events, each with its own idempotency_key and an Idempotency-Key per
//      batch — exactly what the SDK sends (the reference: the SDK cannot be faster than its requests)
//   C  the SDK: 8 concurrent callers call audit.event() for every event, then flush()
//   D  the SDK with a durable buffer (fsync per group of concurrent event() calls)
// Each run uses its own tenant and freshly generated events; B and C alternate for --rounds
// rounds and their medians are compared (the machines are noisy). C's time includes what the SDK
// does that B's pre-built bodies do not: validating and serialising every event.
//   node bench/sdk-ingest.mjs [--events=10000] [--rounds=3]
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeEvent, ORGS_PER_TENANT, rng } from './lib/data.mjs';
import { runLoad } from './lib/load.mjs';
import { ROOT, startProcess } from './lib/proc.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const EVENTS = Number(args.events ?? 10_000);
const ROUNDS = Number(args.rounds ?? 3);
const ADMIN = 'bench-admin-token-0123456789abcdef';
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);

execFileSync(process.execPath, ['scripts/build.mjs', '--if-needed'], { cwd: ROOT, stdio: 'inherit' });
execFileSync(process.execPath, ['openapi/typescript-sdk/scripts/build.mjs', '--if-needed'], { cwd: ROOT, stdio: 'inherit' });
const { Veritrail } = await import(pathToFileURL(join(ROOT, 'openapi/typescript-sdk/dist/esm/index.js')).href);

function events(seed, withKeys) {
  const r = rng(seed);
  const now = Date.now();
  return Array.from({ length: EVENTS }, (_, j) => {
    const e = makeEvent(r, 0, j % ORGS_PER_TENANT, now - 60_000 + (j % 60_000));
    if (withKeys) e.idempotency_key = randomUUID();
    return e;
  });
}

async function tenant(url, name) {
  const res = await fetch(`${url}/admin/v1/tenants`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  return (await res.json()).api_key.key;
}

async function raw(url, withKeys) {
  const key = await tenant(url, `raw-${withKeys}`);
  const list = events(withKeys ? 2 : 1, withKeys);
  const bodies = [];
  for (let i = 0; i < list.length; i += 500) bodies.push(Buffer.from(JSON.stringify({ events: list.slice(i, i + 500) })));
  const r = await runLoad({
    url,
    concurrency: 2,
    requests: bodies.length,
    warmupMs: 0,
    makeRequest: (i) => ({
      path: '/v1/events/batch',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(withKeys ? { 'idempotency-key': `bench-${i}-${randomUUID()}` } : {}) },
      body: bodies[i],
      items: 500,
    }),
  });
  if (r.failed > 0) throw new Error(`raw run failed: ${r.firstFailures.join('; ')}`);
  return r.itemsPerS;
}

async function sdk(url, bufferDir) {
  const key = await tenant(url, `sdk-${bufferDir ? 'buffer' : 'memory'}`);
  const list = events(bufferDir ? 4 : 3, false);
  const audit = new Veritrail({ apiKey: key, baseUrl: url, buffer: bufferDir ? { dir: bufferDir, maxBytes: 1 << 30 } : undefined, maxQueuedEvents: EVENTS });
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < list.length) await audit.event(list[next++]);
    }),
  );
  const queuedS = (performance.now() - t0) / 1000;
  await audit.flush();
  const s = (performance.now() - t0) / 1000;
  const stats = audit.stats();
  await audit.close();
  if (stats.delivered !== EVENTS || stats.failed !== 0) throw new Error(`sdk delivered ${stats.delivered}, failed ${stats.failed}`);
  return { eventsPerS: EVENTS / s, queuedPerS: EVENTS / queuedS, requests: stats.requests };
}

const dir = await mkdtemp(join(tmpdir(), 'vt-bench-sdk-'));
const bufferDir = await mkdtemp(join(tmpdir(), 'vt-bench-sdk-buffer-'));
const app = await startProcess('dist/main.js', { DATA_DIR: dir, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', JOBS: 'none' });
try {
  log(`sdk bench: ${EVENTS} events per run; warming up …`);
  await raw(app.url, false);
  const a = await raw(app.url, false);
  log(`A raw, no keys: ${a.toFixed(0)} events/s`);
  const bs = [];
  const cs = [];
  for (let round = 0; round < ROUNDS; round++) {
    bs.push(await raw(app.url, true));
    log(`B raw, keys: ${bs.at(-1).toFixed(0)} events/s`);
    cs.push(await sdk(app.url));
    log(`C sdk: ${cs.at(-1).eventsPerS.toFixed(0)} events/s (${cs.at(-1).requests} requests; event() accepted ${cs.at(-1).queuedPerS.toFixed(0)}/s)`);
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const b = median(bs);
  const c = { eventsPerS: median(cs.map((x) => x.eventsPerS)) };
  const d = await sdk(app.url, bufferDir);
  log(`D sdk + buffer: ${d.eventsPerS.toFixed(0)} events/s (event() accepted ${d.queuedPerS.toFixed(0)}/s)`);
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  process.stdout.write(
    [
      `| run (${fmt(EVENTS)} events each; B and C: median of ${ROUNDS} alternating rounds; embedded stores) | events/s | vs B |`,
      '|---|---|---|',
      `| A raw batches of 500, 2 in flight, no idempotency keys | ${fmt(a)} | ${(a / b).toFixed(2)} × |`,
      `| B raw batches of 500, 2 in flight, a key per event and per batch (what the SDK sends) | ${fmt(b)} | 1.00 × |`,
      `| C SDK, 8 callers, defaults (delivered, flush() included) | ${fmt(c.eventsPerS)} | **${(c.eventsPerS / b).toFixed(2)} ×** |`,
      `| D SDK with a durable buffer | ${fmt(d.eventsPerS)} (event() ${fmt(d.queuedPerS)}/s) | ${(d.eventsPerS / b).toFixed(2)} × |`,
      '',
    ].join('\n'),
  );
} finally {
  await app.stop();
  await rm(dir, { recursive: true, force: true });
  await rm(bufferDir, { recursive: true, force: true });
}
