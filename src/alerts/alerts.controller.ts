import { Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { AlertListQuerySchema, AlertListSchema, AlertSchema, AlertUpdateSchema, type AlertListQuery, type AlertUpdate } from './alerts.schema.js';
import { AlertsService } from './alerts.service.js';

@ApiTags('alerts')
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiKeyAuth('alerts')
  @ApiOperation({ summary: 'List alerts, newest first', description: 'Filters: status, tier, rule_id, owner, group_value, from/to on triggered_at. Cursor pages.' })
  @ApiOkResponse({ schema: openApiSchema(AlertListSchema) })
  listAlerts(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(AlertListQuerySchema) q: AlertListQuery) {
    return this.alerts.list(key, q);
  }

  @Get(':id')
  @ApiKeyAuth('alerts')
  @ApiOperation({ summary: 'Get an alert with its evidence and notes' })
  @ApiOkResponse({ schema: openApiSchema(AlertSchema) })
  getAlert(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string) {
    return this.alerts.get(key, id);
  }

  @Patch(':id')
  @ApiKeyAuth('alerts')
  @ApiOperation({ summary: 'Triage an alert: acknowledge, close (with a resolution), reopen, reassign, add a note', description: 'Each change is recorded in the trail as veritrail.alert.acknowledged | closed | reopened | updated.' })
  @ApiOkResponse({ schema: openApiSchema(AlertSchema) })
  updateAlert(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(AlertUpdateSchema) body: AlertUpdate, @Meta() meta: RequestMetaValue) {
    return this.alerts.update(key, id, body, meta);
  }
}
