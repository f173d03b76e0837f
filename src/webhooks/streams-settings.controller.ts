import { Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { StreamsPolicySchema, type StreamsPolicy } from '../tenancy/streams-policy.js';
import { StreamsSettingsService } from './streams-settings.service.js';

@ApiTags('settings')
@Controller('v1/settings')
export class StreamsSettingsController {
  constructor(private readonly streams: StreamsSettingsService) {}

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
    return this.streams.get(key.tenant.id);
  }

  @Put('streams')
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Allow or forbid self-service streams per organization',
    description: 'forbidden_organizations wins over allowed_organizations, which wins over default. Applies to the next request (destinations already created keep delivering; pause or delete them with a tenant key). Recorded as veritrail.settings.updated.',
  })
  @ApiOkResponse({ schema: openApiSchema(StreamsPolicySchema) })
  putStreamsSettings(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(StreamsPolicySchema) body: StreamsPolicy, @Meta() meta: RequestMetaValue): Promise<StreamsPolicy> {
    return this.streams.update(key, body, meta);
  }
}
