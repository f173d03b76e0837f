import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../../common/errors.js';
import { InjectConfig } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { MetricsService } from '../../observability/metrics.service.js';

const WINDOW_MS = 60_000;
const MAX_TRACKED = 100_000;

/**
 * Credential stuffing brake (TEST-CATALOG AU-06): counts failed API-key authentications per
 * client IP in one-minute windows, per replica. Past AUTH_FAILURES_PER_MINUTE, requests from that
 * IP are answered 429 `too_many_auth_failures` before any key lookup — except with a key this
 * process verified recently, so a legitimate client behind the same address keeps working and
 * other addresses are never affected (no lockout of tenants by someone else's mistakes).
 * Raises `veritrail_auth_failures_blocked_total` and one warning per address and window (the
 * address itself is not logged: it is personal data).
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly logger = new Logger('ApiKeyAuth');
  private readonly windows = new Map<string, { start: number; failures: number; warned: boolean }>();

  constructor(
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Throws 429 when `ip` is over the limit in the current window. */
  check(ip: string | undefined, now = performance.now()): void {
    const limit = this.config.auth.failuresPerMinute;
    if (!ip || limit === 0) return;
    const w = this.windows.get(ip);
    if (!w || now - w.start >= WINDOW_MS || w.failures < limit) return;
    this.metrics.authBlocked.inc();
    if (!w.warned) {
      w.warned = true;
      this.logger.warn({ failures: w.failures, window_s: WINDOW_MS / 1000 }, 'an address exceeded the authentication failure limit; its unauthenticated requests are refused for the rest of the minute');
    }
    const retryAfter = Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
    throw new AppError(429, 'too_many_auth_failures', 'Too many failed authentications from this address; retry later.', undefined, { 'retry-after': String(retryAfter) });
  }

  recordFailure(ip: string | undefined, now = performance.now()): void {
    if (!ip || this.config.auth.failuresPerMinute === 0) return;
    const w = this.windows.get(ip);
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size >= MAX_TRACKED) this.sweep(now);
      this.windows.set(ip, { start: now, failures: 1, warned: false });
    } else {
      w.failures++;
    }
  }

  private sweep(now: number): void {
    for (const [ip, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(ip);
    if (this.windows.size >= MAX_TRACKED) this.windows.clear(); // under a flood of distinct addresses: forget rather than grow
  }
}
