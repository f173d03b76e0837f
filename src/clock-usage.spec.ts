import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './common/paths.js';
import { productionFiles } from '../test/support/source-files.js';

/**
 * Which time production code reads (docs/architecture.md, "Time"): the product's time rules go
 * through the injected Clock (src/common/clock.ts), times PostgreSQL compares with its now()
 * and record stamps through CheckedClock, measured durations through performance.now(). Every
 * other `Date.now()` or argument-less `new Date()` in src/ is listed here with its count and
 * why it is wall time. The list only shrinks: a count that drops must be lowered here too.
 * A key ending in `/` counts a whole folder.
 */
const WALL_CLOCK_READS: Record<string, { count: number; why: string }> = {
  'src/common/checked-clock.ts': { count: 1, why: 'the stamping clock itself: this process clock, corrected for measured skew' },
  'src/common/ids.ts': { count: 1, why: 'uuidv7 default: an id carries its creation time' },
  'src/alerts/alert-rules.service.ts': { count: 3, why: 'record times: disabled_at, and the created/updated times of a draft rule and its backtest alerts' },
  'src/alerts/alerts.repository.ts': { count: 1, why: 'record time: updated_at' },
  'src/alerts/alerts.service.ts': { count: 1, why: 'record time: when a note was written' },
  'src/billing/billing.repository.ts': { count: 2, why: 'record times: updated_at of plans and accounts' },
  'src/events/action-displays.repository.ts': { count: 1, why: 'record time: updated_at' },
  'src/exports/export-producer.ts': { count: 1, why: 'record time: the bundle manifest and tar entries' },
  'src/exports/export-worker.service.ts': { count: 1, why: 'compared with temporary files\' mtimes, which the file system stamps in real time' },
  'src/exports/exports.repository.ts': { count: 3, why: 'record times: finished_at, file_deleted_at' },
  'src/exports/exports.service.ts': { count: 3, why: 'record times: the export id and snapshot instants (taken after the request is in the trail)' },
  'src/integrity/evidence.service.ts': { count: 1, why: 'record time: generated_at of an evidence document' },
  'src/integrity/offline-verifier.ts': { count: 1, why: 'runs outside the service (customers\' machines): their clock, or --now' },
  'src/integrity/signing-keys.ts': { count: 1, why: 'record time: created_at of a generated key' },
  'src/retention/retention-policy.service.ts': { count: 1, why: 'record time: when a legal hold was placed' },
  'src/storage/clickhouse/clickhouse.service.ts': { count: 1, why: 'record time: when a migration was applied' },
  'src/viewer/ui/veritrail-viewer.ts': { count: 4, why: 'runs in the browser: relative times shown and the token expiry of the page\'s own clock' },
  'src/viewer/viewer.repository.ts': { count: 2, why: 'record times: recorded_at, updated_at' },
  'src/webhooks/sentinel-destination.ts': { count: 1, why: 'record time: TimeGenerated of a record sent' },
  'src/webhooks/signing.ts': { count: 1, why: 'the signature timestamp receivers check against their real clock' },
  'src/webhooks/syslog-destination.ts': { count: 1, why: 'record time: the syslog header timestamp' },
  'src/webhooks/webhook-delivery.service.ts': { count: 2, why: 'record times: the message time in a body and an object key' },
  'src/webhooks/webhook-messages.ts': { count: 2, why: 'record times: the message time in a body' },
  'src/webhooks/webhook-sender.ts': { count: 1, why: 'a Retry-After HTTP date is the receiver\'s real time' },
  'src/webhooks/webhooks.repository.ts': { count: 1, why: 'record time: updated_at' },
  'src/webhooks/webhooks.service.ts': { count: 3, why: 'record times: created_at of test and redelivered deliveries; lag_seconds since received_at' },
  'src/personal-data/kek-store.ts': { count: 1, why: 'compared with KEK files\' mtimes, which the file system stamps in real time' },
  'src/personal-data/privacy-settings.repository.ts': { count: 1, why: 'record time: updated_at' },
};

const CLOCK_FILE = 'src/common/clock.ts';
const READ = /Date\.now\(\)|new Date\(\)/g;

/** Reads per file, comments left out (a comment may name what it avoids). */
function wallClockReads(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of productionFiles(join(PROJECT_ROOT, 'src'))) {
    const rel = relative(PROJECT_ROOT, file).split(sep).join('/');
    if (rel === CLOCK_FILE) continue;
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    const n = code.match(READ)?.length ?? 0;
    if (n > 0) counts.set(rel, n);
  }
  return counts;
}

/** Counts keyed like the allowlist: a file under a listed folder counts for the folder. */
function byAllowlistKey(counts: Map<string, number>): Map<string, number> {
  const folders = Object.keys(WALL_CLOCK_READS).filter((k) => k.endsWith('/'));
  const out = new Map<string, number>();
  for (const [file, n] of counts) {
    const key = folders.find((f) => file.startsWith(f)) ?? file;
    out.set(key, (out.get(key) ?? 0) + n);
  }
  return out;
}

describe('wall-clock reads in src/', () => {
  const actual = byAllowlistKey(wallClockReads());

  it('time rules read the injected Clock: no Date.now() or new Date() outside the allowlist', () => {
    const unlisted = [...actual].filter(([key]) => !WALL_CLOCK_READS[key]).map(([key, n]) => `${key}: ${n}`);
    expect(unlisted, 'use Clock (time rules), CheckedClock (record stamps, PostgreSQL-compared due times) or performance.now() (durations)').toEqual([]);
  });

  it('no allowlisted entry reads the clock more often than listed', () => {
    const over = Object.entries(WALL_CLOCK_READS)
      .filter(([key, a]) => (actual.get(key) ?? 0) > a.count)
      .map(([key, a]) => `${key}: ${actual.get(key)} > ${a.count}`);
    expect(over).toEqual([]);
  });

  it('the allowlist only shrinks: a count that dropped is lowered (or the entry removed)', () => {
    const stale = Object.entries(WALL_CLOCK_READS)
      .filter(([key, a]) => (actual.get(key) ?? 0) < a.count)
      .map(([key, a]) => `${key}: ${actual.get(key) ?? 0} < ${a.count}`);
    expect(stale).toEqual([]);
  });

  it('every entry says why', () => {
    expect(Object.entries(WALL_CLOCK_READS).filter(([, a]) => a.why.trim().length < 10 || a.count < 1)).toEqual([]);
  });
});
