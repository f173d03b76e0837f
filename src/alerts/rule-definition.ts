// Above ~400 lines on purpose: a rule definition and the pure judgements of each rule kind
// (suppression, silence, volume, travel, hours) read as one reference for what a rule means;
// the evaluator and the backtest both call them, no I/O here.
import type { ErrorDetail } from '../common/errors.js';
import { ActionMatcher, actionPatternProblems, type MatchCounter } from '../events/action-pattern.js';
import type { GroupBy, RuleFilter, RuleKind } from './alerts.schema.js';
import type { SigmaDefinition } from './sigma.js';

/** What a rule looks for; stored as JSON in alert_rules.definition, shaped as in the API. */
export interface RuleDefinition {
  filter: RuleFilter;
  group_by: GroupBy;
  threshold?: { count: number; window_seconds: number; distinct?: 'target' | 'ip' | 'actor' };
  new_value?: { field: 'country' | 'ip' | 'user_agent' | 'client'; lookback_days: number; require_history?: boolean; min_history_days?: number };
  sequence?: { failures: number; window_seconds: number };
  silence?: { interval_minutes: number; silent_intervals: number; lookback_intervals: number; min_events: number; min_active_intervals: number };
  volume?: { lookback_days: number; min_history_hours: number; z_threshold: number; min_count: number };
  travel?: { max_speed_kmh: number; min_distance_km: number; lookback_hours: number };
  hours?: { lookback_days: number; min_history_days: number; tolerance_hours: number; max_share: number };
  rarity?: { lookback_days: number; min_history_hours: number; max_hours: number };
  /** Imported Sigma rules (POST /v1/alert-rules/sigma): never given in a create or update body. */
  sigma?: SigmaDefinition;
}

/** Entries alerts write into the trail: never evaluated, so an alert cannot feed on itself. */
export const ALERT_TRAIL_PREFIX = 'veritrail.alert.';

/** The fields of an event the rules look at, parsed from its stored payload. */
export interface EvalEvent {
  idx: number;
  id: string;
  /** occurred_at, ms */
  t: number;
  /** received_at, ms */
  receivedAt: number;
  action: string;
  outcome: string;
  actorType: string;
  actorId: string;
  ip: string;
  organizationId: string;
  userAgent: string;
  targets: { type: string; id: string }[];
}

export function parseEvalEvent(idx: number, payload: string): EvalEvent {
  const e = JSON.parse(payload) as {
    id: string;
    occurred_at: string;
    received_at: string;
    action: string;
    outcome?: string;
    actor: { type: string; id: string };
    organization_id?: string;
    context?: { ip?: string; user_agent?: string };
    targets?: { type?: unknown; id?: unknown }[];
  };
  return {
    idx,
    id: e.id,
    t: Date.parse(e.occurred_at),
    receivedAt: Date.parse(e.received_at),
    action: e.action,
    outcome: e.outcome ?? 'unknown',
    actorType: e.actor.type,
    actorId: e.actor.id,
    ip: typeof e.context?.ip === 'string' ? e.context.ip : '',
    organizationId: e.organization_id ?? '',
    userAgent: typeof e.context?.user_agent === 'string' ? e.context.user_agent : '',
    targets: Array.isArray(e.targets) ? e.targets.map((t) => ({ type: typeof t?.type === 'string' ? t.type : '', id: typeof t?.id === 'string' ? t.id : '' })) : [],
  };
}

/**
 * The JavaScript twin of the rule filter that alert-windows.repository.ts writes in SQL. Action
 * patterns go through the shared linear matcher, never a JavaScript RegExp (PEN-01); `counter`
 * adds up its work.
 */
export function filterMatcher(f: RuleFilter, counter?: MatchCounter): (e: EvalEvent) => boolean {
  const actions = new ActionMatcher(f.actions);
  const types = f.actor_types ? new Set<string>(f.actor_types) : undefined;
  const orgs = f.organizations ? new Set(f.organizations) : undefined;
  return (e) =>
    !e.action.startsWith(ALERT_TRAIL_PREFIX) &&
    actions.test(e.action, counter) &&
    (f.outcome === undefined || e.outcome === f.outcome) &&
    (types === undefined || types.has(e.actorType)) &&
    (orgs === undefined || orgs.has(e.organizationId));
}

