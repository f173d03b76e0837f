import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey, StreamsAccess } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { AlertRulesService } from './alert-rules.service.js';
import {
  AlertRuleBacktestResultSchema,
  AlertRuleBacktestSchema,
  AlertRuleDraftBacktestSchema,
  AlertRuleCreateSchema,
  AlertRuleListSchema,
  AlertRuleSchema,
  AlertRuleSigmaExportSchema,
  AlertRuleSigmaImportSchema,
  AlertRuleUpdateSchema,
  AlertTemplateListSchema,
  ListQuerySchema,
  type AlertRuleBacktest,
  type AlertRuleCreate,
  type AlertRuleDraftBacktest,
  type AlertRuleSigmaImport,
  type AlertRuleUpdate,
  type ListQuery,
} from './alerts.schema.js';

const RULE_404 = { 404: '`not_found`: no such alert rule in your tenant (for an organization-scoped key or viewer token: among its organization\'s own rules).' };
const ORG_FILTER_400 = { 400: '`alert_rule_organization_not_allowed`: an organization\'s own rule (scope streams) whose filter.organizations names another organization.' };

@ApiTags('alerts')
@Controller('v1/alert-rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @Post()
  @HttpCode(201)
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({
    summary: 'Create an alert rule (from a template or in full)',
    description:
      'A rule evaluates events sealed from now on (history still counts in its windows). Kinds: threshold (≥ count matching events, or distinct values, per key within a window), ' +
      'new_value (first time an actor is seen with a country, IP or user agent in the look-back), sequence (failures then a success for the same key within a window).',
  })
  @ApiCreatedResponse({ schema: openApiSchema(AlertRuleSchema) })
  @ApiErrors(ORG_FILTER_400, { 422: '`alert_rule_limit_reached`: 100 rules already (20 for one organization\'s own); `plan_limit_reached`: the plan allows no more.' })
  createAlertRule(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(AlertRuleCreateSchema) body: AlertRuleCreate, @Meta() meta: RequestMetaValue) {
    return this.rules.create(key, body, meta);
  }

  @Post('sigma')
  @HttpCode(201)
  @ApiKeyAuth('alerts')
  @ApiOperation({
    summary: 'Import a Sigma rule',
    description:
      'A Sigma detection rule (logsource product veritrail, github or okta; selections with the modifiers contains, startswith, endswith, re (RE2), all, cidr, exists; ' +
      'conditions with and/or/not, parentheses, 1 of / all of; a legacy `| count() by field > N` with timeframe) or a correlation rule (event_count, value_count, temporal_ordered) followed by the rules it refers to. ' +
      'Fields map onto event fields as docs/alerts.md lists. The rule (kind sigma) evaluates events sealed from now on, like any rule, and can be backtested.',
  })
  @ApiCreatedResponse({ schema: openApiSchema(AlertRuleSchema) })
  @ApiErrors({
    400:
      'What cannot be imported, each with its own code and a detail naming the place: `sigma_invalid_yaml`, `sigma_invalid`, `sigma_too_large`, `sigma_field_unsupported`, `sigma_modifier_unsupported`, ' +
      '`sigma_keywords_unsupported`, `sigma_logsource_unsupported`, `sigma_condition_invalid`, `sigma_condition_unsupported`, `sigma_correlation_unsupported`, `sigma_group_by_unsupported`, ' +
      '`sigma_rule_missing`, `sigma_invalid_regex`, `sigma_invalid_cidr`, `sigma_invalid_timespan`, `sigma_value_too_long`, `sigma_filter_unsupported`.',
    422: '`alert_rule_limit_reached`: 100 rules already; `plan_limit_reached`: the plan allows no more.',
  })
  importSigmaAlertRule(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(AlertRuleSigmaImportSchema) body: AlertRuleSigmaImport, @Meta() meta: RequestMetaValue) {
    return this.rules.importSigma(key, body, meta);
  }

  @Get(':id/sigma')
  @ApiKeyAuth('alerts')
  @ApiOperation({
    summary: 'Export an alert rule as Sigma',
    description: 'Sigma rules as imported; threshold rules as a Sigma detection rule (logsource product veritrail), with an event_count or value_count correlation when they count more than one event.',
  })
  @ApiOkResponse({ schema: openApiSchema(AlertRuleSigmaExportSchema) })
  @ApiErrors({ ...RULE_404, 422: '`sigma_export_unsupported`: the rule has no Sigma equivalent (history baselines, silences, new values, sequences of more than 20 failures).' })
  exportSigmaAlertRule(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string) {
    return this.rules.exportSigma(key, id);
  }

  @Post('backtest')
  @HttpCode(200)
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({
    summary: 'Backtest a draft alert rule over past events',
    description:
      'The body of a create (validated the same way) plus `from`/`to` (RFC 3339, at most 90 days): replays the rule over the events that occurred in that range and answers the alerts it would have raised, ' +
      'per day, and their ratio to the STAT target (one actionable alert per rule and week). Nothing is stored, recorded in the trail or sent. Bounded: `truncated` says when it stopped early.',
  })
  @ApiOkResponse({ schema: openApiSchema(AlertRuleBacktestResultSchema) })
  @ApiErrors({ 400: '`validation_failed`: a bad rule (as on create), or a bad range (details `invalid_format`, `invalid_range`: `to` not after `from`, `range_too_long`: over 90 days).' })
  backtestDraftAlertRule(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(AlertRuleDraftBacktestSchema) body: AlertRuleDraftBacktest) {
    return this.rules.backtestDraft(key, body);
  }

  @Post(':id/backtest')
  @HttpCode(200)
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({
    summary: 'Backtest an alert rule over past events',
    description:
      'Replays the rule (enabled or not) over the events that occurred in [from, to) (at most 90 days) as live evaluation would have, and answers the alerts it would have raised, per day, and their ratio to the STAT target. ' +
      'Nothing is stored, recorded in the trail or sent, and the rule\'s own evaluation does not move. Bounded: `truncated` says when it stopped early.',
  })
  @ApiOkResponse({ schema: openApiSchema(AlertRuleBacktestResultSchema) })
  @ApiErrors({ ...RULE_404, 400: '`validation_failed`: details `invalid_format`, `invalid_range` (`to` not after `from`), `range_too_long` (over 90 days).' })
  backtestAlertRule(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(AlertRuleBacktestSchema) body: AlertRuleBacktest) {
    return this.rules.backtest(key, id, body);
  }

  @Get()
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({ summary: 'List alert rules, oldest first' })
  @ApiOkResponse({ schema: openApiSchema(AlertRuleListSchema) })
  listAlertRules(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(ListQuerySchema) q: ListQuery) {
    return this.rules.list(key, q);
  }

  @Get('templates')
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({ summary: 'The built-in rule templates', description: 'Create one with POST /v1/alert-rules {"template": "<name>"}, overriding any field.' })
  @ApiOkResponse({ schema: openApiSchema(AlertTemplateListSchema) })
  listAlertRuleTemplates() {
    return this.rules.templates();
  }

  @Get(':id')
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({ summary: 'Get an alert rule and how far its evaluation is' })
  @ApiOkResponse({ schema: openApiSchema(AlertRuleSchema) })
  @ApiErrors(RULE_404)
  getAlertRule(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string) {
    return this.rules.get(key, id);
  }

  @Patch(':id')
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({ summary: 'Change, enable or disable an alert rule', description: 'The kind cannot change. A rule enabled again starts from the events sealed from then on.' })
  @ApiOkResponse({ schema: openApiSchema(AlertRuleSchema) })
  @ApiErrors(RULE_404, ORG_FILTER_400)
  updateAlertRule(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(AlertRuleUpdateSchema) body: AlertRuleUpdate, @Meta() meta: RequestMetaValue) {
    return this.rules.update(key, id, body, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({ summary: 'Delete an alert rule', description: 'Its alerts stay (they keep the rule\'s name).' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(RULE_404)
  async deleteAlertRule(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @Meta() meta: RequestMetaValue): Promise<void> {
    await this.rules.remove(key, id, meta);
  }
}
