import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EventLog, type EventMatch } from '../events/event-log.service.js';
import { EventScan, type ColumnEvent, type ScanRow } from '../events/event-scan.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { AlertWindowsRepository, toMatch, type Evidence } from './alert-windows.repository.js';
import type { NewAlert, RuleRecord } from './alerts.repository.js';
import { alertOrganization, silenceAlert } from './alert-builder.js';
import { isBaselineKind, RuleFirings, type BaselineHistory } from './rule-firings.service.js';
import { ALERT_TRAIL_PREFIX, effectiveSuppressionMs, filterMatcher, keyOf, SILENCE_GRACE_MS, volumeDetails, parseEvalEvent, silenceHorizon, volumeBaseline, type IntervalCount, type SilenceFiring, type EvalEvent, type Firing } from './rule-definition.js';

const HOUR_MS = 3_600_000;
/** Firing rows one scan may return; a rule firing more often than this is replayed step by step instead. */
const MAX_SCAN_ROWS = 2_000_000;
/** Key-hours a volume scan may return. */
const MAX_HOUR_ROWS = 2_000_000;
/** Alerts whose evidence is read together: close in time, so one read stays small. */
const EVIDENCE_SPAN_MS = 86_400_000;
const EVIDENCE_BATCH = 200;
/** History rows one read of a baseline backtest may return; over it, its part of the range is halved (at most MAX_SPLITS times). */
const MAX_HISTORY_ROWS = 1_000_000;
const MAX_SPLITS = 6;
/** Events of a baseline backtest judged together (each step with only its keys' history around it). */
const JUDGE_STEP = 2_000;
/** Firings handled between two turns of the event loop. */
const YIELD_EVERY = 20_000;

/** A firing as the evaluator builds alerts from it (its event carries the columns the alert needs). */
export interface ColumnarFiring extends Firing {
  count: number;
  event: EvalEvent;
  details?: Record<string, unknown>;
}

/** What the evaluator lends a columnar backtest: its evidence reads and alert building, so alerts are the live ones. */
export interface AlertBuilder {
  evidence(scope: TenantScope, rule: RuleRecord, created: ColumnarFiring[], receivedUpTo: number, now: number): Promise<(Evidence | undefined)[]>;
  build(rule: RuleRecord, f: ColumnarFiring & { suppressed: number; lastSuppressedMs: number | undefined }, found: Evidence | undefined, now: number): NewAlert;
}

export interface ColumnarOutcome {
  alerts: NewAlert[];
  eventsScanned: number;
  truncated: { reason: 'max_events' | 'time_budget'; evaluatedToMs: number } | undefined;
}

/**
 * Backtests of threshold, sequence and volume rules in a few whole-range ClickHouse statements
 * instead of a replay of the log in steps. A replay reads every event's payload (about 1 KB of
 * JSON parsed per event) and repeats the windows' and baselines' reads for each step of
 * ALERTS_BATCH_EVENTS, which is what bounded it to a few thousand events per second; these
 * rules need only a few columns, and their firings are a function of the stored events alone:
 *
 * - threshold (count > 1) and sequence: in a replay every event of the range is new once and
 *   counts everything stored, so an event fires exactly when its window [t − window, t] (same
 *   key, everything stored) reaches the count — one window-function statement over the range
 *   (and one window before it) returns those events;
 * - threshold with count 1: every matching event of the range;
 * - volume: the key-hours of the range and their look-back, counted once; the hours at or over
 *   `min_count` are compared with their baseline ({@link volumeBaseline}) and fire at their
 *   `required`-th event (by occurred_at, id), if it lies in the range.
 *
 * Suppression then runs over the firings in event time (the nearest earlier alert of the key,
 * as in a replay), and the evaluator's own evidence and alert building make the alerts — the
 * same as the step-by-step replay, which other kinds still use.
 */
@Injectable()
export class ColumnarBacktest {
  constructor(
    private readonly scan: EventScan,
    private readonly windows: AlertWindowsRepository,
    private readonly eventLog: EventLog,
    private readonly rules: RuleFirings,
    private readonly clock: Clock,
  ) {}

  /**
   * A page of a step-by-step replay (the kinds not scanned here): the events of [from, to) after
   * `after`, by occurred_at and id. Sigma rules look at any field, so they get the parsed
   * payloads; every other rule only the columns it reads (no event's JSON parsed).
   */
  async replayPage(scope: TenantScope, rule: RuleRecord, p: { fromMs: number; toMs: number; after?: readonly [number, string]; limit: number }, now: number): Promise<EvalEvent[]> {
    if (rule.kind === 'sigma') return (await this.windows.replayEvents(scope, p, now)).map((e) => parseEvalEvent(0, e.payload));
    const rows = await this.scan.eventsByTimeColumns(scope, { ...p, excludeActionPrefix: ALERT_TRAIL_PREFIX }, now);
    return rows.map(fromColumns);
  }

