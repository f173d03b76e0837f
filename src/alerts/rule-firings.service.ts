// Above ~400 lines on purpose: the rule kinds judged beyond one plain window (volume,
// Sigma, travel, hours, rarity, new values) share the history read, the evidence limit and the
// evaluation budget; one kind per file would repeat that plumbing.
import { Injectable } from '@nestjs/common';
import { userAgentFamily } from '../events/client-info.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { AlertWindowsRepository, MAX_ROWS, type Evidence, type ValueHistoryRow } from './alert-windows.repository.js';
import { type RuleRecord } from './alerts.repository.js';
import type { RuleKind } from './alerts.schema.js';
import { EvaluationBudget } from './evaluation-budget.js';
import { GeoService } from './geo.service.js';
import { compileSigma, fieldValues } from './sigma.js';
import { hoursBaseline, volumeDetails, impossibleTravel, unusualHour, keyOf, parseEvalEvent, volumeBaseline, type EvalEvent, type Firing, type Located } from './rule-definition.js';

/** Evidence kept per alert. */
export const EVIDENCE_LIMIT = 20;
export const HOUR_MS = 3_600_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** What a baseline rule's events are judged against ({@link RuleFirings.baselineHistory}). */
export type BaselineHistory = { values: ValueHistoryRow[] } | { hours: { key: string; bucketMs: number; n: number }[] };

/** Kinds judged against each key's own history, event by event. */
export function isBaselineKind(kind: RuleKind): kind is 'new_value' | 'travel' | 'hours' | 'rarity' {
  return kind === 'new_value' || kind === 'travel' || kind === 'hours' || kind === 'rarity';
}

/** A rule's firing on one key, with what the alert about it needs. */
export interface RuleFiring extends Firing {
  count: number;
  event?: EvalEvent;
  details?: Record<string, unknown>;
  /** Evidence the firing found itself (sigma correlations). */
  found?: Evidence;
}

/**
 * The firings of the rule kinds judged against a key's own history (new value, volume, travel,
 * working hours, rarity, Sigma) for a rule's new events in one chunk of the log: each reads the
 * history it needs from ClickHouse, then charges its own processing to the rule's budget.
 */
@Injectable()
export class RuleFirings {
  constructor(
    private readonly windows: AlertWindowsRepository,
    private readonly geo: GeoService,
  ) {}

  /**
   * Firings of a rule judged against each key's own history (new value, travel, hours,
   * rarity): the history the rule's new events need, read from ClickHouse, then judged per
   * event ({@link judgeBaseline}). Backtests read the history of a whole range once and judge
   * with the same function.
   */
  async baselineFirings(scope: TenantScope, rule: RuleRecord, fresh: EvalEvent[], receivedUpTo: number, now: number, budget: EvaluationBudget): Promise<RuleFiring[]> {
    const judged = this.judgeable(rule, fresh);
    if (judged.length === 0) return [];
    const keys = [...new Set(judged.map((e) => keyOf(e, rule.definition.group_by)))];
    const times = judged.map((e) => e.t);
    const history = await this.baselineHistory(scope, rule, { keys, minT: Math.min(...times), maxT: Math.max(...times), receivedUpTo }, now);
    return budget.run(rule.id, () => this.judgeBaseline(rule, judged, history)) ?? [];
  }

  /** The events a baseline rule judges: every matching one, or (travel) those whose IP is located. */
  judgeable(rule: RuleRecord, fresh: EvalEvent[]): EvalEvent[] {
    return rule.kind === 'travel' ? fresh.filter((e) => this.geo.location(e.ip) !== undefined) : fresh;
  }

  /** How far before an event its baseline reaches. */
  baselineLookbackMs(rule: RuleRecord): number {
    const d = rule.definition;
    if (rule.kind === 'travel') return d.travel!.lookback_hours * HOUR_MS;
    const days = rule.kind === 'new_value' ? d.new_value!.lookback_days : rule.kind === 'hours' ? d.hours!.lookback_days : d.rarity!.lookback_days;
    return days * 86_400_000;
  }

  /**
   * The history events of these keys occurring in [minT, maxT] are judged against: per actor
   * and hour bucket the values seen (new value: the field; travel: IPs; rarity: every action
   * of the actor, not only the filter's), or (hours) the key's matching events per clock hour.
   * Look-backs of a day or more make "seen in [t − look-back, t)" exact with hour buckets.
   * `maxRows`: rows at most (a backtest tells a full read from a whole one).
   */
  async baselineHistory(scope: TenantScope, rule: RuleRecord, p: { keys: string[]; minT: number; maxT: number; receivedUpTo: number; maxRows?: number }, now: number): Promise<BaselineHistory> {
    const d = rule.definition;
    const lookbackMs = this.baselineLookbackMs(rule);
    if (rule.kind === 'hours') {
      const minHour = Math.floor(p.minT / HOUR_MS) * HOUR_MS;
      const maxHour = Math.floor(p.maxT / HOUR_MS) * HOUR_MS;
      const rows = await this.windows.intervalCounts(
        scope,
        { filter: d.filter, groupBy: d.group_by, keys: p.keys, fromMs: minHour - lookbackMs, toMs: maxHour, intervalMs: HOUR_MS, receivedUpTo: p.receivedUpTo, maxRows: p.maxRows },
        now,
      );
      return { hours: rows };
    }
    // Client families are parsed from the stored user agents, as countries are located from the IPs.
    const field = rule.kind === 'new_value' ? (d.new_value!.field === 'client' ? 'user_agent' : d.new_value!.field) : rule.kind === 'travel' ? 'ip' : 'action';
    // Rarity is judged against everything the actor did, within the filter's actor types and organizations.
    const filter = rule.kind === 'rarity' ? { actions: ['*'], actor_types: d.filter.actor_types, organizations: d.filter.organizations } : d.filter;
    const values = await this.windows.valueHistory(scope, { filter, field, actors: p.keys, fromMs: p.minT - lookbackMs, toMs: p.maxT, receivedUpTo: p.receivedUpTo, maxRows: p.maxRows }, now);
    return { values };
  }

