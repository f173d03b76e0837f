import { Injectable } from '@nestjs/common';
import { bindingOf } from '../common/cursor.js';
import { NotFoundError } from '../common/errors.js';
import { prefixedId } from '../common/ids.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import { generateApiKey } from './api-key-format.js';
import { ApiKeyAuthService } from './api-key-auth.service.js';
import { ORGANIZATION_ONLY_SCOPES, SCOPES, type ApiKeyPrincipal } from './principal.js';
import type { RateLimitOverrides } from './rate-limits.js';
import type { TenantCreate, TenantListQuery, TenantUpdate } from './tenancy.schema.js';
import { TenantDataRemovalRegistry } from './tenant-data-removal.js';
import { TenantScope } from './tenant-scope.js';
import { OPERATOR_ACTOR, TenantTrailRegistry, type TrailChange } from './tenant-trail.js';
import { TenantsRepository, type Tenant, type TenantPatch } from './tenants.repository.js';

export interface TenantView {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  retention_days: number;
  read_auditing: boolean;
  rate_limits: RateLimitOverrides;
  created_at: string;
  updated_at: string;
}

export function tenantView(t: Tenant): TenantView {
  return {
    id: t.id,
    name: t.name,
    status: t.status,
    retention_days: t.retentionDays,
    read_auditing: t.readAuditing,
    rate_limits: t.rateLimits ?? {},
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

@Injectable()
export class TenantsService {
  constructor(
    private readonly repo: TenantsRepository,
    private readonly tenantData: TenantDataRemovalRegistry,
    private readonly auth: ApiKeyAuthService,
    private readonly trail: TenantTrailRegistry,
    private readonly settings: SystemSettingsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async create(body: TenantCreate, meta: RequestMetaValue) {
    const secret = generateApiKey();
    const keyId = prefixedId('key');
    // The first key is tenant-wide: every scope but those only an organization-scoped key holds.
    const scopes = SCOPES.filter((s) => !ORGANIZATION_ONLY_SCOPES.includes(s));
    const tenant = await this.repo.create(
      { id: prefixedId('ten'), name: body.name, retentionDays: body.retention_days ?? this.config.tenants.defaultRetentionDays },
      { id: keyId, name: 'Initial admin key', prefix: secret.prefix, hash: secret.hash, scopes },
    );
    const scope = TenantScope.forTenant(tenant);
    await this.trail.record(
      scope,
      [
        { action: 'veritrail.tenant.created', actor: OPERATOR_ACTOR, targets: [{ type: 'tenant', id: tenant.id, name: tenant.name }] },
        {
          action: 'veritrail.api_key.created',
          actor: OPERATOR_ACTOR,
          targets: [{ type: 'api_key', id: keyId, name: 'Initial admin key' }],
          metadata: { scopes, organization_id: null, prefix: secret.prefix },
        },
      ],
      meta,
    );
    return {
      tenant: tenantView(tenant),
      api_key: {
        id: keyId,
        key: secret.key,
        name: 'Initial admin key',
        prefix: secret.prefix,
        scopes,
        organization_id: null,
        created_at: tenant.createdAt.toISOString(),
        expires_at: null,
      },
    };
  }

  async list(q: TenantListQuery): Promise<{ data: TenantView[]; next_cursor: string | null }> {
    const limit = q.limit ?? 50;
    const binding = bindingOf({});
    const after = this.settings.cursors.decodeKeyset(q.cursor, 'tenants', '*', binding);
    const rows = await this.repo.list(limit + 1, after);
    const { page, next } = this.settings.cursors.keysetPage(rows, limit, 'tenants', '*', binding);
    return { data: page.map(tenantView), next_cursor: next };
  }

  async get(id: string): Promise<Tenant> {
    const t = await this.repo.get(id);
    if (!t) throw new NotFoundError('tenant');
    return t;
  }

  /** Operator change (any field) or a tenant admin's own settings change (read_auditing). */
  async update(id: string, body: TenantUpdate, by: { operator: true } | { principal: ApiKeyPrincipal }, meta: RequestMetaValue): Promise<Tenant> {
    const before = await this.get(id);
    const patch: TenantPatch = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.status !== undefined) patch.status = body.status;
    if (body.retention_days !== undefined) patch.retentionDays = body.retention_days;
    if (body.read_auditing !== undefined) patch.readAuditing = body.read_auditing;
    if (body.rate_limits !== undefined) patch.rateLimits = body.rate_limits;
    const after = await this.repo.update(id, patch);
    if (!after) throw new NotFoundError('tenant');
    this.auth.evict({ tenantId: id });
    const changes: TrailChange[] = [];
    for (const [field, from, to] of [
      ['name', before.name, after.name],
      ['status', before.status, after.status],
      ['retention_days', before.retentionDays, after.retentionDays],
      ['read_auditing', before.readAuditing, after.readAuditing],
    ] as const) {
      if (from !== to) changes.push({ field, before: from, after: to });
    }
    const [rlBefore, rlAfter] = [JSON.stringify(before.rateLimits ?? {}), JSON.stringify(after.rateLimits ?? {})];
    if (rlBefore !== rlAfter) changes.push({ field: 'rate_limits', before: rlBefore, after: rlAfter });
    if (changes.length > 0) {
      const isOperator = 'operator' in by;
      const scope = TenantScope.forTenant(after);
      if (isOperator) {
        await this.trail.record(scope, { action: 'veritrail.tenant.updated', actor: OPERATOR_ACTOR, targets: [{ type: 'tenant', id: after.id, name: after.name }], changes }, meta);
      } else {
        await this.trail.settingsUpdated(scope, by.principal, changes, meta);
      }
    }
    return after;
  }

  /** Deletes the tenant's events and control-plane rows. */
  async delete(id: string): Promise<void> {
    const tenant = await this.get(id);
    // Events first: if this fails the tenant still exists and the operator can retry.
    await this.tenantData.deleteTenant(TenantScope.forTenant(tenant));
    await this.repo.delete(id);
    this.auth.evict({ tenantId: id });
  }
}
