import { Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey, StreamsAccess } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { AlertListQuerySchema, AlertListSchema, AlertSchema, AlertUpdateSchema, type AlertListQuery, type AlertUpdate } from './alerts.schema.js';
import { AlertsService } from './alerts.service.js';

const ALERT_404 = { 404: '`not_found`: no such alert in your tenant (for an organization-scoped key or viewer token: among the alerts of its organization\'s own rules).' };

@ApiTags('alerts')
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({ summary: 'List alerts, newest first', description: 'Filters: status, tier, rule_id, owner, group_value, from/to on triggered_at. Cursor pages.' })
  @ApiOkResponse({ schema: openApiSchema(AlertListSchema) })
  listAlerts(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(AlertListQuerySchema) q: AlertListQuery) {
    return this.alerts.list(key, q);
  }

  @Get(':id')
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({ summary: 'Get an alert with its evidence and notes' })
  @ApiOkResponse({ schema: openApiSchema(AlertSchema) })
  @ApiErrors(ALERT_404)
  getAlert(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string) {
    return this.alerts.get(key, id);
  }

  @Patch(':id')
  @ApiKeyAuth('alerts')
  @StreamsAccess()
  @ApiOperation({ summary: 'Triage an alert: acknowledge, close (with a resolution), reopen, reassign, add a note', description: 'Each change is recorded in the trail as veritrail.alert.acknowledged | closed | reopened | updated.' })
  @ApiOkResponse({ schema: openApiSchema(AlertSchema) })
  @ApiErrors(ALERT_404, { 422: '`too_many_notes`: the alert keeps 100 notes already.' })
  updateAlert(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(AlertUpdateSchema) body: AlertUpdate, @Meta() meta: RequestMetaValue) {
    return this.alerts.update(key, id, body, meta);
  }
}
