import { Injectable, Logger } from '@nestjs/common';
import { AuditTrailService, type TrailEntry } from '../events/audit-trail.service.js';
import type { EventInput } from '../events/event.schema.js';
import { EventLog } from '../events/event-log.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { AlertsRepository, type AlertRecord, type NewAlert, type RuleRecord } from './alerts.repository.js';
import { CheckedClock } from '../common/checked-clock.js';

export const ALERTS_ACTOR: EventInput['actor'] = { type: 'system', id: 'alerts', name: 'Veritrail alerts' };
/** An alert whose trail entry is still missing this long after it was stored was interrupted by a crash: written again (once). */
const OUTBOX_GRACE_MS = 30_000;
/** The trail entry of a rule the evaluator disabled (the same action as a disable through the API, by the alerts actor). */
const RULE_DISABLED_ACTION = 'veritrail.alert_rule.disabled';

/**
 * The alerts' outbox to the trail: an alert (or a rule the evaluator disabled) is committed
 * first, then written to the trail as veritrail.alert.triggered (or .recorded, or
 * veritrail.alert_rule.disabled) and marked written; after a crash in between, the entry is
 * written again unless the trail already holds it — never twice.
 */
@Injectable()
export class AlertOutbox {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly repo: AlertsRepository,
    private readonly trail: AuditTrailService,
    private readonly log: EventLog,
    // The grace is measured against when alerts were written (PostgreSQL times), not the Clock.
    private readonly stamps: CheckedClock,
  ) {}

  /** Writes the alerts' trail entries (one INSERT), then marks them written. */
  async record(scope: TenantScope, alerts: (NewAlert | AlertRecord)[]): Promise<void> {
    if (alerts.length === 0) return;
    await this.trail.record(scope, alerts.map(trailEntry));
    await this.repo.markRecorded(scope, alerts.map((a) => a.id));
  }

  /** Writes the trail entries of rules the evaluator disabled (one INSERT), then marks them written. */
  async recordDisabled(scope: TenantScope, disabled: { rule: Pick<RuleRecord, 'id' | 'name'>; reason: string; message: string }[]): Promise<void> {
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
  async recordInterrupted(scope: TenantScope): Promise<void> {
    const disabled = await this.repo.unrecordedDisabledRules(scope, this.stamps.date(-OUTBOX_GRACE_MS));
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
    const pending = await this.repo.unrecordedAlerts(scope, this.stamps.date(-OUTBOX_GRACE_MS));
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
