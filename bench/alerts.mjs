// Alert evaluation throughput: 20 rules per tenant across many tenants, evaluated by the real
// background job over a sealed backlog, against the batch-ingest rate of the same events in the
// same run. Writes its own section of docs/benchmarks.md (the rest of the file is left as is).
//
//   npm run bench -- --only=alerts [--alert-tenants=100] [--alert-events=200000]
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, rng, ORGS_PER_TENANT } from './lib/data.mjs';
import { runLoad } from './lib/load.mjs';
import { ROOT, peakRssMb } from './lib/proc.mjs';
import { fmt, writeBenchmarkSection } from './lib/report.mjs';

/** 20 rules: the 7 templates and 13 custom rules of every kind, key and counting mode. */
const RULES = [
  { template: 'brute_force_sign_in' },
  { template: 'bulk_export' },
  { template: 'privilege_change' },
  { template: 'new_api_key' },
  { template: 'new_country_sign_in' },
  { template: 'many_targets_read' },
  { template: 'sign_in_after_failures' },
  { template: 'brute_force_sign_in', name: 'Failures per account', group_by: 'actor', threshold: { count: 10, window_seconds: 600 } },
  { template: 'bulk_export', name: 'Exports per hour', threshold: { count: 5, window_seconds: 3600 } },
  { kind: 'threshold', name: 'Deletions', tier: 'high', filter: { actions: ['*.deleted'] }, group_by: 'actor', threshold: { count: 3, window_seconds: 3600 } },
  { kind: 'threshold', name: 'Deletions per organization', tier: 'medium', filter: { actions: ['*.deleted'] }, group_by: 'organization', threshold: { count: 50, window_seconds: 3600 } },
  { kind: 'threshold', name: 'Failures per organization', tier: 'low', filter: { actions: ['user.*'], outcome: 'failure' }, group_by: 'organization', threshold: { count: 100, window_seconds: 600 } },
  { kind: 'threshold', name: 'Actor from many IPs', tier: 'medium', filter: { actions: ['user.login'] }, group_by: 'actor', threshold: { count: 5, window_seconds: 3600, distinct: 'ip' } },
  { kind: 'threshold', name: 'IP for many actors', tier: 'medium', filter: { actions: ['user.login', 'user.login_failed'] }, group_by: 'ip', threshold: { count: 10, window_seconds: 3600, distinct: 'actor' } },
  { kind: 'new_value', name: 'New IP', tier: 'low', filter: { actions: ['user.login'], outcome: 'success' }, group_by: 'actor', new_value: { field: 'ip', lookback_days: 7 } },
  { kind: 'new_value', name: 'New user agent', tier: 'low', filter: { actions: ['user.login'] }, group_by: 'actor', new_value: { field: 'user_agent', lookback_days: 30 } },
  { kind: 'sequence', name: 'Failures then success per IP', tier: 'high', filter: { actions: ['user.login', 'user.login_failed'] }, group_by: 'ip', sequence: { failures: 3, window_seconds: 600 } },
  { kind: 'threshold', name: 'Team changes', tier: 'low', filter: { actions: ['team.member.*'] }, group_by: 'actor', threshold: { count: 5, window_seconds: 3600 } },
  { kind: 'threshold', name: 'Billing change', tier: 'critical', filter: { actions: ['billing.*'] }, group_by: 'actor', threshold: { count: 1, window_seconds: 60 } },
  { kind: 'threshold', name: 'SSO change', tier: 'critical', filter: { actions: ['sso.*'] }, group_by: 'organization', threshold: { count: 1, window_seconds: 60 } },
];

/**
 * Ordinary traffic: each actor works from its own address (countries vary between actors),
 * and one event in 200 comes from somewhere else (travel, a new network) — the generator's
 * random address per event would make every sign-in a "new IP".
 */
function settle(ev, r) {
  let h = 0;
  for (const ch of ev.actor.id) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  const first = [8, 81, 5, 133][h % 4];
  ev.context.ip = r() < 0.005 ? `${[8, 81, 5, 133, 77][Math.floor(r() * 5)]}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}` : `${first}.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${h & 255}`;
  return ev;
}

