// The page generator writes every section from one run's results, and nothing else.
//   node --test bench/   (npm run test:bench)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPage, SCENARIOS, usersTable } from './lib/page.mjs';
import { setPageFile, writeBenchmarkSection } from './lib/report.mjs';

const lat = (p50, p99) => ({ reqPerS: 1000, itemsPerS: 1000, p50, p95: p99, p99 });
const stats = (p50, p95) => ({ p50, p95, n: 20 });

function fullResults() {
  return {
    machine: { cpus: 2, model: 'Test CPU', memGb: 8, node: 'v20.0.0' },
    date: '2026-12-06T11:00:00.000Z',
    finished: '2026-12-06T11:30:00.000Z',
    commit: 'abc1234',
    command: 'npm run bench -- --quick',
    only: SCENARIOS,
    loadAverage: { start: [1, 2, 3], end: [4, 5, 6] },
    scenarios: {
      ingest: { events: 1000, apiEventsPerS: 4000, apiFailed: 0, apiP50Ms: 10, apiP99Ms: 20, appPeakRssMb: 700, referenceEventsPerS: 10000, ratio: 0.4, raw: { rows: 1002, withCiphertext: 1000, avgBytes: 1500, runs: [{ label: 'batches of 500, 4 in flight', batch: 500, inFlight: 4, rowsPerS: 10000 }] } },
      integrity: { sealed: 10, checkpoints: 1, sealSeconds: 0.1, verifiedEvents: 1002, verifySeconds: 1, verifyEventsPerS: 1002, proofP50Ms: 1, proofP95Ms: 2 },
      memory: { idle: { rssMb: 390, anonMb: 200, fileMb: 190, peakMb: 400 }, ingestPeakSampledMb: 780, processPeakMb: 790 },
      idempotency: { events: 1000, rounds: 1, plainEventsPerS: 1000, keyedEventsPerS: 900, plainP99Ms: 10, keyedP99Ms: 12, ratio: 0.9 },
      'single-keys': { seconds: 4, plain: lat(5, 90), keyed: { ...lat(6, 95), reqPerS: 850 }, batchEventsPerS: 1500, keysRatio: 0.85, batchRatio: 0.66, keyedBatchRatio: 0.56 },
      single: { concurrency: 64, seconds: 4, reference: lat(1, 3), target: 0.25 },
      query: {
        events: 100000, tenants: 10, samples: 20, loadSeconds: 5, pgCopySeconds: 2, indexSeconds: 3, pgBytes: 2 ** 26,
        kinds: [{ kind: 'organization newest page', raw: stats(1, 2), api: stats(2, 3), pg: stats(20, 40), ratioP95: 1.5, pgRatioP95: 13.3, pgPlan: ['Index Scan using events_scope_time on events'] }],
      },
      webhooks: {
        reference: { postsPerS: 100, eventsPerS: 10000, concurrency: 1, bodies: 50, avgBodyBytes: 40000 },
        drain: { events: 5000, seconds: 1, eventsPerS: 20000, messagesPerS: 200 },
        steady: { rate: 1000, seconds: 5, delivered: 5000, acked: 5000, lagP50Ms: 500, lagP99Ms: 900, sealInterval: '1s' },
        ratio: 2,
      },
      lag: { rate: 1000, seconds: 5, defaults: { acked: 5000, webhook: { n: 5000, p50: 500, p99: 1500, max: 1600 }, feed: { n: 5000, p50: 400, p99: 1200, max: 1300 } } },
      export: {
        events: 1000, ratio: 0.6, raw: { rows: 1000, bytes: 2 ** 20, seconds: 1, slices: 5, rowsPerS: 1000 },
        ndjson: { rows: 1000, bytes: 2 ** 20, jobSeconds: 1, wallSeconds: 1.2, eventsPerS: 1000, idleRssMb: 500, peakRssMb: 600, heapPeakMb: 50 },
        download: { mbPerS: 100 }, feed: { events: 1000, pages: 1, seconds: 1, eventsPerS: 1000, peakRssMb: 500 },
      },
    },
  };
}

test('a full run writes the header, both tables and every core section, all from the results', () => {
  const md = renderPage(fullResults());
  for (const heading of ['# Benchmarks', '## As users run it', '## Batch ingest details', '## Tamper-evidence details', '## Single-event details', '## Query details', '## Export and feed details', '## Webhook details', '## Other benchmark scripts']) {
    assert.ok(md.includes(`\n${heading}\n`) || md.startsWith(`${heading}\n`), `missing ${heading}`);
  }
  assert.match(md, /`npm run bench -- --quick` from one run of commit abc1234/);
  assert.match(md, /load average \(1 \/ 5 \/ 15 min\) 1\.0 \/ 2\.0 \/ 3\.0 at the start and 4\.0 \/ 5\.0 \/ 6\.0 at the end/);
  assert.doesNotMatch(md, /undefined|NaN|n\/a|default configuration|Not measured in this run/);
  const table = usersTable(fullResults().scenarios);
  assert.equal(table.length, 2 + 8);
  assert.ok(table.slice(2).every((row) => !row.includes('not measured')), table.join('\n'));
  // Figures, not stale text: the ratio of the first row is the run's own.
  assert.match(table[2], /\*\*0\.40\*\* \| ≥ 0\.40 with jobs on \| yes \|/);
  assert.match(table[9], /\*\*13\.30\*\* \(the lowest\) \| ≥ 10 \(Veritrail ≥ 10 × faster at p95\) \| yes \|/);
});

test('a partial run names what it did not measure and shows no figure for it', () => {
  const r = fullResults();
  r.only = ['ingest', 'integrity'];
  r.scenarios = { ingest: r.scenarios.ingest, integrity: r.scenarios.integrity };
  r.failures = { query: 'PostgreSQL unreachable' };
  const md = renderPage(r);
  assert.match(md, /Not measured in this run .*users .*query .*webhooks/);
  assert.match(md, /Scenarios that failed in this run[\s\S]*- query: PostgreSQL unreachable/);
  assert.doesNotMatch(md, /## Query details|## Webhook details/);
  assert.equal(usersTable(r.scenarios).filter((row) => row.includes('not measured in this run')).length, 7);
});

test('self-reporting scenarios add their row to the summary table and their section to the page', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vt-bench-page-'));
  try {
    const file = join(dir, 'benchmarks.md');
    await writeFile(file, renderPage(fullResults()));
    setPageFile(file);
    await writeBenchmarkSection({ rowPrefix: '| lag row', row: '| lag row | 1 | 2 | 3 | 4 |', heading: '## Lag details', section: '## Lag details\n\n- measured\n' });
    const md = await readFile(file, 'utf8');
    const summary = md.slice(md.indexOf('| scenario |'), md.indexOf('## As users run it'));
    assert.match(summary, /\| lag row \| 1 \| 2 \| 3 \| 4 \|/);
    assert.ok(md.trimEnd().endsWith('## Lag details\n\n- measured'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
