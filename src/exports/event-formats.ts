import { Injectable } from '@nestjs/common';
import { VERSION } from '../common/paths.js';
import type { EventPageFormat } from '../events/event-query.schema.js';
import type { EventPageRenderer } from '../events/event-page-renderer.js';
import { eventPageJson, type EventPage } from '../events/query.service.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import { TenantScope } from '../tenancy/tenant-scope.js';
import { ExportsRepository } from './exports.repository.js';
import { cefLine } from './formats/cef.js';
import { toEcs } from './formats/ecs.js';
import { parseStoredEvent, type ExportedEvent } from './formats/exported-event.js';
import { actionClassifier, toOcsf, type OcsfMapping } from './formats/ocsf.js';

/**
 * A page of events (GET /v1/events, GET /v1/events/feed) in a standard schema: the same
 * envelope and cursor, `data` holding OCSF 1.1.0 objects, ECS documents or CEF lines (strings)
 * made by the export writers, with the tenant's OCSF mapping. `json` (default) is the events as
 * stored.
 */
@Injectable()
export class EventFormats implements EventPageRenderer {
  constructor(private readonly repo: ExportsRepository) {}

  async pageJson(principal: ApiKeyPrincipal, page: EventPage, format: EventPageFormat | undefined): Promise<string> {
    if (format === undefined || format === 'json') return eventPageJson(page);
    const render = await this.renderer(principal, format);
    const data = page.payloads.map((p) => render(parseStoredEvent(p)));
    return `{"data":[${data.join(',')}],"next_cursor":${JSON.stringify(page.next_cursor)}}`;
  }

  private async renderer(principal: ApiKeyPrincipal, format: Exclude<EventPageFormat, 'json'>): Promise<(ev: ExportedEvent) => string> {
    if (format === 'cef') return (ev) => JSON.stringify(cefLine(ev, VERSION).slice(0, -1));
    const mapping = (await this.repo.ocsfMapping(TenantScope.of(principal))) as OcsfMapping;
    const classify = actionClassifier(mapping);
    if (format === 'ecs') return (ev) => JSON.stringify(toEcs(ev, { productVersion: VERSION, mapping, classify }));
    return (ev) => JSON.stringify(toOcsf(ev, { productVersion: VERSION, mapping, classify, serviceName: principal.tenant.name }));
  }
}
