import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { NotFoundError, UnprocessableError, ValidationError, type ErrorDetail } from '../common/errors.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AuditTrailService, keyActor, type RequestMeta } from '../events/audit-trail.service.js';
import { ApiKeyAuthService } from '../tenancy/api-key-auth.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import type { RetentionRules } from '../tenancy/retention-rules.js';
import { TenantDirectory } from '../tenancy/tenant-directory.service.js';
import { TenantRetentionRegistry, type TenantRetention, type TenantRetentionSource } from '../tenancy/tenant-retention.js';
import { LegalHoldLifts } from './legal-hold-lifts.js';
import { RetentionCeilingRegistry } from './retention-ceiling.js';
import { RetentionPolicyRepository, type StoredAction, type StoredRetention } from './retention-policy.repository.js';
import type { RetentionSettings, RetentionSettingsInput } from './retention.schema.js';

/** PCI DSS 10.5.1: audit trail history kept for at least twelve months. */
const PCI_MINIMUM_DAYS = 365;

/** The rules the read path applies, from the stored policy. */
export function retentionRules(defaultDays: number, actions: readonly StoredAction[], heldOrganizations: readonly string[]): RetentionRules {
  const sorted = actions
    .map((a) => (a.action.endsWith('.*') ? { action: a.action.slice(0, -1), prefix: true, days: a.days } : { action: a.action, prefix: false, days: a.days }))
    // Exact matches first, then the longest prefix: the most specific rule wins.
    .sort((x, y) => Number(x.prefix) - Number(y.prefix) || y.action.length - x.action.length);
  return { defaultDays, actions: sorted, heldOrganizations: [...heldOrganizations] };
}

function toTenantRetention(s: StoredRetention): TenantRetention {
  return { defaultDays: s.defaultDays, floorDays: s.floorDays, rules: retentionRules(s.defaultDays, s.actions, s.legalHolds.map((h) => h.organization_id)) };
}

/**
 * A tenant's retention policy: the default, per-action overrides, legal holds and the floor
 * (retention_policies). Tenancy reads it through the registry it defines (principal and scope
 * carry the rules); billing lowers it to a plan's maximum with {@link clampTo}. Expiry itself is
 * a query predicate built from these rules (ScopedWhere); the sweep job removes the bytes.
 */
@Injectable()
export class RetentionPolicyService implements TenantRetentionSource {
  constructor(
    private readonly repo: RetentionPolicyRepository,
    registry: TenantRetentionRegistry,
    private readonly directory: TenantDirectory,
    private readonly auth: ApiKeyAuthService,
    private readonly holdLifts: LegalHoldLifts,
    private readonly trail: AuditTrailService,
    private readonly ceiling: RetentionCeilingRegistry,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    registry.use(this);
  }

  // ---------- TenantRetentionSource (tenancy) ----------

  async of(tenantIds: readonly string[]): Promise<Map<string, TenantRetention>> {
    return new Map((await this.repo.many(tenantIds)).map((s) => [s.tenantId, toTenantRetention(s)]));
  }

  create(tx: Prisma.TransactionClient, tenantId: string, days: number): Promise<void> {
    return this.repo.create(tx, tenantId, days);
  }

  setDefault(tx: Prisma.TransactionClient, tenantId: string, days: number): Promise<void> {
    return this.repo.setDefault(tx, tenantId, days);
  }

  // ---------- billing ----------

  /**
   * Lowers the tenant's retention (default and per-action overrides, and the floor with them) to
   * `maxDays` where it is above it; every read on this replica follows at once. Returns what
   * changed, or undefined when nothing was above the maximum.
   */
  async clampTo(tenantId: string, maxDays: number): Promise<{ before: number; after: number; actionsClamped: number } | undefined> {
    const r = await this.repo.clampTo(tenantId, maxDays);
    if (r) this.auth.evict({ tenantId });
    return r;
  }

  /** Tenants above their ceiling; `ceilings` is a query of (tenant_id, max_days) rows (billing's plans). */
  above(ceilings: Prisma.Sql, limit: number): Promise<{ tenantId: string; maxDays: number }[]> {
    return this.repo.above(ceilings, limit);
  }

  // ---------- GET/PUT /v1/settings/retention ----------

  /** The longest retention a tenant may set: the install's maximum, lowered by the tenant's plan (src/billing). */
  async maxDays(tenantId: string): Promise<number> {
    return Math.min(this.config.retention.maxDays, await this.ceiling.maxDaysFor(tenantId));
  }

  async get(principal: ApiKeyPrincipal): Promise<RetentionSettings> {
    return this.view(await this.stored(principal.tenant.id));
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

    const before = await this.stored(tenantId);
    const now = new Date().toISOString();
    const since = new Map(before.legalHolds.map((h) => [h.organization_id, h.since]));
    const after = await this.repo.replace(
      {
        tenantId,
        defaultDays: body.default_days,
        actions: (body.actions ?? []).map((a) => ({ action: a.action, days: a.days })),
        legalHolds: (body.legal_holds ?? []).map((h) => ({ organization_id: h.organization_id, reason: h.reason, since: since.get(h.organization_id) ?? now })),
        pciDss: pci,
      },
      shortest,
    );
    // Every replica's reads follow within AUTH_CACHE_TTL_MS, this one's at once.
    this.auth.evict({ tenantId });

    const scope = await this.directory.scope(tenantId);
    if (!scope) throw new NotFoundError('tenant');
    const placed = after.legalHolds.filter((h) => !since.has(h.organization_id));
    const lifted = before.legalHolds.filter((h) => !seenOrgs.has(h.organization_id));
    const actor = keyActor(principal);
    await this.trail.record(
      scope,
      [
        {
          action: 'veritrail.retention.updated',
          actor,
          targets: [{ type: 'tenant', id: tenantId, name: principal.tenant.name }],
          changes: [
            { field: 'default_days', before: before.defaultDays, after: body.default_days },
            { field: 'actions', before: before.actions, after: after.actions },
            { field: 'pci_dss', before: before.pciDss, after: pci },
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
    if (lifted.length > 0) await this.holdLifts.lifted(scope);
    return this.view(after);
  }

  private async stored(tenantId: string): Promise<StoredRetention> {
    const s = await this.repo.get(tenantId);
    if (s) return s;
    // A tenant created before its retention row (none since the migration): the defaults.
    const t = await this.directory.get(tenantId);
    if (!t) throw new NotFoundError('tenant');
    return { tenantId, defaultDays: t.retentionDays, floorDays: t.retentionFloorDays, actions: [], legalHolds: [], pciDss: false };
  }

  private async view(s: StoredRetention): Promise<RetentionSettings> {
    return {
      default_days: s.defaultDays,
      actions: s.actions,
      legal_holds: s.legalHolds,
      pci_dss: s.pciDss,
      max_days: await this.maxDays(s.tenantId),
      floor_days: s.floorDays,
    };
  }
}
