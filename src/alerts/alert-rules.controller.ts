import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { AlertRulesService } from './alert-rules.service.js';
import {
  AlertRuleCreateSchema,
  AlertRuleListSchema,
  AlertRuleSchema,
  AlertRuleUpdateSchema,
  AlertTemplateListSchema,
  ListQuerySchema,
  type AlertRuleCreate,
  type AlertRuleUpdate,
  type ListQuery,
} from './alerts.schema.js';

const RULE_404 = { 404: '`not_found`: no such alert rule in your tenant.' };

@ApiTags('alerts')
@Controller('v1/alert-rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @Post()
  @HttpCode(201)
  @ApiKeyAuth('alerts')
  @ApiOperation({
    summary: 'Create an alert rule (from a template or in full)',
    description:
      'A rule evaluates events sealed from now on (history still counts in its windows). Kinds: threshold (≥ count matching events, or distinct values, per key within a window), ' +
      'new_value (first time an actor is seen with a country, IP or user agent in the look-back), sequence (failures then a success for the same key within a window).',
  })
  @ApiCreatedResponse({ schema: openApiSchema(AlertRuleSchema) })
  @ApiErrors({ 422: '`alert_rule_limit_reached`: 100 rules already; `plan_limit_reached`: the plan allows no more.' })
  createAlertRule(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(AlertRuleCreateSchema) body: AlertRuleCreate, @Meta() meta: RequestMetaValue) {
    return this.rules.create(key, body, meta);
  }

  @Get()
  @ApiKeyAuth('alerts')
  @ApiOperation({ summary: 'List alert rules, oldest first' })
  @ApiOkResponse({ schema: openApiSchema(AlertRuleListSchema) })
  listAlertRules(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(ListQuerySchema) q: ListQuery) {
    return this.rules.list(key, q);
  }

  @Get('templates')
  @ApiKeyAuth('alerts')
  @ApiOperation({ summary: 'The built-in rule templates', description: 'Create one with POST /v1/alert-rules {"template": "<name>"}, overriding any field.' })
  @ApiOkResponse({ schema: openApiSchema(AlertTemplateListSchema) })
  listAlertRuleTemplates() {
    return this.rules.templates();
  }

  @Get(':id')
  @ApiKeyAuth('alerts')
  @ApiOperation({ summary: 'Get an alert rule and how far its evaluation is' })
  @ApiOkResponse({ schema: openApiSchema(AlertRuleSchema) })
  @ApiErrors(RULE_404)
  getAlertRule(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string) {
    return this.rules.get(key, id);
  }

  @Patch(':id')
  @ApiKeyAuth('alerts')
  @ApiOperation({ summary: 'Change, enable or disable an alert rule', description: 'The kind cannot change. A rule enabled again starts from the events sealed from then on.' })
  @ApiOkResponse({ schema: openApiSchema(AlertRuleSchema) })
  @ApiErrors(RULE_404)
  updateAlertRule(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(AlertRuleUpdateSchema) body: AlertRuleUpdate, @Meta() meta: RequestMetaValue) {
    return this.rules.update(key, id, body, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiKeyAuth('alerts')
  @ApiOperation({ summary: 'Delete an alert rule', description: 'Its alerts stay (they keep the rule\'s name).' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(RULE_404)
  async deleteAlertRule(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @Meta() meta: RequestMetaValue): Promise<void> {
    await this.rules.remove(key, id, meta);
  }
}
