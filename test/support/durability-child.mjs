// Child process for the PROMISE-08 test, run under strace: opens the embedded ClickHouse with
// the configured DURABILITY, then performs one INSERT into events_v1 between two marker files,
// so the trace can be cut at exactly that INSERT. Prints the events table's data directory.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const { loadConfig } = await import('../../dist/config/config.js');
const { ClickHouseService } = await import('../../dist/storage/clickhouse/clickhouse.service.js');

const dir = process.env.DATA_DIR;
const ch = await ClickHouseService.connect(loadConfig({ DATA_DIR: dir, DURABILITY: process.env.DURABILITY }));
await ch.migrate();
const [{ path }] = await ch.query("SELECT data_paths[1] AS path FROM system.tables WHERE database = {db:String} AND name = 'events_v1'", { db: ch.target.database });
const row = {
  tenant_id: 'ten_fsync',
  organization_id: '',
  occurred_at: '2026-01-01 00:00:00.000',
  id: '01a20000-0000-7000-8000-0000000000f1',
  received_at: '2026-01-01 00:00:00.000',
  action: 'durability.checked',
  outcome: 'success',
  actor_type: 'user',
  actor_id: 'u_1',
  target_ids: [],
  target_types: [],
  ip: '',
  flags: [],
  payload: '{}',
  leaf_hash: '0'.repeat(64),
  search_text: '',
};
await writeFile(join(dir, 'insert-begins'), '');
await ch.insertRows(ch.tables.events, [JSON.stringify(row)]);
await writeFile(join(dir, 'insert-returned'), '');
await ch.close();
process.stdout.write(`${JSON.stringify({ eventsDir: path })}\n`);
