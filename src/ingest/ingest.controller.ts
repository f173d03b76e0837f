import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/api-errors.js';
import { CheckedClock } from '../common/checked-clock.js';
import { openApiSchema } from '../common/schema.js';
import { EventBatchCreatedSchema, EventCreatedSchema } from '../events/event-query.schema.js';
import { EventBatchSchema, EventInputSchema } from '../events/event.schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { IngestService } from './ingest.service.js';

/** What ingest can refuse, besides authentication (docs/api.md "Events" and "Idempotency"). */
const INGEST_ERRORS = {
  400: '`validation_failed`: an event breaks the contract (`details` names each field; in a batch each detail has `index`). `invalid_idempotency_key`: the Idempotency-Key header is not 1–255 printable ASCII characters.',
  409: '`idempotency_key_in_use`: a request with the same key is still in progress; retry after `Retry-After`.',
  422: '`idempotency_key_mismatch`: the key was used before with a different request; nothing was stored.',
  429: '`quota_exceeded`: the month\'s events of a plan without overage are used up (`plan`, `limit`, `used`, `reset_at`); nothing was stored.',
  503: '`overloaded`: the ingest queue is full; nothing was stored.',
} as const;

const REPLAYED_HEADER = {
  'Idempotent-Replayed': { description: 'true when the request (or some of its events) repeated an idempotency key: the ids are the original ones and nothing new was stored.', schema: { type: 'string', enum: ['true'] } },
};

const IDEMPOTENCY_HEADER_DOC = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Makes the whole request idempotent for 24 h: a retry returns the original ids and stores nothing new; the same key with a different body is refused (422).',
};

/** The write side of /v1/events (the reads are EventsController in src/events). */
@ApiTags('events')
@Controller('v1/events')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    private readonly clock: CheckedClock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiKeyAuth('events:write')
  @ApiOperation({ summary: 'Record one event', description: 'Answers 201 only after the event is committed to storage.' })
  @ApiBody({ schema: openApiSchema(EventInputSchema) })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ schema: openApiSchema(EventCreatedSchema), headers: REPLAYED_HEADER })
  @ApiErrors(INGEST_ERRORS)
  async createEvent(
    @CurrentKey() key: ApiKeyPrincipal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ id: string; received_at: string }> {
    const scope = TenantScope.of(key);
    const now = this.clock.now(); // received_at: the checked clock (LD-02)
    const event = this.ingest.validateOne(scope, body, now);
    const r = await this.ingest.ingest(scope, [event], idempotencyKey, now);
    if (r.replayed || r.deduplicated > 0) void reply.header('idempotent-replayed', 'true');
    return { id: r.ids[0]!, received_at: r.receivedAt[0]!.toISOString() };
  }

  @Post('batch')
  @HttpCode(201)
  @ApiKeyAuth('events:write')
  @ApiOperation({
    summary: 'Record up to 1000 events at once',
    description: 'All or nothing: one invalid event rejects the batch and every invalid event is listed by index. At most 5 MB.',
  })
  @ApiBody({ schema: openApiSchema(EventBatchSchema) })
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  @ApiCreatedResponse({ schema: openApiSchema(EventBatchCreatedSchema), headers: REPLAYED_HEADER })
  @ApiErrors(INGEST_ERRORS, { 413: '`batch_too_large`: more than 1000 events.' })
  async createEventBatch(
    @CurrentKey() key: ApiKeyPrincipal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ ids: string[] }> {
    const scope = TenantScope.of(key);
    const now = this.clock.now(); // received_at: the checked clock (LD-02)
    const events = this.ingest.validateBatch(scope, body, now);
    const r = await this.ingest.ingest(scope, events, idempotencyKey, now, true);
    if (r.replayed || r.deduplicated > 0) void reply.header('idempotent-replayed', 'true');
    return { ids: r.ids };
  }
}
