import { Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.js';
import { BadRequestError } from '../common/errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody } from '../common/schema.js';
import { AuditTrailService, keyActor } from '../events/audit-trail.service.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { PrivacySettingsSchema, type PrivacySettings } from './privacy.schema.js';
import { compileCustomPatterns } from './scrubber.js';
import { ScrubPolicyService } from './scrub-policy.service.js';

@ApiTags('settings')
@Controller('v1/settings')
export class PrivacySettingsController {
  constructor(
    private readonly policies: ScrubPolicyService,
    private readonly trail: AuditTrailService,
  ) {}

  @Get('privacy')
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Scrubbing, field classification and notice rules applied to events before they are stored (defaults filled in)' })
  @ApiOkResponse({ schema: openApiSchema(PrivacySettingsSchema) })
  async getPrivacySettings(@CurrentKey() key: ApiKeyPrincipal): Promise<PrivacySettings> {
    return this.policies.effectiveSettings(TenantScope.of(key));
  }

  @Put('privacy')
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Replace the privacy settings: scrubbing, field classification, notice rules',
    description:
      'Built-in detectors (passwords and secret-like keys, bearer tokens, JWTs, Luhn-valid card numbers, AWS/GCP/Stripe/GitHub keys, private key blocks) always run. ' +
      'Classification fields override the defaults (actor.name, actor.email, targets.name and personal fields in changes are sensitive); set a field to unrestricted to store it as sent. ' +
      'Applies to events received from now on (other replicas within AUTH_CACHE_TTL_MS); stored events are never rewritten. Recorded as veritrail.settings.updated.',
  })
  @ApiOkResponse({ schema: openApiSchema(PrivacySettingsSchema) })
  @ApiErrors({ 400: '`invalid_pattern`: a custom scrubbing pattern RE2 cannot run, or a duplicate or invalid name (`details` per pattern).' })
  async putPrivacySettings(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(PrivacySettingsSchema) body: PrivacySettings, @Meta() meta: RequestMetaValue): Promise<PrivacySettings> {
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
    const scope = TenantScope.of(key);
    const before = await this.policies.settings(scope);
    await this.policies.save(scope, body);
    const changes = (['scrubbing', 'classification', 'notices'] as const)
      .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(body[k] ?? null))
      .map((k) => ({ field: `privacy.${k}`, before: before[k] ?? null, after: body[k] ?? null }));
    await this.trail.record(
      scope,
      { action: 'veritrail.settings.updated', actor: keyActor(key), targets: [{ type: 'tenant', id: key.tenant.id, name: key.tenant.name }], changes },
      meta,
    );
    return this.policies.effectiveSettings(scope);
  }
}
