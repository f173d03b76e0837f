import { Injectable } from '@nestjs/common';
import { Type, type Static } from '../common/schema.js';

/**
 * Per-tenant rate limits (TEST-CATALOG LD-01): how many events and requests a tenant may send per
 * second to the ingest endpoints, and how many read requests it may make per second. 0 = no limit.
 * Defaults come from the environment (RATE_LIMIT_*); a plan (billing) and then the tenant itself
 * (operator API) may override each of them.
 */
export interface RateLimits {
  ingestEventsPerSecond: number;
  ingestRequestsPerSecond: number;
  readRequestsPerSecond: number;
}

export const RATE_LIMIT_FIELDS = {
  ingest_events_per_second: 'ingestEventsPerSecond',
  ingest_requests_per_second: 'ingestRequestsPerSecond',
  read_requests_per_second: 'readRequestsPerSecond',
} as const satisfies Record<string, keyof RateLimits>;

/** Overrides as stored (JSON column) and sent over the API: a field that is absent inherits. */
export const RateLimitOverridesSchema = Type.Object(
  {
    ingest_events_per_second: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'Events per second to POST /v1/events and /v1/events/batch (0 = no limit).' })),
    ingest_requests_per_second: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Ingest requests per second (0 = no limit).' })),
    read_requests_per_second: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'GET requests per second (0 = no limit).' })),
  },
  { additionalProperties: false },
);
export type RateLimitOverrides = Static<typeof RateLimitOverridesSchema>;

/** Stored JSON → overrides, keeping only well-formed fields (a hand-edited row cannot break requests). */
export function parseOverrides(raw: unknown): RateLimitOverrides {
  const out: RateLimitOverrides = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const k of Object.keys(RATE_LIMIT_FIELDS) as (keyof RateLimitOverrides)[]) {
    const v = (raw as Record<string, unknown>)[k];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) out[k] = v;
  }
  return out;
}

/** Defaults, then the plan's overrides, then the tenant's (most specific wins). */
export function effectiveRateLimits(defaults: RateLimits, ...overrides: (RateLimitOverrides | undefined)[]): RateLimits {
  const out = { ...defaults };
  for (const o of overrides) {
    if (!o) continue;
    for (const [api, field] of Object.entries(RATE_LIMIT_FIELDS) as [keyof RateLimitOverrides, keyof RateLimits][]) {
      const v = o[api];
      if (v !== undefined) out[field] = v;
    }
  }
  return out;
}

/**
 * One limit applied to a request, as the IETF draft "RateLimit header fields for HTTP"
 * (draft-ietf-httpapi-ratelimit-headers-09) describes it: a named policy with quota `q` per window
 * `w` seconds, and what is left of it (`r`) and when the window resets (`t`, seconds).
 */
export interface PolicyState {
  name: string;
  quota: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
}

/** `RateLimit-Policy` and `RateLimit`: structured-field lists (RFC 9651) of the request's policies. */
export function rateLimitHeaders(states: readonly PolicyState[]): Record<string, string> {
  if (states.length === 0) return {};
  return {
    'ratelimit-policy': states.map((s) => `"${s.name}";q=${s.quota};w=${s.windowSeconds}`).join(', '),
    ratelimit: states.map((s) => `"${s.name}";r=${Math.max(0, s.remaining)};t=${Math.max(0, s.resetSeconds)}`).join(', '),
  };
}

/**
 * Where a tenant's plan rate limits come from. Tenancy defines it and billing plugs it in through
 * {@link PlanRateLimitsRegistry}, so the rate limiter asks for plan limits without importing billing.
 */
export interface PlanRateLimitSource {
  /** The plan's overrides for the tenant; undefined when billing is off or the plan sets none. */
  rateLimitsFor(tenantId: string): Promise<RateLimitOverrides | undefined>;
}

/** Where billing plugs its {@link PlanRateLimitSource} in (provided by AuthModule); without one, no plan limits apply. */
@Injectable()
export class PlanRateLimitsRegistry implements PlanRateLimitSource {
  private source: PlanRateLimitSource | undefined;

  use(source: PlanRateLimitSource): void {
    this.source = source;
  }

  async rateLimitsFor(tenantId: string): Promise<RateLimitOverrides | undefined> {
    return this.source?.rateLimitsFor(tenantId);
  }
}
