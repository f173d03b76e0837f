import { describe, expect, it } from 'vitest';
import { EvaluationBudget, SLICE_MS } from './evaluation-budget.js';

/**
 * A clock the work advances: `busy(ms)` is work that takes exactly `ms`, whatever the load on
 * the machine running the test (a real busy loop of 30 ms can take 60 under load and flake).
 */
function fakeClock() {
  let t = 1_000;
  return { now: () => t, busy: (ms: number) => (t += ms) };
}

describe('EvaluationBudget (PEN-01)', () => {
  it('charges each rule its own work, and stops a rule once its slices add up to more than the budget', () => {
    const { now, busy } = fakeClock();
    const budget = new EvaluationBudget(50, now);
    expect(budget.run('hog', () => (busy(30), 'first'))).toBe('first');
    expect(budget.isExhausted('hog')).toBe(false);
    // The second slice takes it over 50 ms: its result is discarded and nothing more runs for it.
    expect(budget.run('hog', () => (busy(30), 'second'))).toBeUndefined();
    let ran = false;
    expect(budget.run('hog', () => (ran = true))).toBeUndefined();
    expect(ran).toBe(false);
    expect(budget.run('light', () => 'fine')).toBe('fine');
    expect([...budget.overBudget.keys()]).toEqual(['hog']);
    expect(budget.overBudget.get('hog')).toBe(60);
  });

  it('lets the event loop turn once the evaluation has held it for a slice', async () => {
    const { now, busy } = fakeClock();
    const budget = new EvaluationBudget(1000, now);
    let turned = false;
    setImmediate(() => (turned = true));
    busy(SLICE_MS - 1);
    await budget.pace(); // under a slice: no turn
    expect(turned).toBe(false);
    busy(2);
    await budget.pace();
    expect(turned).toBe(true);
  });
});
