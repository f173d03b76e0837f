#!/usr/bin/env node
// What an erasure costs in key management (PEN-03): a tenant with N subject keys, one erasure.
// The erasure rotates the KEK of the subject's bucket: every other key of that bucket is
// unwrapped, re-wrapped under a new KEK and written back in one transaction, then the old KEK
// file is deleted. Two tenants of N keys each: keys spread over the 64 buckets (what the product
// does), and all keys in one bucket (what one KEK per tenant would cost). Runs the real services
// in-process against embedded PGlite, or a PostgreSQL server with --database-url=.
//
//   npm run build && node bench/privacy-kek-rotation.mjs [--subjects=100000] [--database-url=postgres://...]
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../dist/app.factory.js';
import { loadConfig } from '../dist/config/config.js';
import { SubjectKeyringService } from '../dist/personal-data/subject-keyring.service.js';
import { SubjectKeysRepository } from '../dist/personal-data/subject-keys.repository.js';
import { TenantScope } from '../dist/tenancy/tenant-scope.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const SUBJECTS = Number(args.subjects ?? 100_000);
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);

const dataDir = await mkdtemp(join(tmpdir(), 'vt-bench-kek-'));
const env = {
  DATA_DIR: dataDir,
  ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
  LOG_LEVEL: 'warn',
  JOBS: 'none',
  CLICKHOUSE_DATABASE: `vt_bench_${randomBytes(4).toString('hex')}`,
  PRIVACY_MASTER_KEY: randomBytes(32).toString('base64'),
  SIGNING_KEYS_FILE: join(dataDir, 'signing-keys.json'),
};
if (args['database-url']) env.DATABASE_URL = args['database-url'];
const app = await createApp(loadConfig(env));
await app.init();
const keyring = app.get(SubjectKeyringService);
const repo = app.get(SubjectKeysRepository);

async function tenant(name) {
  const r = await app.inject({ method: 'POST', url: '/admin/v1/tenants', headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` }, payload: { name } });
  return TenantScope.forTenant({ id: JSON.parse(r.body).tenant.id, retentionDays: 365 });
}

/** Subject hashes as the product makes them (hex), optionally all in bucket 0. */
function hashes(n, oneBucket) {
  return Array.from({ length: n }, (_, i) => {
    const h = createHash('sha256').update(`${oneBucket}-${i}`).digest('hex');
    return oneBucket ? `00${h.slice(2)}` : h;
  });
}

const rows = [];
for (const [label, oneBucket] of [
  ['64 buckets (product)', false],
  ['1 bucket (one KEK per tenant)', true],
]) {
  const scope = await tenant(label);
  const all = hashes(SUBJECTS, oneBucket);
  let t = performance.now();
  for (let i = 0; i < all.length; i += 1000) await keyring.getOrCreate(scope, all.slice(i, i + 1000));
  const createMs = performance.now() - t;
  const victim = (await repo.bySubjects(scope, [all[0]]))[0];
  const inBucket = all.filter((h) => keyring.bucketOf(h) === keyring.bucketOf(all[0])).length;
  t = performance.now();
  await keyring.destroy(scope, [victim]);
  const eraseMs = performance.now() - t;
  rows.push({ label, inBucket, createMs, eraseMs });
  log(`${label}: ${SUBJECTS} keys created in ${(createMs / 1000).toFixed(1)} s; erasure re-wrapped ${inBucket - 1} keys in ${eraseMs.toFixed(0)} ms`);
}

const mode = env.DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite';
console.log(`\nKEK rotation per erasure, ${SUBJECTS} subjects in one tenant, ${mode}\n`);
console.log('| layout | keys re-wrapped per erasure | erasure (key management) |');
console.log('|---|---:|---:|');
for (const r of rows) console.log(`| ${r.label} | ${r.inBucket - 1} | ${r.eraseMs.toFixed(0)} ms |`);
await app.close();
await rm(dataDir, { recursive: true, force: true });
