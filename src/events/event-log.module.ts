import { Module } from '@nestjs/common';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { EventLog } from './event-log.service.js';
import { EventScan } from './event-scan.js';
import { LogLeavesRegistry } from './log-leaves.js';
import { LogWalk } from './log-walk.service.js';

/**
 * EventLog on its own: it needs only storage, config and tenancy's AuthModule (the registry it
 * plugs tenant deletion into), so billing's core module can import it without importing ingest
 * (which calls billing's quota). The registry where
 * integrity plugs in its reader of Merkle-log leaves lives here too, one instance per app, with
 * the walk over the log that the feed, webhooks and alerts share (LogWalk).
 */
@Module({ imports: [AuthModule], providers: [EventLog, EventScan, LogLeavesRegistry, LogWalk], exports: [EventLog, EventScan, LogLeavesRegistry, LogWalk] })
export class EventLogModule {}
