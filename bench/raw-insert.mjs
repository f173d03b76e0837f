// Reference for the batch-ingest benchmark: the same rows the API would store, inserted
// straight into chDB (no HTTP, no validation, rows pre-built before the clock starts).
// Prints one JSON line of results.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';

const { loadConfig } = await import('../dist/config/config.js');
const { ClickHouseService } = await import('../dist/storage/clickhouse/clickhouse.service.js');
const { checkEvent } = await import('../dist/events/event-rules.js');
const { buildStoredEvent } = await import('../dist/events/stored-event.js');
const { uuidv7 } = await import('../dist/common/ids.js');

const total = Number(process.env.EVENTS ?? 1_000_000);
const batch = Number(process.env.BATCH ?? 500);
const seed = Number(process.env.SEED ?? 42);
const dir = await mkdtemp(join(tmpdir(), 'vt-bench-raw-'));
// DURABILITY as the API runs with (fsync unless set), so the reference pays the same fsyncs.
const ch = await ClickHouseService.connect(loadConfig({ DATA_DIR: dir, DURABILITY: process.env.DURABILITY }));
await ch.migrate();

const r = rng(seed);
const now = Date.now();
const lines = new Array(total);
for (let i = 0; i < total; i++) {
  const ev = makeEvent(r, 0, i % ORGS_PER_TENANT, now - 60_000 + (i % 60_000));
  const c = checkEvent(ev, now);
  lines[i] = buildStoredEvent(c.event, { tenantId: 'ten_bench', id: uuidv7(now).id, receivedAtMs: now }).line;
}

async function timed(label, fn) {
  const t0 = performance.now();
  await fn();
  return { label, rowsPerS: total / ((performance.now() - t0) / 1000) };
}

const results = [];
results.push(
  await timed(`batches of ${batch}, one at a time`, async () => {
    for (let i = 0; i < total; i += batch) await ch.insertRows(ch.tables.events, lines.slice(i, i + batch));
  }),
);
results.push(
  await timed(`batches of ${batch}, 4 in flight`, async () => {
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next;
        next += batch;
        if (i >= total) return;
        await ch.insertRows(ch.tables.events, lines.slice(i, i + batch));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }),
);
results.push(
  await timed('batches of 50 000, one at a time', async () => {
    for (let i = 0; i < total; i += 50_000) await ch.insertRows(ch.tables.events, lines.slice(i, i + 50_000));
  }),
);
await ch.close();
await rm(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(results)}\n`);
