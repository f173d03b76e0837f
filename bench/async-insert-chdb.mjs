// Does embedded chDB merge concurrent INSERTs with asynchronous inserts (async_insert=1,
// wait_for_async_insert=1)? 16 concurrent INSERTs of 4 rows each, with merges stopped, with and
// without them, twice; prints the time and the number of new parts (16 = nothing merged).
//
//   node bench/async-insert-chdb.mjs
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';
const { loadConfig } = await import('../dist/config/config.js');
const { ClickHouseService } = await import('../dist/storage/clickhouse/clickhouse.service.js');
const { checkEvent } = await import('../dist/events/event-rules.js');
const { buildStoredEvent } = await import('../dist/events/stored-event.js');
const { uuidv7 } = await import('../dist/common/ids.js');
const dir = await mkdtemp(join(tmpdir(), 'vt-async-'));
const ch = await ClickHouseService.connect(loadConfig({ DATA_DIR: dir, DURABILITY: process.env.DURABILITY ?? 'fsync' }));
await ch.migrate();
const r = rng(3); const now = Date.now();
const lines = Array.from({ length: 2000 }, (_, i) => buildStoredEvent(checkEvent(makeEvent(r, 0, i % ORGS_PER_TENANT, now - 1000), now).event, { tenantId: 'ten_bench', id: uuidv7(now).id, receivedAtMs: now }).line);
// The service's own client (private field): the statements bypass its scheduler on purpose.
const client = ch['writeClient'];
const ins = (ls, settings) => client.exec({ query: `INSERT INTO ${ch.tables.events} FORMAT JSONEachRow`, values: Readable.from([ls.join('\n')]), clickhouse_settings: settings }).then((x) => x.stream.destroy());
await client.command({ query: `SYSTEM STOP MERGES ${ch.tables.events}` });
const parts = async () => (await (await client.query({ query: `SELECT count() c FROM system.parts WHERE active AND table='events_v1'`, format: 'JSONEachRow' })).json())[0].c;
for (const [label, settings] of [['sync', {}], ['async wait=1 busy=100ms', { async_insert: 1, wait_for_async_insert: 1, async_insert_busy_timeout_ms: 100, async_insert_use_adaptive_busy_timeout: 0 }], ['sync', {}], ['async wait=1 busy=100ms', { async_insert: 1, wait_for_async_insert: 1, async_insert_busy_timeout_ms: 100, async_insert_use_adaptive_busy_timeout: 0 }]]) {
  const p0 = await parts();
  const t0 = performance.now();
  // 16 concurrent inserts of 4 rows each
  await Promise.all(Array.from({ length: 16 }, (_, k) => ins(lines.slice(k * 4, k * 4 + 4), settings)));
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ label, ms: Math.round(ms), newParts: (await parts()) - p0 }));
}
await ch.close(); await rm(dir, { recursive: true, force: true });
