// Query benchmark data and reference timings, run on the app's stopped data directory.
//   MODE=load: grow the seed events the API stored (one per tenant, organization and actor,
//              sent over HTTP, so names, e-mail addresses and target names are ciphertext under
//              their subject's key, with blind-index tokens, exactly as the API stores them) to
//              EVENTS rows inside ClickHouse (INSERT … SELECT FROM numbers()): each generated row
//              is a seed row of its tenant with a new id, time and action (payload, leaf hash and
//              derived columns rewritten accordingly). Then the same rows are copied to the
//              PostgreSQL database PG_URL (chDB's postgresql() table function) when it is set.
//              IP_VARY (0–1): that share of the generated rows comes from a random address in
//              one of five countries instead of its seed's (context.ip and the ip column).
//   MODE=raw:  pick seeded viewer queries and time them directly on chDB: the application is
//              built without listening (the same wiring as the server), and each query is the
//              SQL the API builds (`buildListQuery`) after `blind()` (text terms turned into their
//              blind-index tokens), run with the API's read settings. Prints the queries, their
//              row counts and tokens, and the timings.
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { rng, ORGS_PER_TENANT, ACTORS_PER_ORG, WORDS } from './lib/data.mjs';

const { loadConfig } = await import('../dist/config/config.js');

const ACTIONS = ['user.login', 'user.logout', 'user.login_failed', 'user.password.changed', 'user.role.changed', 'document.viewed', 'document.updated', 'document.shared', 'document.exported', 'report.downloaded', 'api_key.created', 'settings.updated'];
const SEED_ACTION = 'bench.seed';

