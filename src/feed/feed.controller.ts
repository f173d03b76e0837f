import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import type { FastifyReply } from 'fastify';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidQuery } from '../common/schema.js';
import { EventPageResponseSchema } from '../events/event-query.schema.js';
import { ApiKeyAuth, CurrentKey } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { FeedQuerySchema, type FeedQuery } from './feed.schema.js';
import { FeedService } from './feed.service.js';
import { EventFormats } from '../exports/event-formats.js';

@ApiTags('events')
@Controller('v1/events')
export class FeedController {
  constructor(
    private readonly feed: FeedService,
    private readonly formats: EventFormats,
  ) {}

  @Get('feed')
  @ApiKeyAuth('events:read')
  @ApiOperation({
    summary: 'Poll every event exactly once (SIEM feed)',
    description:
      'Events in the order they were appended to the tamper-evident log: each event is delivered exactly once across pages, ' +
      'whatever the number of writers and replicas, about LOG_APPEND_INTERVAL (500 ms by default) after it was acknowledged, ' +
      'later while the store is busy; signing checkpoints (SEAL_INTERVAL) is not on this path. ' +
      'next_cursor is always returned, also on an empty page: store it and poll with it. A page may hold fewer than limit events while more are pending. ' +
      'format=ocsf|ecs|cef puts OCSF objects, ECS documents or CEF lines (strings) in data instead of the events, with the same cursor.',
  })
  @ApiOkResponse({ schema: openApiSchema(EventPageResponseSchema) })
  async getEventFeed(
    @CurrentKey() key: ApiKeyPrincipal,
    @ValidQuery(FeedQuerySchema) q: FeedQuery,
    @Meta() meta: RequestMetaValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const page = await this.feed.page(key, q, meta);
    void reply.type('application/json; charset=utf-8');
    return this.formats.pageJson(key, page, q.format);
  }
}
