import type { INestApplicationContext } from '@nestjs/common';
import { Clock } from '../../src/common/clock.js';

/**
 * Test control of an application's injected {@link Clock} (production code has no way to stop
 * time): `freeze(ms)` pins `now()` to an instant, e.g. to put events exactly at the retention
 * boundary; `unfreeze()` returns to real time.
 */
export interface TestClock {
  freeze(ms: number): void;
  unfreeze(): void;
}

export function testClock(app: INestApplicationContext): TestClock {
  const clock = app.get(Clock) as Clock & { now: () => number };
  return {
    freeze(ms) {
      // An own property shadows the prototype's now() on this instance only.
      Object.defineProperty(clock, 'now', { value: () => ms, configurable: true, writable: true });
    },
    unfreeze() {
      delete (clock as { now?: unknown }).now;
    },
  };
}
