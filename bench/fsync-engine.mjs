// Engine-level reference for the durability scenario: the per-INSERT cost of DURABILITY=fsync
// on embedded chDB, measured in one process with the fsync table settings switched on and off
// every 10 INSERTs (so the shared machine's drift hits both alike). The "fsync" INSERTs do what
// ClickHouseService.insertRows does with DURABILITY=fsync: the engine fsyncs the part (table
// settings from ddl.ts), then the table directory is fsynced. Prints one JSON line.
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';

const { Logger } = await import('@nestjs/common');
Logger.overrideLogger(false);
const { loadConfig } = await import('../dist/config/config.js');
const { ClickHouseService } = await import('../dist/storage/clickhouse/clickhouse.service.js');
const { durabilityStatement } = await import('../dist/storage/clickhouse/ddl.js');
const { checkEvent } = await import('../dist/events/event-rules.js');
const { buildStoredEvent } = await import('../dist/events/stored-event.js');
const { uuidv7 } = await import('../dist/common/ids.js');

const rounds = Number(process.env.ROUNDS ?? 16);
const perRound = Number(process.env.PER_ROUND ?? 10);
const batch = Number(process.env.BATCH ?? 500);
const dir = await mkdtemp(join(tmpdir(), 'vt-bench-fsync-'));
const ch = await ClickHouseService.connect(loadConfig({ DATA_DIR: dir, DURABILITY: 'none' }));
await ch.migrate();
const [{ path }] = await ch.query('SELECT data_paths[1] AS path FROM system.tables WHERE database = {db:String} AND name = {t:String}', { db: ch.target.database, t: 'events_v1' });
const r = rng(44);
const now = Date.now();
const rows = () =>
  Array.from({ length: batch }, (_, i) => {
    const c = checkEvent(makeEvent(r, 0, i % ORGS_PER_TENANT, now - 60_000 + i), now);
    return buildStoredEvent(c.event, { tenantId: 'ten_bench', id: uuidv7(now).id, receivedAtMs: now }).line;
  });
const ms = { none: [], fsync: [] };
for (let round = 0; round < rounds; round++) {
  const mode = round % 2 === 0 ? 'none' : 'fsync';
  await ch.command(durabilityStatement(ch.target, ch.tables.events, mode));
  for (let i = 0; i < perRound; i++) {
    const lines = rows();
    const t0 = performance.now();
    await ch.insertRows(ch.tables.events, lines);
    if (mode === 'fsync') {
      const h = await open(path, 'r');
      await h.sync();
      await h.close();
    }
    ms[mode].push(performance.now() - t0);
  }
}
await ch.close();
await rm(dir, { recursive: true, force: true });
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
process.stdout.write(`${JSON.stringify({ batch, inserts: ms.none.length + ms.fsync.length, noneMedianMs: median(ms.none), fsyncMedianMs: median(ms.fsync) })}\n`);
