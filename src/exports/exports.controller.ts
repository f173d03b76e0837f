import { Controller, Delete, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { publicBaseUrl } from '../common/proxy.js';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { openApiSchema, ValidBody, ValidQuery } from '../common/schema.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ApiKeyAuth, CurrentKey, CurrentKeyIfAny, OrSignedLink, ViewerAccess } from '../tenancy/auth/guards.js';
import type { ApiKeyPrincipal } from '../tenancy/principal.js';
import {
  DirectExportQuerySchema,
  DownloadQuerySchema,
  ExportCreateSchema,
  ExportListQuerySchema,
  ExportListSchema,
  ExportSchema,
  OcsfSettingsSchema,
  type DirectExportQuery,
  type DownloadQuery,
  type ExportCreate,
  type ExportListQuery,
  type ExportView,
  type OcsfSettings,
} from './exports.schema.js';
import { ExportsService, type Download } from './exports.service.js';

/** What an export file is served as (formats/index.ts exportFileType); errors stay JSON. */
const TEXT = { schema: { type: 'string' } };
const BINARY = {};
const FILE_CONTENT = {
  'application/x-ndjson': TEXT,
  'text/csv': TEXT,
  'text/plain': TEXT,
  'application/gzip': BINARY,
};

const EXPORT_404 = { 404: '`not_found`: no such export in your scope.' };

function contentDisposition(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
}

@ApiTags('exports')
@Controller('v1/exports')
export class ExportsController {
  constructor(
    private readonly exports: ExportsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Download links are absolute (see publicBaseUrl). */
  private baseUrl(req: FastifyRequest): string {
    return publicBaseUrl(this.config, req);
  }

  @Post()
  @HttpCode(202)
  @ApiKeyAuth('exports')
  @ViewerAccess()
  @ApiOperation({
    summary: 'Request an export',
    description:
      'Takes the filters of GET /v1/events and a format; answers 202 with the export job, produced in the background from a snapshot of the trail ' +
      'as of the request. Poll GET /v1/exports/{id} until status is succeeded, then download. Recorded as veritrail.export.requested.',
  })
  @ApiAcceptedResponse({ schema: openApiSchema(ExportSchema) })
  @ApiErrors({
    403: '`insufficient_scope`: a bundle asked for with a key limited to one organization.',
    429: '`export_queue_full`: EXPORT_TENANT_QUEUE_MAX exports are queued or running; `export_limit_reached`: the plan\'s exports of the day are used up (`reset_at`). Nothing was recorded.',
  })
  createExport(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(ExportCreateSchema) body: ExportCreate, @Meta() meta: RequestMetaValue, @Req() req: FastifyRequest): Promise<ExportView> {
    return this.exports.create(key, body, meta, this.baseUrl(req));
  }

  @Get()
  @ApiKeyAuth('exports')
  @ViewerAccess()
  @ApiOperation({ summary: 'List exports, newest first' })
  @ApiOkResponse({ schema: openApiSchema(ExportListSchema) })
  listExports(@CurrentKey() key: ApiKeyPrincipal, @ValidQuery(ExportListQuerySchema) q: ExportListQuery, @Req() req: FastifyRequest) {
    return this.exports.list(key, q, this.baseUrl(req));
  }

  @Get(':id')
  @ApiKeyAuth('exports')
  @ViewerAccess()
  @ApiOperation({ summary: 'Get an export', description: 'Once succeeded, includes a signed download_link valid 15 minutes.' })
  @ApiOkResponse({ schema: openApiSchema(ExportSchema) })
  @ApiErrors(EXPORT_404)
  getExport(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @Req() req: FastifyRequest): Promise<ExportView> {
    return this.exports.get(key, id, this.baseUrl(req));
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiKeyAuth('exports')
  @ApiOperation({
    summary: 'Cancel an export, or delete its file',
    description: 'A queued or running export is cancelled (a running one stops within seconds); a succeeded export\'s file is deleted now. Recorded in the trail.',
  })
  @ApiOkResponse({ schema: openApiSchema(ExportSchema) })
  @ApiErrors(EXPORT_404)
  cancelExport(@CurrentKey() key: ApiKeyPrincipal, @Param('id') id: string, @Meta() meta: RequestMetaValue, @Req() req: FastifyRequest): Promise<ExportView> {
    return this.exports.cancel(key, id, meta, this.baseUrl(req));
  }

  @Get(':id/download')
  @ApiKeyAuth('exports')
  @OrSignedLink()
  @ApiOperation({
    summary: 'Download an export file',
    description:
      'Authenticated either by an API key holding `exports` (Authorization header) or by the signed link of GET /v1/exports/{id} (tenant, expires, signature). ' +
      'A link is bound to one export of one tenant and works 15 minutes: an edited link answers 403 invalid_link, an expired one 403 link_expired. ' +
      'Headers: Content-Length, Digest (sha-256), ETag. 409 export_not_ready before success; 410 export_expired once the file is gone, 410 export_invalidated when an erasure made after it invalidated it.',
  })
  @ApiOkResponse({ description: 'The file: ndjson and ocsf as application/x-ndjson, csv as text/csv, cef as text/plain, a bundle as application/x-tar, gzip as application/gzip.', content: { ...FILE_CONTENT, 'application/x-tar': BINARY } })
  @ApiErrors(EXPORT_404, {
    409: '`export_not_ready`: the export has not succeeded (yet).',
    410: '`export_expired`: the file expired or was deleted; `export_invalidated`: an erasure made after the export invalidated it.',
    503: '`export_storage_unavailable`: the file store did not answer (`Retry-After`).',
  })
  async downloadExport(
    @CurrentKeyIfAny() key: ApiKeyPrincipal | undefined,
    @Param('id') id: string,
    @ValidQuery(DownloadQuerySchema) q: DownloadQuery,
    @Meta() meta: RequestMetaValue,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // The guard authenticated a key (scope exports) unless the request carries a signed link.
    const d: Download = key ? await this.exports.download(id, { principal: key }, meta) : await this.exports.download(id, { link: q }, meta);
    const sha = d.record.sha256!;
    await reply
      .header('content-type', d.contentType)
      .header('content-length', String(d.record.bytes))
      .header('content-disposition', contentDisposition(d.fileName))
      .header('digest', `sha-256=${Buffer.from(sha, 'hex').toString('base64')}`)
      .header('etag', `"${sha}"`)
      .header('cache-control', 'private, no-store')
      .send(d.body);
  }
}

@ApiTags('events')
@Controller('v1/events')
export class DirectExportController {
  constructor(private readonly exports: ExportsService) {}

  @Get('export')
  @ApiKeyAuth('exports')
  @ApiOperation({
    summary: 'Stream a small export directly',
    description:
      'The events matching the filters (those of GET /v1/events), oldest first, in the response body — no job. Refused with 422 export_too_large before ' +
      'any byte when the range holds more than EXPORT_DIRECT_MAX_EVENTS events (100 000 by default): use POST /v1/exports. Recorded as veritrail.export.streamed. ' +
      'A failure after the first byte ends the response early (the body is then incomplete: check the event count or use POST /v1/exports for a sha256).',
  })
  @ApiOkResponse({
    description: 'The export: ndjson and ocsf as application/x-ndjson, csv as text/csv, cef as text/plain, gzip as application/gzip.',
    content: FILE_CONTENT,
    headers: { 'X-Event-Count': { description: 'The number of events in the body.', schema: { type: 'integer', minimum: 0 } } },
  })
  @ApiErrors({ 422: '`export_too_large`: the range holds more than EXPORT_DIRECT_MAX_EVENTS events; use POST /v1/exports.' }, 504)
  async streamExport(
    @CurrentKey() key: ApiKeyPrincipal,
    @ValidQuery(DirectExportQuerySchema) q: DirectExportQuery,
    @Meta() meta: RequestMetaValue,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const out = await this.exports.direct(key, q, meta);
    await reply
      .header('content-type', out.contentType)
      .header('content-disposition', contentDisposition(out.fileName))
      .header('x-event-count', String(out.count))
      .header('cache-control', 'private, no-store')
      .send(out.body);
  }
}

@ApiTags('settings')
@Controller('v1/settings')
export class OcsfSettingsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('ocsf')
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'The action → OCSF class mapping used by ocsf exports' })
  @ApiOkResponse({ schema: openApiSchema(OcsfSettingsSchema) })
  getOcsfSettings(@CurrentKey() key: ApiKeyPrincipal): Promise<OcsfSettings> {
    return this.exports.getOcsf(key);
  }

  @Put('ocsf')
  @ApiKeyAuth('admin')
  @ApiOperation({ summary: 'Replace the action → OCSF class mapping', description: 'Recorded as veritrail.settings.updated.' })
  @ApiOkResponse({ schema: openApiSchema(OcsfSettingsSchema) })
  putOcsfSettings(@CurrentKey() key: ApiKeyPrincipal, @ValidBody(OcsfSettingsSchema) body: OcsfSettings, @Meta() meta: RequestMetaValue): Promise<OcsfSettings> {
    return this.exports.putOcsf(key, body, meta);
  }
}
