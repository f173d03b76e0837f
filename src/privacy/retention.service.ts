import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { UnprocessableError, ValidationError, type ErrorDetail } from '../common/errors.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AuditTrailService, keyActor, type RequestMeta } from '../events/audit-trail.service.js';
import { EventLog } from '../events/event-log.service.js';
import { JobRunner, type JobContext, type JobCounts } from '../jobs/job-runner.service.js';
import { PlansService } from '../billing/plans.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import type { StoredRetentionPolicy } from '../tenancy/retention-rules.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { TenantsService } from '../tenancy/tenants.service.js';
import { ErasureService } from './erasure.service.js';
import type { RetentionSettings, RetentionSettingsInput } from './retention.schema.js';

/** PCI DSS 10.5.1: audit trail history kept for at least twelve months. */
const PCI_MINIMUM_DAYS = 365;

/**
 * Retention settings (default, per-action overrides, legal holds) and the job that physically
 * deletes what retention no longer keeps. Expiry itself is a query predicate (every read hides
 * an expired event at once); the job removes the bytes: a lightweight DELETE per tenant, then a
 * rewrite of the partitions holding deleted rows, whose old parts ClickHouse removes from disk
 * shortly after (docs/operations.md: within RETENTION_INTERVAL plus a few minutes, well inside
 * the promised 24 h). The Merkle leaves of deleted events stay, so verification reports them as
 * expired.
 */
