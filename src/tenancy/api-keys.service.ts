import { Injectable } from '@nestjs/common';
import { bindingOf } from '../common/cursor.js';
import { NotFoundError, ValidationError } from '../common/errors.js';
import { prefixedId } from '../common/ids.js';
import type { RequestMetaValue } from '../common/request-meta.js';
import { parseRfc3339 } from '../common/time.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import { generateApiKey } from './api-key-format.js';
import { ApiKeyAuthService } from './api-key-auth.service.js';
import { ApiKeysRepository, type ApiKeyRecord } from './api-keys.repository.js';
import { ORGANIZATION_KEY_SCOPES, ORGANIZATION_ONLY_SCOPES, type ApiKeyPrincipal, type Scope, type TenantSnapshot } from './principal.js';
import type { ApiKeyCreate, ApiKeyListQuery } from './tenancy.schema.js';
import { TenantScope } from './tenant-scope.js';
import { keyActor, OPERATOR_ACTOR, TenantTrailRegistry } from './tenant-trail.js';
import { Clock } from '../common/clock.js';
import { CheckedClock } from '../common/checked-clock.js';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  organization_id: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface ApiKeyCreatedView {
  id: string;
  key: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  organization_id: string | null;
  created_at: string;
  expires_at: string | null;
}

/** Who performs a key change: a tenant's admin key, or the operator. */
export type KeyActor = { principal: ApiKeyPrincipal } | { operator: true };

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repo: ApiKeysRepository,
    private readonly auth: ApiKeyAuthService,
    private readonly trail: TenantTrailRegistry,
    private readonly settings: SystemSettingsService,
    private readonly clock: Clock,
    private readonly stamps: CheckedClock,
  ) {}

  async create(tenant: TenantSnapshot, body: ApiKeyCreate, by: KeyActor, meta: RequestMetaValue): Promise<ApiKeyCreatedView> {
    const details = [];
    if (body.organization_id !== undefined) {
      const forbidden = body.scopes.filter((s) => !ORGANIZATION_KEY_SCOPES.includes(s));
      if (forbidden.length > 0) {
        details.push({
          field: 'scopes',
          code: 'scope_not_allowed',
          message: `An organization-scoped key may hold only ${ORGANIZATION_KEY_SCOPES.join(', ')}.`,
        });
      }
    }
    if (body.organization_id === undefined) {
      const orgOnly = body.scopes.filter((s) => ORGANIZATION_ONLY_SCOPES.includes(s));
      if (orgOnly.length > 0) {
        details.push({
          field: 'scopes',
          code: 'scope_not_allowed',
          message: `${orgOnly.join(', ')} is for organization-scoped keys; a tenant-wide key manages destinations and alert rules with webhooks and alerts.`,
        });
      }
    }
    if ('principal' in by && by.principal.organizationId !== undefined) {
      details.push({ field: 'organization_id', code: 'scope_not_allowed', message: 'Organization-scoped keys cannot mint keys.' });
    }
    let expiresAt: Date | undefined;
    if (body.expires_at !== undefined) {
      const t = parseRfc3339(body.expires_at);
      if (!t.ok) details.push({ field: 'expires_at', code: 'invalid_format', message: 'Must be an RFC 3339 date-time with an offset.' });
      else if (t.ms <= this.clock.now()) details.push({ field: 'expires_at', code: 'in_past', message: 'Must be in the future.' });
      else expiresAt = new Date(t.ms);
    }
    if (details.length > 0) throw new ValidationError(details);
    const secret = generateApiKey();
    const record = await this.repo.create(tenant.id, {
      id: prefixedId('key'),
      name: body.name,
      prefix: secret.prefix,
      hash: secret.hash,
      scopes: body.scopes,
      organizationId: body.organization_id,
      expiresAt,
    });
    await this.trail.record(
      TenantScope.forTenant(tenant),
      {
        action: 'veritrail.api_key.created',
        actor: 'principal' in by ? keyActor(by.principal) : OPERATOR_ACTOR,
        targets: [{ type: 'api_key', id: record.id, name: record.name }],
        metadata: { scopes: record.scopes, organization_id: record.organizationId ?? null, prefix: record.prefix },
      },
      meta,
    );
    return { ...createdView(record), key: secret.key };
  }

  async list(principal: ApiKeyPrincipal, q: ApiKeyListQuery): Promise<{ data: ApiKeyView[]; next_cursor: string | null }> {
    const tenantId = principal.tenant.id;
    const limit = q.limit ?? 50;
    const includeRevoked = q.include_revoked ?? false;
    const binding = bindingOf({ r: includeRevoked });
    const after = this.settings.cursors.decodeKeyset(q.cursor, 'api_keys', tenantId, binding);
    const rows = await this.repo.list(tenantId, limit + 1, { after, includeRevoked });
    const { page, next } = this.settings.cursors.keysetPage(rows, limit, 'api_keys', tenantId, binding);
    return { data: page.map(view), next_cursor: next };
  }

  async revoke(principal: ApiKeyPrincipal, id: string, meta: RequestMetaValue): Promise<ApiKeyView> {
    // Another tenant's key id and an already revoked key look the same: 404.
    const record = await this.repo.revoke(principal.tenant.id, id, this.stamps.date());
    if (!record) throw new NotFoundError('API key');
    this.auth.evict({ keyId: record.id });
    await this.trail.record(
      TenantScope.of(principal),
      {
        action: 'veritrail.api_key.revoked',
        actor: keyActor(principal),
        targets: [{ type: 'api_key', id: record.id, name: record.name }],
        metadata: { prefix: record.prefix },
      },
      meta,
    );
    return view(record);
  }
}

function iso(d: Date | undefined): string | null {
  return d ? d.toISOString() : null;
}

function view(r: ApiKeyRecord): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    organization_id: r.organizationId ?? null,
    created_at: r.createdAt.toISOString(),
    last_used_at: iso(r.lastUsedAt),
    expires_at: iso(r.expiresAt),
    revoked_at: iso(r.revokedAt),
  };
}

function createdView(r: ApiKeyRecord): Omit<ApiKeyCreatedView, 'key'> {
  const { last_used_at: _used, revoked_at: _revoked, ...rest } = view(r);
  return rest;
}
