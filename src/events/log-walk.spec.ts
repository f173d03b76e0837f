import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/config.js';
import type { Clock } from '../common/clock.js';
import type { ClickHouseService } from '../storage/clickhouse/clickhouse.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { LogLeavesRegistry } from './log-leaves.js';
import { holdsBack, LogWalk, REPLICA_GRACE_MS, upToHold, type LogRow, type LogWalkFilters, type WalkOptions } from './log-walk.service.js';

const NOW = 10_000_000;
const scope = { tenantId: 't' } as TenantScope;

/** Rows of a log of `size` leaves; `missing` maps a leaf index to its received_at when its row is not readable. */
function fakeLog(size: number, missing: Map<number, number> = new Map()) {
  const reads: { after: number; scan: number }[] = [];
  class FakeWalk extends LogWalk {
    override async window(_s: TenantScope, afterIdx: number, _c: number, _f: LogWalkFilters, scan: number): Promise<LogRow[]> {
      reads.push({ after: afterIdx, scan });
      const rows: LogRow[] = [];
      for (let idx = afterIdx + 1; idx < Math.min(size, afterIdx + 1 + scan); idx++) {
        const gone = missing.get(idx);
        rows.push({ idx, receivedAtMs: gone ?? NOW - 1_000_000, payload: gone === undefined ? `e${idx}` : undefined, missing: gone !== undefined });
      }
      return rows;
    }
  }
  const config = { clickhouse: { requestTimeoutMs: 5_000 } } as AppConfig;
  const walk = new FakeWalk({} as ClickHouseService, config, { now: () => NOW } as Clock, {} as LogLeavesRegistry);
  return { walk, reads };
}

async function collect(walk: LogWalk, o: Partial<WalkOptions>): Promise<{ idx: number[]; held: boolean }> {
  const idx: number[] = [];
  let held = false;
  const opts: WalkOptions = { after: -1, end: 99, committed: 1, filters: {}, now: NOW, firstWindow: 10, maxWindow: 40, maxScanned: 1_000, trimToMaxScanned: false, ...o };
  for await (const w of walk.windows(scope, opts)) {
    idx.push(...w.rows.map((r) => r.idx));
    held ||= w.held;
  }
  return { idx, held };
}

describe('LogWalk: the one walk over the Merkle log (feed, webhooks, alerts)', () => {
  it('a missing row holds the walk back only while it is younger than REPLICA_GRACE_MS', () => {
    expect(holdsBack({ missing: true, receivedAtMs: NOW - REPLICA_GRACE_MS + 1 }, NOW)).toBe(true);
    expect(holdsBack({ missing: true, receivedAtMs: NOW - REPLICA_GRACE_MS }, NOW)).toBe(false);
    expect(holdsBack({ missing: false, receivedAtMs: NOW }, NOW)).toBe(false);
    const rows = [
      { idx: 1, missing: false, receivedAtMs: NOW },
      { idx: 2, missing: true, receivedAtMs: NOW - 2 * REPLICA_GRACE_MS },
      { idx: 3, missing: true, receivedAtMs: NOW - 1 },
      { idx: 4, missing: false, receivedAtMs: NOW },
    ];
    expect(upToHold(rows, NOW)).toEqual({ rows: rows.slice(0, 2), held: true });
    expect(upToHold(rows.slice(0, 2), NOW)).toEqual({ rows: rows.slice(0, 2), held: false });
  });

  it('reads every leaf once, in order, in windows that double up to the largest, up to the end', async () => {
    const { walk, reads } = fakeLog(1_000);
    const { idx, held } = await collect(walk, { after: 4, end: 99 });
    expect(idx).toEqual(Array.from({ length: 95 }, (_, i) => i + 5));
    expect(held).toBe(false);
    expect(reads).toEqual([
      { after: 4, scan: 10 },
      { after: 14, scan: 20 },
      { after: 34, scan: 40 },
      { after: 74, scan: 25 },
    ]);
  });

  it('stops before a young missing row, and passes over an old one (deleted on purpose)', async () => {
    const { walk } = fakeLog(1_000, new Map([[20, NOW - 2 * REPLICA_GRACE_MS], [30, NOW - 5]]));
    expect(await collect(walk, {})).toEqual({ idx: Array.from({ length: 30 }, (_, i) => i), held: true });
    // Re-reading a range already delivered does not wait.
    expect((await collect(walk, { hold: false })).idx).toHaveLength(100);
  });

  it('stops after maxScanned leaves, cutting the last window only when asked to', async () => {
    const { walk, reads } = fakeLog(1_000);
    expect((await collect(walk, { maxScanned: 25, trimToMaxScanned: true })).idx).toHaveLength(25);
    expect(reads.map((r) => r.scan)).toEqual([10, 15]);
    reads.length = 0;
    expect((await collect(walk, { maxScanned: 25, trimToMaxScanned: false })).idx).toHaveLength(30);
    expect(reads.map((r) => r.scan)).toEqual([10, 20]);
  });

  it('a consumer that stops inside a window reads nothing more', async () => {
    const { walk, reads } = fakeLog(1_000);
    for await (const w of walk.windows(scope, { after: -1, end: 99, committed: 1, filters: {}, now: NOW, firstWindow: 10, maxWindow: 40, maxScanned: 1_000, trimToMaxScanned: false })) {
      expect(w.rows).toHaveLength(10);
      break;
    }
    expect(reads).toHaveLength(1);
  });
});
