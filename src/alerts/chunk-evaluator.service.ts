import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { AlertWindowsRepository, type Evidence, type FiringSpec } from './alert-windows.repository.js';
import { AlertsRepository, type NewAlert, type PoisonedRule, type RuleRecord } from './alerts.repository.js';
import { EvaluationBudget } from './evaluation-budget.js';
import { effectiveSuppressionMs, filterMatcher, keyOf, suppress, type EvalEvent } from './rule-definition.js';
import { EVIDENCE_LIMIT, HOUR_MS, isBaselineKind, RuleFirings, type RuleFiring } from './rule-firings.service.js';
import { buildAlert, alertOrganization } from './alert-builder.js';

/** Events matched per slice of a rule's filter (then its time is charged and the event loop may turn). */
const MATCH_SLICE = 256;

/** A backtest's step: only its own events fire (each event once over the whole replay); suppression against the replay's own alerts. */
export interface Replay {
  ids: Set<string>;
  /** The replay's latest alert per key (steps go forward in event time, so it is the nearest one). */
  latest: Map<string, { id: string; key: string; atMs: number }>;
}

/**
 * What one chunk of the log raises, the step live evaluation and backtests share: per rule its
 * new matching events, the firings they cause, suppression, the alerts with their evidence, and
 * the rules whose processing went over its budget.
 */
@Injectable()
export class ChunkEvaluator {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly repo: AlertsRepository,
    private readonly windows: AlertWindowsRepository,
    private readonly firings: RuleFirings,
  ) {}

  /**
   * The alerts one chunk of the log raises: per rule, its new matching events (after its own
   * cursor, received since it is active); the firings they cause (the window rules of the chunk
   * in one ClickHouse statement); then per-key suppression against the rules' recent alerts.
   * Each rule's processing is charged against its budget; a rule over it raises nothing and is
   * returned in `poisoned`.
   */
  async evaluateChunk(
    scope: TenantScope,
    rules: RuleRecord[],
    evs: EvalEvent[],
    receivedUpTo: number,
    now: number,
    positions: { from: number; to: number },
    replay?: Replay,
  ): Promise<{ alerts: NewAlert[]; bumps: Map<string, { count: number; lastMs: number }>; suppressed: number; poisoned: PoisonedRule[] }> {
    const budget = new EvaluationBudget(this.config.alerts.ruleBudgetMs);
    const work: { rule: RuleRecord; fresh: EvalEvent[]; whole: boolean; firings: RuleFiring[] }[] = [];
    for (const rule of rules) {
      const match = filterMatcher(rule.definition.filter);
      const since = rule.activeSince.getTime();
      const groupBy = rule.definition.group_by;
      // Usually every event of the chunk is new to every rule (same cursor, active before it).
      let whole = true;
      const fresh: EvalEvent[] = [];
      for (let i = 0; i < evs.length && !budget.isExhausted(rule.id); i += MATCH_SLICE) {
        budget.run(rule.id, () => {
          for (let k = i; k < Math.min(i + MATCH_SLICE, evs.length); k++) {
            const e = evs[k]!;
            if (e.idx <= rule.cursorIdx || e.receivedAt < since) whole = false;
            else if (match(e) && keyOf(e, groupBy) !== '' && Number.isFinite(e.t)) fresh.push(e);
          }
        });
        await budget.pace();
      }
      if (fresh.length > 0 && !budget.isExhausted(rule.id)) work.push({ rule, fresh, whole, firings: [] });
    }
    const windowed = work.filter((w) => w.rule.kind === 'sequence' || (w.rule.kind === 'threshold' && w.rule.definition.threshold!.count > 1));
    const found = await this.windows.firings(
      scope,
      windowed.map((w) => firingSpec(w.rule, w.fresh, w.whole)),
      evs.map((e) => e.id),
      receivedUpTo,
      now,
    );
    windowed.forEach(
      (w, i) => (w.firings = found[i]!.filter((r) => !replay || replay.ids.has(r.eventId)).map((r) => ({ key: r.key, atMs: r.t, eventId: r.eventId, count: r.count }))),
    );
    for (const w of work) {
      const d = w.rule.definition;
      // A single matching event fires on its own (suppression groups them per key).
      if (w.rule.kind === 'threshold' && d.threshold!.count === 1) w.firings = w.fresh.map((e) => ({ key: keyOf(e, d.group_by), atMs: e.t, eventId: e.id, count: 1, event: e }));
      if (isBaselineKind(w.rule.kind)) w.firings = await this.firings.baselineFirings(scope, w.rule, w.fresh, receivedUpTo, now, budget);
      if (w.rule.kind === 'volume') w.firings = (await this.firings.volumeFirings(scope, w.rule, w.fresh, receivedUpTo, now, budget)).filter((f) => !replay || replay.ids.has(f.eventId));
      if (w.rule.kind === 'sigma') w.firings = await this.firings.sigmaFirings(scope, w.rule, w.fresh, receivedUpTo, now, budget);
      await budget.pace();
    }
    const alerts: NewAlert[] = [];
    const bumps = new Map<string, { count: number; lastMs: number }>();
    let suppressed = 0;
    const firing = work
      .filter((w) => w.firings.length > 0 && !budget.isExhausted(w.rule.id))
      .map((w) => ({ ...w, period: effectiveSuppressionMs(w.rule.kind, w.rule.suppressionSeconds, w.rule.definition) }));
    const recent = await (replay ? Promise.resolve(replayRecent(firing, replay)) : this.repo.recentAlerts(
      scope,
      firing
        .filter((w) => w.period > 0)
        .map((w) => {
          const times = w.firings.map((f) => f.atMs);
          return { ruleId: w.rule.id, keys: [...new Set(w.firings.map((f) => f.key))], fromMs: Math.min(...times) - w.period, toMs: Math.max(...times) + w.period };
        }),
    ));
    for (const w of firing) {
      const r = budget.run(w.rule.id, () => suppress(w.firings, recent.get(w.rule.id) ?? [], w.period));
      await budget.pace();
      if (!r) continue;
      const evidence = await this.evidence(scope, w.rule, r.created, receivedUpTo, now);
      const built = budget.run(w.rule.id, () => r.created.map((f, i) => ({ ...buildAlert(w.rule, f, evidence[i], now), organizationId: alertOrganization(f, evidence[i], evs) })));
      if (!built) continue;
      for (const [id, b] of r.bumps) {
        const prev = bumps.get(id);
        bumps.set(id, prev ? { count: prev.count + b.count, lastMs: Math.max(prev.lastMs, b.lastMs) } : b);
        suppressed += b.count;
      }
      for (const f of r.created) suppressed += f.suppressed;
      alerts.push(...built);
    }
    const poisoned = [...budget.overBudget].map(([id, spentMs]) => ({
      id,
      reason: 'evaluation_budget_exceeded' as const,
      message:
        `Evaluating this rule on log positions ${positions.from}–${positions.to} (${evs.length} events) took ${Math.round(spentMs)} ms of processing, ` +
        `over its budget of ${budget.budgetMs} ms; it was disabled so that it cannot hold up the service. Check its filter, then enable it again: it resumes with events sealed from then on.`,
    }));
    return { alerts, bumps, suppressed, poisoned };
  }


  /** Evidence of new threshold and sequence alerts, one read per rule (new-value and single-event alerts are their own evidence). */
  /** The evidence of new firings (also lent to columnar backtests, so their alerts are the live ones). */
  async evidence(scope: TenantScope, rule: RuleRecord, created: RuleFiring[], receivedUpTo: number, now: number): Promise<(Evidence | undefined)[]> {
    const d = rule.definition;
    if (rule.kind === 'threshold' && d.threshold!.count > 1) {
      const w = d.threshold!.window_seconds * 1000;
      return this.windows.evidence(scope, { filter: d.filter, groupBy: d.group_by, windows: created.map((f) => ({ key: f.key, fromMs: f.atMs - w, toMs: f.atMs })), limit: EVIDENCE_LIMIT, receivedUpTo }, now);
    }
    if (rule.kind === 'volume') {
      return this.windows.evidence(
        scope,
        { filter: d.filter, groupBy: d.group_by, windows: created.map((f) => ({ key: f.key, fromMs: Math.floor(f.atMs / HOUR_MS) * HOUR_MS, toMs: f.atMs })), limit: EVIDENCE_LIMIT, receivedUpTo },
        now,
      );
    }
    if (rule.kind === 'sequence') {
      const w = d.sequence!.window_seconds * 1000;
      const failures = await this.windows.evidence(
        scope,
        { filter: { ...d.filter, outcome: 'failure' }, groupBy: d.group_by, windows: created.map((f) => ({ key: f.key, fromMs: f.atMs - w, toMs: f.atMs })), limit: EVIDENCE_LIMIT - 1, receivedUpTo },
        now,
      );
      return created.map((f, i) => ({ ids: [f.eventId, ...failures[i]!.ids], count: failures[i]!.count + 1, firstMs: Math.min(failures[i]!.firstMs, f.atMs), lastMs: f.atMs, organizations: failures[i]!.organizations }));
    }
    return created.map((f) => f.found);
  }
}

