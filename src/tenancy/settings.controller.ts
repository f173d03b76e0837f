import { Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from './auth/guards.js';
import type { ApiKeyPrincipal } from './principal.js';
import { StreamsPolicySchema, type StreamsPolicy } from './streams-policy.js';
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

  @Get('streams')
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Which organizations may run their own streams',
    description:
      'Organization-scoped keys and viewer tokens holding the streams scope manage destinations and alert rules confined to their organization; ' +
      'an organization this forbids gets 403 streams_forbidden on those routes. The default allows every organization.',
  })
  @ApiOkResponse({ schema: openApiSchema(StreamsPolicySchema) })
  getStreamsSettings(@CurrentKey() key: ApiKeyPrincipal): Promise<StreamsPolicy> {
    return this.tenants.streamsPolicy(key.tenant.id);
  }

  @Put('streams')
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Allow or forbid self-service streams per organization',
    description: 'forbidden_organizations wins over allowed_organizations, which wins over default. Applies to the next request (destinations already created keep delivering; pause or delete them with a tenant key). Recorded as veritrail.settings.updated.',
  })
  @ApiOkResponse({ schema: openApiSchema(StreamsPolicySchema) })
  putStreamsSettings(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(StreamsPolicySchema) body: StreamsPolicy, @Meta() meta: RequestMetaValue): Promise<StreamsPolicy> {
    return this.tenants.updateStreamsPolicy(key, body, meta);
  }
}
