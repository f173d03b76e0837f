import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey, StreamsAccess } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import {
  DeliveryListSchema,
  DeliverySchema,
  ReplaySchema,
  RotateSecretSchema,
  SecretSchema,
  WebhookCreatedSchema,
  WebhookCreateSchema,
  WebhookListQuerySchema,
  WebhookListSchema,
  WebhookSchema,
  WebhookUpdateSchema,
  type Replay,
  type RotateSecret,
  type WebhookCreate,
  type WebhookListQuery,
  type WebhookUpdate,
} from './webhooks.schema.js';
import { WebhooksService } from './webhooks.service.js';

const WEBHOOK_404 = { 404: '`not_found`: no such destination in your tenant (for an organization-scoped key or viewer token: among its organization\'s own destinations).' };
const URL_ERRORS = {
  400:
    '`webhook_organization_not_allowed`: an organization-scoped caller (scope streams) naming another organization in filters.organizations; `webhook_credentials_required`: an s3 destination without its own access_key_id and secret_access_key, a sentinel destination without tenant_id, client_id, client_secret, dcr_immutable_id and stream_name; `webhook_option_not_applicable`: format, tls, cloudevents or credentials given to a kind they do not apply to; `webhook_tls_invalid`: syslog TLS material that is not PEM or a key that does not match its certificate.',
  422: '`webhook_url_not_allowed`: not http(s), credentials in the URL, or an internal address in any spelling; `webhook_url_invalid`: not a usable URL (s3: s3://<bucket>/<prefix>; syslog: syslog+tls:// or syslog+tcp://<host>[:port]).',
};

/**
 * Destinations. Tenant-wide keys (scope webhooks) see and manage all of them; an organization-
 * scoped key or viewer token holding streams (self-service, @StreamsAccess) only those its
 * organization created, which deliver only that organization's entries.
 */
@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  @ApiKeyAuth('webhooks')
  @StreamsAccess()
  @ApiOperation({
    summary: 'Create a webhook or log-stream destination',
    description:
      'Deliveries are signed per Standard Webhooks with the returned whsec_ secret (shown only now and on rotation). URLs must be http(s) and public: ' +
      'private, loopback, link-local, CGNAT, metadata and multicast addresses answer 422 webhook_url_not_allowed (and are re-checked after DNS at every connection).',
  })
  @ApiCreatedResponse({ schema: openApiSchema(WebhookCreatedSchema) })
  @ApiErrors(URL_ERRORS, { 422: '`webhook_limit_reached`: 50 destinations already (10 for one organization\'s own); `plan_limit_reached`: the plan allows no more.' })
  createWebhook(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(WebhookCreateSchema) body: WebhookCreate, @Meta() meta: RequestMetaValue) {
    return this.webhooks.create(key, body, meta);
  }

  @Get()
  @ApiKeyAuth('webhooks')
  @StreamsAccess()
  @ApiOperation({ summary: 'List destinations with their health' })
  @ApiOkResponse({ schema: openApiSchema(WebhookListSchema) })
  listWebhooks(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(WebhookListQuerySchema) q: WebhookListQuery) {
    return this.webhooks.list(key, q);
  }

  @Get(':id')
  @ApiKeyAuth('webhooks')
  @StreamsAccess()
  @ApiOperation({ summary: 'Get a destination and its health (last success, lag, failures)' })
  @ApiOkResponse({ schema: openApiSchema(WebhookSchema) })
  @ApiErrors(WEBHOOK_404)
  getWebhook(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string) {
    return this.webhooks.get(key, id);
  }

  @Patch(':id')
  @ApiKeyAuth('webhooks')
  @StreamsAccess()
  @ApiOperation({ summary: 'Change a destination, pause or resume it', description: 'status active also re-enables a disabled destination; it resumes from its cursor.' })
  @ApiOkResponse({ schema: openApiSchema(WebhookSchema) })
  @ApiErrors(WEBHOOK_404, URL_ERRORS)
  updateWebhook(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(WebhookUpdateSchema) body: WebhookUpdate, @Meta() meta: RequestMetaValue) {
    return this.webhooks.update(key, id, body, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiKeyAuth('webhooks')
  @StreamsAccess()
  @ApiOperation({ summary: 'Delete a destination and its delivery log' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(WEBHOOK_404)
  async deleteWebhook(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @Meta() meta: RequestMetaValue): Promise<void> {
    await this.webhooks.remove(key, id, meta);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiKeyAuth('webhooks')
  @StreamsAccess()
  @ApiOperation({ summary: 'Rotate the signing secret', description: 'During the overlap (24 h by default) every delivery carries two signatures: receivers with either secret verify.' })
  @ApiOkResponse({ schema: openApiSchema(SecretSchema) })
  @ApiErrors(WEBHOOK_404)
  rotateWebhookSecret(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(RotateSecretSchema) body: RotateSecret, @Meta() meta: RequestMetaValue) {
    return this.webhooks.rotateSecret(key, id, body, meta);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiKeyAuth('webhooks')
  @StreamsAccess()
  @ApiOperation({ summary: 'Send a webhook.test message now', description: 'Answers with the attempt (success, response code, latency; never the response body); also in the delivery log.' })
  @ApiOkResponse({ schema: openApiSchema(DeliverySchema) })
  @ApiErrors(WEBHOOK_404)
  testWebhook(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string) {
    return this.webhooks.test(key, id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiKeyAuth('webhooks')
  @StreamsAccess()
  @ApiOperation({ summary: 'Redeliver from a time or a feed cursor', description: 'Moves the destination\'s cursor; the batch in flight is dropped and deliveries resume from there, in order.' })
  @ApiOkResponse({ schema: openApiSchema(WebhookSchema) })
  @ApiErrors(WEBHOOK_404, { 400: '`validation_failed`: not exactly one of from and cursor; `invalid_cursor`: not a feed cursor of this tenant and scope.' })
  replayWebhook(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(ReplaySchema) body: Replay, @Meta() meta: RequestMetaValue) {
    return this.webhooks.replay(key, id, body, meta);
  }

  @Get(':id/deliveries')
  @ApiKeyAuth('webhooks')
  @StreamsAccess()
  @ApiOperation({ summary: 'The delivery log, newest first' })
  @ApiOkResponse({ schema: openApiSchema(DeliveryListSchema) })
  @ApiErrors(WEBHOOK_404)
  listWebhookDeliveries(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidQuery(WebhookListQuerySchema) q: WebhookListQuery) {
    return this.webhooks.deliveries(key, id, q);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(200)
  @ApiKeyAuth('webhooks')
  @StreamsAccess()
  @ApiOperation({ summary: 'Send one logged message again', description: 'Same webhook-id as the original, new timestamp and signature.' })
  @ApiOkResponse({ schema: openApiSchema(DeliverySchema) })
  @ApiErrors({ 404: '`not_found`: no such destination, or no such delivery of it.' })
  retryWebhookDelivery(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @Param('deliveryId') deliveryId: string) {
    return this.webhooks.retryDelivery(key, id, deliveryId);
  }
}
