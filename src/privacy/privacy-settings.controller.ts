import { Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { PrivacySettingsSchema, type PrivacySettings } from '../personal-data/privacy-settings.schema.js';
import { PrivacySettingsService } from './privacy-settings.service.js';

@ApiTags('settings')
@Controller('v1/settings')
export class PrivacySettingsController {
  constructor(private readonly settings: PrivacySettingsService) {}

  @Get('privacy')
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Scrubbing, field classification and notice rules applied to events before they are stored (defaults filled in)' })
  @ApiOkResponse({ schema: openApiSchema(PrivacySettingsSchema) })
  async getPrivacySettings(@CurrentKey() key: ApiKeyPrincipal): Promise<PrivacySettings> {
    return this.settings.get(key);
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
    return this.settings.put(key, body, meta);
  }
}
