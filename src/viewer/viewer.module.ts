import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { EventsModule } from '../events/events.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { IntegrityModule } from '../integrity/integrity.module.js';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { TenancyModule } from '../tenancy/tenancy.module.js';
import { DemoController } from './demo.controller.js';
import { DemoService } from './demo.service.js';
import { ViewerController } from './viewer.controller.js';
import { installViewerCors, registerViewerAssets, VIEWER_ASSETS_DIR } from './viewer-http.js';
import { ViewerService } from './viewer.service.js';
import { ViewerSessionsService } from './viewer-sessions.service.js';
import { ViewerRepository } from './viewer.repository.js';
import { ViewerTokenService } from './viewer-tokens.service.js';
import { JobsModule } from '../jobs/jobs.module.js';

/**
 * The embedded viewer: viewer tokens (minted here; ViewerTokenService registers itself as a
 * token verifier with tenancy's TokenVerifierRegistry, which the auth guard asks), session revocation, the CORS allow-list, the web
 * component's assets under /viewer/ and the /demo page.
 */
@Module({
  imports: [AuthModule, EventsModule, IngestModule, IntegrityModule, JobsModule, TenancyModule],
  controllers: [ViewerController, DemoController],
  providers: [ViewerRepository, ViewerTokenService, ViewerService, ViewerSessionsService, DemoService],
})
export class ViewerModule implements OnModuleInit {
  private readonly logger = new Logger('Viewer');

  constructor(private readonly http: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
    installViewerCors(fastify);
    if (!registerViewerAssets(fastify)) {
      this.logger.warn({ dir: VIEWER_ASSETS_DIR }, 'viewer assets are not built (npm run build); /viewer/ answers 404');
    }
  }
}
