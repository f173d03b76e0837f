import { describe, expect, it } from 'vitest';
import { BACKGROUND_LANE, currentLane, EngineScheduler, INGEST_LANE, runInLane, SYSTEM_LANE, tenantLane } from './engine-scheduler.js';

/** A statement the test finishes by hand, recording when it started. */
function gate(log: string[], name: string) {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<string>((res, rej) => {
    open = () => res(name);
    fail = rej;
  });
  return {
    fn: () => {
      log.push(name);
      return done;
    },
    open,
    fail,
  };
}

/** Runs every statement to completion, one at a time, as the engine would; returns the start order. */
async function drain(s: EngineScheduler, gates: Map<string, ReturnType<typeof gate>>, log: string[]): Promise<string[]> {
  let seen = 0;
  while (s.active > 0) {
    const name = log[seen++];
    if (name === undefined) throw new Error('a statement is active but none started');
    gates.get(name)!.open();
    await new Promise((r) => setImmediate(r));
  }
  return log;
}

describe('EngineScheduler', () => {
  it('PEN-06: a tenant with 16 queued reads delays another tenant\'s read by at most one of them (plus the one running)', async () => {
    const s = new EngineScheduler(1);
    const log: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const results: Promise<unknown>[] = [];
    for (let i = 0; i < 16; i++) {
      const g = gate(log, `A${i}`);
      gates.set(`A${i}`, g);
      results.push(s.schedule(tenantLane('A'), g.fn));
    }
    const b = gate(log, 'B');
    gates.set('B', b);
    results.push(s.schedule(tenantLane('B'), b.fn));
    expect(s.waiting().get(tenantLane('A'))).toBe(15);
    const order = await drain(s, gates, log);
    await Promise.all(results);
    // A0 was already running; B goes after one more of A's statements, not after all 16.
    expect(order.indexOf('B')).toBe(2);
    expect(order.filter((n) => n.startsWith('A'))).toEqual(Array.from({ length: 16 }, (_, i) => `A${i}`));
  });

  it('PEN-06: lanes with a backlog take turns one statement each; ingest and background are lanes of their own', async () => {
    const s = new EngineScheduler(1);
    const log: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const add = (lane: string, name: string) => {
      const g = gate(log, name);
      gates.set(name, g);
      return s.schedule(lane, g.fn);
    };
    const all = [
      add(tenantLane('A'), 'A0'),
      add(tenantLane('A'), 'A1'),
      add(tenantLane('A'), 'A2'),
      add(tenantLane('B'), 'B0'),
      add(tenantLane('B'), 'B1'),
      add(INGEST_LANE, 'I0'),
      add(BACKGROUND_LANE, 'J0'),
      add(INGEST_LANE, 'I1'),
    ];
    await drain(s, gates, log);
    await Promise.all(all);
    expect(log).toEqual(['A0', 'A1', 'B0', 'I0', 'J0', 'A2', 'B1', 'I1']);
  });

  it('runs up to `concurrency` statements at once and at once when nothing waits', async () => {
    const s = new EngineScheduler(3);
    const log: string[] = [];
    const gates = [0, 1, 2, 3].map((i) => gate(log, `S${i}`));
    const all = gates.map((g) => s.schedule(SYSTEM_LANE, g.fn));
    expect(log).toEqual(['S0', 'S1', 'S2']);
    expect(s.active).toBe(3);
    gates[1]!.open();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['S0', 'S1', 'S2', 'S3']);
    for (const g of gates) g.open();
    expect(await Promise.all(all)).toEqual(['S0', 'S1', 'S2', 'S3']);
    expect(s.active).toBe(0);
  });

  it('a failing or throwing statement rejects its caller only and frees its slot', async () => {
    const s = new EngineScheduler(1);
    const failing = s.schedule('x', () => Promise.reject(new Error('boom')));
    const throwing = s.schedule('y', () => {
      throw new Error('sync boom');
    });
    const ok = s.schedule('z', async () => 42);
    await expect(failing).rejects.toThrow('boom');
    await expect(throwing).rejects.toThrow('sync boom');
    expect(await ok).toBe(42);
    expect(s.active).toBe(0);
    expect(s.waiting().size).toBe(0);
  });

  it('a statement aborted while it waits never runs; one aborted before scheduling is refused', async () => {
    const s = new EngineScheduler(1);
    const log: string[] = [];
    const first = gate(log, 'first');
    const running = s.schedule('a', first.fn);
    const ac = new AbortController();
    const dropped = s.schedule('b', async () => log.push('dropped'), ac.signal);
    const after = s.schedule('c', async () => log.push('after'));
    ac.abort();
    await expect(dropped).rejects.toMatchObject({ name: 'AbortError' });
    expect(s.waiting().has('b')).toBe(false);
    first.open();
    await running;
    await after;
    expect(log).toEqual(['first', 'after']);
    await expect(s.schedule('d', async () => 1, AbortSignal.abort())).rejects.toBeDefined();
  });

  it('reports each start with its lane and wait', async () => {
    const s = new EngineScheduler(1);
    const seen: string[] = [];
    const off = s.onDispatch((e) => {
      expect(e.waitMs).toBeGreaterThanOrEqual(0);
      seen.push(e.lane);
    });
    await Promise.all([s.schedule(tenantLane('A'), async () => 1), s.schedule(INGEST_LANE, async () => 2)]);
    off();
    await s.schedule('later', async () => 3);
    expect(seen).toEqual([tenantLane('A'), INGEST_LANE]);
  });
});

describe('runInLane', () => {
  it('carries the lane through awaits and timers, nests, and defaults to the system lane', async () => {
    expect(currentLane()).toBe(SYSTEM_LANE);
    const seen = await runInLane(tenantLane('t1'), async () => {
      await new Promise((r) => setTimeout(r, 1));
      const inner = await runInLane(INGEST_LANE, async () => currentLane());
      const timer = await new Promise<string>((r) => setTimeout(() => r(currentLane()), 1));
      return [currentLane(), inner, timer];
    });
    expect(seen).toEqual([tenantLane('t1'), INGEST_LANE, tenantLane('t1')]);
    expect(currentLane()).toBe(SYSTEM_LANE);
  });
});
