import { Injectable, Logger } from '@nestjs/common';
import { CheckedClock } from '../common/checked-clock.js';
import { uuidv7 } from '../common/ids.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { AuditTrailService, type RequestMeta } from './audit-trail.service.js';
import { EventWriter } from './event-writer.js';
import { EventsRepository, type EventPageRow } from './events.repository.js';
import { systemTrailScope } from './system-trail.js';

/** How far back the reader's own read trail is searched for the breach timeline. */
export const BREACH_TIMELINE_LOOKBACK_MS = 24 * 3_600_000;
const TIMELINE_MAX = 50;
const EVENT_IDS_MAX = 20;
const SYSTEM_ACTOR = { type: 'system' as const, id: 'veritrail', name: 'Veritrail' };

/** Thrown when a read returned rows of another tenant: answered 500, nothing of them is sent. */
export class CrossTenantReadError extends Error {
  constructor(readonly breachId: string) {
    super(`cross-tenant read blocked (breach ${breachId})`);
  }
}

/**
 * PR-06, defence in depth on the read path (docs/security.md "Breach drill"): every row a search
 * returns carries the tenant it is stored under, and a row that is not the reader's is never
 * answered. Such a read is a personal-data breach to assess (GDPR Art. 33): a breach record goes
 * into the system trail (`veritrail.security.breach_recorded`, sealed like any trail) with the
 * timeline rebuilt from the audit-of-audit trail — the reader key's own recorded reads
 * (`veritrail.*` entries of that key in its tenant's trail) before the blocked read — and each
 * tenant whose rows were read gets a notice in its own trail (`veritrail.security.breach_notified`,
 * the processor's notice to the controller, Art. 33(2)), written before the reader's request is
 * answered. The notice does not name the reading tenant (another customer); the breach record does.
 */
@Injectable()
export class CrossTenantGuard {
  private readonly logger = new Logger('Security');

  constructor(
    private readonly trail: AuditTrailService,
    private readonly events: EventsRepository,
    private readonly clock: CheckedClock,
    private readonly writer: EventWriter,
  ) {}

  /** Throws CrossTenantReadError (after recording the breach) when a row is not the scope's tenant's. */
  async check(principal: ApiKeyPrincipal, scope: TenantScope, rows: readonly EventPageRow[], meta: RequestMeta, via: string): Promise<void> {
    const foreign = rows.filter((r) => r.tenantId !== scope.tenantId);
    if (foreign.length === 0) return;
    const breachId = uuidv7().id;
    const detectedAt = new Date(this.clock.now()).toISOString();
    // Logged without any content of the rows.
    this.logger.error({ breach_id: breachId, tenant_id: scope.tenantId, key_id: principal.keyId, rows: foreign.length, via }, 'cross-tenant read blocked');
    const victims = new Map<string, string[]>();
    for (const r of foreign) victims.set(r.tenantId, [...(victims.get(r.tenantId) ?? []), r.id]);
    const timeline = await this.timeline(principal, scope, detectedAt, meta, via, foreign.length);
    const affected = [...victims].map(([tenantId, ids]) => ({ tenant_id: tenantId, events: ids.length, event_ids: ids.slice(0, EVENT_IDS_MAX) }));
    // The processor's notice to each controller whose data was read, before anything else.
    for (const { tenant_id, events, event_ids } of affected) {
      await this.trail.record(
        TenantScope.forTenant({ id: tenant_id, retentionDays: 36_500 }),
        {
          action: 'veritrail.security.breach_notified',
          actor: SYSTEM_ACTOR,
          outcome: 'failure',
          targets: event_ids.map((id) => ({ type: 'event', id })),
          metadata: {
            breach_id: breachId,
            kind: 'cross_tenant_read',
            detected_at: detectedAt,
            events_read: events,
            disclosed: false,
            accessor: 'another tenant of this installation (named in the operator breach record)',
            measures: 'the read was answered with an error; none of these events left the service',
          },
        },
        { requestId: meta.requestId },
      );
    }
    await this.trail.record(systemTrailScope(), {
      action: 'veritrail.security.breach_recorded',
      actor: SYSTEM_ACTOR,
      outcome: 'failure',
      targets: affected.map((a) => ({ type: 'tenant', id: a.tenant_id })),
      metadata: {
        breach_id: breachId,
        kind: 'cross_tenant_read',
        detected_at: detectedAt,
        via,
        disclosed: false,
        reader: { tenant_id: scope.tenantId, key_id: principal.keyId, ...(scope.organizationId !== undefined ? { organization_id: scope.organizationId } : {}) },
        request_id: meta.requestId ?? null,
        affected,
        notified: affected.map((a) => a.tenant_id),
        timeline,
      },
    });
    throw new CrossTenantReadError(breachId);
  }

  /**
   * The reader key's recorded activity (its veritrail.* entries in its tenant's trail, oldest
   * first, the last TIMELINE_MAX of the lookback window), then the blocked read itself.
   */
  private async timeline(principal: ApiKeyPrincipal, scope: TenantScope, detectedAt: string, meta: RequestMeta, via: string, rows: number) {
    const readerTrail = TenantScope.forTenant(principal.tenant);
    const since = Date.parse(detectedAt) - BREACH_TIMELINE_LOOKBACK_MS;
    let entries: { at: string; action: string; request_id?: string; returned?: unknown }[] = [];
    try {
      // Reads are recorded in the background: commit what is pending so the trail is complete.
      await this.writer.flush();
      const recorded = await this.events.list(readerTrail, { action: 'veritrail.', actionPrefix: true, actorId: principal.keyId, fromMs: since }, { limit: TIMELINE_MAX, order: 'desc' });
      entries = recorded
        .filter((r) => r.tenantId === readerTrail.tenantId)
        .map((r) => JSON.parse(r.payload) as { occurred_at: string; action: string; context?: { request_id?: string }; metadata?: { returned?: unknown } })
        .map((e) => ({ at: e.occurred_at, action: e.action, ...(e.context?.request_id ? { request_id: e.context.request_id } : {}), ...(e.metadata?.returned !== undefined ? { returned: e.metadata.returned } : {}) }))
        .reverse();
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, 'could not read the reader trail for the breach timeline');
    }
    return [
      ...entries,
      { at: detectedAt, action: 'cross_tenant_read.blocked', ...(meta.requestId ? { request_id: meta.requestId } : {}), via, foreign_rows: rows, organization_scoped: scope.organizationId !== undefined },
    ];
  }
}
