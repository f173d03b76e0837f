import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import type { EventPageFormat } from './event-query.schema.js';
import type { EventPage } from './query.service.js';

/**
 * Renders a page of events in a standard schema (`format=ocsf|ecs|cef` on GET /v1/events). The
 * events module defines it; the exports module, which owns the format mappings and already
 * depends on events, provides it — so events never imports exports.
 */
export const EVENT_PAGE_RENDERER = Symbol('EVENT_PAGE_RENDERER');
export interface EventPageRenderer {
  pageJson(principal: ApiKeyPrincipal, page: EventPage, format: EventPageFormat | undefined): Promise<string>;
}
