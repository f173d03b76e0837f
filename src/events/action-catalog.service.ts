import { Injectable } from '@nestjs/common';
import { bindingOf } from '../common/cursor.js';
import { BadRequestError } from '../common/errors.js';
import { SystemSettingsService } from '../storage/system-settings.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { prefixPattern } from './action-pattern.js';
import { ActionCatalogRepository } from './action-catalog.repository.js';
import { ActionDisplaysService } from './action-displays.service.js';
import { ActionSchemasService } from './action-schemas.service.js';
import type { ActionCatalogQuery, ActionCatalogResponse } from './action-catalog.schema.js';

const KIND = 'actions';

/** GET /v1/actions: the actions a tenant (or one organization) has used, in action order. */
@Injectable()
export class ActionCatalogService {
  constructor(
    private readonly repo: ActionCatalogRepository,
    private readonly settings: SystemSettingsService,
    private readonly schemas: ActionSchemasService,
    private readonly displays: ActionDisplaysService,
  ) {}

  async list(principal: ApiKeyPrincipal, q: ActionCatalogQuery): Promise<ActionCatalogResponse> {
    const scope = TenantScope.of(principal);
    const limit = q.limit ?? 100;
    const includeSystem = q.include_system ?? false;
    // The organization scope is part of the binding: a tenant-wide page's cursor does not page an
    // organization's catalog, nor the other way round.
    const binding = bindingOf({ action: q.action ?? null, organization_id: q.organization_id ?? null, include_system: includeSystem, scope: scope.organizationId ?? null });
    let after: string | undefined;
    if (q.cursor !== undefined) {
      const p = this.settings.cursors.decode(q.cursor, KIND, scope.tenantId, binding);
      if (p.length !== 1 || typeof p[0] !== 'string') throw new BadRequestError('invalid_cursor', 'The cursor is invalid, expired, or belongs to a different query.');
      after = p[0];
    }
    const pattern = q.action !== undefined ? prefixPattern(q.action) : undefined;
    const rows = await this.repo.page(
      scope,
      { organizationId: q.organization_id, prefix: pattern?.prefix ? pattern.value : undefined, exact: pattern && !pattern.prefix ? pattern.value : undefined, includeSystem },
      after,
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const versions = await this.schemas.versionsOf(scope, page.map((r) => r.action));
    const templates = await this.displays.templatesOf(scope, page.map((r) => r.action));
    return {
      data: page.map((r) => ({
        action: r.action,
        events: r.events,
        first_seen_at: new Date(r.firstSeenMs).toISOString(),
        last_seen_at: new Date(r.lastSeenMs).toISOString(),
        schema_versions: (versions.get(r.action) ?? []).map((v) => ({ version: v.version, mode: v.mode, created_at: v.createdAt.toISOString() })),
        display_template: templates.get(r.action) ?? null,
      })),
      next_cursor: rows.length > limit && last ? this.settings.cursors.encode(KIND, scope.tenantId, binding, [last.action]) : null,
    };
  }
}
