import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { uuidv7 } from '../common/ids.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AuditTrailService, type TrailEntry } from '../events/audit-trail.service.js';
import type { EventInput } from '../events/event.schema.js';
import { EventLog } from '../events/event-log.service.js';
import { LogWalk, upToHold } from '../events/log-walk.service.js';
import { MerkleLog } from '../integrity/merkle-log.service.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { AlertWindowsRepository, MAX_ROWS, type Evidence, type FiringSpec, type ValueHistoryRow } from './alert-windows.repository.js';
import { AlertsRepository, type AlertRecord, type NewAlert, type PoisonedRule, type RuleRecord } from './alerts.repository.js';
import { EvaluationBudget } from './evaluation-budget.js';
import { GeoService } from './geo.service.js';
import { compileSigma, fieldValues } from './sigma.js';
import {
  effectiveSuppressionMs,
  filterMatcher,
  hoursBaseline,
  humanDuration,
  impossibleTravel,
  unusualHour,
  keyOf,
  parseEvalEvent,
  silenceFirings,
  silenceHorizon,
  silenceRange,
  suppress,
  volumeBaseline,
  type EvalEvent,
  type Firing,
  type Located,
} from './rule-definition.js';

export const ALERTS_JOB = 'alerts';
export const ALERTS_ACTOR: EventInput['actor'] = { type: 'system', id: 'alerts', name: 'Veritrail alerts' };
/** Evidence kept per alert. */
const EVIDENCE_LIMIT = 20;
/** One tenant's evaluation per run stops after this long (the lease lasts longer); the next run continues from the cursor. */
const TENANT_BUDGET_MS = 20_000;
const LEASE_MS = 120_000;
/** An alert whose trail entry is still missing this long after it was stored was interrupted by a crash: written again (once). */
const OUTBOX_GRACE_MS = 30_000;
/** The trail entry of a rule the evaluator disabled (the same action as a disable through the API, by the alerts actor). */
const RULE_DISABLED_ACTION = 'veritrail.alert_rule.disabled';
/** Events matched per slice of a rule's filter (then its time is charged and the event loop may turn). */
const MATCH_SLICE = 256;
/** Silence rules leave the last minute to events still arriving. */
const SILENCE_GRACE_MS = 60_000;
const HOUR_MS = 3_600_000;

interface RuleFiring extends Firing {
  count: number;
  event?: EvalEvent;
  details?: Record<string, unknown>;
  /** Evidence the firing found itself (sigma correlations). */
  found?: Evidence;
}

/** A backtest's step: only its own events fire (each event once over the whole replay); suppression against the replay's own alerts. */
interface Replay {
  ids: Set<string>;
  /** The replay's latest alert per key (steps go forward in event time, so it is the nearest one). */
  latest: Map<string, { id: string; key: string; atMs: number }>;
}

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

export interface TenantOutcome {
  events: number;
  alerts: number;
  suppressed: number;
  chunks: number;
  poisoned: number;
}

/**
 * The alert evaluator (job `alerts`). Each rule keeps a cursor over its tenant's Merkle log —
 * the order in which the SIEM feed and webhooks deliver every event exactly once — so after
 * downtime it resumes where it stopped, and each event is evaluated once per rule. Windows are
 * computed in ClickHouse on occurred_at around the new events (history included), so events
 * that arrive late or out of order count in the windows they belong to. One replica evaluates
 * a tenant at a time (a lease); the alerts of a chunk and the cursors past it are committed
 * together, fenced by that lease, and each alert is then written to the trail as
 * veritrail.alert.triggered (outbox: re-written after a crash, never twice).
 *
 * No rule can hold the process: action patterns match in linear time, each rule's processing
 * on a step is charged against ALERTS_RULE_BUDGET in slices that let the event loop turn, and a
 * rule over budget is disabled (status "poisoned") in the same commit that moves the other
 * rules past the step — so after a restart it is not evaluated again on those events.
 */
@Injectable()
export class AlertEvaluatorService implements OnModuleInit {
  private readonly logger = new Logger('Alerts');
  /** Silence rule id → the horizon (and rule version) last judged by this process. */
  private readonly silenceJudged = new Map<string, string>();

