import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { AlertWindowsRepository } from './alert-windows.repository.js';
import { type NewAlert, type RuleRecord } from './alerts.repository.js';
import { parseEvalEvent } from './rule-definition.js';
import { ChunkEvaluator, type Replay } from './chunk-evaluator.service.js';
import { buildAlert } from './alert-builder.js';
import { ColumnarBacktest } from './backtest-columnar.js';
import { Clock } from '../common/clock.js';

/** Bounds of one backtest: events read, wall-clock time. */
export interface BacktestLimits {
  maxEvents: number;
  maxMs: number;
}

export interface BacktestOutcome {
  alerts: NewAlert[];
  eventsScanned: number;
  /** Why it stopped before `to`, and the occurred_at up to which (exclusive) events were replayed. */
  truncated: { reason: 'max_events' | 'time_budget' | 'evaluation_budget_exceeded'; evaluatedToMs: number } | undefined;
}

/** Replays a rule over stored events without storing, recording or sending anything (POST /v1/alert-rules/…/backtest). */
@Injectable()
export class AlertBacktest {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly windows: AlertWindowsRepository,
    private readonly chunks: ChunkEvaluator,
    private readonly columnar: ColumnarBacktest,
    private readonly clock: Clock,
  ) {}

  /**
   * Replays a rule over the events that occurred in [from, to) without storing, recording or
   * sending anything: the same steps as live evaluation (evaluateChunk), in steps of
   * ALERTS_BATCH_EVENTS events in occurred_at order, every event new to the rule once, windows
   * and look-backs over everything stored, suppression in event time against the replay's own
   * alerts. For events that arrived in order this gives the alerts live evaluation raised.
   */
  async backtest(scope: TenantScope, rule: RuleRecord, fromMs: number, toMs: number, limits: BacktestLimits): Promise<BacktestOutcome> {
    const started = performance.now();
    const replayRule: RuleRecord = { ...rule, cursorIdx: -1, activeSince: new Date(0) };
    if (this.columnar.supports(rule)) {
      // Every kind but Sigma: whole-range ClickHouse reads, the same alerts (see ColumnarBacktest), within the same time budget.
      const overTime = () => performance.now() - started > limits.maxMs;
      const fast = await this.columnar.run(scope, replayRule, fromMs, toMs, limits.maxEvents, { evidence: (s, r, c, u, n) => this.chunks.evidence(s, r, c, u, n), build: buildAlert }, overTime);
      if (fast) return fast;
    }
    const alerts: NewAlert[] = [];
    const byId = new Map<string, NewAlert>();
    const latest: Replay['latest'] = new Map();
    let after: readonly [number, string] | undefined;
    let scanned = 0;
    const size = this.config.alerts.batchEvents;
    for (;;) {
      const limit = Math.min(size, limits.maxEvents - scanned);
      const stoppedAt = after ? after[0] + 1 : fromMs;
      if (limit <= 0) return { alerts, eventsScanned: scanned, truncated: { reason: 'max_events', evaluatedToMs: stoppedAt } };
      if (performance.now() - started > limits.maxMs) return { alerts, eventsScanned: scanned, truncated: { reason: 'time_budget', evaluatedToMs: stoppedAt } };
      const now = this.clock.now();
      // Only the columns the rule needs (payloads for Sigma rules), see ColumnarBacktest.replayPage.
      let page = await this.columnar.replayPage(scope, rule, { fromMs, toMs, after, limit }, now);
      if (page.length === 0) break;
      // A step never ends inside a group of events with the same occurred_at (unless the group is larger than a step).
      const full = page.length === limit;
      if (full) {
        const lastT = page[page.length - 1]!.t;
        const cut = page.findIndex((e) => e.t === lastT);
        if (cut > 0) page = page.slice(0, cut);
      }
      scanned += page.length;
      const evs = page;
      const last = page[page.length - 1]!;
      after = [last.t, last.id];
      const result = await this.chunks.evaluateChunk(scope, [replayRule], evs, now, now, { from: 0, to: 0 }, { ids: new Set(evs.map((e) => e.id)), latest });
      if (result.poisoned.length > 0) {
        return { alerts, eventsScanned: scanned, truncated: { reason: 'evaluation_budget_exceeded', evaluatedToMs: page[0]!.t } };
      }
      for (const [id, b] of result.bumps) {
        const a = byId.get(id)!;
        a.suppressedCount += b.count;
        a.lastSuppressedAt = new Date(Math.max(a.lastSuppressedAt?.getTime() ?? b.lastMs, b.lastMs));
      }
      for (const a of result.alerts) {
        alerts.push(a);
        byId.set(a.id, a);
        const prev = latest.get(a.groupValue);
        if (!prev || prev.atMs <= a.triggeredAt.getTime()) latest.set(a.groupValue, { id: a.id, key: a.groupValue, atMs: a.triggeredAt.getTime() });
      }
      if (!full) break;
    }
    return { alerts: alerts.sort((a, b) => a.triggeredAt.getTime() - b.triggeredAt.getTime()), eventsScanned: scanned, truncated: undefined };
  }
}
