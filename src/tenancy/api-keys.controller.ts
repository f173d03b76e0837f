import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { ApiErrors } from '../common/api-errors.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyAuth, CurrentKey } from './auth/guards.js';
import type { ApiKeyPrincipal } from './principal.js';
import {
  ApiKeyCreatedSchema,
  ApiKeyCreateSchema,
  ApiKeyListQuerySchema,
  ApiKeyListSchema,
  ApiKeySchema,
  type ApiKeyCreate,
  type ApiKeyListQuery,
} from './tenancy.schema.js';

@ApiTags('api-keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Create an API key', description: 'The key is returned once; only its hash is stored.' })
  @ApiCreatedResponse({ schema: openApiSchema(ApiKeyCreatedSchema) })
  createApiKey(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(ApiKeyCreateSchema) body: ApiKeyCreate, @Meta() meta: RequestMetaValue) {
    return this.keys.create(key.tenant, body, { principal: key }, meta);
  }

  @Get()
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'List API keys (never their secrets)' })
  @ApiOkResponse({ schema: openApiSchema(ApiKeyListSchema) })
  listApiKeys(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(ApiKeyListQuerySchema) q: ApiKeyListQuery) {
    return this.keys.list(key, q);
  }

  @Delete(':id')
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Revoke an API key', description: 'Takes effect at once on this replica, within AUTH_CACHE_TTL_MS on others.' })
  @ApiOkResponse({ schema: openApiSchema(ApiKeySchema) })
  @ApiErrors({ 404: '`not_found`: no such key in your tenant.' })
  @HttpCode(200)
  revokeApiKey(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @Meta() meta: RequestMetaValue) {
    return this.keys.revoke(key, id, meta);
  }
}
