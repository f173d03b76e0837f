import { Injectable } from '@nestjs/common';
import { bindingOf } from '../common/cursor.js';
import { NotFoundError, UnprocessableError, ValidationError } from '../common/errors.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { parseRfc3339 } from '../common/time.js';
import { AuditTrailService, keyActor, type TrailEntry } from '../events/audit-trail.service.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { AlertsRepository, MAX_NOTES, type AlertFilters, type AlertRecord } from './alerts.repository.js';
import type { AlertListQuery, AlertUpdate, AlertView } from './alerts.schema.js';

const ALERT_ID = /^al_[0-9a-f]{32}$/;

/** Alerts through the API: list with filters, get, triage (acknowledge, close, reopen, note, owner). */
@Injectable()
export class AlertsService {
  constructor(
    private readonly repo: AlertsRepository,
    private readonly trail: AuditTrailService,
    private readonly settings: SystemSettingsService,
  ) {}

  async list(principal: ApiKeyPrincipal, q: AlertListQuery): Promise<{ data: AlertView[]; next_cursor: string | null }> {
    const scope = TenantScope.of(principal);
    const filters: AlertFilters = { status: q.status, tier: q.tier, ruleId: q.rule_id, owner: q.owner, groupValue: q.group_value, fromMs: time(q.from, 'from'), toMs: time(q.to, 'to') };
    const limit = q.limit ?? 50;
    const binding = bindingOf({ ...filters });
    const before = this.settings.cursors.decodeKeyset(q.cursor, 'alerts', scope.tenantId, binding);
    const rows = await this.repo.listAlerts(scope, filters, limit + 1, before);
    const { page, next } = this.settings.cursors.keysetPage(rows, limit, 'alerts', scope.tenantId, binding);
    return { data: page.map(alertView), next_cursor: next };
  }

  async get(principal: ApiKeyPrincipal, id: string): Promise<AlertView> {
    return alertView(await this.find(TenantScope.of(principal), id));
  }

  async update(principal: ApiKeyPrincipal, id: string, body: AlertUpdate, meta: RequestMetaValue): Promise<AlertView> {
    const scope = TenantScope.of(principal);
    const fields = Object.keys(body);
    if (fields.length === 0) throw new ValidationError([{ field: 'status', code: 'required', message: 'Give at least one of status, resolution, owner, note.' }]);
    const before = await this.find(scope, id);
    const status = body.status ?? before.status;
    if (body.resolution !== undefined && status !== 'closed') {
      throw new ValidationError([{ field: 'resolution', code: 'not_allowed', message: 'A resolution goes with status closed.' }]);
    }
    // A viewer token (Streams tab) acts for its user: the organization never sees the tenant's key that minted it.
    const by = principal.viewer ? (principal.viewer.userId ?? principal.viewer.sessionId) : principal.keyId;
    const r = await this.repo.updateAlert(scope, id, {
      status: body.status,
      resolution: body.resolution,
      owner: body.owner,
      note: body.note === undefined ? undefined : { at: new Date().toISOString(), by, text: body.note },
      by,
    });
    if (r === undefined) throw new NotFoundError('alert');
    if (r === 'too_many_notes') throw new UnprocessableError('too_many_notes', `An alert keeps at most ${MAX_NOTES} notes.`, [{ field: 'note', code: 'too_many_notes', message: 'The alert has no room for another note.' }]);
    const entry: TrailEntry = {
      action: trailAction(before.status, body.status),
      actor: keyActor(principal),
      targets: [{ type: 'alert', id, name: before.ruleName }],
      metadata: {
        fields,
        ...(body.resolution !== undefined ? { resolution: body.resolution } : {}),
        ...(body.note !== undefined ? { note: body.note } : {}),
      },
      changes: [
        ...(body.status !== undefined && body.status !== before.status ? [{ field: 'status', before: before.status, after: body.status }] : []),
        ...(body.owner !== undefined && body.owner !== (before.owner ?? null) ? [{ field: 'owner', before: before.owner ?? null, after: body.owner }] : []),
      ],
    };
    await this.trail.record(scope, entry, meta);
    return alertView(r);
  }

  private async find(scope: TenantScope, id: string): Promise<AlertRecord> {
    if (!ALERT_ID.test(id)) throw new NotFoundError('alert');
    const a = await this.repo.getAlert(scope, id);
    if (!a) throw new NotFoundError('alert');
    return a;
  }
}

function trailAction(before: string, after: string | undefined): TrailEntry['action'] {
  if (after === undefined || after === before) return 'veritrail.alert.updated';
  if (after === 'acknowledged') return 'veritrail.alert.acknowledged';
  if (after === 'closed') return 'veritrail.alert.closed';
  return 'veritrail.alert.reopened';
}

function time(v: string | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const t = parseRfc3339(v);
  if (!t.ok) throw new ValidationError([{ field, code: 'invalid_format', message: 'Must be an RFC 3339 date-time with an offset.' }]);
  return t.ms;
}

export function alertView(a: AlertRecord): AlertView {
  return {
    id: a.id,
    rule_id: a.ruleId,
    rule_name: a.ruleName,
    kind: a.kind,
    tier: a.tier,
    owner: a.owner ?? null,
    status: a.status,
    resolution: (a.resolution as AlertView['resolution']) ?? null,
    group_by: a.groupBy,
    group_value: a.groupValue,
    summary: a.summary,
    details: a.details,
    triggered_at: a.triggeredAt.toISOString(),
    first_seen_at: a.firstSeenAt.toISOString(),
    last_seen_at: a.lastSeenAt.toISOString(),
    event_count: a.eventCount,
    event_ids: a.eventIds,
    suppressed_count: a.suppressedCount,
    last_suppressed_at: a.lastSuppressedAt?.toISOString() ?? null,
    notes: a.notes,
    acknowledged_at: a.acknowledgedAt?.toISOString() ?? null,
    acknowledged_by: a.acknowledgedBy ?? null,
    closed_at: a.closedAt?.toISOString() ?? null,
    closed_by: a.closedBy ?? null,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}
