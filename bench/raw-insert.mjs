// Reference for the batch-ingest benchmark: exactly the rows an API run stored (read back from
// its stopped data directory DATA_DIR, tenant TENANT_ID: ciphertext of personal data, blind-index
// tokens, canonical payload, leaf hash, derived columns), inserted straight into chDB — no HTTP,
// no validation, no privacy work, rows pre-serialised before the clock starts — into a table
// created AS the events table (same engine, ordering key and settings), in the same data
// directory and with the same settings (DURABILITY as the API runs with).
// Prints one JSON line of results.
const { loadConfig } = await import('../dist/config/config.js');
const { ClickHouseService } = await import('../dist/storage/clickhouse/clickhouse.service.js');

const batch = Number(process.env.BATCH ?? 500);
const ch = await ClickHouseService.connect(loadConfig({ DATA_DIR: process.env.DATA_DIR, DURABILITY: process.env.DURABILITY }));
const events = ch.tables.events;
const ref = `${events.split('.')[0]}.\`bench_raw_reference\``;

const rows = await ch.query(`SELECT * FROM ${events} WHERE tenant_id = {t:String} ORDER BY received_at, id`, { t: process.env.TENANT_ID });
const lines = rows.map((r) => JSON.stringify(r));
const total = lines.length;
const withCiphertext = rows.filter((r) => r.payload.includes('"vt-enc:')).length;
rows.length = 0;

async function timed(label, inFlight, size) {
  await ch.command(`DROP TABLE IF EXISTS ${ref}`);
  await ch.command(`CREATE TABLE ${ref} AS ${events}`);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next;
      next += size;
      if (i >= total) return;
      await ch.insertRows(ref, lines.slice(i, i + size));
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const [{ n }] = await ch.query(`SELECT count() AS n FROM ${ref}`);
  if (Number(n) !== total) throw new Error(`reference table holds ${n} rows, expected ${total}`);
  return { label, inFlight, batch: size, rowsPerS: total / seconds };
}

const runs = [];
runs.push(await timed(`batches of ${batch}, 4 in flight`, 4, batch));
runs.push(await timed(`batches of ${batch}, one at a time`, 1, batch));
runs.push(await timed('batches of 50,000, one at a time', 1, 50_000));
await ch.command(`DROP TABLE IF EXISTS ${ref}`);
await ch.close();
process.stdout.write(`\n${JSON.stringify({ rows: total, withCiphertext, avgBytes: Math.round(lines.reduce((a, l) => a + l.length, 0) / Math.max(1, total)), runs })}\n`);
process.exit(0);
