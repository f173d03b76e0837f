import { Module } from '@nestjs/common';
import { EventLog } from './event-log.service.js';

/**
 * EventLog on its own: it needs only storage and config, so billing's global core module can
 * import it without importing ingest (which calls billing's quota).
 */
@Module({ providers: [EventLog], exports: [EventLog] })
export class EventLogModule {}
