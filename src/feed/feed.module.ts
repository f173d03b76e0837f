import { Module } from '@nestjs/common';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { EventsModule } from '../events/events.module.js';
import { IntegrityModule } from '../integrity/integrity.module.js';
import { ExportsModule } from '../exports/exports.module.js';
import { FeedController } from './feed.controller.js';
import { FeedService } from './feed.service.js';

@Module({
  imports: [AuthModule, EventsModule, IntegrityModule, ExportsModule],
  controllers: [FeedController],
  providers: [FeedService],
})
export class FeedModule {}