  /** Whether this rule is backtested here. */
  supports(rule: RuleRecord): boolean {
    return rule.kind === 'threshold' || rule.kind === 'sequence' || rule.kind === 'volume' || rule.kind === 'silence' || isBaselineKind(rule.kind);
  }

  /**
   * The backtest of [from, to), or undefined when a scan hit its row bound (the caller replays
   * step by step). `overTime` is asked between pieces of work: once it says so, the backtest
   * answers with what it has, up to an occurred_at (a time_budget stop, as a replay's).
   */
  async run(scope: TenantScope, rule: RuleRecord, fromMs: number, toMs: number, maxEvents: number, builder: AlertBuilder, overTime: () => boolean = () => false): Promise<ColumnarOutcome | undefined> {
    const now = this.clock.now();
    const range = await this.scan.rangeCount(scope, { fromMs, toMs, excludeActionPrefix: ALERT_TRAIL_PREFIX, limit: maxEvents }, now);
    const endMs = range.cutMs ?? toMs;
    const eventsScanned = range.cutEvents ?? range.events;
    const truncated: ColumnarOutcome['truncated'] = range.cutMs === undefined ? undefined : { reason: 'max_events', evaluatedToMs: range.cutMs };
    if (endMs <= fromMs || eventsScanned === 0) return { alerts: [], eventsScanned, truncated };
    if (rule.kind === 'silence') {
      const alerts = await this.silence(scope, rule, fromMs, endMs, now);
      return alerts && { alerts, eventsScanned, truncated };
    }
    const found = isBaselineKind(rule.kind) ? await this.baselines(scope, rule, fromMs, endMs, now, overTime) : { firings: await this.firings(scope, rule, fromMs, endMs, now), stoppedAtMs: undefined };
    if (!found.firings) return undefined;
    let stoppedAtMs = found.stoppedAtMs;
    const created = await suppressInOrder(found.firings, effectiveSuppressionMs(rule.kind, rule.suppressionSeconds, rule.definition));
    const alerts: NewAlert[] = [];
    for (let i = 0; i < created.length; ) {
      if (overTime()) {
        // Alerts are built in time order: those from here on are left out (and the firings at the same instant).
        stoppedAtMs = Math.min(stoppedAtMs ?? Infinity, created[i]!.atMs);
        break;
      }
      let j = i + 1;
      while (j < created.length && j - i < EVIDENCE_BATCH && created[j]!.atMs - created[i]!.atMs <= EVIDENCE_SPAN_MS) j++;
      const batch = created.slice(i, j);
      const evidence = await builder.evidence(scope, rule, batch, now, now);
      batch.forEach((f, k) => alerts.push({ ...builder.build(rule, f, evidence[k], now), organizationId: alertOrganization(f, evidence[k], []) }));
      i = j;
    }
    const kept = stoppedAtMs === undefined ? alerts : alerts.filter((a) => a.triggeredAt.getTime() < stoppedAtMs!);
    const stop: ColumnarOutcome['truncated'] = stoppedAtMs === undefined ? truncated : { reason: 'time_budget', evaluatedToMs: stoppedAtMs };
    return { alerts: kept.sort((a, b) => a.triggeredAt.getTime() - b.triggeredAt.getTime()), eventsScanned, truncated: stop };
  }