export async function benchAlerts({ args, startApp, createTenant, log }) {
  const TENANTS = Number(args['alert-tenants'] ?? 100);
  const EVENTS = Number(args['alert-events'] ?? 200_000);
  const perTenant = Math.ceil(EVENTS / TENANTS);
  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-alerts-'));
  // Phase 1 — sealing only: tenants, rules, the batch-ingest reference, the sealed backlog.
  const app = await startApp(dir, { JOBS: 'seal', SEAL_INTERVAL: '2s' });
  log(`alerts: ${TENANTS} tenants × ${RULES.length} rules …`);
  const tenants = [];
  for (let i = 0; i < TENANTS; i++) tenants.push(await createTenant(app.url, `bench-alerts-${i}`));
  const call = async (t, method, path, body) => {
    const r = await fetch(`${app.url}${path}`, { method, headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.status === 204 ? undefined : r.json();
  };
  for (const t of tenants) {
    await call(t, 'PUT', '/v1/settings/auditing', { read_auditing: false });
    for (const rule of RULES) await call(t, 'POST', '/v1/alert-rules', rule);
  }

  // Six hours of each tenant's traffic (sign-ins and failures, role changes, reads, exports,
  // deletions, API keys …; each actor from its own address), in batches of 500 sent with 4 in
  // flight: the batch-ingest reference.
  log(`alerts: ingesting ${perTenant * TENANTS} events …`);
  const r = rng(99);
  const now = Date.now();
  const bodies = [];
  for (let ti = 0; ti < TENANTS; ti++) {
    for (let i = 0; i < perTenant; i += 500) {
      const events = [];
      for (let j = i; j < Math.min(perTenant, i + 500); j++) events.push(settle(makeEvent(r, ti, j % ORGS_PER_TENANT, now - 6 * 3_600_000 + Math.floor((j / perTenant) * 6 * 3_600_000)), r));
      bodies.push({ key: tenants[ti].key, body: Buffer.from(JSON.stringify({ events })), n: events.length });
    }
  }
  const ingest = await runLoad({
    url: app.url,
    concurrency: 4,
    requests: bodies.length,
    warmupMs: 0,
    makeRequest: (i) => ({ path: '/v1/events/batch', headers: { authorization: `Bearer ${bodies[i].key}`, 'content-type': 'application/json' }, body: bodies[i].body, items: bodies[i].n }),
  });
  bodies.length = 0;
  log(`alerts: batch ingest ${Math.round(ingest.itemsPerS)} events/s; waiting for the backlog to be sealed …`);
  let logged = 0;
  for (const t of tenants) {
    for (;;) {
      const cps = await call(t, 'GET', '/v1/integrity/checkpoints?limit=1');
      const size = cps.data[0]?.tree_size ?? 0;
      if (size >= perTenant + RULES.length) {
        logged += size;
        break;
      }
      await new Promise((res) => setTimeout(res, 500));
    }
  }
  await app.stop();

  // Phase 2 — the evaluator on the sealed backlog: every rule of every tenant catches up.
  log(`alerts: evaluating ${logged} log positions (${TENANTS * RULES.length} rules) …`);
  // The sealer in the same state as during the reference (on, same interval; the backlog is
  // already sealed), so the two phases differ only by the evaluator.
  const evaluator = await startApp(dir, { JOBS: 'seal,alerts', SEAL_INTERVAL: '2s', ALERTS_INTERVAL: '100ms', LOG_LEVEL: 'info' });
  const started = performance.now();
  let evaluated = 0;
  let alerts = 0;
  let suppressed = 0;
  let lastWork = started;
  let caughtUp = false;
  let buffer = '';
  evaluator.proc.stdout.on('data', (d) => {
    buffer += d;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.includes('"job":"alerts"')) continue;
      try {
        const j = JSON.parse(line);
        if (j.msg !== 'job run finished') continue;
        if (j.events > 0) {
          evaluated += j.events;
          alerts += j.alerts;
          suppressed += j.suppressed;
          lastWork = performance.now();
        }
      } catch {}
    }
  });
  // Caught up when every rule of every tenant is at the end of its log, as the API reports it
  // (an idle run logs nothing, so the log cannot say when the work ended).
  const rulesBehind = async () => {
    let n = 0;
    for (const t of tenants) {
      const rules = await fetch(`${evaluator.url}/v1/alert-rules?limit=100`, { headers: { authorization: `Bearer ${t.key}` } }).then((x) => x.json());
      n += rules.data.filter((x) => x.evaluation.lag_events > 0).length;
    }
    return n;
  };
  const deadline = started + 1_800_000;
  while (!caughtUp && performance.now() < deadline) {
    await new Promise((res) => setTimeout(res, 1000));
    caughtUp = evaluated > 0 && (await rulesBehind()) === 0;
  }
  const seconds = (lastWork - started) / 1000;
  const load = loadavg()[1];
  // Every rule of every tenant is at the end of its log.
  const behind = await rulesBehind();
  const rss = await peakRssMb(evaluator.pid);
  await evaluator.stop();
  await rm(dir, { recursive: true, force: true });
  return {
    tenants: TENANTS,
    rulesPerTenant: RULES.length,
    events: perTenant * TENANTS,
    ingestEventsPerS: ingest.itemsPerS,
    ingestFailed: ingest.failed,
    evaluated,
    evaluateSeconds: seconds,
    evaluateEventsPerS: evaluated / seconds,
    ruleEvaluationsPerS: (evaluated * RULES.length) / seconds,
    alerts,
    suppressed,
    rulesBehind: behind,
    caughtUp,
    evaluatorPeakRssMb: rss,
    loadAverage5m: load,
    ratio: evaluated / seconds / ingest.itemsPerS,
    target: 1,
  };
}


