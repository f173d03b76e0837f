import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '../common/openapi-decorators.js';
import type { FastifyReply } from 'fastify';
import { Meta, type RequestMetaValue } from '../common/request-meta.js';
import { DemoService } from './demo.service.js';

/** GET /demo: the viewer on sample data (VIEWER_DEMO; not part of the API). */
@ApiExcludeController()
@Controller('demo')
export class DemoController {
  constructor(private readonly demo: DemoService) {}

  @Get()
  async getDemo(@Query('view') view: string | undefined, @Meta() meta: RequestMetaValue, @Res() reply: FastifyReply): Promise<void> {
    const page = await this.demo.page(view === 'my-activity' ? 'my-activity' : 'organization', meta);
    await reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        `default-src 'none'; script-src 'self' 'nonce-${page.nonce}'; style-src 'self' 'nonce-${page.nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      )
      .header('referrer-policy', 'no-referrer')
      .send(page.html);
  }
}