  /**
   * Rules judged against each key's own history (new value, travel, hours, rarity) over a
   * range: the rule's matching events of the range in one read (columns only), the history
   * they are judged against in one read for the whole range (per actor, value and hour, or per
   * key and hour; halved when it would be too large), then the evaluator's own judgement
   * ({@link RuleFirings.judgeBaseline}) in time-ordered steps, each with only its keys' history
   * around it. A replay judges each event against the same look-back, everything stored, so the
   * firings are the replay's; what it cannot avoid is re-reading the look-back at every step.
   */
  private async baselines(scope: TenantScope, rule: RuleRecord, fromMs: number, endMs: number, now: number, overTime: () => boolean): Promise<{ firings: ColumnarFiring[] | undefined; stoppedAtMs: number | undefined }> {
    const d = rule.definition;
    const rows = await this.scan.matchingEventColumns(scope, { match: toMatch(d.filter), groupBy: d.group_by, fromMs, toMs: endMs, maxRows: MAX_SCAN_ROWS }, now);
    if (rows.length >= MAX_SCAN_ROWS) return { firings: undefined, stoppedAtMs: undefined };
    const matches = filterMatcher(d.filter);
    const evs = this.rules.judgeable(
      rule,
      rows.map(fromColumns).filter((e) => matches(e) && keyOf(e, d.group_by) !== ''),
    );
    const lookbackMs = this.rules.baselineLookbackMs(rule);
    const firings: ColumnarFiring[] = [];
    // Parts of the range (as positions in evs), each with its own history read; a part whose history is too large is halved.
    const parts: [number, number, number][] = [[0, evs.length, 0]];
    while (parts.length > 0) {
      const [a, b, depth] = parts.shift()!;
      if (a >= b) continue;
      if (overTime()) return { firings, stoppedAtMs: evs[a]!.t };
      const part = evs.slice(a, b);
      const history = await this.rules.baselineHistory(
        scope,
        rule,
        { keys: [...new Set(part.map((e) => keyOf(e, d.group_by)))], minT: part[0]!.t, maxT: part[part.length - 1]!.t, receivedUpTo: now, maxRows: MAX_HISTORY_ROWS },
        now,
      );
      const rowsRead = 'hours' in history ? history.hours.length : history.values.length;
      if (rowsRead >= MAX_HISTORY_ROWS) {
        if (b - a < 2 || depth >= MAX_SPLITS) return { firings: undefined, stoppedAtMs: undefined };
        const mid = a + Math.floor((b - a) / 2);
        parts.unshift([a, mid, depth + 1], [mid, b, depth + 1]);
        continue;
      }
      const index = historyIndex(history);
      for (let i = 0; i < part.length; i += JUDGE_STEP) {
        if (overTime()) return { firings, stoppedAtMs: part[i]!.t };
        const step = part.slice(i, i + JUDGE_STEP);
        const slice = index.around([...new Set(step.map((e) => keyOf(e, d.group_by)))], step[0]!.t - lookbackMs - HOUR_MS, step[step.length - 1]!.t);
        for (const f of this.rules.judgeBaseline(rule, step, slice)) firings.push({ ...f, event: f.event! });
        await nextTurn();
      }
    }
    return { firings, stoppedAtMs: undefined };
  }

  /**
   * Silence rules over a range: live evaluation judges every interval's horizon, and a silence
   * fires at the first horizon it is long enough — S + silent_intervals × interval, S the end
   * of the key's last interval with events ({@link silenceFirings}). So a silence fires in the
   * range where a key's interval with events is followed by no event for silent_intervals whole
   * intervals, ending in the range (and no later than the horizon judged now), after a
   * look-back active enough. Folding as live: a silence within the suppression period of the
   * key's previous silence alert is not a new alert (and, as live, not counted on it).
   */
  private async silence(scope: TenantScope, rule: RuleRecord, fromMs: number, endMs: number, now: number): Promise<NewAlert[] | undefined> {
    const d = rule.definition;
    const s = d.silence!;
    const m = s.interval_minutes * 60_000;
    const lastHorizon = Math.min(silenceHorizon(s, now, SILENCE_GRACE_MS), endMs - 1);
    const rows = await this.eventLog.intervalCounts(
      scope,
      { match: toMatch(d.filter), groupBy: d.group_by, fromMs: Math.floor(fromMs / m) * m - (s.silent_intervals + s.lookback_intervals + 1) * m, toMs: Math.floor(lastHorizon / m) * m + m, intervalMs: m, maxRows: MAX_HOUR_ROWS },
      now,
    );
    if (rows.length >= MAX_HOUR_ROWS) return undefined;
    const firings: SilenceFiring[] = [];
    let list: IntervalCount[] = [];
    const judge = () => {
      for (let i = 0; i < list.length; i++) {
        const since = list[i]!.bucketMs + m;
        const atMs = since + s.silent_intervals * m;
        if (atMs < fromMs || atMs > lastHorizon) continue;
        if (i + 1 < list.length && list[i + 1]!.bucketMs < atMs) continue;
        let active = 0;
        let events = 0;
        for (let k = i; k >= 0 && list[k]!.bucketMs >= since - s.lookback_intervals * m; k--) {
          events += list[k]!.n;
          if (list[k]!.n >= s.min_events) active++;
        }
        if (active < s.min_active_intervals) continue;
        const last = list[i]!;
        firings.push({ key: last.key, atMs, eventId: last.lastId, silentSinceMs: since, lastEventMs: last.lastMs, activeIntervals: active, eventsInLookback: events });
      }
    };
    // Rows come ordered by key and interval.
    for (const r of rows) {
      if (list.length > 0 && list[0]!.key !== r.key) {
        judge();
        list = [];
      }
      list.push(r);
    }
    judge();
    const created = await suppressInOrder(firings, rule.suppressionSeconds * 1000);
    // Not counted on the alert it is folded into, as live.
    return created.map((c) => silenceAlert(rule, { ...c, suppressed: 0, lastSuppressedMs: undefined }, now)).sort((a, b) => a.triggeredAt.getTime() - b.triggeredAt.getTime());
  }

