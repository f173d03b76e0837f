import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { IdempotencyRepository } from './idempotency.repository.js';

const INTERVAL_MS = 10 * 60_000;
const BATCH = 10_000;

/**
 * Drops idempotency records and completed attempts past their 24 h TTL. Expired records are
 * already ignored by lookups, so this only bounds the tables' size; running it on every replica
 * is harmless.
 */
@Injectable()
export class IdempotencyHousekeeping implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IdempotencyHousekeeping');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly repo: IdempotencyRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Returns how many key records and completed attempts it dropped. */
  async run(): Promise<{ keys: number; attempts: number }> {
    const started = performance.now();
    const total = { keys: 0, attempts: 0 };
    try {
      for (;;) {
        const n = await this.repo.deleteExpired(BATCH);
        total.keys += n.keys;
        total.attempts += n.attempts;
        if (n.keys < BATCH && n.attempts < BATCH) break;
      }
      this.logger.log({ job: 'idempotency_housekeeping', deleted: total.keys, attempts: total.attempts, ms: Math.round(performance.now() - started) }, 'idempotency housekeeping finished');
    } catch (err) {
      this.logger.warn({ job: 'idempotency_housekeeping', err: (err as Error).message }, 'idempotency housekeeping failed');
    }
    return total;
  }
}
