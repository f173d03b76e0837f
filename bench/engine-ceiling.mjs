// How many single events per second the embedded engine can acknowledge at all when each
// acknowledgement must wait for its INSERT: back-to-back INSERTs of the batch sizes group commit
// reaches with 64 concurrent clients (flushes alternate between two halves of the clients).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';

const { loadConfig } = await import('../dist/config/config.js');
const { ClickHouseService } = await import('../dist/storage/clickhouse/clickhouse.service.js');
const { checkEvent } = await import('../dist/events/event-rules.js');
const { buildStoredEvent } = await import('../dist/events/stored-event.js');
const { uuidv7 } = await import('../dist/common/ids.js');

const dir = await mkdtemp(join(tmpdir(), 'vt-bench-ceiling-'));
const ch = await ClickHouseService.connect(loadConfig({ DATA_DIR: dir }));
await ch.migrate();
const r = rng(3);
const now = Date.now();
const lines = Array.from({ length: 20_000 }, (_, i) =>
  buildStoredEvent(checkEvent(makeEvent(r, 0, i % ORGS_PER_TENANT, now - 1000), now).event, { tenantId: 'ten_bench', id: uuidv7(now).id, receivedAtMs: now }).line,
);
const out = [];
for (const size of [32, 64]) {
  let rows = 0;
  let inserts = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 6000) {
    const off = (inserts * size) % (lines.length - size);
    await ch.insertRows(ch.tables.events, lines.slice(off, off + size));
    rows += size;
    inserts++;
  }
  const s = (performance.now() - t0) / 1000;
  out.push({ rowsPerInsert: size, rowsPerS: rows / s, msPerInsert: (s * 1000) / inserts });
}
await ch.close();
await rm(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(out)}\n`);