/** The value an event is grouped by; '' means "no key" (the event cannot count). */
export function keyOf(e: EvalEvent, groupBy: GroupBy): string {
  return groupBy === 'actor' ? e.actorId : groupBy === 'ip' ? e.ip : groupBy === 'action' ? e.action : e.organizationId;
}

/**
 * Cross-field rules the JSON Schema cannot say: action patterns within the complexity bound,
 * the kind's own settings are present and no other kind's, new-value rules group by actor, sequences take both outcomes, a distinct
 * count does not count the key itself.
 */
export function definitionProblems(kind: RuleKind, d: Partial<RuleDefinition>): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (!d.filter) out.push({ field: 'filter', code: 'required', message: 'This field is required.' });
  if (!d.group_by) out.push({ field: 'group_by', code: 'required', message: 'This field is required.' });
  if (d.filter) out.push(...actionPatternProblems('filter.actions', d.filter.actions));
  for (const k of ['threshold', 'new_value', 'sequence', 'silence', 'volume', 'travel', 'hours', 'rarity', 'sigma'] as const) {
    if (k === kind && d[k] === undefined) out.push({ field: k, code: 'required', message: `A ${kind} rule needs its ${k} settings.` });
    if (k !== kind && d[k] !== undefined) out.push({ field: k, code: 'not_allowed', message: `Only for ${k} rules.` });
  }
  if ((kind === 'new_value' || kind === 'travel' || kind === 'rarity') && d.group_by !== undefined && d.group_by !== 'actor') {
    out.push({ field: 'group_by', code: 'invalid_value', message: `A ${kind} rule groups by actor.` });
  }
  if (kind === 'new_value' && d.new_value?.min_history_days !== undefined && d.new_value.min_history_days > d.new_value.lookback_days) {
    out.push({ field: 'new_value.min_history_days', code: 'invalid_value', message: 'At most lookback_days.' });
  }
  if (kind === 'hours' && d.hours !== undefined && d.hours.min_history_days > d.hours.lookback_days) {
    out.push({ field: 'hours.min_history_days', code: 'invalid_value', message: 'At most lookback_days.' });
  }
  if (kind !== 'silence' && d.group_by === 'action') {
    out.push({ field: 'group_by', code: 'invalid_value', message: 'Only silence rules group by action.' });
  }
  if (kind === 'silence' && d.silence !== undefined && d.silence.min_active_intervals > d.silence.lookback_intervals) {
    out.push({ field: 'silence.min_active_intervals', code: 'invalid_value', message: 'At most lookback_intervals.' });
  }
  if (kind === 'sequence' && d.filter?.outcome !== undefined) {
    out.push({ field: 'filter.outcome', code: 'not_allowed', message: 'A sequence rule looks at failures and successes of the filtered actions.' });
  }
  if (kind === 'threshold' && d.threshold?.distinct !== undefined && d.threshold.distinct === d.group_by) {
    out.push({ field: 'threshold.distinct', code: 'invalid_value', message: 'Counting distinct values of the key itself always gives 1.' });
  }
  return out;
}

/** How long further firings for a key are folded into the previous alert: never less than the rule's own window. */
export function effectiveSuppressionMs(kind: RuleKind, suppressionSeconds: number, d: RuleDefinition): number {
  const window = kind === 'threshold' && (d.threshold?.count ?? 1) > 1 ? d.threshold!.window_seconds : kind === 'sequence' ? d.sequence!.window_seconds : kind === 'volume' || kind === 'hours' ? 3600 : kind === 'sigma' && d.sigma?.correlation ? d.sigma.correlation.timespan_seconds : 0;
  return Math.max(suppressionSeconds, window) * 1000;
}

export interface Firing {
  key: string;
  /** occurred_at (ms) of the event that made the rule fire. */
  atMs: number;
  eventId: string;
}

