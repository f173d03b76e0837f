#!/usr/bin/env node
// What the billing quota costs at ingest: single-event POST /v1/events at a fixed concurrency,
// all in ONE process with billing on: the reference is a tenant on the unlimited plan (no quota
// to count), against a tenant on a paid plan (overage: a cached plan lookup) and a tenant on the
// free plan (hard quota: a reservation on the PostgreSQL ledger and its settlement per request;
// the quota is raised so nothing is refused). Same process, same stores, same run: the tenants
// differ only by their plan. Rounds alternate between the tenants; the best round of each counts.
//
//   npm run build && node bench/billing-quota.mjs [--seconds=10] [--concurrency=16] [--rounds=2]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, ORGS_PER_TENANT, rng } from './lib/data.mjs';
import { runLoad } from './lib/load.mjs';
import { startProcess } from './lib/proc.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const SECONDS = Number(args.seconds ?? 10);
const CONCURRENCY = Number(args.concurrency ?? 16);
const ROUNDS = Number(args.rounds ?? 2);
const ADMIN = 'bench-admin-token-0123456789abcdef';
const STRIPE = {
  STRIPE_SECRET_KEY: 'sk_test_benchmarkbenchmark0000',
  STRIPE_WEBHOOK_SECRET: 'whsec_benchmarkbenchmark0000',
  // Ingest never calls Stripe; nothing listens here.
  STRIPE_API_BASE: 'http://127.0.0.1:9',
};

const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);

async function call(url, method, path, body) {
  const r = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function tenant(url, name) {
  const body = await call(url, 'POST', '/admin/v1/tenants', { name });
  return { id: body.tenant.id, key: body.api_key.key };
}

const r = rng(11);
const now = Date.now();
const bodies = Array.from({ length: 5000 }, (_, i) => JSON.stringify(makeEvent(r, 0, i % ORGS_PER_TENANT, now - 60_000 + i)));
const load = (url, key) =>
  runLoad({
    url,
    concurrency: CONCURRENCY,
    durationMs: SECONDS * 1000,
    warmupMs: 2000,
    makeRequest: (i) => ({ path: '/v1/events', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: bodies[i % bodies.length] }),
  });

const dir = await mkdtemp(join(tmpdir(), 'vt-bench-billing-'));
const on = await startProcess('dist/main.js', { DATA_DIR: dir, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', JOBS: 'none', ...STRIPE });
try {
  const ref = await tenant(on.url, 'unlimited');
  await call(on.url, 'PUT', `/admin/v1/tenants/${ref.id}/plan`, { plan: 'unlimited' });
  const paid = await tenant(on.url, 'paid');
  await call(on.url, 'PUT', `/admin/v1/tenants/${paid.id}/plan`, { plan: 'pro' });
  await call(on.url, 'PUT', '/admin/v1/plans/free', { name: 'Free', events_per_month: 1e9, max_retention_days: 30, webhooks: 1, exports_per_day: 3, alerts: 3, overage: false });
  const free = await tenant(on.url, 'free');
  const best = { off: undefined, paid: undefined, free: undefined };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, url, key] of [['off', on.url, ref.key], ['paid', on.url, paid.key], ['free', on.url, free.key]]) {
      log(`round ${round}: ${name} …`);
      const res = await load(url, key);
      if (res.failed > 0) throw new Error(`${name}: ${res.failed} failed, e.g. ${res.firstFailures[0]}`);
      if (!best[name] || res.reqPerS > best[name].reqPerS) best[name] = res;
    }
  }
  const row = (label, x) => `| ${label} | ${x.reqPerS.toFixed(0)} | ${x.p50.toFixed(1)} | ${x.p95.toFixed(1)} | ${((x.reqPerS / best.off.reqPerS) * 100).toFixed(0)} % |`;
  console.log(`single-event ingest, concurrency ${CONCURRENCY}, ${SECONDS} s per round, best of ${ROUNDS} rounds`);
  console.log('| scenario (one process, billing on) | req/s | p50 ms | p95 ms | vs the unlimited plan |');
  console.log('|---|---|---|---|---|');
  console.log(row('unlimited plan (reference: no quota to count)', best.off));
  console.log(row('paid plan (overage)', best.paid));
  console.log(row('free plan (hard quota, ledger)', best.free));
} finally {
  await on.stop();
  await rm(dir, { recursive: true, force: true });
}
