import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '../common/openapi-decorators.js';
import { openApiSchema } from '../common/schema.js';
import type { FastifyReply } from 'fastify';
import { VERSION } from '../common/paths.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { HomeSchema } from './ops.schema.js';

/** A lettered mark, served for /favicon.ico so browsers opening the API or the demo get no 404. */
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f4e79"/>' +
  '<path d="M8 9l8 15 8-15" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';

interface HomeLinks {
  docs: string;
  openapi: string;
  healthz: string;
  readyz: string;
  metrics: string;
  demo?: string;
}

@ApiTags('ops')
@Controller()
export class HomeController {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({ summary: 'What this server is, and where to go next (HTML for browsers, JSON otherwise)', security: [] })
  @ApiOkResponse({
    description: 'JSON, or an HTML page when Accept includes text/html.',
    content: { 'application/json': { schema: openApiSchema(HomeSchema) }, 'text/html': { schema: { type: 'string' } } },
  })
  home(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): { name: string; version: string; links: HomeLinks } | string {
    const links: HomeLinks = { docs: '/docs', openapi: '/docs/openapi.json', healthz: '/healthz', readyz: '/readyz', metrics: '/metrics' };
    if (this.config.viewer.demo) links.demo = '/demo';
    if (!accept?.includes('text/html')) return { name: 'Veritrail', version: VERSION, links };
    void reply.header('content-type', 'text/html; charset=utf-8');
    const items = Object.entries(links)
      .map(([name, href]) => `<li><a href="${href}">${href}</a> — ${LINK_LABELS[name as keyof HomeLinks]}</li>`)
      .join('');
    return (
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
      `<title>Veritrail ${VERSION}</title><link rel="icon" href="/favicon.ico" type="image/svg+xml">` +
      '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}@media(prefers-color-scheme:dark){body{background:#111;color:#ddd}a{color:#8ab4f8}}</style>' +
      `</head><body><h1>Veritrail ${VERSION}</h1><p>Multi-tenant audit-log API.</p><ul>${items}</ul></body></html>`
    );
  }

  @Get('favicon.ico')
  @ApiExcludeEndpoint()
  favicon(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400');
    return FAVICON_SVG;
  }
}

const LINK_LABELS: Record<keyof HomeLinks, string> = {
  docs: 'API reference (Swagger UI)',
  openapi: 'OpenAPI document',
  healthz: 'liveness',
  readyz: 'readiness (both stores answer)',
  metrics: 'Prometheus metrics',
  demo: 'the embedded viewer on demo data',
};
