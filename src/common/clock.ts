import { Injectable } from '@nestjs/common';

/**
 * The time retention is judged by. Real time, except in tests that freeze it to put events
 * exactly at the retention boundary (`app.get(Clock).freeze(ms)`); ids and received_at always
 * use real time.
 */
@Injectable()
export class Clock {
  private fixed: number | undefined;

  now(): number {
    return this.fixed ?? Date.now();
  }

  freeze(ms: number): void {
    this.fixed = ms;
  }

  unfreeze(): void {
    this.fixed = undefined;
  }
}
