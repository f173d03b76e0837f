import { Injectable } from '@nestjs/common';
import { AuditTrailService, type RequestMeta } from '../events/audit-trail.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { StreamsPolicyRegistry, type StreamsPolicy } from '../tenancy/streams-policy.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { StreamsPolicyRepository } from './streams-policy.repository.js';

/**
 * Which organizations may run their own streams (GET/PUT /v1/settings/streams). The auth guard
 * applies the policy through tenancy's StreamsPolicyRegistry, which this service feeds.
 */
@Injectable()
export class StreamsSettingsService {
  constructor(
    private readonly repo: StreamsPolicyRepository,
    private readonly trail: AuditTrailService,
    registry: StreamsPolicyRegistry,
  ) {
    registry.use((tenantId) => this.repo.get(tenantId));
  }

  get(tenantId: string): Promise<StreamsPolicy> {
    return this.repo.get(tenantId);
  }

  /** The tenant admin sets which organizations may use self-service streams (recorded as veritrail.settings.updated). */
  async update(principal: ApiKeyPrincipal, policy: StreamsPolicy, meta: RequestMeta): Promise<StreamsPolicy> {
    const before = await this.repo.get(principal.tenant.id);
    const after = await this.repo.set(principal.tenant.id, policy);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await this.trail.settingsUpdated(TenantScope.of(principal).tenantWide(), principal, [{ field: 'streams', before: JSON.stringify(before), after: JSON.stringify(after) }], meta);
    }
    return after;
  }
}