  private async firings(scope: TenantScope, rule: RuleRecord, fromMs: number, endMs: number, now: number): Promise<ColumnarFiring[] | undefined> {
    const d = rule.definition;
    const match = toMatch(d.filter);
    if (rule.kind === 'threshold' && d.threshold!.count === 1) {
      const rows = await this.scan.matchesInRange(scope, { match, groupBy: d.group_by, fromMs, toMs: endMs, maxRows: MAX_SCAN_ROWS }, now);
      return rows.length >= MAX_SCAN_ROWS ? undefined : rows.map(toFiring);
    }
    if (rule.kind === 'threshold' || rule.kind === 'sequence') {
      const seq = rule.kind === 'sequence';
      const rows = await this.scan.windowFiringsInRange(
        scope,
        {
          kind: seq ? 'sequence' : 'threshold',
          match,
          groupBy: d.group_by,
          distinct: seq ? undefined : d.threshold!.distinct,
          windowMs: (seq ? d.sequence!.window_seconds : d.threshold!.window_seconds) * 1000,
          count: seq ? d.sequence!.failures : d.threshold!.count,
          fromMs,
          toMs: endMs,
          maxRows: MAX_SCAN_ROWS,
        },
        now,
      );
      if (rows.length >= MAX_SCAN_ROWS) return undefined;
      // The ARRAY JOIN of targets repeats an event once per target: keep its first row.
      const seen = new Set<string>();
      return rows.filter((r) => !seen.has(r.eventId) && seen.add(r.eventId)).map(toFiring);
    }
    return this.volumeFirings(scope, rule, match, fromMs, endMs, now);
  }

  /** Volume rules over a range: every key-hour of it against the key's own baseline (see the class comment). */
  private async volumeFirings(scope: TenantScope, rule: RuleRecord, match: EventMatch, fromMs: number, endMs: number, now: number): Promise<ColumnarFiring[] | undefined> {
    const d = rule.definition;
    const v = d.volume!;
    const lookbackMs = v.lookback_days * 86_400_000;
    const firstHour = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
    const lastHour = Math.floor((endMs - 1) / HOUR_MS) * HOUR_MS;
    // An hour counts all its stored events, also those after the range's end (as in a replay).
    const rows = await this.scan.hourCounts(scope, { match, groupBy: d.group_by, fromMs: firstHour - lookbackMs, toMs: lastHour + HOUR_MS, maxRows: MAX_HOUR_ROWS }, now);
    if (rows.length >= MAX_HOUR_ROWS) return undefined;
    const byKey = new Map<string, { hourMs: number; n: number }[]>();
    for (const r of rows) {
      const list = byKey.get(r.key);
      if (list) list.push(r);
      else byKey.set(r.key, [{ hourMs: r.hourMs, n: r.n }]);
    }
    const over: { key: string; hourMs: number; x: number; base: NonNullable<ReturnType<typeof volumeBaseline>> }[] = [];
    let work = 0;
    for (const [key, hours] of byKey) {
      // Ordered by hour: the look-back of hours[i] is a run of the hours before it.
      let lo = 0;
      for (let i = 0; i < hours.length; i++) {
        const h = hours[i]!;
        while (hours[lo]!.hourMs < h.hourMs - lookbackMs) lo++;
        if (h.hourMs < firstHour || h.n < v.min_count) continue;
        const base = volumeBaseline(v, hours.slice(lo, i).map((x) => x.n));
        if (base && h.n >= base.required) over.push({ key, hourMs: h.hourMs, x: h.n, base });
        if (++work % YIELD_EVERY === 0) await nextTurn();
      }
    }
    if (over.length === 0) return [];
    const at = new Map<string, ScanRow>();
    for (let i = 0; i < over.length; i += 500) {
      const part = over.slice(i, i + 500);
      const found = await this.scan.rankedInHours(scope, { match, groupBy: d.group_by, hours: part.map((h) => ({ key: h.key, hourMs: h.hourMs, rank: h.base.required })) }, now);
      for (const r of found) at.set(`${r.key}|${Math.floor(r.t / HOUR_MS) * HOUR_MS}`, r);
    }
    return over.flatMap((h) => {
      const e = at.get(`${h.key}|${h.hourMs}`);
      // The hour reached its count at an event of the range (an earlier one was replayed before it).
      if (!e || e.t < fromMs || e.t >= endMs) return [];
      const details = volumeDetails(v, h.hourMs, h.x, h.base);
      return [{ ...toFiring(e), count: h.x, details }];
    });
  }
}

