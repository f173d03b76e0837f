import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { RateLimiterMemory, RateLimiterPrisma, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../../common/errors.js';
import { InjectConfig } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { MetricsService } from '../../observability/metrics.service.js';
import { PrismaService } from '../../storage/postgres/prisma.service.js';
import type { ApiKeyPrincipal } from '../principal.js';
import { effectiveRateLimits, PlanRateLimitsRegistry, rateLimitHeaders, type PolicyState, type RateLimits } from '../rate-limits.js';

/** The ingest endpoints: limited by events and requests per second. */
const INGEST_ROUTES = new Set(['/v1/events', '/v1/events/batch']);
const WINDOW_S = 1;
/** A batch counts at most this many events (the batch maximum; a larger one is refused 413 anyway). */
const MAX_BATCH = 1000;

export type RequestClass = 'ingest' | 'read';

/** What the limiter needs to know of a request (the guard fills it from the Fastify request). */
export interface LimitedRequest {
  method: string;
  /** The route's pattern (`/v1/events/batch`), not the URL. */
  route: string | undefined;
  body: unknown;
}

export function classify(req: LimitedRequest): RequestClass | undefined {
  if (req.method === 'POST' && req.route !== undefined && INGEST_ROUTES.has(req.route)) return 'ingest';
  if (req.method === 'GET' || req.method === 'HEAD') return 'read';
  return undefined;
}

/** Events an ingest request carries, as far as can be told before validation (at least 1). */
export function eventCount(req: LimitedRequest): number {
  if (req.route !== '/v1/events/batch') return 1;
  const events = (req.body as { events?: unknown } | undefined)?.events;
  return Array.isArray(events) ? Math.min(Math.max(events.length, 1), MAX_BATCH) : 1;
}

/**
 * Per-tenant rate limits (LD-01) with rate-limiter-flexible's in-memory fixed windows of one
 * second: ingest events/s and requests/s, read requests/s. Limits are RATE_LIMIT_* by default,
 * overridden by the tenant's plan (billing on) and then by the tenant's own `rate_limits` (operator
 * API). A request over a limit is answered 429 `rate_limited` with `Retry-After` before its
 * handler runs, so nothing of it is stored; every limited request's answer carries the IETF draft
 * `RateLimit-Policy` and `RateLimit` fields. Counters are per process (RATE_LIMIT_STORE=memory: N
 * replicas admit up to N times the limit) or shared through PostgreSQL (`postgres`:
 * rate_limit_counters, written only by rate-limiter-flexible through this service).
 */
@Injectable()
export class TenantRateLimiter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly decisions: Counter<'class' | 'result'>;
  private readonly refusedEvents: Counter;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    metrics: MetricsService,
    private readonly prisma: PrismaService,
    private readonly plans: PlanRateLimitsRegistry,
  ) {
    this.decisions = new Counter({
      name: 'veritrail_rate_limit_requests_total',
      help: 'Tenant requests checked against the per-tenant rate limits, by class (ingest, read) and result (allowed, limited)',
      labelNames: ['class', 'result'] as const,
      registers: [metrics.registry],
    });
    this.refusedEvents = new Counter({
      name: 'veritrail_rate_limited_events_total',
      help: 'Events in ingest requests refused with 429 rate_limited',
      registers: [metrics.registry],
    });
  }

  async limitsFor(principal: ApiKeyPrincipal): Promise<RateLimits> {
    const plan = await this.plans.rateLimitsFor(principal.tenant.id);
    return effectiveRateLimits(this.config.rateLimits, plan, principal.tenant.rateLimits);
  }

  /**
   * Consumes the request's share of its tenant's limits; returns the RateLimit headers for the
   * answer, or throws 429 rate_limited (with them and Retry-After) when a limit is exceeded.
   */
  async admit(principal: ApiKeyPrincipal, req: LimitedRequest): Promise<Record<string, string>> {
    const cls = classify(req);
    if (!cls) return {};
    const limits = await this.limitsFor(principal);
    const checks: { name: string; points: number; cost: number }[] =
      cls === 'ingest'
        ? [
            { name: 'ingest-requests', points: limits.ingestRequestsPerSecond, cost: 1 },
            { name: 'ingest-events', points: limits.ingestEventsPerSecond, cost: eventCount(req) },
          ]
        : [{ name: 'reads', points: limits.readRequestsPerSecond, cost: 1 }];
    const states: PolicyState[] = [];
    let refusedMs = 0;
    for (const c of checks) {
      if (c.points <= 0) continue;
      // A batch larger than one second's allowance uses the whole second rather than never passing.
      const cost = Math.min(c.cost, c.points);
      let res: RateLimiterRes;
      try {
        res = await this.limiter(c.name, c.points).consume(principal.tenant.id, cost);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        res = err;
        refusedMs = Math.max(refusedMs, res.msBeforeNext);
      }
      states.push({ name: c.name, quota: c.points, windowSeconds: WINDOW_S, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) });
    }
    const headers = rateLimitHeaders(states);
    if (refusedMs > 0) {
      this.decisions.inc({ class: cls, result: 'limited' });
      if (cls === 'ingest') this.refusedEvents.inc(eventCount(req));
      const retryAfter = Math.max(1, Math.ceil(refusedMs / 1000));
      const what = cls === 'ingest' ? 'ingest' : 'read';
      throw new AppError(429, 'rate_limited', `Your tenant exceeded its ${what} rate limit; nothing was done. Retry after ${retryAfter} s, or spread requests (batches of events count by their size).`, undefined, {
        ...headers,
        'retry-after': String(retryAfter),
      });
    }
    if (states.length > 0) this.decisions.inc({ class: cls, result: 'allowed' });
    return headers;
  }

  private limiter(name: string, points: number): RateLimiterAbstract {
    const key = `${name}:${points}`;
    let l = this.limiters.get(key);
    if (!l) {
      const memory = new RateLimiterMemory({ keyPrefix: key, points, duration: WINDOW_S });
      // Shared: one window per tenant in PostgreSQL for every replica; should PostgreSQL fail, this
      // process counts on its own meanwhile (the insurance limiter) rather than refusing or failing.
      l =
        this.config.rateLimits.store === 'postgres'
          ? new RateLimiterPrisma({ storeClient: this.prisma, tableName: 'rateLimitCounter', keyPrefix: key, points, duration: WINDOW_S, insuranceLimiter: memory })
          : memory;
      this.limiters.set(key, l);
    }
    return l;
  }
}