if (process.env.MODE === 'load') {
  const { ClickHouseService } = await import('../dist/storage/clickhouse/clickhouse.service.js');
  const ch = await ClickHouseService.connect(loadConfig({ DATA_DIR: process.env.DATA_DIR }));
  const table = ch.tables.events;
  const db = table.split('.')[0];
  const seedTable = `${db}.\`bench_seed\``;
  const total = Number(process.env.EVENTS);
  const ipVary = Number(process.env.IP_VARY ?? 0);
  const tenants = Number(process.env.TENANTS);
  const now = Date.now();
  const span = 30 * 86_400_000;
  const seedsPerTenant = ORGS_PER_TENANT * ACTORS_PER_ORG;
  // Seed rows keyed by (tenant index, organization × actor index), parsed from the actor id u_<t>_<o>_<a>.
  await ch.command(`DROP TABLE IF EXISTS ${seedTable}`);
  await ch.command(`CREATE TABLE ${seedTable} ENGINE = Memory AS
SELECT toUInt32(splitByChar('_', actor_id)[2]) AS t, toUInt32(splitByChar('_', actor_id)[3]) * ${ACTORS_PER_ORG} + toUInt32(splitByChar('_', actor_id)[4]) AS k, *,
       JSONExtractString(payload, 'id') AS seed_id, JSONExtractString(payload, 'occurred_at') AS seed_occurred, JSONExtractString(payload, 'received_at') AS seed_received
FROM ${table} WHERE action = '${SEED_ACTION}'`);
  const [{ n: seeds }] = await ch.query(`SELECT count() AS n FROM ${seedTable}`);
  if (Number(seeds) !== tenants * seedsPerTenant) throw new Error(`expected ${tenants * seedsPerTenant} seed rows, found ${seeds}`);
  const iso = (col) => `formatDateTime(${col}, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')`;
  const chunk = 1_000_000;
  const generated = total - Number(seeds);
  for (let start = 0; start < generated; start += chunk) {
    const n = Math.min(chunk, generated - start);
    const t0 = performance.now();
    await ch.command(`
INSERT INTO ${table} (tenant_id, organization_id, occurred_at, id, received_at, action, outcome, actor_type, actor_id, on_behalf_of_id, impersonator_id, target_ids, target_types, ip, flags, payload, leaf_hash, search_text, pii_tokens, pii_subjects)
SELECT s.tenant_id, s.organization_id, g.occurred_at, toUUID(g.id_text), g.received_at, g.action, s.outcome, s.actor_type, s.actor_id, s.on_behalf_of_id, s.impersonator_id,
       s.target_ids, s.target_types, if(g.vary_ip = '', s.ip, g.vary_ip) AS ip_text, s.flags,
       replaceOne(replaceOne(replaceOne(replaceOne(replaceOne(s.payload,
         concat('"ip":"', s.ip, '"'), concat('"ip":"', ip_text, '"')),
         '"action":"${SEED_ACTION}"', concat('"action":"', g.action, '"')),
         concat('"id":"', s.seed_id, '"'), concat('"id":"', g.id_text, '"')),
         concat('"occurred_at":"', s.seed_occurred, '"'), concat('"occurred_at":"', ${iso('g.occurred_at')}, '"')),
         concat('"received_at":"', s.seed_received, '"'), concat('"received_at":"', ${iso('g.received_at')}, '"')) AS new_payload,
       lower(hex(SHA256(concat(char(0), new_payload)))),
       replaceOne(s.search_text, '${SEED_ACTION}', g.action), s.pii_tokens, s.pii_subjects
FROM (
  SELECT
    number AS n,
    toUInt32(cityHash64(n, 1) % ${tenants}) AS gt,
    toUInt32(cityHash64(n, 2) % ${seedsPerTenant}) AS gk,
    toUInt64(${now} - ${span} + intDiv((n - ${start}) * ${span}, ${n}) + ${start} % 1000) AS occurred_ms,
    fromUnixTimestamp64Milli(toInt64(occurred_ms), 'UTC') AS occurred_at,
    fromUnixTimestamp64Milli(toInt64(occurred_ms + cityHash64(n, 3) % 2000), 'UTC') AS received_at,
    lower(leftPad(hex(toUInt64(occurred_ms + cityHash64(n, 3) % 2000)), 12, '0')) AS th,
    lower(leftPad(hex(cityHash64(n, 4)), 16, '0')) AS r1,
    lower(leftPad(hex(cityHash64(n, 5)), 16, '0')) AS r2,
    concat(substring(th, 1, 8), '-', substring(th, 9, 4), '-7', substring(r1, 1, 3), '-', ['8','9','a','b'][1 + cityHash64(n, 6) % 4], substring(r1, 4, 3), '-', substring(r2, 1, 12)) AS id_text,
    ${sqlList(ACTIONS)}[1 + cityHash64(n, 7) % ${ACTIONS.length}] AS action,
    -- IP_VARY: the share of rows from another address than their seed's (backtests of travel and new-country rules)
    if(cityHash64(n, 8) % 1000000 < ${Math.round(ipVary * 1_000_000)},
       concat(['8', '81', '5', '133', '77'][1 + cityHash64(n, 9) % 5], '.', toString(cityHash64(n, 10) % 256), '.', toString(cityHash64(n, 11) % 256), '.', toString(cityHash64(n, 12) % 256)),
       '') AS vary_ip
  FROM numbers(${start}, ${n})
) AS g
INNER JOIN ${seedTable} AS s ON g.gt = s.t AND g.gk = s.k`);
    process.stderr.write(`  loaded ${Number(seeds) + start + n} / ${total} (${Math.round(n / ((performance.now() - t0) / 1000))} rows/s)\n`);
  }
  await ch.command(`DROP TABLE ${seedTable}`);
  // Spot-check the stored form: the leaf hash is SHA-256(0x00 || payload), the payload parses and
  // its personal data is ciphertext.
  const sample = await ch.query(`SELECT payload, leaf_hash FROM ${table} WHERE action != '${SEED_ACTION}' AND actor_id LIKE 'u\\_%' LIMIT 3`);
  for (const s of sample) {
    const p = JSON.parse(s.payload);
    if (!String(p.actor.name).startsWith('vt-enc:')) throw new Error(`generated payload not encrypted: ${s.payload.slice(0, 200)}`);
    const h = createHash('sha256').update(Buffer.from([0])).update(s.payload).digest('hex');
    if (h !== s.leaf_hash) throw new Error('generated leaf hash mismatch');
  }
  process.stderr.write('  merging parts (OPTIMIZE … FINAL) …\n');
  await ch.command(`OPTIMIZE TABLE ${table} FINAL`);
  for (;;) {
    const [m] = await ch.query('SELECT count() AS n FROM system.merges');
    if (Number(m.n) === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const [{ n: rows }] = await ch.query(`SELECT count() AS n FROM ${table}`);
  let pgSeconds;
  if (process.env.PG_URL) {
    // The same rows, the columns the viewer's queries read and return.
    const u = new URL(process.env.PG_URL);
    process.stderr.write(`  copying ${rows} rows to PostgreSQL …\n`);
    const t0 = performance.now();
    await ch.command(`INSERT INTO FUNCTION postgresql('${u.hostname}:${u.port || 5432}', '${u.pathname.slice(1)}', 'events', '${decodeURIComponent(u.username)}', '${decodeURIComponent(u.password)}')
SELECT tenant_id, organization_id, occurred_at, toString(id), received_at, action, toString(outcome), toString(actor_type), actor_id, target_ids, ip,
       -- the events table keeps no expiry column; retention here is the tenant's 365 days from receipt
       received_at + toIntervalDay(365) AS expires_at, payload, search_text, pii_tokens FROM ${table}`);
    pgSeconds = (performance.now() - t0) / 1000;
  }
  await ch.close();
  process.stdout.write(`${JSON.stringify({ rows: Number(rows), pgCopySeconds: pgSeconds })}\n`);
  process.exit(0);
}

function sqlList(xs) {
  return `[${xs.map((x) => `'${x}'`).join(',')}]`;
}

// MODE=raw
const { createApp } = await import('../dist/app.factory.js');
const { ClickHouseService } = await import('../dist/storage/clickhouse/clickhouse.service.js');
const { PersonalDataService } = await import('../dist/personal-data/personal-data.service.js');
const { buildListQuery } = await import('../dist/events/events.repository.js');
const { parseFilters } = await import('../dist/events/query.service.js');
const { TenantScope } = await import('../dist/tenancy/tenant-scope.js');

const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR, JOBS: 'none', LOG_LEVEL: 'warn' });
const app = await createApp(config);
await app.init();
const ch = app.get(ClickHouseService, { strict: false });
const personal = app.get(PersonalDataService, { strict: false });
const table = ch.tables.events;
const readSettings = { max_execution_time: Math.ceil(config.clickhouse.requestTimeoutMs / 1000) };
const tenants = JSON.parse(await readFile(process.env.TENANTS_FILE, 'utf8')).tenants;
const r = rng(2026);
const SAMPLES = Number(process.env.SAMPLES ?? 100);
const kinds = {
  'organization newest page': () => ({}),
  'filtered by action': () => ({ action: ACTIONS[Math.floor(r() * ACTIONS.length)] }),
  'filtered by actor': (t, o) => ({ actor_id: `u_${t}_${o}_${Math.floor(r() * ACTORS_PER_ORG)}` }),
  'text search (a word of the encrypted target names)': () => ({ q: WORDS[Math.floor(r() * WORDS.length)] }),
};
const queries = {};
const now = Date.now();
for (const [kind, extra] of Object.entries(kinds)) {
  const list = [];
  for (let i = 0; i < SAMPLES; i++) {
    const tenant = Math.floor(r() * tenants.length);
    const org = Math.floor(r() * ORGS_PER_TENANT);
    // Tenant indexes in organization and actor ids follow the tenants array order.
    list.push({ tenant, query: { organization_id: `org_${tenant}_${org}`, limit: 50, ...extra(tenant, org) } });
  }
  queries[kind] = list;
}
// Pass 0 over every kind warms the caches (as a running service's would be); pass 1 is measured.
const samples = {};
for (const pass of [0, 1]) {
  for (const [kind, list] of Object.entries(queries)) {
    for (const q of list) {
      const { limit, ...filterQuery } = q.query;
      const scope = TenantScope.forTenant({ id: tenants[q.tenant].id, retentionDays: 365 });
      const t0 = performance.now();
      const filters = personal.blind(scope, parseFilters(filterQuery));
      const sql = buildListQuery(table, scope, filters, { limit: limit + 1, order: 'desc' }, now);
      const rows = await ch.query(sql.sql, sql.params, { settings: readSettings });
      const ms = performance.now() - t0;
      if (pass === 1) {
        (samples[kind] ??= []).push(ms);
        q.rows = Math.min(rows.length, limit);
        if (filters.termTokens) q.tokens = filters.termTokens;
      }
    }
  }
}
const stats = {};
for (const [kind, list] of Object.entries(samples)) {
  list.sort((a, b) => a - b);
  const pct = (p) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))];
  stats[kind] = { p50: pct(50), p95: pct(95), n: list.length };
}
await app.close();
process.stdout.write(`\n${JSON.stringify({ queries, stats, now })}\n`);
process.exit(0);
