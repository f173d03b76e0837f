import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { hostname } from 'node:os';
import { CheckedClock } from '../common/checked-clock.js';
import { AuditTrailService } from '../events/audit-trail.service.js';

// Re-exported where it was first defined; it lives in events so the read path can write to it.
export { SYSTEM_TRAIL_TENANT_ID, systemTrailScope } from '../events/system-trail.js';
import { systemTrailScope } from '../events/system-trail.js';

/**
 * LD-02: each episode of clock skew beyond CLOCK_SKEW_WARN_MS (from the check that finds it
 * to the check that finds the clock agreeing again) is recorded once, by the replica that
 * found it, as `veritrail.clock.skew_detected` in the system trail. Its times come from the
 * checked clock, so the entry itself is not stamped 10 minutes ahead.
 */
@Injectable()
export class ClockSkewTrail implements OnModuleInit {
  private readonly logger = new Logger('Clock');

  constructor(
    private readonly clock: CheckedClock,
    private readonly trail: AuditTrailService,
  ) {}

  onModuleInit(): void {
    this.clock.onSkewEpisode((e) => {
      this.trail
        .record(systemTrailScope(), {
          action: 'veritrail.clock.skew_detected',
          actor: { type: 'system', id: 'veritrail', name: 'Veritrail' },
          outcome: 'failure',
          metadata: {
            replica: `${hostname()}:${process.pid}`,
            skew_ms: e.skewMs,
            limit_ms: e.limitMs,
            reference: 'postgresql',
            correction: 'received_at, event ids and checkpoint times use the PostgreSQL-corrected time',
          },
        })
        .catch((err: unknown) => this.logger.error({ err: (err as Error).message }, 'could not record the clock skew in the system trail'));
    });
  }
}