/**
 * Suppression in event time over firings of one replay, in O(firings): ordered by time (then
 * id), a firing within the period after its key's latest alert is counted on that alert,
 * otherwise it is a new alert. The same as {@link suppress} with no stored alerts, whose nearest
 * alert of a key is, going forward, always the latest one.
 */
export async function suppressInOrder<T extends Firing>(firings: T[], periodMs: number): Promise<(T & { suppressed: number; lastSuppressedMs: number | undefined })[]> {
  const sorted = [...firings].sort((a, b) => a.atMs - b.atMs || (a.eventId < b.eventId ? -1 : 1));
  const created: (T & { suppressed: number; lastSuppressedMs: number | undefined })[] = [];
  const latest = new Map<string, (typeof created)[number]>();
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i]!;
    const prev = periodMs > 0 ? latest.get(f.key) : undefined;
    if (prev && f.atMs - prev.atMs < periodMs) {
      prev.suppressed++;
      prev.lastSuppressedMs = Math.max(prev.lastSuppressedMs ?? f.atMs, f.atMs);
    } else {
      const c = { ...f, suppressed: 0, lastSuppressedMs: undefined };
      created.push(c);
      latest.set(f.key, c);
    }
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await nextTurn();
  }
  return created;
}

function toFiring(r: ScanRow): ColumnarFiring {
  const event: EvalEvent = {
    idx: 0,
    id: r.eventId,
    t: r.t,
    receivedAt: 0,
    action: r.action,
    outcome: r.outcome,
    actorType: r.actorType,
    actorId: r.actorId,
    ip: r.ip,
    organizationId: r.organizationId,
    userAgent: '',
    targets: [],
  };
  return { key: r.key, atMs: r.t, eventId: r.eventId, count: r.count, event };
}

/** An event read as columns, as the rules (other than Sigma rules) look at it. */
function fromColumns(r: ColumnEvent): EvalEvent {
  return { idx: 0, id: r.id, t: r.t, receivedAt: r.receivedAtMs, action: r.action, outcome: r.outcome, actorType: r.actorType, actorId: r.actorId, ip: r.ip, organizationId: r.organizationId, userAgent: r.userAgent, targets: [] };
}

/** A baseline history by key and time, to hand each step of a backtest only the rows around it. */
function historyIndex(history: BaselineHistory): { around(keys: string[], fromMs: number, toMs: number): BaselineHistory } {
  const index = <T>(rows: T[], keyOf: (r: T) => string, timeOf: (r: T) => number) => {
    const byKey = new Map<string, T[]>();
    for (const r of rows) {
      const list = byKey.get(keyOf(r));
      if (list) list.push(r);
      else byKey.set(keyOf(r), [r]);
    }
    for (const list of byKey.values()) list.sort((a, b) => timeOf(a) - timeOf(b));
    return (keys: string[], fromMs: number, toMs: number): T[] =>
      keys.flatMap((k) => {
        const list = byKey.get(k) ?? [];
        return list.slice(firstAtOrAfter(list, fromMs, timeOf), firstAtOrAfter(list, toMs + 1, timeOf));
      });
  };
  if ('hours' in history) {
    const around = index(history.hours, (r) => r.key, (r) => r.bucketMs);
    return { around: (keys, fromMs, toMs) => ({ hours: around(keys, fromMs, toMs) }) };
  }
  // A value's bucket is judged by its earliest and latest occurrence in the hour: by its earliest, less an hour.
  const around = index(history.values, (r) => r.actor, (r) => r.lo);
  return { around: (keys, fromMs, toMs) => ({ values: around(keys, fromMs, toMs) }) };
}

function firstAtOrAfter<T>(list: readonly T[], t: number, timeOf: (r: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeOf(list[mid]!) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