/** Replaces (or adds) the alert row of the summary table and the "Alert evaluation" section of docs/benchmarks.md. */
export async function writeAlertsSection(a, { command, date, machine }) {
  const row = `| alert evaluation, ${a.rulesPerTenant} rules per tenant × ${a.tenants} tenants (${fmt(a.events)} events) | ${fmt(a.evaluateEventsPerS)} events/s | batch ingest of the same events in the same run: ${fmt(a.ingestEventsPerS)} events/s | **${fmt(a.ratio, 2)} ×** | ≥ 1 × (keeps up) |`;
  const section = [
    '## Alert evaluation details',
    '',
    `Produced by \`${command}\` on ${date.slice(0, 10)} (${machine.cpus} × ${machine.model}, Node ${machine.node}; 5-minute load average ${fmt(a.loadAverage5m, 1)} at the end of the evaluation${a.loadAverage5m > machine.cpus * 1.5 ? ': the machine was shared and busy, absolute figures are far below a quiet run, the ratio less so' : ''}).`,
    '',
    `- ${a.tenants} tenants, each with the 7 templates and 13 custom rules (threshold per actor, IP and organization, distinct IPs / actors / targets, new IP, new user agent, new country, failures-then-success per actor and IP): ${a.tenants * a.rulesPerTenant} enabled rules.`,
    `- Reference: the ${fmt(a.events)} events (six hours of generated traffic per tenant: sign-ins with failures, role changes, reads, exports, deletions, API keys; each actor from its own address, one event in 200 from elsewhere) sent as batches of 500, 4 in flight: ${fmt(a.ingestEventsPerS)} events/s (${a.ingestFailed} failed requests).`,
    `- Evaluation: a fresh process with the \`seal\` and \`alerts\` jobs (the sealer as during the reference: on, \`SEAL_INTERVAL=2s\`) on the sealed backlog (${fmt(a.evaluated)} log positions, every rule starting at the beginning): ${fmt(a.evaluateSeconds, 1)} s = **${fmt(a.evaluateEventsPerS)} events/s**, ${fmt(a.ruleEvaluationsPerS)} event × rule evaluations/s; ${fmt(a.alerts)} alerts raised and ${fmt(a.suppressed)} firings suppressed (the generator's traffic is far noisier than a real application's: every role change, API key and deletion burst alerts), ${a.rulesBehind} rules left behind, peak RSS ${fmt(a.evaluatorPeakRssMb)} MB.`,
    `- Ratio ${fmt(a.ratio, 2)} ×: ${a.ratio >= 1 ? 'evaluation keeps up with batch ingest on the same machine.' : 'evaluation is slower than batch ingest on this machine: a sustained ingest at full batch speed would let alerts fall behind (they catch up when the load drops; nothing is skipped).'} Live, the two share the cores; the evaluator needs no more than its share as long as the ratio stays above 1.`,
    '',
  ].join('\n');
  await writeBenchmarkSection({ rowPrefix: '| alert evaluation', row, heading: '## Alert evaluation details', section });
}
