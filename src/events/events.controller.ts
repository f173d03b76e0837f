import { Controller, Get, Param, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import type { FastifyReply } from 'fastify';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { ApiErrors } from '../common/api-errors.js';
import { openApiSchema, ValidQuery } from '../common/schema.js';
import { ApiKeyAuth, CurrentKey, ViewerAccess } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import {
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
import { EventSchema } from './event.schema.js';
import { CheckedClock } from '../common/checked-clock.js';
import { EventQueryService, eventPageJson } from './query.service.js';
import { EVENT_PAGE_RENDERER, type EventPageRenderer } from './event-page-renderer.js';

/** Reads answer stored canonical JSON as is (no parse/serialise round trip). */
const JSON_TYPE = 'application/json; charset=utf-8';

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(
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
