import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { bindingOf } from '../common/cursor.js';
import { NotFoundError, ValidationError, type ErrorDetail } from '../common/errors.js';
import { isUuid, uuidv7Timestamp } from '../common/ids.js';
import { parseRfc3339 } from '../common/time.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { prefixPattern } from './action-pattern.js';
import { ActionDisplaysService } from './action-displays.service.js';
import { CrossTenantGuard } from './cross-tenant-guard.js';
import { EVENT_PRIVACY, type EventPrivacy } from './event-privacy.js';
import { AuditTrailService, keyActor, type RequestMeta } from './audit-trail.service.js';
import { HISTOGRAM_DEFAULT_RANGE_MS, HISTOGRAM_WIDTHS_MS, type EventHistogramQuery, type EventListQuery, type EventStatsQuery } from './event-query.schema.js';
import { withClientInfo } from './client-info.js';
import { EventsRepository, type EventFilters } from './events.repository.js';
import { searchTermProblem } from '../storage/clickhouse/query-guard.js';

const MAX_TERMS = 8;

/** A page of stored events: their canonical JSON exactly as stored, never re-serialised. */
export interface EventPage {
  payloads: string[];
  next_cursor: string | null;
}

/** `{"data":[…],"next_cursor":…}` built from stored payloads without parsing them. */
export function eventPageJson(page: EventPage): string {
  return `{"data":[${page.payloads.join(',')}],"next_cursor":${JSON.stringify(page.next_cursor)}}`;
}

/**
 * Where a read of the trail is recorded: in the tenant's own trail (no organization_id, so no
 * organization-scoped key or viewer token ever reads it back), naming the reader's organization
 * in `metadata.organization_id`. Viewer tokens record nothing per request: their session is
 * recorded once, at its first use (src/viewer/viewer-sessions.service.ts). Undefined: not recorded.
 */
function readAudit(principal: ApiKeyPrincipal): { scope: TenantScope; organization: { organization_id: string } | undefined } | undefined {
  if (!principal.tenant.readAuditing || principal.viewer) return undefined;
  return {
    scope: TenantScope.forTenant(principal.tenant),
    organization: principal.organizationId !== undefined ? { organization_id: principal.organizationId } : undefined,
  };
}

/** Reads of the trail: list (keyset pages), one event, stats. Reads are audited unless the tenant opted out. */
@Injectable()
export class EventQueryService {
  constructor(
    private readonly repo: EventsRepository,
    private readonly settings: SystemSettingsService,
    private readonly trail: AuditTrailService,
    @Inject(EVENT_PRIVACY) private readonly personal: EventPrivacy,
    private readonly displays: ActionDisplaysService,
    private readonly guard: CrossTenantGuard,
  ) {}

  /**
   * Stored payloads as this credential may read them: personal data decrypted, [erased] once a
   * subject's key is gone, restricted values only for the privacy scope — and such reads are
   * themselves recorded in the trail.
   */
  async reveal(principal: ApiKeyPrincipal, payloads: string[], meta: RequestMeta, what: string): Promise<string[]> {
    const scope = TenantScope.of(principal);
    const r = await this.personal.reveal(scope, payloads, { restricted: principal.scopes.has('privacy') });
    const audit = r.restrictedShown > 0 ? readAudit(principal) : undefined;
    if (audit) {
      this.trail.recordInBackground(
        audit.scope,
        { action: 'veritrail.privacy.restricted_read', actor: keyActor(principal), metadata: { via: what, values: r.restrictedShown, events: payloads.length, ...audit.organization } },
        meta,
      );
    }
    return r.texts;
  }

  /**
   * Starts loading what the answer needs of the tenant besides its events (display templates,
   * erased subjects) into their caches, so PostgreSQL answers while ClickHouse runs the query
   * instead of after it. Never rejects: a failure shows when the answer is built.
   */
  private prepare(scope: TenantScope): Promise<unknown> {
    return Promise.all([this.displays.forTenant(scope).catch(() => undefined), this.personal.prepareReveal(scope)]);
  }

  /** Payloads with `display` when the tenant has display templates (untouched otherwise). */
  display(principal: ApiKeyPrincipal, payloads: string[], locale: string | undefined): Promise<string[]> {
    return this.displays.decorate(TenantScope.of(principal), payloads, locale);
  }

