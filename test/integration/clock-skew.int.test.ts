import { describe, expect, it } from 'vitest';
import { ClockSkewMonitor } from '../../src/observability/clock-skew.js';
import { until, useApp } from '../support/harness.js';

/**
 * LD-02, the reporting part: each process compares its clock with PostgreSQL's and reports the
 * difference as a metric, flagging it beyond CLOCK_SKEW_WARN_MS. A replica 10 minutes ahead is
 * simulated by skewing the local clock the monitor reads (its test hook); PostgreSQL's clock is
 * real (PGlite in this process, or the server in the PostgreSQL project).
 */
describe('clock skew reporting', () => {
  const ctx = useApp();
  const metric = async (name: string) => {
    const text = (await ctx.api.get('/metrics')).text;
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  it('LD-02: the check at start reports an agreeing clock', async () => {
    const ok = await until('the first clock check', () => metric('veritrail_clock_skew_checks_total{result="ok"}'));
    expect(ok).toBeGreaterThanOrEqual(1);
    expect(Math.abs((await metric('veritrail_clock_skew_seconds'))!)).toBeLessThan(2);
  });

  it('LD-02: a clock 10 minutes ahead is reported (gauge ≈ 600 s, counted as skewed), and the gauge follows once it is fixed', async () => {
    const monitor = ctx.app.app.get(ClockSkewMonitor);
    const ahead = await monitor.check(() => Date.now() + 600_000);
    expect(ahead.skewed).toBe(true);
    expect(Math.abs(ahead.skewMs - 600_000)).toBeLessThan(2_000);
    expect((await metric('veritrail_clock_skew_seconds'))!).toBeCloseTo(600, -1);
    expect(await metric('veritrail_clock_skew_checks_total{result="skewed"}')).toBeGreaterThanOrEqual(1);
    const behind = await monitor.check(() => Date.now() - 5_000);
    expect(behind.skewed).toBe(true);
    expect(behind.skewMs).toBeLessThan(-3_000);
    const fixed = await monitor.check();
    expect(fixed.skewed).toBe(false);
    expect(Math.abs((await metric('veritrail_clock_skew_seconds'))!)).toBeLessThan(2);
  });
});