export interface Suppressed<T extends Firing> {
  created: (T & { suppressed: number; lastSuppressedMs: number | undefined })[];
  /** Existing alerts that absorbed firings: id → how many, and the latest firing time. */
  bumps: Map<string, { count: number; lastMs: number }>;
}

/**
 * Per-key suppression in event time: a firing within `suppressionMs` of an alert of the same
 * key (one that exists, or one created earlier in this batch) is counted on that alert instead
 * of raising a new one. Event time rather than wall-clock time, so evaluating late (after
 * downtime) or in other chunks gives the same alerts.
 */
export function suppress<T extends Firing>(firings: readonly T[], existing: readonly { id: string; key: string; atMs: number }[], suppressionMs: number): Suppressed<T> {
  const created: Suppressed<T>['created'] = [];
  const bumps = new Map<string, { count: number; lastMs: number }>();
  const sorted = [...firings].sort((a, b) => a.atMs - b.atMs || (a.eventId < b.eventId ? -1 : 1));
  for (const f of sorted) {
    if (suppressionMs > 0) {
      let best: { d: number; existing?: string; created?: (typeof created)[number] } | undefined;
      for (const a of existing) {
        const d = Math.abs(f.atMs - a.atMs);
        if (a.key === f.key && d < suppressionMs && (!best || d < best.d)) best = { d, existing: a.id };
      }
      for (const c of created) {
        const d = Math.abs(f.atMs - c.atMs);
        if (c.key === f.key && d < suppressionMs && (!best || d < best.d)) best = { d, created: c };
      }
      if (best?.existing) {
        const b = bumps.get(best.existing) ?? { count: 0, lastMs: f.atMs };
        bumps.set(best.existing, { count: b.count + 1, lastMs: Math.max(b.lastMs, f.atMs) });
        continue;
      }
      if (best?.created) {
        best.created.suppressed++;
        best.created.lastSuppressedMs = Math.max(best.created.lastSuppressedMs ?? f.atMs, f.atMs);
        continue;
      }
    }
    created.push({ ...f, suppressed: 0, lastSuppressedMs: undefined });
  }
  return { created, bumps };
}

/** "5 min", "2 h", "30 days" */
export function humanDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export type SilenceSettings = NonNullable<RuleDefinition['silence']>;

/** One key's matching events in one interval (start, ms), with its newest event. */
export interface IntervalCount {
  key: string;
  bucketMs: number;
  n: number;
  lastMs: number;
  lastId: string;
}

/** Silence rules leave the last minute to events still arriving (live evaluation and backtests). */
export const SILENCE_GRACE_MS = 60_000;

export interface SilenceFiring extends Firing {
  silentSinceMs: number;
  lastEventMs: number;
  activeIntervals: number;
  eventsInLookback: number;
}

/**
 * The end of the newest whole interval a silence rule can judge at `now`: intervals are aligned
 * to UTC multiples of their length, and the last `graceMs` are left to events still arriving.
 */
export function silenceHorizon(s: SilenceSettings, now: number, graceMs: number): number {
  const m = s.interval_minutes * 60_000;
  return Math.floor((now - graceMs) / m) * m;
}

/** What a silence rule reads at horizon `endMs`: the intervals of two silences and a look-back before it. */
export function silenceRange(s: SilenceSettings, endMs: number): { fromMs: number; toMs: number; intervalMs: number } {
  const m = s.interval_minutes * 60_000;
  return { fromMs: endMs - (2 * s.silent_intervals + s.lookback_intervals) * m, toMs: endMs, intervalMs: m };
}

/**
 * Keys gone silent at horizon `endMs`: the key's newest event is in interval B, so it has been
 * silent since S = end of B; it fires when at least `silent_intervals` whole intervals lie
 * between S and the horizon, and history said it should be sending: of the `lookback_intervals`
 * intervals before S, at least `min_active_intervals` held `min_events` or more. The firing time
 * is S + silent_intervals × interval — the moment the silence became long enough — so every
 * later evaluation of the same silence finds the same firing (one alert per silence). A silence
 * longer than twice `silent_intervals` leaves the range read and is not judged any more.
 */