  constructor(
    private readonly repo: AlertsRepository,
    private readonly windows: AlertWindowsRepository,
    private readonly walk: LogWalk,
    private readonly merkle: MerkleLog,
    private readonly log: EventLog,
    private readonly tenants: TenantDirectory,
    private readonly trail: AuditTrailService,
    private readonly geo: GeoService,
    private readonly jobs: JobRunner,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ kind: ALERTS_JOB, intervalMs: this.config.alerts.intervalMs, run: (ctx) => this.evaluateAll(ctx) });
  }

  /** One job run: every tenant with enabled rules behind its log, or with alerts to write to the trail. */
  async evaluateAll(ctx: JobContext): Promise<JobCounts> {
    const counts = { tenants: 0, events: 0, alerts: 0, suppressed: 0, poisoned: 0, busy: 0 };
    for (const w of await this.repo.tenantsWithWork()) {
      if (this.jobs.stopping) break;
      const tenant = await this.tenants.get(w.tenantId);
      if (!tenant || tenant.status !== 'active') continue;
      const scope = TenantScope.forTenant(tenant);
      if (!w.unrecorded && !w.silence) {
        const latest = await this.merkle.head(scope);
        if (!latest || w.minCursor === undefined || latest.treeSize - 1 <= w.minCursor) continue;
      }
      const r = await ctx.withLease(`${ALERTS_JOB}:${w.tenantId}`, LEASE_MS, (holder) => this.evaluateTenant(scope, holder));
      if (!r.acquired) {
        counts.busy++;
        continue;
      }
      counts.tenants++;
      counts.events += r.value.events;
      counts.alerts += r.value.alerts;
      counts.suppressed += r.value.suppressed;
      counts.poisoned += r.value.poisoned;
    }
    return counts;
  }

  private async evaluateTenant(scope: TenantScope, holder: string): Promise<TenantOutcome> {
    const out: TenantOutcome = { events: 0, alerts: 0, suppressed: 0, chunks: 0, poisoned: 0 };
    await this.recordInterrupted(scope);
    const enabled = await this.repo.enabledRules(scope);
    const silence = enabled.filter((r) => r.kind === 'silence');
    if (silence.length > 0) {
      const s = await this.evaluateSilence(scope, holder, silence);
      out.alerts += s.alerts;
      out.suppressed += s.suppressed;
    }
    // Silence rules judge intervals on a schedule, not the log's new events.
    let rules = enabled.filter((r) => r.kind !== 'silence');
    if (rules.length === 0) return out;
    const latest = await this.merkle.head(scope);
    if (!latest) return out;
    const end = latest.treeSize - 1;
    const deadline = Date.now() + TENANT_BUDGET_MS;
    let from = Math.min(...rules.map((r) => r.cursorIdx));
    while (from < end && Date.now() < deadline && !this.jobs.stopping) {
      const now = Date.now();
      const leaves = await this.chunk(scope, from, end, latest.number, now);
      // A sealed event not readable yet (replica lag) ends the chunk before it, and this run.
      const { rows: usable, held } = upToHold(leaves, now);
      if (usable.length === 0) break;
      const chunkEnd = usable[usable.length - 1]!.idx;
      const receivedUpTo = Math.max(...usable.map((l) => l.receivedAtMs));
      const evs = usable.flatMap((l) => (l.payload === undefined ? [] : [parseEvalEvent(l.idx, l.payload)]));
      const active = rules.filter((r) => r.cursorIdx < chunkEnd);
      const result = await this.evaluateChunk(scope, active, evs, receivedUpTo, now, { from: usable[0]!.idx, to: chunkEnd });
      const poisonedIds = new Set(result.poisoned.map((p) => p.id));
      const committed = await this.repo.commitChunk(
        scope,
        { key: `${ALERTS_JOB}:${scope.tenantId}`, holder },
        { alerts: result.alerts, bumps: result.bumps, ruleIds: active.filter((r) => !poisonedIds.has(r.id)).map((r) => r.id), cursorIdx: chunkEnd, poisoned: result.poisoned },
      );
      if (!committed) throw new Error(`lost the alerts lease of ${scope.tenantId} before committing; another worker evaluates it`);
      await this.record(scope, result.alerts);
      if (result.poisoned.length > 0) {
        const byId = new Map(rules.map((r) => [r.id, r]));
        for (const p of result.poisoned) this.logger.warn({ tenant_id: scope.tenantId, rule_id: p.id, log_from: usable[0]!.idx, log_to: chunkEnd }, `alert rule disabled: ${p.message}`);
        await this.recordDisabled(scope, result.poisoned.map((p) => ({ rule: byId.get(p.id)!, reason: p.reason, message: p.message })));
      }
      rules = rules.filter((r) => !poisonedIds.has(r.id)).map((r) => (r.cursorIdx < chunkEnd ? { ...r, cursorIdx: chunkEnd } : r));
      out.events += usable.length;
      out.alerts += result.alerts.length;
      out.suppressed += result.suppressed;
      out.poisoned += result.poisoned.length;
      out.chunks++;
      if (rules.length === 0) break;
      from = chunkEnd;
      if (held) break;
    }
    return out;
  }

  /**
   * Silence rules, on a schedule rather than on new events (a silent source sends none): once
   * per whole interval (and after each change of a rule), the keys gone silent at the horizon
   * (see {@link silenceFirings}). A silence already alerted (same key and firing time) is not
   * alerted again; a new silence of a key within the rule's suppression period after its last
   * silence alert is folded into that one (not counted: it would be found again at every
   * interval). Committed fenced by the lease, then written to the trail like any alert.
   */
  private async evaluateSilence(scope: TenantScope, holder: string, rules: RuleRecord[]): Promise<{ alerts: number; suppressed: number }> {
    const now = Date.now();
    const due = rules.filter((r) => this.silenceJudged.get(r.id) !== `${silenceHorizon(r.definition.silence!, now, SILENCE_GRACE_MS)}:${r.updatedAt.getTime()}`);
    if (due.length === 0) return { alerts: 0, suppressed: 0 };
    const alerts: NewAlert[] = [];
    let suppressed = 0;
    for (const rule of due) {
      const s = rule.definition.silence!;
      const end = silenceHorizon(s, now, SILENCE_GRACE_MS);
      const rows = await this.windows.intervalCounts(scope, { filter: rule.definition.filter, groupBy: rule.definition.group_by, ...silenceRange(s, end) }, now);
      const firings = silenceFirings(s, rows, end);
      if (firings.length === 0) continue;
      const period = rule.suppressionSeconds * 1000;
      const times = firings.map((f) => f.atMs);
      const recent =
        (await this.repo.recentAlerts(scope, [{ ruleId: rule.id, keys: [...new Set(firings.map((f) => f.key))], fromMs: Math.min(...times) - period, toMs: Math.max(...times) + period }])).get(rule.id) ?? [];
      const created: RuleFiring[] = [];
      for (const f of firings) {
        if (recent.some((a) => a.key === f.key && a.atMs === f.atMs)) continue;
        const near = [...recent, ...created.map((c) => ({ key: c.key, atMs: c.atMs }))].some((a) => a.key === f.key && Math.abs(a.atMs - f.atMs) < period);
        if (near) {
          suppressed++;
          continue;
        }
        created.push({
          key: f.key,
          atMs: f.atMs,
          eventId: f.eventId,
          count: f.eventsInLookback,
          details: {
            interval_minutes: s.interval_minutes,
            silent_intervals: s.silent_intervals,
            silent_since: new Date(f.silentSinceMs).toISOString(),
            last_event_at: new Date(f.lastEventMs).toISOString(),
            lookback_intervals: s.lookback_intervals,
            active_intervals: f.activeIntervals,
            min_events: s.min_events,
            min_active_intervals: s.min_active_intervals,
            events_in_lookback: f.eventsInLookback,
          },
        });
      }
      for (const f of created) {
        const a = this.buildAlert(rule, { ...f, suppressed: 0, lastSuppressedMs: undefined }, { ids: [f.eventId], count: 1, firstMs: Date.parse(String(f.details!.last_event_at)), lastMs: f.atMs, organizations: [] }, now);
        alerts.push({ ...a, organizationId: rule.definition.group_by === 'organization' ? f.key : undefined });
      }
    }
    const committed = await this.repo.commitChunk(scope, { key: `${ALERTS_JOB}:${scope.tenantId}`, holder }, { alerts, bumps: new Map(), ruleIds: due.map((r) => r.id), cursorIdx: -1 });
    if (!committed) throw new Error(`lost the alerts lease of ${scope.tenantId} before committing; another worker evaluates it`);
    for (const r of due) this.silenceJudged.set(r.id, `${silenceHorizon(r.definition.silence!, now, SILENCE_GRACE_MS)}:${r.updatedAt.getTime()}`);
    await this.record(scope, alerts);
    return { alerts: alerts.length, suppressed };
  }

  /**
   * Replays a rule over the events that occurred in [from, to) without storing, recording or
   * sending anything: the same steps as live evaluation (evaluateChunk), in steps of
   * ALERTS_BATCH_EVENTS events in occurred_at order, every event new to the rule once, windows
   * and look-backs over everything stored, suppression in event time against the replay's own
   * alerts. For events that arrived in order this gives the alerts live evaluation raised.
   */
  async backtest(scope: TenantScope, rule: RuleRecord, fromMs: number, toMs: number, limits: BacktestLimits): Promise<BacktestOutcome> {
    const started = Date.now();
    const replayRule: RuleRecord = { ...rule, cursorIdx: -1, activeSince: new Date(0) };
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
      if (Date.now() - started > limits.maxMs) return { alerts, eventsScanned: scanned, truncated: { reason: 'time_budget', evaluatedToMs: stoppedAt } };
      const now = Date.now();
      let page = await this.windows.replayEvents(scope, { fromMs, toMs, after, limit }, now);
      if (page.length === 0) break;
      // A step never ends inside a group of events with the same occurred_at (unless the group is larger than a step).
      const full = page.length === limit;
      if (full) {
        const lastT = page[page.length - 1]!.t;
        const cut = page.findIndex((e) => e.t === lastT);
        if (cut > 0) page = page.slice(0, cut);
      }
      scanned += page.length;
      const evs = page.map((e) => parseEvalEvent(0, e.payload));
      const last = page[page.length - 1]!;
      after = [last.t, last.id];
      const result = await this.evaluateChunk(scope, [replayRule], evs, now, now, { from: 0, to: 0 }, { ids: new Set(evs.map((e) => e.id)), latest });
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

  /**
   * The next leaves of the log after `from`: up to ALERTS_BATCH_EVENTS, never splitting events
   * received at the same instant (one request, one group commit). Windows count only events
   * received up to the chunk's last one, so the rest of such a group must be in the same chunk.
   */
  private async chunk(scope: TenantScope, from: number, end: number, committed: number, now: number) {
    const size = this.config.alerts.batchEvents;
    const leaves = await this.walk.window(scope, from, committed, {}, Math.min(size, end - from), now);
    if (leaves.length < size || leaves[leaves.length - 1]!.idx >= end) return leaves;
    const last = leaves[leaves.length - 1]!.receivedAtMs;
    let cut = leaves.length;
    while (cut > 0 && leaves[cut - 1]!.receivedAtMs === last) cut--;
    if (cut > 0) return leaves.slice(0, cut);
    // One group larger than a chunk: read on to its end.
    for (let i = 0; i < 100; i++) {
      const more = await this.walk.window(scope, leaves[leaves.length - 1]!.idx, committed, {}, Math.min(size, end - leaves[leaves.length - 1]!.idx), now);
      let k = 0;
      while (k < more.length && more[k]!.receivedAtMs === last) k++;
      leaves.push(...more.slice(0, k));
      if (k < more.length || more.length === 0) break;
    }
    return leaves;
  }

  /**
   * The alerts one chunk of the log raises: per rule, its new matching events (after its own
   * cursor, received since it is active); the firings they cause (the window rules of the chunk
   * in one ClickHouse statement); then per-key suppression against the rules' recent alerts.
   * Each rule's processing is charged against its budget; a rule over it raises nothing and is
   * returned in `poisoned`.
   */
  private async evaluateChunk(
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
      if (w.rule.kind === 'new_value') w.firings = await this.newValueFirings(scope, w.rule, w.fresh, receivedUpTo, now, budget);
      if (w.rule.kind === 'volume') w.firings = (await this.volumeFirings(scope, w.rule, w.fresh, receivedUpTo, now, budget)).filter((f) => !replay || replay.ids.has(f.eventId));
      if (w.rule.kind === 'travel') w.firings = await this.travelFirings(scope, w.rule, w.fresh, receivedUpTo, now, budget);
      if (w.rule.kind === 'hours') w.firings = await this.hoursFirings(scope, w.rule, w.fresh, receivedUpTo, now, budget);
      if (w.rule.kind === 'rarity') w.firings = await this.rarityFirings(scope, w.rule, w.fresh, receivedUpTo, now, budget);
      if (w.rule.kind === 'sigma') w.firings = await this.sigmaFirings(scope, w.rule, w.fresh, receivedUpTo, now, budget);
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
      const built = budget.run(w.rule.id, () => r.created.map((f, i) => ({ ...this.buildAlert(w.rule, f, evidence[i], now), organizationId: alertOrganization(f, evidence[i], evs) })));
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

  /**
   * First time an actor is seen with a value (country, IP, user agent) within the look-back
   * before each new event. The actor's history comes from ClickHouse in hour buckets (earliest
   * and latest occurrence of each value per hour); with a look-back of at least a day a bucket
   * can never straddle both ends of it, so "seen in [t − look-back, t)" is exact.
   */
  private async newValueFirings(scope: TenantScope, rule: RuleRecord, fresh: EvalEvent[], receivedUpTo: number, now: number, budget: EvaluationBudget): Promise<RuleFiring[]> {
    const nv = rule.definition.new_value!;
    const actors = [...new Set(fresh.map((e) => e.actorId))];
    const minT = Math.min(...fresh.map((e) => e.t));
    const maxT = Math.max(...fresh.map((e) => e.t));
    const lookbackMs = nv.lookback_days * 86_400_000;
    const valueOf = (raw: string): string | undefined => (nv.field === 'country' ? this.geo.country(raw) : raw || undefined);
    const history = await this.windows.valueHistory(scope, { filter: rule.definition.filter, field: nv.field, actors, fromMs: minT - lookbackMs, toMs: maxT, receivedUpTo }, now);
    return budget.run(rule.id, () => this.newValues(rule, fresh, history, valueOf)) ?? [];
  }

  /**
   * Volume rules: per key and clock hour the new events fall in, the hour's count against the
   * key's own baseline (its active hours in the look-back before that hour, {@link volumeBaseline}).
   * An hour fires once, at its `required`-th event (by occurred_at): when that event is new, or
   * when new events (arriving late) pushed an hour whose older events were below the count over it.
   */
  private async volumeFirings(scope: TenantScope, rule: RuleRecord, fresh: EvalEvent[], receivedUpTo: number, now: number, budget: EvaluationBudget): Promise<RuleFiring[]> {
    const v = rule.definition.volume!;
    const d = rule.definition;
    const freshIn = new Map<string, { key: string; hourMs: number; ids: Set<string> }>();
    for (const e of fresh) {
      const key = keyOf(e, d.group_by);
      const hourMs = Math.floor(e.t / HOUR_MS) * HOUR_MS;
      const id = `${key}|${hourMs}`;
      const b = freshIn.get(id) ?? { key, hourMs, ids: new Set<string>() };
      b.ids.add(e.id);
      freshIn.set(id, b);
    }
    const hours = [...freshIn.values()];
    const keys = [...new Set(hours.map((h) => h.key))];
    const minHour = Math.min(...hours.map((h) => h.hourMs));
    const maxHour = Math.max(...hours.map((h) => h.hourMs));
    const lookbackMs = v.lookback_days * 86_400_000;
    const rows = await this.windows.intervalCounts(scope, { filter: d.filter, groupBy: d.group_by, keys, fromMs: minHour - lookbackMs, toMs: maxHour + HOUR_MS, intervalMs: HOUR_MS, receivedUpTo }, now);
    const counts = new Map<string, Map<number, number>>();
    for (const r of rows) {
      const m = counts.get(r.key) ?? new Map<number, number>();
      m.set(r.bucketMs, r.n);
      counts.set(r.key, m);
    }
    const over = budget.run(rule.id, () =>
      hours.flatMap((h) => {
        const byHour = counts.get(h.key) ?? new Map<number, number>();
        const history = [...byHour].filter(([b, n]) => b >= h.hourMs - lookbackMs && b < h.hourMs && n > 0).map(([, n]) => n);
        const base = volumeBaseline(v, history);
        const x = byHour.get(h.hourMs) ?? 0;
        return base && x >= base.required ? [{ ...h, base, x }] : [];
      }),
    );
    if (!over || over.length === 0) return [];
    const events = await this.windows.keyEvents(
      scope,
      { filter: d.filter, groupBy: d.group_by, keys: [...new Set(over.map((h) => h.key))], fromMs: Math.min(...over.map((h) => h.hourMs)), toMs: Math.max(...over.map((h) => h.hourMs)) + HOUR_MS - 1, receivedUpTo },
      now,
    );
    return (
      budget.run(rule.id, () =>
        over.flatMap((h) => {
          const inHour = events.filter((e) => e.key === h.key && e.t >= h.hourMs && e.t < h.hourMs + HOUR_MS);
          const at = inHour[h.base.required - 1];
          if (!at) return [];
          const old = inHour.filter((e) => !h.ids.has(e.eventId)).length;
          if (!h.ids.has(at.eventId) && old >= h.base.required) return [];
          const details = {
            hour: new Date(h.hourMs).toISOString(),
            count: h.x,
            required: h.base.required,
            baseline_hours: h.base.hours,
            median: h.base.median,
            mad: h.base.mad,
            z_score: Math.round(((h.x - h.base.median) / h.base.scale) * 100) / 100,
            z_threshold: v.z_threshold,
            lookback_days: v.lookback_days,
          };
          return [{ key: h.key, atMs: at.t, eventId: at.eventId, count: h.x, details }];
        }),
      ) ?? []
    );
  }

  /**
   * Impossible travel: each new located sign-in against the actor's previous located one (by
   * occurred_at, within lookback_hours before it). The actor's sign-ins come from ClickHouse per
   * IP and hour (earliest and latest occurrence), so the previous one is exact except within the
   * event's own hour, where the earliest earlier occurrence of an IP stands for it.
   */
  private async travelFirings(scope: TenantScope, rule: RuleRecord, fresh: EvalEvent[], receivedUpTo: number, now: number, budget: EvaluationBudget): Promise<RuleFiring[]> {
    const tr = rule.definition.travel!;
    const lookbackMs = tr.lookback_hours * HOUR_MS;
    const located = fresh.flatMap((e) => {
      const l = this.geo.location(e.ip);
      return l ? [{ e, l }] : [];
    });
    if (located.length === 0) return [];
    const minT = Math.min(...located.map((x) => x.e.t));
    const maxT = Math.max(...located.map((x) => x.e.t));
    const history = await this.windows.valueHistory(
      scope,
      { filter: rule.definition.filter, field: 'ip', actors: [...new Set(located.map((x) => x.e.actorId))], fromMs: minT - lookbackMs, toMs: maxT, receivedUpTo },
      now,
    );
    return (
      budget.run(rule.id, () => {
        const byActor = new Map<string, { ip: string; lo: number; hi: number; country: string; at: readonly [number, number] }[]>();
        const where = new Map<string, ReturnType<GeoService['location']>>();
        for (const h of history) {
          if (!where.has(h.value)) where.set(h.value, this.geo.location(h.value));
          const l = where.get(h.value);
          if (!l) continue;
          const list = byActor.get(h.actor) ?? [];
          list.push({ ip: h.value, lo: h.lo, hi: h.hi, ...l });
          byActor.set(h.actor, list);
        }
        const out: RuleFiring[] = [];
        for (const { e, l } of located.sort((a, b) => a.e.t - b.e.t)) {
          let prev: Located | undefined;
          for (const b of byActor.get(e.actorId) ?? []) {
            const t = b.hi < e.t ? b.hi : b.lo < e.t ? b.lo : undefined;
            if (t === undefined || t < e.t - lookbackMs) continue;
            if (!prev || t > prev.t) prev = { t, ip: b.ip, country: b.country, at: b.at };
          }
          const v = impossibleTravel(tr, prev, { t: e.t, ip: e.ip, country: l.country, at: l.at });
          if (!v || !prev) continue;
          const details = {
            ip: e.ip,
            country: l.country,
            previous_ip: prev.ip,
            previous_country: prev.country,
            previous_at: new Date(prev.t).toISOString(),
            distance_km: v.distanceKm,
            hours: v.hours,
            speed_kmh: Number.isFinite(v.speedKmh) ? v.speedKmh : null,
            max_speed_kmh: tr.max_speed_kmh,
            min_distance_km: tr.min_distance_km,
            lookback_hours: tr.lookback_hours,
            location_method: 'country_reference_point',
          };
          out.push({ key: e.actorId, atMs: e.t, eventId: e.id, count: 1, event: e, details });
        }
        return out;
      }) ?? []
    );
  }

  /**
   * Unusual hour: each new event against its key's hourly counts over the look-back before the
   * event's clock hour ({@link hoursBaseline}); fires when the time of day or the weekday holds
   * at most max_share of that history. Suppression (never less than an hour) keeps the first.
   */
  private async hoursFirings(scope: TenantScope, rule: RuleRecord, fresh: EvalEvent[], receivedUpTo: number, now: number, budget: EvaluationBudget): Promise<RuleFiring[]> {
    const hs = rule.definition.hours!;
    const d = rule.definition;
    const lookbackMs = hs.lookback_days * 86_400_000;
    const minHour = Math.floor(Math.min(...fresh.map((e) => e.t)) / HOUR_MS) * HOUR_MS;
    const maxHour = Math.floor(Math.max(...fresh.map((e) => e.t)) / HOUR_MS) * HOUR_MS;
    const rows = await this.windows.intervalCounts(
      scope,
      { filter: d.filter, groupBy: d.group_by, keys: [...new Set(fresh.map((e) => keyOf(e, d.group_by)))], fromMs: minHour - lookbackMs, toMs: maxHour, intervalMs: HOUR_MS, receivedUpTo },
      now,
    );
    return (
      budget.run(rule.id, () => {
        const byKey = new Map<string, { bucketMs: number; n: number }[]>();
        for (const r of rows) {
          const list = byKey.get(r.key) ?? [];
          list.push({ bucketMs: r.bucketMs, n: r.n });
          byKey.set(r.key, list);
        }
        const out: RuleFiring[] = [];
        for (const e of [...fresh].sort((a, b) => a.t - b.t)) {
          const key = keyOf(e, d.group_by);
          const hour = Math.floor(e.t / HOUR_MS) * HOUR_MS;
          const history = (byKey.get(key) ?? []).filter((b) => b.bucketMs >= hour - lookbackMs && b.bucketMs < hour);
          const base = hoursBaseline(hs, history, e.t);
          if (!base || !unusualHour(hs, base)) continue;
          const details = {
            hour_utc: base.hour,
            weekday_utc: WEEKDAYS[base.weekday],
            hour_share: round4(base.hourShare),
            weekday_share: round4(base.weekdayShare),
            max_share: hs.max_share,
            tolerance_hours: hs.tolerance_hours,
            history_events: base.events,
            history_days: base.activeDays,
            lookback_days: hs.lookback_days,
            events_by_hour_utc: base.byHour,
            events_by_weekday_utc: base.byWeekday,
          };
          out.push({ key, atMs: e.t, eventId: e.id, count: 1, event: e, details });
        }
        return out;
      }) ?? []
    );
  }

  /**
   * Rare action: each new event against its actor's actions of the look-back before it (every
   * action of the actor, not only the filter's, per hour: exact for look-backs of a day or more,
   * as for new values). Fires when the actor has at least min_history_hours active hours and did
   * this action in at most max_hours of them.
   */
  private async rarityFirings(scope: TenantScope, rule: RuleRecord, fresh: EvalEvent[], receivedUpTo: number, now: number, budget: EvaluationBudget): Promise<RuleFiring[]> {
    const ra = rule.definition.rarity!;
    const f = rule.definition.filter;
    const lookbackMs = ra.lookback_days * 86_400_000;
    const minT = Math.min(...fresh.map((e) => e.t));
    const maxT = Math.max(...fresh.map((e) => e.t));
    const history = await this.windows.valueHistory(
      scope,
      { filter: { actions: ['*'], actor_types: f.actor_types, organizations: f.organizations }, field: 'action', actors: [...new Set(fresh.map((e) => e.actorId))], fromMs: minT - lookbackMs, toMs: maxT, receivedUpTo },
      now,
    );
    return (
      budget.run(rule.id, () => {
        const byActor = new Map<string, { action: string; lo: number; hi: number }[]>();
        for (const h of history) {
          const list = byActor.get(h.actor) ?? [];
          list.push({ action: h.value, lo: h.lo, hi: h.hi });
          byActor.set(h.actor, list);
        }
        const out: RuleFiring[] = [];
        for (const e of [...fresh].sort((a, b) => a.t - b.t)) {
          const inLookback = (x: number) => x >= e.t - lookbackMs && x < e.t;
          const seen = (byActor.get(e.actorId) ?? []).filter((b) => inLookback(b.lo) || inLookback(b.hi));
          const activeHours = new Set(seen.map((b) => Math.floor(b.lo / HOUR_MS))).size;
          if (activeHours < ra.min_history_hours) continue;
          const actionHours = new Set(seen.filter((b) => b.action === e.action).map((b) => Math.floor(b.lo / HOUR_MS))).size;
          if (actionHours > ra.max_hours) continue;
          const counts = new Map<string, number>();
          for (const b of seen) counts.set(b.action, (counts.get(b.action) ?? 0) + 1);
          const usual = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10).map(([action, hours]) => ({ action, hours }));
          const details = { action: e.action, action_hours: actionHours, max_hours: ra.max_hours, history_hours: activeHours, min_history_hours: ra.min_history_hours, lookback_days: ra.lookback_days, usual_actions: usual };
          out.push({ key: e.actorId, atMs: e.t, eventId: e.id, count: 1, event: e, details });
        }
        return out;
      }) ?? []
    );
  }

  /**
   * Sigma rules: a detection rule fires at each new matching event; a correlation at each new
   * event of its rules whose window [t − timespan, t] of the same key holds `gte` matching
   * events (event_count), `gte` distinct values of its field (value_count), or all its rules
   * matched in order ending with this event (temporal_ordered). The window's events are read
   * with their payloads (the detection may look at targets and user agents), received up to the
   * step, at most MAX_ROWS of them.
   */
  private async sigmaFirings(scope: TenantScope, rule: RuleRecord, fresh: EvalEvent[], receivedUpTo: number, now: number, budget: EvaluationBudget): Promise<RuleFiring[]> {
    const sg = rule.definition.sigma!;
    const groupBy = rule.definition.group_by;
    const preds = budget.run(rule.id, () => compileSigma(sg));
    if (!preds) return [];
    const c = sg.correlation;
    const base = { sigma_title: sg.title, sigma_id: sg.sigma_id, level: sg.level };
    if (!c) {
      return (
        budget.run(rule.id, () =>
          fresh.filter((e) => preds[0]!(e)).map((e) => ({ key: keyOf(e, groupBy), atMs: e.t, eventId: e.id, count: 1, event: e, details: { ...base, rule: sg.rules[0]!.title, action: e.action } })),
        ) ?? []
      );
    }
    const last = preds.length - 1;
    const candidates = budget.run(rule.id, () => fresh.filter((e) => keyOf(e, groupBy) !== '' && (c.type === 'temporal_ordered' ? preds[last]!(e) : preds.some((p) => p(e))))) ?? [];
    if (candidates.length === 0) return [];
    const spanMs = c.timespan_seconds * 1000;
    const rows = await this.windows.replayEvents(
      scope,
      { fromMs: Math.min(...candidates.map((e) => e.t)) - spanMs, toMs: Math.max(...candidates.map((e) => e.t)) + 1, limit: MAX_ROWS, receivedUpTo },
      now,
    );
    return (
      budget.run(rule.id, () => {
        const keys = new Set(candidates.map((e) => keyOf(e, groupBy)));
        const byKey = new Map<string, { e: EvalEvent; hits: boolean[] }[]>();
        for (const r of rows) {
          const e = parseEvalEvent(0, r.payload);
          const k = keyOf(e, groupBy);
          if (!keys.has(k)) continue;
          const hits = preds.map((p) => p(e));
          if (!hits.some(Boolean)) continue;
          const list = byKey.get(k) ?? [];
          list.push({ e, hits });
          byKey.set(k, list);
        }
        const before = (a: EvalEvent, b: EvalEvent) => a.t < b.t || (a.t === b.t && a.id < b.id);
        const out: RuleFiring[] = [];
        for (const e of candidates.sort((a, b) => a.t - b.t)) {
          const k = keyOf(e, groupBy);
          const win = (byKey.get(k) ?? []).filter((x) => x.e.t >= e.t - spanMs && (x.e.id === e.id || before(x.e, e)));
          let count: number;
          let extra: Record<string, unknown> = {};
          if (c.type === 'event_count') count = win.length;
          else if (c.type === 'value_count') {
            const values = [...new Set(win.flatMap((x) => fieldValues(x.e, c.field!)).filter((v) => v !== ''))];
            count = values.length;
            extra = { field: c.field, values: values.slice(0, 10) };
          } else {
            let next = 0;
            for (const x of win) if (x.e.id !== e.id && next < last && x.hits[next]) next++;
            count = next === last ? preds.length : next;
          }
          if (count < c.gte) continue;
          const ids = [e.id, ...win.filter((x) => x.e.id !== e.id).reverse().map((x) => x.e.id)].slice(0, EVIDENCE_LIMIT);
          const found: Evidence = { ids, count: win.length, firstMs: win[0]?.e.t ?? e.t, lastMs: e.t, organizations: [...new Set(win.map((x) => x.e.organizationId))] };
          const details = { ...base, correlation: c.type, rules: sg.rules.map((r) => r.title), group_by: c.group_by, timespan_seconds: c.timespan_seconds, count, gte: c.gte, ...extra };
          out.push({ key: k, atMs: e.t, eventId: e.id, count, event: e, details, found });
        }
        return out;
      }) ?? []
    );
  }

  /** The new-value firings of a rule's new events against the actors' history (the rule's own processing: charged to its budget). */
  private newValues(rule: RuleRecord, fresh: EvalEvent[], history: ValueHistoryRow[], valueOf: (raw: string) => string | undefined): RuleFiring[] {
    const nv = rule.definition.new_value!;
    const lookbackMs = nv.lookback_days * 86_400_000;
    const byActor = new Map<string, { value: string | undefined; lo: number; hi: number }[]>();
    const mapped = new Map<string, string | undefined>();
    for (const h of history) {
      if (!mapped.has(h.value)) mapped.set(h.value, valueOf(h.value));
      const list = byActor.get(h.actor) ?? [];
      list.push({ value: mapped.get(h.value), lo: h.lo, hi: h.hi });
      byActor.set(h.actor, list);
    }
    const out: RuleFiring[] = [];
    for (const e of [...fresh].sort((a, b) => a.t - b.t)) {
      const value = valueOf(nv.field === 'user_agent' ? e.userAgent : e.ip);
      if (value === undefined) continue;
      const inLookback = (x: number) => x >= e.t - lookbackMs && x < e.t;
      const seen = (byActor.get(e.actorId) ?? []).filter((b) => inLookback(b.lo) || inLookback(b.hi));
      if (nv.require_history !== false && seen.length === 0) continue;
      const before = [...new Set(seen.map((b) => b.value).filter((v): v is string => v !== undefined))];
      if (before.includes(value)) continue;
      const details: Record<string, unknown> = { field: nv.field, value, previous_values: before.slice(0, 10), lookback_days: nv.lookback_days };
      if (nv.field === 'country' && e.ip) details.ip = e.ip;
      out.push({ key: e.actorId, atMs: e.t, eventId: e.id, count: 1, event: e, details });
    }
    return out;
  }

  /** Evidence of new threshold and sequence alerts, one read per rule (new-value and single-event alerts are their own evidence). */
  private async evidence(scope: TenantScope, rule: RuleRecord, created: RuleFiring[], receivedUpTo: number, now: number): Promise<(Evidence | undefined)[]> {
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

  private buildAlert(rule: RuleRecord, f: RuleFiring & { suppressed: number; lastSuppressedMs: number | undefined }, found: Evidence | undefined, now: number): NewAlert {
    const d = rule.definition;
    const subject = `${d.group_by} ${clip(f.key)}`;
    let summary: string;
    let details: Record<string, unknown>;
    const evidence = found ?? { ids: [f.eventId], count: 1, firstMs: f.atMs, lastMs: f.atMs, organizations: [] };
    if (rule.kind === 'threshold' && d.threshold!.count > 1) {
      const t = d.threshold!;
      details = { threshold: t.count, window_seconds: t.window_seconds, count: f.count, ...(t.distinct ? { distinct: t.distinct } : {}) };
      summary = `${f.count} ${t.distinct ? `distinct ${t.distinct}s` : 'matching events'} for ${subject} within ${humanDuration(t.window_seconds)} (threshold ${t.count})`;
    } else if (rule.kind === 'threshold') {
      const e = f.event!;
      details = { action: e.action };
      summary = `${e.action} by ${e.actorType} ${clip(e.actorId)}${d.group_by === 'actor' ? '' : ` (${subject})`}`;
    } else if (rule.kind === 'volume') {
      details = f.details!;
      summary =
        `${Number(details.count)} matching events for ${subject} in the hour from ${String(details.hour)}: robust z-score ${Number(details.z_score)} ` +
        `(usual: median ${Number(details.median)} per active hour over ${Number(details.baseline_hours)} h in ${humanDuration(Number(details.lookback_days) * 86_400)}; fires from ${Number(details.required)})`;
    } else if (rule.kind === 'sigma') {
      details = f.details!;
      summary =
        details.correlation === undefined
          ? `Sigma rule "${clip(String(details.sigma_title))}": ${f.event!.action} by ${f.event!.actorType} ${clip(f.event!.actorId)}`
          : `Sigma ${String(details.correlation)} "${clip(String(details.sigma_title))}": ${Number(details.count)}${details.correlation === 'value_count' ? ` distinct ${String(details.field)}` : details.correlation === 'event_count' ? ' matching events' : ' rules in order'} for ${subject} within ${humanDuration(Number(details.timespan_seconds))} (from ${Number(details.gte)})`;
    } else if (rule.kind === 'travel') {
      details = f.details!;
      const speed = details.speed_kmh === null ? 'at the same instant' : `${Number(details.speed_kmh)} km/h`;
      summary =
        `${subject} signed in from ${String(details.country)} ${Number(details.hours)} h after ${String(details.previous_country)}: ` +
        `${Number(details.distance_km)} km, ${speed} (over ${Number(details.max_speed_kmh)} km/h)`;
    } else if (rule.kind === 'hours') {
      details = f.details!;
      summary =
        `${f.event!.action} by ${subject} at ${String(details.hour_utc).padStart(2, '0')}:00 UTC on a ${String(details.weekday_utc)}: ` +
        `${pct(Number(details.hour_share))} of their ${Number(details.history_events)} events of ${humanDuration(Number(details.lookback_days) * 86_400)} at this time of day, ${pct(Number(details.weekday_share))} on this weekday`;
    } else if (rule.kind === 'rarity') {
      details = f.details!;
      summary = `${String(details.action)} by ${subject}: done in ${Number(details.action_hours)} of their ${Number(details.history_hours)} active hours in ${humanDuration(Number(details.lookback_days) * 86_400)}`;
    } else if (rule.kind === 'silence') {
      const s = d.silence!;
      details = f.details!;
      summary =
        `${subject} sent nothing for ${humanDuration(s.silent_intervals * s.interval_minutes * 60)} (since ${String(details.silent_since)}); ` +
        `before, ${Number(details.active_intervals)} of ${s.lookback_intervals} intervals of ${humanDuration(s.interval_minutes * 60)} had ${s.min_events} or more matching events`;
    } else if (rule.kind === 'sequence') {
      const s = d.sequence!;
      details = { failures: f.count, required_failures: s.failures, window_seconds: s.window_seconds, success_event_id: f.eventId };
      summary = `${f.count} failures then a success for ${subject} within ${humanDuration(s.window_seconds)}`;
    } else {
      details = f.details!;
      const before = (details.previous_values as string[]).map(clip);
      summary = `${subject} seen with a new ${String(details.field).replace('_', ' ')}: ${clip(String(details.value))}${before.length ? ` (before: ${before.join(', ')})` : ''} in ${humanDuration(Number(details.lookback_days) * 86_400)}`;
    }
    const closed = rule.createClosed;
    return {
      id: `al_${uuidv7().id.replaceAll('-', '')}`,
      ruleId: rule.id,
      ruleName: rule.name,
      kind: rule.kind,
      tier: rule.tier,
      owner: rule.owner,
      status: closed ? 'closed' : 'open',
      groupBy: d.group_by,
      groupValue: f.key,
      organizationId: undefined,
      summary,
      details,
      eventIds: evidence.ids,
      eventCount: evidence.count,
      triggeredAt: new Date(f.atMs),
      firstSeenAt: new Date(evidence.firstMs),
      lastSeenAt: new Date(Math.max(evidence.lastMs, f.atMs)),
      suppressedCount: f.suppressed,
      lastSuppressedAt: f.lastSuppressedMs === undefined ? undefined : new Date(f.lastSuppressedMs),
      closedAt: closed ? new Date(now) : undefined,
      closedBy: closed ? 'rule' : undefined,
    };
  }

  /** Writes the alerts' trail entries (one INSERT), then marks them written. */
  private async record(scope: TenantScope, alerts: (NewAlert | AlertRecord)[]): Promise<void> {
    if (alerts.length === 0) return;
    await this.trail.record(scope, alerts.map(trailEntry));
    await this.repo.markRecorded(scope, alerts.map((a) => a.id));
  }

  /** Writes the trail entries of rules the evaluator disabled (one INSERT), then marks them written. */
  private async recordDisabled(scope: TenantScope, disabled: { rule: Pick<RuleRecord, 'id' | 'name'>; reason: string; message: string }[]): Promise<void> {
    if (disabled.length === 0) return;
    await this.trail.record(
      scope,
      disabled.map((d) => ({
        action: RULE_DISABLED_ACTION,
        actor: ALERTS_ACTOR,
        targets: [{ type: 'alert_rule', id: d.rule.id, name: d.rule.name }],
        metadata: { reason: d.reason, message: d.message },
        changes: [{ field: 'enabled', before: true, after: false }],
      })),
    );
    await this.repo.markDisabledRecorded(
      scope,
      disabled.map((d) => d.rule.id),
    );
  }

  /** Alerts (and rules disabled by the evaluator) committed but not confirmed in the trail (a crash in between): written now unless the entry is already there. */
  private async recordInterrupted(scope: TenantScope): Promise<void> {
    const disabled = await this.repo.unrecordedDisabledRules(scope, new Date(Date.now() - OUTBOX_GRACE_MS));
    const missing: RuleRecord[] = [];
    for (const r of disabled) {
      if (!(await this.log.hasTrailEntry(scope, RULE_DISABLED_ACTION, r.id, r.disabledAt!.getTime() - 60_000))) missing.push(r);
    }
    await this.repo.markDisabledRecorded(
      scope,
      disabled.filter((r) => !missing.includes(r)).map((r) => r.id),
    );
    await this.recordDisabled(
      scope,
      missing.map((r) => ({ rule: r, reason: r.disabledReason!, message: r.disabledMessage ?? '' })),
    );
    const pending = await this.repo.unrecordedAlerts(scope, new Date(Date.now() - OUTBOX_GRACE_MS));
    if (pending.length === 0) return;
    const present: string[] = [];
    for (const a of pending) {
      if (await this.log.hasTrailEntry(scope, trailAction(a), a.id, a.createdAt.getTime() - 60_000)) present.push(a.id);
    }
    await this.repo.markRecorded(scope, present);
    const toWrite = pending.filter((a) => !present.includes(a.id));
    if (toWrite.length > 0) this.logger.warn({ tenant_id: scope.tenantId, alerts: toWrite.length }, 'writing trail entries of alerts interrupted by a crash');
    await this.record(scope, toWrite);
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

function trailAction(a: Pick<NewAlert, 'closedBy'>): TrailEntry['action'] {
  return a.closedBy === 'rule' ? 'veritrail.alert.recorded' : 'veritrail.alert.triggered';
}

/** The trail entry of an alert: what webhooks deliver as alert.triggered. */
function trailEntry(a: NewAlert | AlertRecord): TrailEntry {
  return {
    action: trailAction(a),
    actor: ALERTS_ACTOR,
    targets: [
      { type: 'alert', id: a.id, name: a.ruleName },
      { type: 'alert_rule', id: a.ruleId, name: a.ruleName },
    ],
    // Webhooks route the entry by it: an alert about one organization reaches only destinations allowed that organization.
    organizationId: a.organizationId,
    metadata: {
      alert: {
        id: a.id,
        rule_id: a.ruleId,
        rule_name: a.ruleName,
        kind: a.kind,
        tier: a.tier,
        owner: a.owner ?? null,
        status: a.status,
        group_by: a.groupBy,
        group_value: a.groupValue,
        summary: a.summary,
        triggered_at: a.triggeredAt.toISOString(),
        first_seen_at: a.firstSeenAt.toISOString(),
        last_seen_at: a.lastSeenAt.toISOString(),
        event_count: a.eventCount,
        event_ids: a.eventIds,
        details: a.details,
      },
    },
  };
}

/**
 * The organization an alert is about: the one organization of every event behind it (its
 * window's events, the firing event), or undefined when they span several or have none.
 */
function alertOrganization(f: RuleFiring, found: Evidence | undefined, evs: readonly EvalEvent[]): string | undefined {
  const orgs = new Set(found?.organizations ?? []);
  const own = f.event ?? evs.find((e) => e.id === f.eventId);
  if (own) orgs.add(own.organizationId);
  const [only] = orgs;
  return orgs.size === 1 && only !== '' ? only : undefined;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10} %`;
}

function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
