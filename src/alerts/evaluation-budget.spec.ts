import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { EvaluationBudget, SLICE_MS } from './evaluation-budget.js';

/** Holds the thread for at least `ms` (the kind of work the budget is about). */
function busy(ms: number): number {
  const until = performance.now() + ms;
  let n = 0;
  while (performance.now() < until) n++;
  return n;
}

describe('EvaluationBudget (PEN-01)', () => {
  it('charges each rule its own work, and stops a rule once its slices add up to more than the budget', () => {
    const budget = new EvaluationBudget(50);
    expect(budget.run('hog', () => (busy(30), 'first'))).toBe('first');
    expect(budget.isExhausted('hog')).toBe(false);
    // The second slice takes it over 50 ms: its result is discarded and nothing more runs for it.
    expect(budget.run('hog', () => (busy(30), 'second'))).toBeUndefined();
    let ran = false;
    expect(budget.run('hog', () => (ran = true))).toBeUndefined();
    expect(ran).toBe(false);
    expect(budget.run('light', () => 'fine')).toBe('fine');
    expect([...budget.overBudget.keys()]).toEqual(['hog']);
    expect(budget.overBudget.get('hog')).toBeGreaterThan(50);
  });

  it('lets the event loop turn once the evaluation has held it for a slice', async () => {
    const budget = new EvaluationBudget(1000);
    let turned = false;
    setImmediate(() => (turned = true));
    busy(SLICE_MS + 5);
    await budget.pace();
    expect(turned).toBe(true);
  });
});
