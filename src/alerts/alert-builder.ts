import { uuidv7 } from '../common/ids.js';
import { type Evidence } from './alert-windows.repository.js';
import { type NewAlert, type RuleRecord } from './alerts.repository.js';
import { humanDuration, silenceDetails, type EvalEvent, type SilenceFiring } from './rule-definition.js';
import type { RuleFiring } from './rule-firings.service.js';

/** The alert a firing raises: its summary and details per rule kind, and the evidence behind it. */
export function buildAlert(rule: RuleRecord, f: RuleFiring & { suppressed: number; lastSuppressedMs: number | undefined }, found: Evidence | undefined, now: number): NewAlert {
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

/** The alert of a silence (live evaluation and backtests): the key's last event is its evidence; grouped by organization, the key is its organization. */
export function silenceAlert(rule: RuleRecord, f: SilenceFiring & { suppressed: number; lastSuppressedMs: number | undefined }, now: number): NewAlert {
  const firing = { key: f.key, atMs: f.atMs, eventId: f.eventId, count: f.eventsInLookback, details: silenceDetails(rule.definition.silence!, f), suppressed: f.suppressed, lastSuppressedMs: f.lastSuppressedMs };
  const a = buildAlert(rule, firing, { ids: [f.eventId], count: 1, firstMs: f.lastEventMs, lastMs: f.atMs, organizations: [] }, now);
  return { ...a, organizationId: rule.definition.group_by === 'organization' ? f.key : undefined };
}

/**
 * The organization an alert is about: the one organization of every event behind it (its
 * window's events, the firing event), or undefined when they span several or have none.
 */
export function alertOrganization(f: RuleFiring, found: Evidence | undefined, evs: readonly EvalEvent[]): string | undefined {
  const orgs = new Set(found?.organizations ?? []);
  const own = f.event ?? evs.find((e) => e.id === f.eventId);
  if (own) orgs.add(own.organizationId);
  const [only] = orgs;
  return orgs.size === 1 && only !== '' ? only : undefined;
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10} %`;
}

function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
