import { Injectable } from '@nestjs/common';

/**
 * The time retention is judged by: real time. Tests stop it through test/support/test-clock.ts
 * (to put events exactly at the retention boundary); production code has no way to. Ids and
 * received_at always use real time.
 */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}
