import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { IntegrityModule } from '../integrity/integrity.module.js';
import { FeedController } from './feed.controller.js';
import { FeedService } from './feed.service.js';

@Module({
  imports: [EventsModule, IntegrityModule],
  controllers: [FeedController],
  providers: [FeedService],
})
export class FeedModule {}
