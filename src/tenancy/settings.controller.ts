import { Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from './auth/guards.js';
import type { ApiKeyPrincipal } from './principal.js';
import { AuditSettingsSchema, type AuditSettings } from './tenancy.schema.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('settings')
@Controller('v1/settings')
export class SettingsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get('auditing')
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Whether reads of the trail are themselves recorded' })
  @ApiOkResponse({ schema: openApiSchema(AuditSettingsSchema) })
  async getAuditSettings(@CurrentKey() key: ApiKeyPrincipal): Promise<AuditSettings> {
    const t = await this.tenants.get(key.tenant.id);
    return { read_auditing: t.readAuditing };
  }

  @Put('auditing')
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Turn read auditing on or off', description: 'Recorded as veritrail.settings.updated.' })
  @ApiOkResponse({ schema: openApiSchema(AuditSettingsSchema) })
  async putAuditSettings(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(AuditSettingsSchema) body: AuditSettings, @Meta() meta: RequestMetaValue): Promise<AuditSettings> {
    const t = await this.tenants.update(key.tenant.id, { read_auditing: body.read_auditing }, { principal: key }, meta);
    return { read_auditing: t.readAuditing };
  }
}
