import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { IdempotencyRepository } from './idempotency.repository.js';

const INTERVAL_MS = 10 * 60_000;
const BATCH = 10_000;

/**
 * Drops idempotency records past their 24 h TTL. Expired records are already ignored by
 * lookups, so this only bounds the table's size; running it on every replica is harmless.
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

  async run(): Promise<number> {
    const started = performance.now();
    try {
      let total = 0;
      for (;;) {
        const n = await this.repo.deleteExpired(BATCH);
        total += n;
        if (n < BATCH) break;
      }
      this.logger.log({ job: 'idempotency_housekeeping', deleted: total, ms: Math.round(performance.now() - started) }, 'idempotency housekeeping finished');
      return total;
    } catch (err) {
      this.logger.warn({ job: 'idempotency_housekeeping', err: (err as Error).message }, 'idempotency housekeeping failed');
      return 0;
    }
  }
}
