import { Injectable } from '@nestjs/common';
import { BadRequestError } from '../common/errors.js';
import { AuditTrailService, type RequestMeta } from '../events/audit-trail.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import type { PrivacySettings } from '../personal-data/privacy-settings.schema.js';
import { ScrubPolicyService } from '../personal-data/scrub-policy.service.js';
import { compileCustomPatterns } from '../personal-data/scrubber.js';

/** GET/PUT /v1/settings/privacy: validate, save, record what changed in the trail. */
@Injectable()
export class PrivacySettingsService {
  constructor(
    private readonly policies: ScrubPolicyService,
    private readonly trail: AuditTrailService,
  ) {}

  async get(principal: ApiKeyPrincipal): Promise<PrivacySettings> {
    return this.policies.effectiveSettings(TenantScope.of(principal));
  }

  async put(principal: ApiKeyPrincipal, body: PrivacySettings, meta: RequestMeta): Promise<PrivacySettings> {
    const compiled = compileCustomPatterns(body.scrubbing.custom_patterns ?? []);
    if (!compiled.ok) {
      // PEN-02: 400 with one code per problem; nothing is saved.
      throw new BadRequestError(
        'invalid_pattern',
        'A custom pattern is not accepted (RE2 syntax; no backreferences or lookaround).',
        compiled.problems.map((p) => ({
          field: `scrubbing.custom_patterns[${p.index}].${p.code === 'invalid_name' || p.code === 'duplicate_name' ? 'name' : 'pattern'}`,
          code: p.code,
          message: p.message,
        })),
      );
    }
    const scope = TenantScope.of(principal);
    const before = await this.policies.settings(scope);
    await this.policies.save(scope, body);
    const changes = (['scrubbing', 'classification', 'notices'] as const)
      .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(body[k] ?? null))
      .map((k) => ({ field: `privacy.${k}`, before: before[k] ?? null, after: body[k] ?? null }));
    await this.trail.settingsUpdated(scope, principal, changes, meta);
    return this.policies.effectiveSettings(scope);
  }
}