  async list(principal: ApiKeyPrincipal, query: EventListQuery, meta: RequestMeta): Promise<EventPage> {
    const scope = TenantScope.of(principal);
    const filters = parseFilters(query);
    const order = query.order ?? 'desc';
    const limit = query.limit ?? 50;
    const binding = bindingOf({ f: filters, o: order, s: scope.organizationId ?? null });
    let after: readonly [number, string] | undefined;
    if (query.cursor) {
      const p = this.settings.cursors.decode(query.cursor, 'events', scope.tenantId, binding);
      if (p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'string' || !isUuid(p[1])) {
        throw new ValidationError([{ field: 'cursor', code: 'invalid_cursor', message: 'Malformed cursor.' }]);
      }
      after = [p[0], p[1]];
    }
    const ready = this.prepare(scope);
    const rows = await this.repo.list(scope, filters, { limit: limit + 1, order, after });
    await ready;
    // PR-06: a row of another tenant is never answered; the read is recorded as a breach.
    await this.guard.check(principal, scope, rows, meta, 'events.list');
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? this.settings.cursors.encode('events', scope.tenantId, binding, [last.occurredAtMs, last.id]) : null;
    const audit = readAudit(principal);
    if (audit) {
      const { cursor: _cursor, ...shown } = query;
      this.trail.recordInBackground(
        audit.scope,
        { action: 'veritrail.events.searched', actor: keyActor(principal), metadata: { filters: auditedFilters(shown), returned: page.length, ...audit.organization } },
        meta,
      );
    }
    const payloads = await this.reveal(principal, page.map((r) => r.payload), meta, 'events.list');
    const shown = await this.displays.decorate(scope, payloads, query.locale);
    return { payloads: query.include === 'client' ? withClientInfo(shown) : shown, next_cursor: next };
  }

  /** The stored canonical JSON of one event (with `display` when the tenant has templates). */
  async get(principal: ApiKeyPrincipal, rawId: string, meta: RequestMeta, locale?: string, include?: 'client'): Promise<string> {
    const id = rawId.toLowerCase(); // UUIDs are case-insensitive; ours are written in lower case
    // A malformed id cannot name an event: same answer as an unknown one.
    if (!isUuid(id)) throw new NotFoundError('event');
    const scope = TenantScope.of(principal);
    const ready = this.prepare(scope);
    const payload = await this.repo.get(scope, id, uuidv7Timestamp(id));
    await ready;
    if (payload === undefined) throw new NotFoundError('event');
    const audit = readAudit(principal);
    if (audit) {
      this.trail.recordInBackground(
        audit.scope,
        { action: 'veritrail.event.viewed', actor: keyActor(principal), targets: [{ type: 'event', id }], metadata: audit.organization },
        meta,
      );
    }
    const shown = await this.displays.decorate(scope, await this.reveal(principal, [payload], meta, 'events.get'), locale);
    return (include === 'client' ? withClientInfo(shown) : shown)[0]!;
  }

  /** Events per time bucket and outcome over [from, to) (default: the 30 days up to now). */
  async histogram(principal: ApiKeyPrincipal, query: EventHistogramQuery, meta: RequestMeta, now: number) {
    const scope = TenantScope.of(principal);
    const { buckets: wanted, ...filterQuery } = query;
    const filters = parseFilters(filterQuery);
    const toMs = filters.toMs ?? now;
    const fromMs = filters.fromMs ?? toMs - HISTOGRAM_DEFAULT_RANGE_MS;
    if (fromMs >= toMs) throw new ValidationError([{ field: filters.fromMs === undefined ? 'to' : 'from', code: 'invalid_range', message: 'from must be earlier than to.' }]);
    const width = histogramWidth(fromMs, toMs, wanted ?? 60);
    const rows = await this.repo.histogram(scope, { ...filters, fromMs, toMs }, width);
    const byStart = new Map<number, { start: string; success: number; failure: number; unknown: number }>();
    for (const r of rows) {
      let b = byStart.get(r.startMs);
      if (!b) byStart.set(r.startMs, (b = { start: new Date(r.startMs).toISOString(), success: 0, failure: 0, unknown: 0 }));
      if (r.outcome === 'success' || r.outcome === 'failure' || r.outcome === 'unknown') b[r.outcome] += r.n;
    }
    const audit = readAudit(principal);
    if (audit) {
      this.trail.recordInBackground(
        audit.scope,
        { action: 'veritrail.events.stats_viewed', actor: keyActor(principal), metadata: { filters: auditedFilters(query), ...audit.organization } },
        meta,
      );
    }
    return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), bucket_ms: width, buckets: [...byStart.values()] };
  }

  async stats(principal: ApiKeyPrincipal, query: EventStatsQuery, meta: RequestMeta) {
    const scope = TenantScope.of(principal);
    const s = await this.repo.stats(scope, parseFilters(query));
    const audit = readAudit(principal);
    if (audit) {
      this.trail.recordInBackground(
        audit.scope,
        { action: 'veritrail.events.stats_viewed', actor: keyActor(principal), metadata: { filters: auditedFilters(query), ...audit.organization } },
        meta,
      );
    }
    return { total: s.total, by_action: s.byAction, by_outcome: s.byOutcome, by_day: s.byDay };
  }
}

