import { Module } from '@nestjs/common';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { EventLog } from './event-log.service.js';
import { EVENT_PRIVACY, EventPrivacyRegistry } from './event-privacy.js';
import { EventScan } from './event-scan.js';
import { LogLeavesRegistry } from './log-leaves.js';
import { LogWalk } from './log-walk.service.js';

/**
 * EventLog on its own: it needs only storage, config and tenancy's AuthModule (the registry it
 * plugs tenant deletion into), so billing's core module can import it without importing ingest
 * (which calls billing's quota). The registry where
 * integrity plugs in its reader of Merkle-log leaves lives here too, one instance per app, with
 * the walk over the log that the feed, webhooks and alerts share (LogWalk), and the registry where
 * the personal-data module plugs in EVENT_PRIVACY.
 */
@Module({
  imports: [AuthModule],
  providers: [EventLog, EventScan, LogLeavesRegistry, LogWalk, EventPrivacyRegistry, { provide: EVENT_PRIVACY, useExisting: EventPrivacyRegistry }],
  exports: [EventLog, EventScan, LogLeavesRegistry, LogWalk, EventPrivacyRegistry, EVENT_PRIVACY],
})
export class EventLogModule {}
