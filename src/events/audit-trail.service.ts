import { Inject, Injectable, Logger } from '@nestjs/common';
import { CheckedClock } from '../common/checked-clock.js';
import { uuidv7 } from '../common/ids.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { keyActor, TenantTrailRegistry, type TenantTrail } from '../tenancy/tenant-trail.js';
import { canonicalMembers } from '../common/canonical.js';
import type { EventInput } from './event.schema.js';
import { EventWriter } from './event-writer.js';
import { buildStoredEvent } from './stored-event.js';
import { EVENT_PRIVACY, type EventPrivacy } from './event-privacy.js';

/** What the HTTP layer knows about the caller, for the context of meta-audit events. */
export type RequestMeta = RequestMetaValue;

// Defined by tenancy (which records trail entries through TenantTrail); exported here for every caller of the trail.
export { keyActor, OPERATOR_ACTOR } from '../tenancy/tenant-trail.js';

export interface TrailEntry {
  action: `veritrail.${string}`;
  actor: EventInput['actor'];
  targets?: EventInput['targets'];
  metadata?: Record<string, unknown>;
  changes?: EventInput['changes'];
  organizationId?: string;
  outcome?: 'success' | 'failure';
}

/**
 * "The audit log audits itself": records veritrail.* events in a tenant's own trail through
 * the same writer as customer events (same table, same hashing, same retention).
 */
@Injectable()
export class AuditTrailService implements TenantTrail {
  private readonly logger = new Logger('AuditTrail');

  constructor(
    private readonly writer: EventWriter,
    private readonly clock: CheckedClock,
    @Inject(EVENT_PRIVACY) private readonly privacy: EventPrivacy,
    tenancy: TenantTrailRegistry,
  ) {
    tenancy.use(this);
  }

  /** Writes the entry and waits for the commit (used for changes: key, tenant, settings). */
  async record(scope: TenantScope, entry: TrailEntry | TrailEntry[], meta: RequestMeta = {}): Promise<void> {
    const entries = Array.isArray(entry) ? entry : [entry];
    await this.writer.write(entries.map((e) => this.build(scope, e, meta)));
  }

  /** Records a tenant admin's settings change ({@link settingsUpdatedEntry}) and waits for the commit. */
  async settingsUpdated(scope: TenantScope, principal: ApiKeyPrincipal, changes: NonNullable<EventInput['changes']>, meta: RequestMeta = {}): Promise<void> {
    await this.record(scope, settingsUpdatedEntry(principal, changes), meta);
  }

  /** Fire-and-forget variant for reads: batched, a failure is logged, the read itself still succeeds. */
  recordInBackground(scope: TenantScope, entry: TrailEntry, meta: RequestMeta = {}): void {
    this.writer
      .writeBackground([this.build(scope, entry, meta)])
      .catch((err: unknown) =>
        this.logger.error({ err: (err as Error).message, action: entry.action, tenant_id: scope.tenantId }, 'could not record read in the audit trail'),
      );
  }

  private build(scope: TenantScope, entry: TrailEntry, meta: RequestMeta) {
    const now = this.clock.now();
    const input: EventInput = {
      action: entry.action,
      occurred_at: new Date(now).toISOString(),
      outcome: entry.outcome ?? 'success',
      actor: entry.organizationId !== undefined ? organizationSafeActor(entry.actor) : entry.actor,
    };
    if (entry.organizationId !== undefined) input.organization_id = entry.organizationId;
    if (entry.targets?.length) input.targets = entry.targets;
    if (entry.metadata) input.metadata = entry.metadata;
    if (entry.changes?.length) input.changes = entry.changes;
    const context = compact({ ip: meta.ip, user_agent: meta.userAgent?.slice(0, 1024), request_id: meta.requestId });
    if (context) input.context = context;
    // Meta-audit entries carry caller-supplied text too (search terms, user agents, filters):
    // the built-in detectors run on them as on customer events, so no secret is stored this way.
    const { event: scrubbed, scrubbed: found } = this.privacy.scrubTrailEntry(input as unknown as Record<string, unknown>);
    const stored = scrubbed as unknown as EventInput;
    const event = { input: stored, occurredAtMs: now, flags: found ? ['scrubbed'] : [], members: canonicalMembers(scrubbed) };
    return buildStoredEvent(event, { tenantId: scope.tenantId, id: uuidv7(now).id, receivedAtMs: now });
  }
}

/**
 * An entry with an organization_id is readable by that organization (its keys, its viewer):
 * the names the tenant gave its API keys ("Initial admin key", "billing sync") are internal to
 * the tenant and never appear there; the key id stays, so the tenant can still tell which key acted.
 */
function organizationSafeActor(actor: EventInput['actor']): EventInput['actor'] {
  if (actor.type !== 'api_key' || actor.name === undefined) return actor;
  const { name: _name, ...rest } = actor;
  return rest;
}

/**
 * The one builder of `veritrail.settings.updated`: a tenant admin changed one of the tenant's
 * settings (auditing, privacy, OCSF mapping, viewer origins). The actor is the key (or viewer
 * user) that acted, the target the tenant itself; `changes` name the setting (`privacy.scrubbing`,
 * `ocsf_mapping`, …) with its value before and after.
 */
export function settingsUpdatedEntry(principal: ApiKeyPrincipal, changes: NonNullable<EventInput['changes']>): TrailEntry {
  return {
    action: 'veritrail.settings.updated',
    actor: keyActor(principal),
    targets: [{ type: 'tenant', id: principal.tenant.id, name: principal.tenant.name }],
    changes,
  };
}

function compact<T extends Record<string, string | undefined>>(o: T): Partial<T> | undefined {
  const out: Partial<T> = {};
  let any = false;
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined && v !== '') {
      (out as Record<string, string>)[k] = v;
      any = true;
    }
  }
  return any ? out : undefined;
}
