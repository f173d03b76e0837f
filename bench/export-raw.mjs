// Reference for the export benchmark: the raw chDB rate of reading the same rows the export
// reads, as `SELECT payload … ORDER BY occurred_at, id FORMAT JSONEachRow`, on the app's stopped
// data directory, through the same client library. The tenant's rows are read in SLICES
// occurred_at ranges of equal event counts (one query would build a multi-GB answer in memory);
// output is discarded after its length is counted. Prints {"rows", "seconds", "bytes"} as JSON.
const { loadConfig } = await import('../dist/config/config.js');
const { ClickHouseService } = await import('../dist/storage/clickhouse/clickhouse.service.js');

const ch = await ClickHouseService.connect(loadConfig({ DATA_DIR: process.env.DATA_DIR }));
const table = ch.tables.events;
const tenant = process.env.TENANT_ID;
const slices = Number(process.env.SLICES ?? 50);
const client = ch.client; // private in TypeScript; this script is plain JS on purpose
const q = async (query, format = 'JSONEachRow') => (await client.query({ query, query_params: { t: tenant }, format })).text();

// Slice boundaries (not timed): equal-count occurred_at quantiles.
const bounds = JSON.parse(
  (await q(`SELECT arrayMap(x -> toUnixTimestamp64Milli(x), quantilesExact(${Array.from({ length: slices - 1 }, (_, i) => ((i + 1) / slices).toFixed(4)).join(',')})(occurred_at)) AS b FROM ${table} WHERE tenant_id = {t:String}`)).trim(),
).b;
const edges = [0, ...bounds, 8.64e15];
let rows = 0;
let bytes = 0;
const t0 = performance.now();
for (let i = 0; i < edges.length - 1; i++) {
  if (edges[i] === edges[i + 1]) continue;
  const text = await q(
    `SELECT payload FROM ${table} WHERE tenant_id = {t:String} AND occurred_at >= fromUnixTimestamp64Milli(${Math.trunc(edges[i])}, 'UTC') AND occurred_at < fromUnixTimestamp64Milli(${Math.trunc(edges[i + 1])}, 'UTC') ORDER BY occurred_at, id`,
  );
  bytes += text.length;
  for (let j = text.indexOf('\n'); j >= 0; j = text.indexOf('\n', j + 1)) rows++;
}
const seconds = (performance.now() - t0) / 1000;
await ch.close();
process.stdout.write(JSON.stringify({ rows, seconds, bytes, slices }));
process.exit(0);
