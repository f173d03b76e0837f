import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
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

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  @ApiKeyAuth('webhooks')
  @ApiOperation({
    summary: 'Create a webhook or log-stream destination',
    description:
      'Deliveries are signed per Standard Webhooks with the returned whsec_ secret (shown only now and on rotation). URLs must be http(s) and public: ' +
      'private, loopback, link-local, CGNAT, metadata and multicast addresses answer 422 webhook_url_not_allowed (and are re-checked after DNS at every connection).',
  })
  @ApiCreatedResponse({ schema: openApiSchema(WebhookCreatedSchema) })
  createWebhook(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(WebhookCreateSchema) body: WebhookCreate, @Meta() meta: RequestMetaValue) {
    return this.webhooks.create(key, body, meta);
  }

  @Get()
  @ApiKeyAuth('webhooks')
  @ApiOperation({ summary: 'List destinations with their health' })
  @ApiOkResponse({ schema: openApiSchema(WebhookListSchema) })
  listWebhooks(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(WebhookListQuerySchema) q: WebhookListQuery) {
    return this.webhooks.list(key, q);
  }

  @Get(':id')
  @ApiKeyAuth('webhooks')
  @ApiOperation({ summary: 'Get a destination and its health (last success, lag, failures)' })
  @ApiOkResponse({ schema: openApiSchema(WebhookSchema) })
  getWebhook(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string) {
    return this.webhooks.get(key, id);
  }

  @Patch(':id')
  @ApiKeyAuth('webhooks')
  @ApiOperation({ summary: 'Change a destination, pause or resume it', description: 'status active also re-enables a disabled destination; it resumes from its cursor.' })
  @ApiOkResponse({ schema: openApiSchema(WebhookSchema) })
  updateWebhook(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(WebhookUpdateSchema) body: WebhookUpdate, @Meta() meta: RequestMetaValue) {
    return this.webhooks.update(key, id, body, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiKeyAuth('webhooks')
  @ApiOperation({ summary: 'Delete a destination and its delivery log' })
  @ApiNoContentResponse()
  async deleteWebhook(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @Meta() meta: RequestMetaValue): Promise<void> {
    await this.webhooks.remove(key, id, meta);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiKeyAuth('webhooks')
  @ApiOperation({ summary: 'Rotate the signing secret', description: 'During the overlap (24 h by default) every delivery carries two signatures: receivers with either secret verify.' })
  @ApiOkResponse({ schema: openApiSchema(SecretSchema) })
  rotateWebhookSecret(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(RotateSecretSchema) body: RotateSecret, @Meta() meta: RequestMetaValue) {
    return this.webhooks.rotateSecret(key, id, body, meta);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiKeyAuth('webhooks')
  @ApiOperation({ summary: 'Send a webhook.test message now', description: 'Answers with the attempt (success, response code, latency; never the response body); also in the delivery log.' })
  @ApiOkResponse({ schema: openApiSchema(DeliverySchema) })
  testWebhook(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string) {
    return this.webhooks.test(key, id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiKeyAuth('webhooks')
  @ApiOperation({ summary: 'Redeliver from a time or a feed cursor', description: 'Moves the destination\'s cursor; the batch in flight is dropped and deliveries resume from there, in order.' })
  @ApiOkResponse({ schema: openApiSchema(WebhookSchema) })
  replayWebhook(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidBody(ReplaySchema) body: Replay, @Meta() meta: RequestMetaValue) {
    return this.webhooks.replay(key, id, body, meta);
  }

  @Get(':id/deliveries')
  @ApiKeyAuth('webhooks')
  @ApiOperation({ summary: 'The delivery log, newest first' })
  @ApiOkResponse({ schema: openApiSchema(DeliveryListSchema) })
  listWebhookDeliveries(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @ValidQuery(WebhookListQuerySchema) q: WebhookListQuery) {
    return this.webhooks.deliveries(key, id, q);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(200)
  @ApiKeyAuth('webhooks')
  @ApiOperation({ summary: 'Send one logged message again', description: 'Same webhook-id as the original, new timestamp and signature.' })
  @ApiOkResponse({ schema: openApiSchema(DeliverySchema) })
  retryWebhookDelivery(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @Param('deliveryId') deliveryId: string) {
    return this.webhooks.retryDelivery(key, id, deliveryId);
  }
}
