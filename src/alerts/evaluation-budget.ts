import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Longest stretch of evaluation work between two turns of the event loop (HTTP requests, ingest, other jobs run in between). */
export const SLICE_MS = 10;

/**
 * Processing time of each rule on one step of the log, against a budget (ALERTS_RULE_BUDGET).
 * Only the rule's own synchronous work is charged — matching its filter, its new-value history,
 * suppression — measured per slice, so time spent waiting on storage or on other work between
 * slices never counts against it. A rule over budget stops being evaluated at once; the caller
 * disables it (status "poisoned") in the commit of the step.
 */
export class EvaluationBudget {
  private readonly spent = new Map<string, number>();
  private readonly exhausted = new Map<string, number>();
  private lastTurn: number;

  /** `now`: a monotonic millisecond clock (tests pass their own so time is exact). */
  constructor(
    readonly budgetMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastTurn = now();
  }

  /** Runs a piece of a rule's work and charges its time; undefined when the rule is (or now goes) over budget. */
  run<T>(ruleId: string, work: () => T): T | undefined {
    if (this.exhausted.has(ruleId)) return undefined;
    const started = this.now();
    const value = work();
    const spent = (this.spent.get(ruleId) ?? 0) + (this.now() - started);
    this.spent.set(ruleId, spent);
    if (spent > this.budgetMs) {
      this.exhausted.set(ruleId, spent);
      return undefined;
    }
    return value;
  }

  isExhausted(ruleId: string): boolean {
    return this.exhausted.has(ruleId);
  }

  /** Rules over budget: id → milliseconds they had used. */
  get overBudget(): ReadonlyMap<string, number> {
    return this.exhausted;
  }

  /** Yields to the event loop once this evaluation has held it for {@link SLICE_MS}. */
  async pace(): Promise<void> {
    if (this.now() - this.lastTurn < SLICE_MS) return;
    await nextTurn();
    this.lastTurn = this.now();
  }
}
