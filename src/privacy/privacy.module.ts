import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { PrivacySettingsController } from './privacy-settings.controller.js';

/** Privacy controls. The scrubbing policy service itself lives in EventsModule (the ingest path needs it). */
@Module({
  imports: [EventsModule],
  controllers: [PrivacySettingsController],
})
export class PrivacyModule {}