  /** The firings of events (in any order) against history read by {@link baselineHistory} for at least their keys and times: the rule's own processing. */
  judgeBaseline(rule: RuleRecord, fresh: EvalEvent[], history: BaselineHistory): RuleFiring[] {
    if ('hours' in history) return this.unusualHours(rule, fresh, history.hours);
    if (rule.kind === 'new_value') return this.newValues(rule, fresh, history.values);
    if (rule.kind === 'travel') return this.travels(rule, fresh, history.values);
    return this.rareActions(rule, fresh, history.values);
  }

  /**
   * Volume rules: per key and clock hour the new events fall in, the hour's count against the
   * key's own baseline (its active hours in the look-back before that hour, {@link volumeBaseline}).
   * An hour fires once, at its `required`-th event (by occurred_at): when that event is new, or
   * when new events (arriving late) pushed an hour whose older events were below the count over it.
   */
  async volumeFirings(scope: TenantScope, rule: RuleRecord, fresh: EvalEvent[], receivedUpTo: number, now: number, budget: EvaluationBudget): Promise<RuleFiring[]> {
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
          const details = volumeDetails(v, h.hourMs, h.x, h.base);
          return [{ key: h.key, atMs: at.t, eventId: at.eventId, count: h.x, details }];
        }),
      ) ?? []
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
  async sigmaFirings(scope: TenantScope, rule: RuleRecord, fresh: EvalEvent[], receivedUpTo: number, now: number, budget: EvaluationBudget): Promise<RuleFiring[]> {
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

  /**
   * Impossible travel: each located sign-in against the actor's previous located one (by
   * occurred_at, within lookback_hours before it). The actor's sign-ins come per IP and hour
   * (earliest and latest occurrence), so the previous one is exact except within the event's
   * own hour, where the earliest earlier occurrence of an IP stands for it.
   */
  private travels(rule: RuleRecord, located: EvalEvent[], history: ValueHistoryRow[]): RuleFiring[] {
    const tr = rule.definition.travel!;
    const lookbackMs = tr.lookback_hours * HOUR_MS;
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
    for (const e of [...located].sort((a, b) => a.t - b.t)) {
      const l = this.geo.location(e.ip);
      if (!l) continue;
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
  }

  /**
   * Unusual hour: each event against its key's hourly counts over the look-back before the
   * event's clock hour ({@link hoursBaseline}); fires when the time of day or the weekday holds
   * at most max_share of that history. Suppression (never less than an hour) keeps the first.
   */
  private unusualHours(rule: RuleRecord, fresh: EvalEvent[], rows: readonly { key: string; bucketMs: number; n: number }[]): RuleFiring[] {
    const hs = rule.definition.hours!;
    const d = rule.definition;
    const lookbackMs = hs.lookback_days * 86_400_000;
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
  }

  /**
   * Rare action: each event against its actor's actions of the look-back before it (per hour:
   * exact for look-backs of a day or more, as for new values). Fires when the actor has at
   * least min_history_hours active hours and did this action in at most max_hours of them.
   */
  private rareActions(rule: RuleRecord, fresh: EvalEvent[], history: ValueHistoryRow[]): RuleFiring[] {
    const ra = rule.definition.rarity!;
    const lookbackMs = ra.lookback_days * 86_400_000;
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
  }

  /**
   * First time an actor is seen with a value (country, IP, user agent, client family) within
   * the look-back before each event, for actors with history there (require_history: one
   * bucket; min_history_days: buckets on that many UTC days).
   */
  private newValues(rule: RuleRecord, fresh: EvalEvent[], history: ValueHistoryRow[]): RuleFiring[] {
    const nv = rule.definition.new_value!;
    const valueOf = (raw: string): string | undefined => (nv.field === 'country' ? this.geo.country(raw) : nv.field === 'client' ? userAgentFamily(raw) : raw || undefined);
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
      const value = valueOf(nv.field === 'user_agent' || nv.field === 'client' ? e.userAgent : e.ip);
      if (value === undefined) continue;
      const inLookback = (x: number) => x >= e.t - lookbackMs && x < e.t;
      const seen = (byActor.get(e.actorId) ?? []).filter((b) => inLookback(b.lo) || inLookback(b.hi));
      if (nv.require_history !== false && seen.length === 0) continue;
      if (nv.min_history_days !== undefined && new Set(seen.map((b) => Math.floor(b.lo / 86_400_000))).size < nv.min_history_days) continue;
      // Most recent first (then by value): the same list however the history was read.
      const latest = new Map<string, number>();
      for (const b of seen) if (b.value !== undefined) latest.set(b.value, Math.max(latest.get(b.value) ?? b.hi, b.hi));
      const before = [...latest].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([v]) => v);
      if (before.includes(value)) continue;
      const details: Record<string, unknown> = { field: nv.field, value, previous_values: before.slice(0, 10), lookback_days: nv.lookback_days };
      if (nv.field === 'country' && e.ip) details.ip = e.ip;
      if (nv.field === 'client') details.user_agent = e.userAgent;
      if (nv.min_history_days !== undefined) details.history_days = new Set(seen.map((b) => Math.floor(b.lo / 86_400_000))).size;
      out.push({ key: e.actorId, atMs: e.t, eventId: e.id, count: 1, event: e, details });
    }
    return out;
  }
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
