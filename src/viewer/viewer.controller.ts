import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import {
  ViewerSessionsRevokedSchema,
  ViewerSessionsRevokeQuerySchema,
  ViewerSettingsSchema,
  ViewerTokenCreateSchema,
  ViewerTokenSchema,
  type ViewerSessionsRevokeQuery,
  type ViewerSettings,
  type ViewerTokenCreate,
} from './viewer.schema.js';
import { ViewerService } from './viewer.service.js';

@ApiTags('viewer')
@Controller()
export class ViewerController {
  constructor(private readonly viewer: ViewerService) {}

  @Post('v1/viewer-tokens')
  @HttpCode(201)
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Mint a viewer token for <veritrail-viewer>',
    description:
      'Call this from your backend when your user opens the page with the viewer, and hand the token to the browser. ' +
      'The token reads only the organization (and, when set, the actor and actions) it names, on GET /v1/events, /v1/events/{id}, /v1/events/stats, /v1/events/histogram, ' +
      '/v1/events/verification and exports (with scope streams also its organization\'s /v1/webhooks and /v1/alert-rules, /v1/alerts); every other route answers it 403 insufficient_scope.',
  })
  @ApiCreatedResponse({ schema: openApiSchema(ViewerTokenSchema) })
  @ApiErrors({ 422: '`invalid_scopes`: scopes without events:read, or streams with actor_id or actions.' })
  createViewerToken(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(ViewerTokenCreateSchema) body: ViewerTokenCreate, @Meta() meta: RequestMetaValue) {
    return this.viewer.mint(key, body, meta);
  }

  @Delete('v1/viewer-sessions')
  @HttpCode(200)
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Revoke live viewer sessions',
    description:
      'Every token of the organization (or, with actor_id, of that user) issued up to now stops working: at once on this replica, within 60 s on every other. ' +
      'Recorded as veritrail.viewer.sessions_revoked.',
  })
  @ApiOkResponse({ schema: openApiSchema(ViewerSessionsRevokedSchema) })
  revokeViewerSessions(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(ViewerSessionsRevokeQuerySchema) q: ViewerSessionsRevokeQuery, @Meta() meta: RequestMetaValue) {
    return this.viewer.revoke(key, q, meta);
  }

  @Get('v1/settings/viewer')
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Origins allowed to embed the viewer' })
  @ApiOkResponse({ schema: openApiSchema(ViewerSettingsSchema) })
  getViewerSettings(@CurrentKey() key: ApiKeyPrincipal): Promise<ViewerSettings> {
    return this.viewer.settings(key);
  }

  @Put('v1/settings/viewer')
  @ApiKeyAuth('admin')
  @ApiOperation({
    summary: 'Set the origins allowed to embed the viewer',
    description:
      'A page on another origin can use this tenant\'s viewer tokens only when its origin is listed; other origins get 403 origin_not_allowed and no CORS grant. ' +
      'Recorded as veritrail.settings.updated.',
  })
  @ApiOkResponse({ schema: openApiSchema(ViewerSettingsSchema) })
  @ApiErrors({ 422: '`invalid_origin`: an entry is not scheme://host[:port].' })
  putViewerSettings(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(ViewerSettingsSchema) body: ViewerSettings, @Meta() meta: RequestMetaValue): Promise<ViewerSettings> {
    return this.viewer.putSettings(key, body, meta);
  }
}
