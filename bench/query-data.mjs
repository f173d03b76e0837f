// Query benchmark data and reference timings, run on the app's stopped data directory.
//   MODE=load: generate EVENTS realistic events across the tenants in TENANTS_JSON, inside
//              ClickHouse (INSERT … SELECT FROM numbers()), in exactly the stored form the API
//              writes (canonical JSON payload, RFC 6962 leaf hash, derived columns).
//   MODE=raw:  pick seeded viewer queries and time the SQL the API builds, run directly on chDB.
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { rng, ORGS_PER_TENANT, ACTORS_PER_ORG, WORDS } from './lib/data.mjs';

const { loadConfig } = await import('../dist/config/config.js');
const { ClickHouseService } = await import('../dist/storage/clickhouse/clickhouse.service.js');
const { buildListQuery } = await import('../dist/events/events.repository.js');
const { parseFilters } = await import('../dist/events/query.service.js');
const { TenantScope } = await import('../dist/tenancy/tenant-scope.js');

const ch = await ClickHouseService.connect(loadConfig({ DATA_DIR: process.env.DATA_DIR }));
const table = ch.tables.events;
const ACTIONS = ['user.login', 'user.logout', 'user.login_failed', 'user.password.changed', 'user.role.changed', 'document.viewed', 'document.updated', 'document.shared', 'document.exported', 'report.downloaded', 'api_key.created', 'settings.updated'];
const sqlList = (xs) => `[${xs.map((x) => `'${x}'`).join(',')}]`;

if (process.env.MODE === 'load') {
  const tenants = JSON.parse(process.env.TENANTS_JSON);
  const total = Number(process.env.EVENTS);
  const now = Date.now();
  const span = 30 * 86_400_000;
  const chunk = 1_000_000;
  const tenantIds = sqlList(tenants.map((t) => t.id));
  for (let start = 0; start < total; start += chunk) {
    const n = Math.min(chunk, total - start);
    const t0 = performance.now();
    // Columns computed once in a subquery, then the canonical payload (keys sorted) built from them.
    await ch.command(`
INSERT INTO ${table} (tenant_id, organization_id, occurred_at, id, received_at, action, outcome, actor_type, actor_id, target_ids, target_types, ip, flags, payload, leaf_hash, search_text)
SELECT tenant_id, organization_id, occurred_at, toUUID(id_text), received_at, action, outcome, actor_type, actor_id, [target_id], [target_type], ip, [], payload,
       lower(hex(SHA256(concat(char(0), payload)))), lower(concat(action, '\\n', organization_id, '\\n', actor_id, '\\n', actor_name, '\\n', actor_email, '\\n', target_type, '\\n', target_id, '\\n', target_name, '\\n', ip))
FROM (
  SELECT *, concat(
    '{"action":', toJSONString(action),
    ',"actor":{"email":', toJSONString(actor_email), ',"id":', toJSONString(actor_id), ',"name":', toJSONString(actor_name), ',"type":', toJSONString(toString(actor_type)), '}',
    ',"context":{"ip":', toJSONString(ip), ',"location":"web"}',
    ',"id":', toJSONString(id_text),
    ',"occurred_at":', toJSONString(formatDateTime(occurred_at, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')),
    ',"organization_id":', toJSONString(organization_id),
    ',"outcome":', toJSONString(toString(outcome)),
    ',"received_at":', toJSONString(formatDateTime(received_at, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')),
    ',"targets":[{"id":', toJSONString(target_id), ',"name":', toJSONString(target_name), ',"type":', toJSONString(target_type), '}]}') AS payload
  FROM (
    SELECT
      number AS n,
      ${tenantIds}[1 + (cityHash64(n, 1) % ${tenants.length})] AS tenant_id,
      concat('org_', toString(cityHash64(n, 1) % ${tenants.length}), '_', toString(cityHash64(n, 2) % ${ORGS_PER_TENANT})) AS organization_id,
      toUInt64(${now} - ${span} + intDiv((n - ${start}) * ${span}, ${n}) + ${start} % 1000) AS occurred_ms,
      fromUnixTimestamp64Milli(toInt64(occurred_ms), 'UTC') AS occurred_at,
      fromUnixTimestamp64Milli(toInt64(occurred_ms + cityHash64(n, 3) % 2000), 'UTC') AS received_at,
      lower(leftPad(hex(toUInt64(occurred_ms + cityHash64(n, 3) % 2000)), 12, '0')) AS th,
      lower(leftPad(hex(cityHash64(n, 4)), 16, '0')) AS r1,
      lower(leftPad(hex(cityHash64(n, 5)), 16, '0')) AS r2,
      concat(substring(th, 1, 8), '-', substring(th, 9, 4), '-7', substring(r1, 1, 3), '-', ['8','9','a','b'][1 + cityHash64(n, 6) % 4], substring(r1, 4, 3), '-', substring(r2, 1, 12)) AS id_text,
      ${sqlList(ACTIONS)}[1 + cityHash64(n, 7) % ${ACTIONS.length}] AS action,
      if(action = 'user.login_failed' OR cityHash64(n, 8) % 33 = 0, 'failure', 'success') AS outcome,
      if(cityHash64(n, 9) % 10 = 0, 'service', 'user') AS actor_type,
      concat('u_', toString(cityHash64(n, 1) % ${tenants.length}), '_', toString(cityHash64(n, 2) % ${ORGS_PER_TENANT}), '_', toString(cityHash64(n, 10) % ${ACTORS_PER_ORG})) AS actor_id,
      concat(['Ann','Bob','Chen','Dana','Eli','Fatima','Gus','Hana'][1 + cityHash64(n, 10) % 8], ' ', ['Lee','Stone','Wu','Garcia','Okafor'][1 + cityHash64(n, 10) % 5]) AS actor_name,
      concat(lower(replaceAll(actor_name, ' ', '.')), toString(cityHash64(n, 10) % ${ACTORS_PER_ORG}), '@example.com') AS actor_email,
      splitByChar('.', action)[1] AS target_type,
      concat('doc_', toString(cityHash64(n, 11) % 5000)) AS target_id,
      concat(${sqlList(WORDS)}[1 + cityHash64(n, 12) % ${WORDS.length}], ' ', ${sqlList(WORDS)}[1 + cityHash64(n, 13) % ${WORDS.length}], ' ', toString(cityHash64(n, 14) % 100)) AS target_name,
      concat('203.0.', toString(cityHash64(n, 15) % 256), '.', toString(cityHash64(n, 16) % 256)) AS ip
    FROM numbers(${start}, ${n})
  )
)`);
    process.stderr.write(`  loaded ${start + n} / ${total} (${Math.round(n / ((performance.now() - t0) / 1000))} rows/s)\n`);
  }
  // Spot-check the stored form: the leaf hash is SHA-256(0x00 || payload) and the payload parses.
  const sample = await ch.query(`SELECT payload, leaf_hash FROM ${table} LIMIT 3`);
  for (const s of sample) {
    JSON.parse(s.payload);
    const h = createHash('sha256').update(Buffer.from([0])).update(s.payload).digest('hex');
    if (h !== s.leaf_hash) throw new Error('generated leaf hash mismatch');
  }
  await settle();
  await writeFile(process.env.TENANTS_FILE, JSON.stringify({ tenants, events: total, loadedAt: new Date().toISOString(), settled: true }));
  await ch.close();
  process.exit(0);
}

