import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { ApiErrors } from '../common/api-errors.js';
import { openApiSchema, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey, ViewerAccess } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import {
  EventBatchCreatedSchema,
  EventCreatedSchema,
  EventGetQuerySchema,
  EventListQuerySchema,
  type EventGetQuery,
  EventPageResponseSchema,
  EventStatsQuerySchema,
  EventHistogramQuerySchema,
  EventHistogramResponseSchema,
  type EventHistogramQuery,
  EventStatsResponseSchema,
  type EventListQuery,
  type EventStatsQuery,
} from './event-query.schema.js';
import { EventBatchSchema, EventInputSchema, EventSchema } from './event.schema.js';
import { CheckedClock } from '../common/checked-clock.js';
import { IngestService } from './ingest.service.js';
import { EventQueryService, eventPageJson } from './query.service.js';
import { EVENT_PAGE_RENDERER, type EventPageRenderer } from './event-page-renderer.js';

/** Reads answer stored canonical JSON as is (no parse/serialise round trip). */
const JSON_TYPE = 'application/json; charset=utf-8';

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

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly query: EventQueryService,
    private readonly modules: ModuleRef,
    private readonly clock: CheckedClock,
  ) {}

  /**
   * The standard-schema renderer lives with the export mappings (ExportsModule, which imports
   * this module and provides EVENT_PAGE_RENDERER): looked up at run time through the interface
   * this module defines, so the modules do not depend on each other both ways.
   */
  private formats(): EventPageRenderer {
    return this.modules.get<symbol, EventPageRenderer>(EVENT_PAGE_RENDERER, { strict: false });
  }

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

  @Get()
  @ApiKeyAuth('events:read')
  @ViewerAccess()
  @ApiOperation({
    summary: 'Search events',
    description:
      'Keyset-paginated; a cursor is bound to the tenant and to the filters it was issued for. format=ocsf|ecs|cef puts OCSF objects, ECS documents or CEF lines (strings) in data instead of the events, with the same cursor.',
  })
  @ApiOkResponse({ schema: openApiSchema(EventPageResponseSchema) })
  @ApiErrors(504)
  async listEvents(
    @CurrentKey() key: ApiKeyPrincipal,
    @ValidQuery(EventListQuerySchema) q: EventListQuery,
    @Meta() meta: RequestMetaValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const page = await this.query.list(key, q, meta);
    void reply.type(JSON_TYPE);
    return q.format === undefined || q.format === 'json' ? eventPageJson(page) : this.formats().pageJson(key, page, q.format);
  }

  @Get('stats')
  @ApiKeyAuth('events:read')
  @ViewerAccess()
  @ApiOperation({ summary: 'Count events by action, outcome and day' })
  @ApiOkResponse({ schema: openApiSchema(EventStatsResponseSchema) })
  @ApiErrors(504)
  getEventStats(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(EventStatsQuerySchema) q: EventStatsQuery, @Meta() meta: RequestMetaValue) {
    return this.query.stats(key, q, meta);
  }

  @Get('histogram')
  @ApiKeyAuth('events:read')
  @ViewerAccess()
  @ApiOperation({
    summary: 'Count events per time bucket and outcome',
    description:
      'Over [from, to) — by default the 30 days up to now — in at most `buckets` buckets of a round width (bucket_ms). The same filters and scope as GET /v1/events: what the embedded viewer\'s histogram draws.',
  })
  @ApiOkResponse({ schema: openApiSchema(EventHistogramResponseSchema) })
  @ApiErrors(504)
  getEventHistogram(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(EventHistogramQuerySchema) q: EventHistogramQuery, @Meta() meta: RequestMetaValue) {
    return this.query.histogram(key, q, meta, this.clock.now());
  }

  @Get(':id')
  @ApiKeyAuth('events:read')
  @ViewerAccess()
  @ApiOperation({ summary: 'Get one event' })
  @ApiOkResponse({ schema: openApiSchema(EventSchema) })
  @ApiErrors({ 404: '`not_found`: no such event in your scope (also another tenant\'s, an expired one or a malformed id).' }, 504)
  async getEvent(
    @CurrentKey() key: ApiKeyPrincipal,
    @Param('id') id: string,
    @ValidQuery(EventGetQuerySchema) q: EventGetQuery,
    @Meta() meta: RequestMetaValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const payload = await this.query.get(key, id, meta, q.locale, q.include);
    void reply.type(JSON_TYPE);
    return payload;
  }
}