@Injectable()
export class RetentionService implements OnModuleInit {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly tenants: TenantsService,
    private readonly directory: TenantDirectory,
    private readonly events: EventLog,
    private readonly erasures: ErasureService,
    private readonly trail: AuditTrailService,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    private readonly plans: PlansService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ kind: 'retention', intervalMs: this.config.retention.jobIntervalMs, run: (ctx) => this.sweep(ctx) });
  }

  /** The longest retention a tenant may set: the install's maximum, lowered by the tenant's plan (src/billing). */
  async maxDays(tenantId: string): Promise<number> {
    return Math.min(this.config.retention.maxDays, (await this.plans.limitsFor(tenantId)).maxRetentionDays);
  }

  async get(principal: ApiKeyPrincipal): Promise<RetentionSettings> {
    const r = await this.tenants.retention(principal.tenant.id);
    return this.view(principal.tenant.id, r.retentionDays, r.retentionPolicy as StoredRetentionPolicy, r.retentionFloorDays);
  }

  async put(principal: ApiKeyPrincipal, body: RetentionSettingsInput, meta: RequestMeta): Promise<RetentionSettings> {
    const tenantId = principal.tenant.id;
    const max = await this.maxDays(tenantId);
    const details: ErrorDetail[] = [];
    const allDays: [string, number][] = [['default_days', body.default_days], ...(body.actions ?? []).map((a, i): [string, number] => [`actions[${i}].days`, a.days])];
    for (const [field, days] of allDays) if (days > max) details.push({ field, code: 'above_maximum', message: `At most ${max} days.` });
    const seenActions = new Set<string>();
    (body.actions ?? []).forEach((a, i) => {
      if (seenActions.has(a.action)) details.push({ field: `actions[${i}].action`, code: 'duplicate', message: 'Each action appears once.' });
      seenActions.add(a.action);
    });
    const seenOrgs = new Set<string>();
    (body.legal_holds ?? []).forEach((h, i) => {
      if (seenOrgs.has(h.organization_id)) details.push({ field: `legal_holds[${i}].organization_id`, code: 'duplicate', message: 'Each organization appears once.' });
      seenOrgs.add(h.organization_id);
    });
    if (details.length > 0) throw new ValidationError(details);
    const pci = body.pci_dss ?? false;
    const shortest = Math.min(...allDays.map(([, d]) => d));
    if (pci && shortest < PCI_MINIMUM_DAYS && body.override_reason === undefined) {
      throw new UnprocessableError(
        'retention_below_minimum',
        `PCI DSS requires at least ${PCI_MINIMUM_DAYS} days of audit history; give override_reason to go below it (it is recorded).`,
        allDays.filter(([, d]) => d < PCI_MINIMUM_DAYS).map(([field]) => ({ field, code: 'retention_below_minimum', message: `Below ${PCI_MINIMUM_DAYS} days.` })),
      );
    }

    const before = await this.tenants.retention(tenantId);
    const previous = (before.retentionPolicy ?? {}) as StoredRetentionPolicy;
    const now = new Date().toISOString();
    const since = new Map((previous.legal_holds ?? []).map((h) => [h.organization_id, h.since]));
    const policy: StoredRetentionPolicy = {
      actions: (body.actions ?? []).map((a) => ({ action: a.action, days: a.days })),
      legal_holds: (body.legal_holds ?? []).map((h) => ({ organization_id: h.organization_id, reason: h.reason, since: since.get(h.organization_id) ?? now })),
      pci_dss: pci,
    };
    const after = await this.tenants.updateRetention(tenantId, body.default_days, policy, shortest);

    const scope = TenantScope.forTenant(after);
    const placed = (policy.legal_holds ?? []).filter((h) => !since.has(h.organization_id));
    const lifted = (previous.legal_holds ?? []).filter((h) => !seenOrgs.has(h.organization_id));
    const actor = keyActor(principal);
    await this.trail.record(
      scope,
      [
        {
          action: 'veritrail.retention.updated',
          actor,
          targets: [{ type: 'tenant', id: tenantId, name: principal.tenant.name }],
          changes: [
            { field: 'default_days', before: before.retentionDays, after: body.default_days },
            { field: 'actions', before: previous.actions ?? [], after: policy.actions },
            { field: 'pci_dss', before: previous.pci_dss ?? false, after: pci },
          ].filter((c) => JSON.stringify(c.before) !== JSON.stringify(c.after)),
          metadata: body.override_reason !== undefined ? { override_reason: body.override_reason } : undefined,
        },
        ...placed.map((h) => ({
          action: 'veritrail.retention.legal_hold_placed' as const,
          actor,
          organizationId: h.organization_id,
          targets: [{ type: 'organization', id: h.organization_id }],
          metadata: { reason: h.reason },
        })),
        ...lifted.map((h) => ({
          action: 'veritrail.retention.legal_hold_lifted' as const,
          actor,
          organizationId: h.organization_id,
          targets: [{ type: 'organization', id: h.organization_id }],
          metadata: { reason: h.reason, since: h.since },
        })),
      ],
      meta,
    );
    // Erasures that waited for a hold run as soon as it is lifted.
    if (lifted.length > 0) await this.erasures.resumePending(scope);
    return this.view(tenantId, after.retentionDays, policy, after.retentionFloorDays);
  }

  /** One job run: every active tenant's expired events are deleted (one tenant at a time, leased). */
  async sweep(ctx: JobContext, now = this.clock.now()): Promise<JobCounts> {
    let tenants = 0;
    let deleted = 0;
    let after: string | undefined;
    for (;;) {
      const ids = await this.directory.activeIds(after, 500);
      for (const id of ids) {
        if (this.jobs.stopping) return { tenants, deleted };
        const r = await ctx.withLease(`retention:${id}`, 30 * 60_000, async () => {
          const scope = await this.directory.scope(id);
          if (!scope) return 0;
          const n = await this.events.countExpired(scope, now);
          if (n > 0) await this.events.deleteExpired(scope, now);
          return n;
        });
        if (r.acquired) {
          tenants++;
          deleted += r.value;
        }
      }
      if (ids.length < 500) break;
      after = ids[ids.length - 1];
    }
    if (deleted > 0) this.logger.log({ tenants, deleted }, 'expired events deleted');
    // Physical deletion: the DELETEs above (and tenant deletions) only masked rows; rewrite the
    // partitions that hold them so their bytes leave the disk. Install-wide, one process at a time.
    let purged = 0;
    if (!this.jobs.stopping) {
      const p = await ctx.withLease('retention:purge', 30 * 60_000, () => this.events.purgeDeletedRows());
      if (p.acquired) {
        purged = p.value.partitions.length;
        if (p.value.failure) this.logger.warn({ pending: p.value.pending, failure: p.value.failure }, 'an earlier rewrite of the events table keeps failing; deleted rows stay on disk until it succeeds');
        else if (purged > 0) this.logger.log({ partitions: p.value.partitions }, 'partitions with deleted rows queued for rewrite');
      }
    }
    return { tenants, deleted, purged_partitions: purged };
  }

  private async view(tenantId: string, days: number, p: StoredRetentionPolicy, floor: number): Promise<RetentionSettings> {
    return {
      default_days: days,
      actions: p.actions ?? [],
      legal_holds: p.legal_holds ?? [],
      pci_dss: p.pci_dss ?? false,
      max_days: await this.maxDays(tenantId),
      floor_days: floor,
    };
  }
}
