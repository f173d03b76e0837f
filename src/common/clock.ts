import { Injectable } from '@nestjs/common';

/**
 * The time the product's time rules are judged by: retention, expiry (exports, download links,
 * viewer tokens and sessions, rotated secrets), leases and due times, alert and outbox windows,
 * plan periods and daily limits, "is it stale". Real time; tests stop it through
 * test/support/test-clock.ts, production code has no way to. Record timestamps (ids,
 * received_at, checkpoint times: CheckedClock) and measured durations (performance.now()) are
 * not Clock time; src/clock-usage.spec.ts keeps every other wall-clock read listed with a reason.
 */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }

  /** `now()` as a Date, e.g. for a PostgreSQL timestamp column. */
  date(offsetMs = 0): Date {
    return new Date(this.now() + offsetMs);
  }
}