/**
 * The bucket width for a histogram of [fromMs, toMs) in at most `buckets` buckets: the smallest
 * listed width that fits, else the widest (a long range then gets more, but a bounded number of,
 * buckets: at most (range / 30 days) + 1).
 */
export function histogramWidth(fromMs: number, toMs: number, buckets: number): number {
  const span = toMs - fromMs;
  return HISTOGRAM_WIDTHS_MS.find((w) => Math.ceil(span / w) + 1 <= buckets) ?? HISTOGRAM_WIDTHS_MS[HISTOGRAM_WIDTHS_MS.length - 1]!;
}

/**
 * Filters as the read-audit entry records them: free-text search terms are counted, not kept —
 * they are often a person's name or e-mail address, which must not outlive that person's
 * erasure in the trail's own entries.
 */
export function auditedFilters<T extends { q?: string }>(query: T): Omit<T, 'q'> & { q?: string } {
  if (query.q === undefined) return query;
  const n = query.q.split(/\s+/).filter(Boolean).length;
  return { ...query, q: `[${n} search term${n === 1 ? '' : 's'}]` };
}

/** Semantic checks the query schema cannot express; returns repository filters. */
export function parseFilters(q: EventStatsQuery): EventFilters {
  const details: ErrorDetail[] = [];
  const f: EventFilters = {
    organizationId: q.organization_id,
    actorId: q.actor_id,
    actorType: q.actor_type,
    onBehalfOf: q.on_behalf_of,
    impersonator: q.impersonator,
    involving: q.involving,
    targetId: q.target_id,
    targetType: q.target_type,
    outcome: q.outcome,
  };
  if (q.action !== undefined) {
    const { value, prefix } = prefixPattern(q.action);
    f.action = value;
    if (prefix) f.actionPrefix = true;
  }
  if (q.exclude_action !== undefined) {
    if (q.exclude_action.endsWith('.*')) {
      f.excludeAction = q.exclude_action.slice(0, -1);
      f.excludeActionPrefix = true;
    } else {
      f.excludeAction = q.exclude_action;
    }
  }
  if (q.ip !== undefined) {
    if (isIP(q.ip) === 0) details.push({ field: 'ip', code: 'invalid_format', message: 'Must be an IPv4 or IPv6 address.' });
    else f.ip = q.ip;
  }
  for (const name of ['from', 'to'] as const) {
    const v = q[name];
    if (v === undefined) continue;
    const t = parseRfc3339(v);
    if (!t.ok) details.push({ field: name, code: t.reason === 'missing_offset' ? 'missing_timezone' : 'invalid_format', message: 'Must be an RFC 3339 date-time with an offset.' });
    else if (name === 'from') f.fromMs = t.ms;
    else f.toMs = t.ms;
  }
  if (f.fromMs !== undefined && f.toMs !== undefined && f.fromMs >= f.toMs) {
    details.push({ field: 'to', code: 'invalid_range', message: 'Must be later than from.' });
  }
  if (q.q !== undefined) {
    const terms = q.q.toLowerCase().split(/\s+/).filter(Boolean);
    if (terms.length === 0) details.push({ field: 'q', code: 'required', message: 'At least one search term.' });
    else if (terms.length > MAX_TERMS) details.push({ field: 'q', code: 'too_many_terms', message: `At most ${MAX_TERMS} terms.` });
    else {
      const problem = terms.map(searchTermProblem).find((m) => m !== undefined);
      if (problem) details.push({ field: 'q', code: 'search_term_too_broad', message: problem });
      else f.terms = [...new Set(terms)];
    }
  }
  if (details.length > 0) throw new ValidationError(details);
  return f;
}