/** A replay's earlier alerts of the keys its firings touch (suppression reads only those). */
function replayRecent(firing: { rule: RuleRecord; firings: RuleFiring[] }[], replay: Replay): Map<string, { id: string; key: string; atMs: number }[]> {
  return new Map(firing.map((w) => [w.rule.id, [...new Set(w.firings.map((f) => f.key))].flatMap((k) => replay.latest.get(k) ?? [])]));
}

/** The window query of a threshold (count > 1) or sequence rule over its new events. */
function firingSpec(rule: RuleRecord, fresh: EvalEvent[], wholeChunk: boolean): FiringSpec {
  const d = rule.definition;
  const seq = rule.kind === 'sequence';
  const windowMs = (seq ? d.sequence!.window_seconds : d.threshold!.window_seconds) * 1000;
  const times = fresh.map((e) => e.t);
  return {
    kind: seq ? 'sequence' : 'threshold',
    filter: d.filter,
    groupBy: d.group_by,
    distinct: seq ? undefined : d.threshold!.distinct,
    windowMs,
    count: seq ? d.sequence!.failures : d.threshold!.count,
    keys: [...new Set(fresh.map((e) => keyOf(e, d.group_by)))],
    newIds: wholeChunk ? undefined : fresh.map((e) => e.id),
    fromMs: Math.min(...times) - windowMs,
    toMs: Math.max(...times) + windowMs,
  };
}
