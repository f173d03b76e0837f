/**
 * Fault injection for the durability tests, loaded into the built app with `node --import`
 * by spawnApp when the test sets VERITRAIL_FAULTS (production code knows nothing of it):
 *
 *   VERITRAIL_FAULTS=exit_after_insert:<action>
 *
 * kills the process with SIGKILL right after an INSERT into ClickHouse that holds an event whose
 * action is <action> returns — before the request is acknowledged or its idempotency keys are
 * completed.
 */
const raw = process.env.VERITRAIL_FAULTS ?? '';
const m = /^exit_after_insert:([a-z0-9_.-]+)$/.exec(raw);
if (!m) throw new Error(`VERITRAIL_FAULTS: only exit_after_insert:<action> is supported, got ${JSON.stringify(raw)}`);
const action = m[1];

const { ClickHouseService } = await import(new URL('../../dist/storage/clickhouse/clickhouse.service.js', import.meta.url).href);
const insertRows = ClickHouseService.prototype.insertRows;
ClickHouseService.prototype.insertRows = async function (table, lines) {
  // The rows may be given as a function the engine slot calls (group commit's late take).
  let rows = typeof lines === 'function' ? undefined : lines;
  await insertRows.call(this, table, typeof lines === 'function' ? () => (rows = lines()) : lines);
  const hit = (rows ?? []).some((line) => {
    try {
      return JSON.parse(line).action === action;
    } catch {
      return false;
    }
  });
  if (hit) process.kill(process.pid, 'SIGKILL');
};
