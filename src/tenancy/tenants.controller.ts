import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { ApiErrors } from '../common/api-errors.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { ApiKeysService, type ApiKeyCreatedView } from './api-keys.service.js';
import { OperatorAuth } from './auth/guards.js';
import {
  ApiKeyCreatedSchema,
  ApiKeyCreateSchema,
  TenantCreatedSchema,
  TenantCreateSchema,
  TenantListQuerySchema,
  TenantListSchema,
  TenantSchema,
  TenantUpdateSchema,
  type ApiKeyCreate,
  type TenantCreate,
  type TenantListQuery,
  type TenantUpdate,
} from './tenancy.schema.js';
import { TenantsService, tenantView, type TenantView } from './tenants.service.js';

/** The platform operator's API (ADMIN_TOKEN). */
@ApiTags('operator')
@OperatorAuth()
@Controller('admin/v1/tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly keys: ApiKeysService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a tenant and its first admin key' })
  @ApiCreatedResponse({ schema: openApiSchema(TenantCreatedSchema) })
  createTenant(@ValidBody(TenantCreateSchema) body: TenantCreate, @Meta() meta: RequestMetaValue) {
    return this.tenants.create(body, meta);
  }

  @Get()
  @ApiOperation({ summary: 'List tenants' })
  @ApiOkResponse({ schema: openApiSchema(TenantListSchema) })
  listTenants(@ValidQuery(TenantListQuerySchema) q: TenantListQuery) {
    return this.tenants.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a tenant' })
  @ApiOkResponse({ schema: openApiSchema(TenantSchema) })
  @ApiErrors({ 404: '`not_found`: no such tenant.' })
  async getTenant(@Param('id') id: string): Promise<TenantView> {
    return tenantView(await this.tenants.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, suspend/resume, change retention or read auditing' })
  @ApiOkResponse({ schema: openApiSchema(TenantSchema) })
  @ApiErrors({ 404: '`not_found`: no such tenant.' })
  async updateTenant(@Param('id') id: string, @ValidBody(TenantUpdateSchema) body: TenantUpdate, @Meta() meta: RequestMetaValue): Promise<TenantView> {
    return tenantView(await this.tenants.update(id, body, { operator: true }, meta));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a tenant, its events, keys and settings' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors({ 404: '`not_found`: no such tenant.' })
  async deleteTenant(@Param('id') id: string): Promise<void> {
    await this.tenants.delete(id);
  }

  @Post(':id/api-keys')
  @HttpCode(201)
  @ApiOperation({ summary: 'Mint an API key for a tenant (e.g. when its admin key was lost)' })
  @ApiCreatedResponse({ schema: openApiSchema(ApiKeyCreatedSchema) })
  @ApiErrors({ 404: '`not_found`: no such tenant.' })
  async createTenantApiKey(@Param('id') id: string, @ValidBody(ApiKeyCreateSchema) body: ApiKeyCreate, @Meta() meta: RequestMetaValue): Promise<ApiKeyCreatedView> {
    const tenant = await this.tenants.get(id);
    return this.keys.create(tenant, body, { operator: true }, meta);
  }
}
