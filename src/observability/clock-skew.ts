import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { CheckedClock } from '../common/checked-clock.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { PrismaService } from '../storage/postgres/prisma.service.js';
import { MetricsService } from './metrics.service.js';

export interface SkewReading {
  /** This process's clock minus PostgreSQL's, corrected by half the round trip, in milliseconds. */
  skewMs: number;
  roundTripMs: number;
  skewed: boolean;
}

/**
 * Clock-skew check (TEST-CATALOG LD-02): every CLOCK_SKEW_CHECK_INTERVAL this
 * process compares its clock with PostgreSQL's (the clock every replica shares), as
 * `veritrail_clock_skew_seconds`; beyond CLOCK_SKEW_WARN_MS it logs a warning (once, and once more
 * when the clock is back) and counts `veritrail_clock_skew_checks_total{result="skewed"}`. Each
 * reading sets the correction of the {@link CheckedClock} (received_at, event ids, checkpoint
 * times); the system-trail entry per episode is src/integrity/clock-skew-trail.ts. In embedded
 * mode PostgreSQL runs in this process, so the reading is always ~0.
 */
@Injectable()
export class ClockSkewMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Clock');
  private readonly gauge: Gauge;
  private readonly checks: Counter<'result'>;
  private timer: NodeJS.Timeout | undefined;
  private warned = false;

  constructor(
    private readonly prisma: PrismaService,
    @InjectConfig() private readonly config: AppConfig,
    metrics: MetricsService,
    private readonly clock: CheckedClock,
  ) {
    this.gauge = new Gauge({
      name: 'veritrail_clock_skew_seconds',
      help: 'This process\'s clock minus PostgreSQL\'s at the last check (positive: this process runs ahead)',
      registers: [metrics.registry],
    });
    this.checks = new Counter({
      name: 'veritrail_clock_skew_checks_total',
      help: 'Clock comparisons with PostgreSQL, by result (ok, skewed beyond CLOCK_SKEW_WARN_MS, failed)',
      labelNames: ['result'] as const,
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    const every = this.config.clock.checkIntervalMs;
    if (every === 0) return;
    const tick = () => {
      void this.check().catch(() => undefined);
    };
    tick();
    this.timer = setInterval(tick, every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * One comparison. `localNow` is this process's clock (a parameter so tests can skew it). The
   * reading also sets the correction of the {@link CheckedClock} received_at is stamped with.
   */
  async check(localNow: () => number = () => this.clock.local()): Promise<SkewReading> {
    let reading: SkewReading;
    try {
      const before = localNow();
      const rows = await this.prisma.$queryRaw<{ ms: number | string }[]>`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms`;
      const after = localNow();
      const remote = Number(rows[0]!.ms);
      const roundTripMs = after - before;
      const skewMs = Math.round(before + roundTripMs / 2 - remote);
      reading = { skewMs, roundTripMs, skewed: Math.abs(skewMs) > this.config.clock.warnMs };
    } catch (err) {
      this.checks.inc({ result: 'failed' });
      throw err;
    }
    this.clock.observe(reading, this.config.clock.warnMs);
    this.gauge.set(reading.skewMs / 1000);
    this.checks.inc({ result: reading.skewed ? 'skewed' : 'ok' });
    if (reading.skewed && !this.warned) {
      this.warned = true;
      this.logger.warn({ skew_ms: reading.skewMs, limit_ms: this.config.clock.warnMs }, 'this process\'s clock differs from PostgreSQL\'s beyond CLOCK_SKEW_WARN_MS: received_at, event ids and checkpoint times now use the PostgreSQL-corrected time; fix its time synchronisation');
    } else if (!reading.skewed && this.warned) {
      this.warned = false;
      this.logger.log({ skew_ms: reading.skewMs }, 'this process\'s clock agrees with PostgreSQL\'s again');
    }
    return reading;
  }
}