/**
 * Merge the freshly loaded parts and wait until no merge runs, so the reference and the API
 * (measured later, in another process) see the same table, not one mid-merge.
 */
async function settle() {
  process.stderr.write('  merging parts (OPTIMIZE … FINAL) …\n');
  await ch.command(`OPTIMIZE TABLE ${table} FINAL`);
  for (;;) {
    const [m] = await ch.query('SELECT count() AS n FROM system.merges');
    if (Number(m.n) === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

// MODE=raw
const meta = JSON.parse(await readFile(process.env.TENANTS_FILE, 'utf8'));
if (!meta.settled) {
  await settle();
  meta.settled = true;
  await writeFile(process.env.TENANTS_FILE, JSON.stringify(meta));
}
const r = rng(2026);
const SAMPLES = Number(process.env.SAMPLES ?? 100);
const kinds = {
  'organization newest page': () => ({}),
  'filtered by action': () => ({ action: ACTIONS[Math.floor(r() * ACTIONS.length)] }),
  'filtered by actor': (t, o) => ({ actor_id: `u_${t}_${o}_${Math.floor(r() * ACTORS_PER_ORG)}` }),
  'filtered by text': () => ({ q: WORDS[Math.floor(r() * WORDS.length)] }),
};
const queries = {};
const stats = {};
const now = Date.now();
for (const [kind, extra] of Object.entries(kinds)) {
  const list = [];
  for (let i = 0; i < SAMPLES; i++) {
    const tenant = Math.floor(r() * meta.tenants.length);
    const org = Math.floor(r() * ORGS_PER_TENANT);
    // Tenant indexes in generated organization ids follow the tenants array order.
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
      const scope = TenantScope.forTenant({ id: meta.tenants[q.tenant].id, retentionDays: 365 });
      const sql = buildListQuery(table, scope, parseFilters(filterQuery), { limit: limit + 1, order: 'desc' }, now);
      const t0 = performance.now();
      const rows = await ch.query(sql.sql, sql.params);
      const ms = performance.now() - t0;
      if (pass === 1) {
        (samples[kind] ??= []).push(ms);
        q.rows = Math.min(rows.length, limit);
      }
    }
  }
}
for (const [kind, list] of Object.entries(samples)) {
  list.sort((a, b) => a - b);
  const pct = (p) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))];
  stats[kind] = { p50: pct(50), p95: pct(95), n: list.length };
}
await ch.close();
process.stdout.write(JSON.stringify({ queries, stats }));
