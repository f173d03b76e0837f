import { describe, expect, it } from 'vitest';
import { CheckedClock } from './checked-clock.js';

describe('CheckedClock', () => {
  it('LD-02: uses the local clock until a check finds it skewed, then subtracts the skew, and stops once it agrees again', () => {
    const c = new CheckedClock();
    c.skewLocalClockForTest(600_000);
    expect(c.now() - Date.now()).toBeGreaterThan(599_000);
    c.observe({ skewMs: 600_000, skewed: true }, 2_000);
    expect(Math.abs(c.now() - Date.now())).toBeLessThan(1_000);
    expect(c.correction).toBe(600_000);
    // A skew within the threshold is not corrected (the local clock is trusted).
    c.observe({ skewMs: 1_500, skewed: false }, 2_000);
    expect(c.correction).toBe(0);
    expect(c.now() - Date.now()).toBeGreaterThan(599_000);
  });

  it('LD-02: one episode notice per skew episode, a new one after the clock agreed again', () => {
    const c = new CheckedClock();
    const seen: number[] = [];
    c.onSkewEpisode((e) => seen.push(e.skewMs));
    c.observe({ skewMs: 600_000, skewed: true }, 2_000);
    c.observe({ skewMs: 600_100, skewed: true }, 2_000);
    expect(seen).toEqual([600_000]);
    c.observe({ skewMs: 10, skewed: false }, 2_000);
    c.observe({ skewMs: -5_000, skewed: true }, 2_000);
    expect(seen).toEqual([600_000, -5_000]);
  });
});
