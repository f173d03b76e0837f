import { Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { RetentionPolicyService } from './retention-policy.service.js';
import { RetentionSettingsInputSchema, RetentionSettingsSchema, type RetentionSettings, type RetentionSettingsInput } from './retention.schema.js';

@ApiTags('settings')
@Controller('v1/settings')
export class RetentionSettingsController {
  constructor(private readonly retention: RetentionPolicyService) {}

  @Get('retention')
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Retention: default, per-action overrides, legal holds' })
  @ApiOkResponse({ schema: openApiSchema(RetentionSettingsSchema) })
  getRetentionSettings(@CurrentKey() key: ApiKeyPrincipal): Promise<RetentionSettings> {
    return this.retention.get(key);
  }

  @Put('retention')
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Replace the retention settings',
    description:
      'Expiry is immediate on every read (a shorter retention hides older events at once); storage is reclaimed within RETENTION_INTERVAL. Events of organizations under legal hold never expire, ' +
      'and their data subjects cannot be erased while it lasts; lifting a hold runs the erasures that waited for it. With pci_dss, less than 365 days needs override_reason. ' +
      'Recorded as veritrail.retention.updated (and legal_hold_placed / legal_hold_lifted).',
  })
  @ApiOkResponse({ schema: openApiSchema(RetentionSettingsSchema) })
  @ApiErrors({ 422: '`retention_below_minimum`: with pci_dss, less than 365 days without override_reason.' })
  putRetentionSettings(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(RetentionSettingsInputSchema) body: RetentionSettingsInput, @Meta() meta: RequestMetaValue): Promise<RetentionSettings> {
    return this.retention.put(key, body, meta);
  }
}