export function silenceFirings(s: SilenceSettings, rows: readonly IntervalCount[], endMs: number): SilenceFiring[] {
  const m = s.interval_minutes * 60_000;
  const byKey = new Map<string, IntervalCount[]>();
  for (const r of rows) {
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  const out: SilenceFiring[] = [];
  for (const [key, list] of byKey) {
    const last = list.reduce((a, b) => (b.bucketMs > a.bucketMs ? b : a));
    const since = last.bucketMs + m;
    if (since + s.silent_intervals * m > endMs) continue;
    const lookbackFrom = since - s.lookback_intervals * m;
    if (lookbackFrom < endMs - (2 * s.silent_intervals + s.lookback_intervals) * m) continue;
    const inLookback = list.filter((r) => r.bucketMs >= lookbackFrom && r.bucketMs < since);
    const active = inLookback.filter((r) => r.n >= s.min_events).length;
    if (active < s.min_active_intervals) continue;
    out.push({
      key,
      atMs: since + s.silent_intervals * m,
      eventId: last.lastId,
      silentSinceMs: since,
      lastEventMs: last.lastMs,
      activeIntervals: active,
      eventsInLookback: inLookback.reduce((n, r) => n + r.n, 0),
    });
  }
  return out.sort((a, b) => a.atMs - b.atMs || (a.key < b.key ? -1 : 1));
}

/** What a silence alert says about its silence (its `details`). */
export function silenceDetails(s: SilenceSettings, f: SilenceFiring): Record<string, unknown> {
  return {
    interval_minutes: s.interval_minutes,
    silent_intervals: s.silent_intervals,
    silent_since: new Date(f.silentSinceMs).toISOString(),
    last_event_at: new Date(f.lastEventMs).toISOString(),
    lookback_intervals: s.lookback_intervals,
    active_intervals: f.activeIntervals,
    min_events: s.min_events,
    min_active_intervals: s.min_active_intervals,
    events_in_lookback: f.eventsInLookback,
  };
}

export type VolumeSettings = NonNullable<RuleDefinition['volume']>;

export interface VolumeBaseline {
  /** Active hours (one matching event or more) of the look-back. */
  hours: number;
  median: number;
  mad: number;
  /** 1.4826 × MAD (a standard deviation for normal data), at least 1. */
  scale: number;
  /** Events in the hour at which the robust z-score reaches the threshold (and min_count). */
  required: number;
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/**
 * A key's usual hourly volume from its active hours (hours without events are not part of the
 * baseline: most actors are idle most hours, and a baseline of zeros would make any activity
 * an outlier): median and MAD, and the count an hour needs for a robust z-score
 * (count − median) / (1.4826 × MAD) of at least `z_threshold`. A MAD of 0 (a perfectly regular
 * key) counts as 1/1.4826 so the scale is never below one event. Undefined with fewer than
 * `min_history_hours` active hours: not enough history to judge.
 */
export function volumeBaseline(s: VolumeSettings, activeHourCounts: readonly number[]): VolumeBaseline | undefined {
  if (activeHourCounts.length < s.min_history_hours || activeHourCounts.length === 0) return undefined;
  const sorted = [...activeHourCounts].sort((a, b) => a - b);
  const med = median(sorted);
  const mad = median(sorted.map((x) => Math.abs(x - med)).sort((a, b) => a - b));
  const scale = Math.max(1.4826 * mad, 1);
  const required = Math.max(s.min_count, Math.ceil(med + s.z_threshold * scale - 1e-9));
  return { hours: sorted.length, median: med, mad, scale, required };
}

/** What a volume alert says about its hour (its `details`): `x` events in the hour from `hourMs` against `base`. */
export function volumeDetails(s: VolumeSettings, hourMs: number, x: number, base: VolumeBaseline): Record<string, unknown> {
  return {
    hour: new Date(hourMs).toISOString(),
    count: x,
    required: base.required,
    baseline_hours: base.hours,
    median: base.median,
    mad: base.mad,
    z_score: Math.round(((x - base.median) / base.scale) * 100) / 100,
    z_threshold: s.z_threshold,
    lookback_days: s.lookback_days,
  };
}

/** Great-circle distance in km between two [latitude, longitude] points (haversine, mean Earth radius 6371 km). */
export function distanceKm(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLon = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export type TravelSettings = NonNullable<RuleDefinition['travel']>;

/** A located sign-in: when, from where. */
export interface Located {
  t: number;
  ip: string;
  country: string;
  at: readonly [number, number];
}

export interface TravelVerdict {
  distanceKm: number;
  hours: number;
  /** km/h; Infinity for two places at the same instant. */
  speedKmh: number;
}

/**
 * Impossible travel between a sign-in and the actor's previous located one: both located, in
 * different countries, at least `min_distance_km` apart, and the distance over the time between
 * them faster than `max_speed_kmh`. Undefined when it is possible (or cannot be judged).
 */
export function impossibleTravel(s: TravelSettings, prev: Located | undefined, cur: Located): TravelVerdict | undefined {
  if (!prev || prev.country === cur.country || prev.t > cur.t) return undefined;
  const km = distanceKm(prev.at, cur.at);
  if (km < s.min_distance_km || km === 0) return undefined;
  const hours = (cur.t - prev.t) / 3_600_000;
  const speed = hours === 0 ? Number.POSITIVE_INFINITY : km / hours;
  if (speed <= s.max_speed_kmh) return undefined;
  return { distanceKm: Math.round(km), hours: Math.round(hours * 100) / 100, speedKmh: Number.isFinite(speed) ? Math.round(speed) : speed };
}

export type HoursSettings = NonNullable<RuleDefinition['hours']>;

export interface HoursBaseline {
  /** Matching events and days with one or more of them in the look-back. */
  events: number;
  activeDays: number;
  /** UTC hour of day (0–23) and weekday (0 = Sunday) of the event judged. */
  hour: number;
  weekday: number;
  /** Share of the history within ± tolerance_hours of `hour` (circular), and on `weekday`. */
  hourShare: number;
  weekdayShare: number;
  /** Events per UTC hour of day in the look-back (24 numbers): the baseline itself. */
  byHour: number[];
  byWeekday: number[];
}

/**
 * A key's usual times from its hourly counts before the event's hour (the look-back): the share
 * of its events at the event's time of day (± tolerance, circular over midnight) and on its
 * weekday (UTC). Undefined with events on fewer than `min_history_days` days: not enough history.
 */
export function hoursBaseline(s: HoursSettings, history: readonly { bucketMs: number; n: number }[], t: number): HoursBaseline | undefined {
  const byHour = Array.from({ length: 24 }, () => 0);
  const byWeekday = Array.from({ length: 7 }, () => 0);
  const days = new Set<number>();
  let events = 0;
  for (const b of history) {
    if (b.n <= 0) continue;
    const d = new Date(b.bucketMs);
    byHour[d.getUTCHours()]! += b.n;
    byWeekday[d.getUTCDay()]! += b.n;
    days.add(Math.floor(b.bucketMs / 86_400_000));
    events += b.n;
  }
  if (days.size < s.min_history_days || events === 0) return undefined;
  const at = new Date(t);
  const hour = at.getUTCHours();
  const weekday = at.getUTCDay();
  let near = 0;
  for (let k = -s.tolerance_hours; k <= s.tolerance_hours; k++) near += byHour[(hour + k + 24) % 24]!;
  return { events, activeDays: days.size, hour, weekday, hourShare: near / events, weekdayShare: byWeekday[weekday]! / events, byHour, byWeekday };
}

/** Whether an event at this baseline's hour and weekday is unusual for its key. */
export function unusualHour(s: HoursSettings, b: HoursBaseline): boolean {
  return b.hourShare <= s.max_share || b.weekdayShare <= s.max_share;
}
