import { parseList } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { classify, eventCount } from './auth/tenant-rate-limiter.js';
import { effectiveRateLimits, parseOverrides, rateLimitHeaders } from './rate-limits.js';

const defaults = { ingestEventsPerSecond: 1000, ingestRequestsPerSecond: 100, readRequestsPerSecond: 50 };

describe('per-tenant rate limits', () => {
  it('the tenant\'s override wins over the plan\'s, which wins over the default; absent fields inherit; 0 means no limit', () => {
    expect(effectiveRateLimits(defaults)).toEqual(defaults);
    expect(effectiveRateLimits(defaults, { read_requests_per_second: 5, ingest_events_per_second: 200 }, { read_requests_per_second: 0 })).toEqual({
      ingestEventsPerSecond: 200,
      ingestRequestsPerSecond: 100,
      readRequestsPerSecond: 0,
    });
    expect(effectiveRateLimits(defaults, undefined, { ingest_requests_per_second: 7 }).ingestRequestsPerSecond).toBe(7);
  });

  it('stored overrides keep only well-formed fields', () => {
    expect(parseOverrides({ read_requests_per_second: 3, ingest_events_per_second: -1, ingest_requests_per_second: '9', other: 1 })).toEqual({ read_requests_per_second: 3 });
    for (const junk of [null, undefined, 'x', [], 5]) expect(parseOverrides(junk)).toEqual({});
  });

  it('classifies ingest and read requests and counts a batch by its size (capped at the batch maximum)', () => {
    expect(classify({ method: 'POST', route: '/v1/events', body: {} })).toBe('ingest');
    expect(classify({ method: 'POST', route: '/v1/events/batch', body: {} })).toBe('ingest');
    expect(classify({ method: 'GET', route: '/v1/events', body: undefined })).toBe('read');
    expect(classify({ method: 'POST', route: '/v1/exports', body: {} })).toBeUndefined();
    expect(eventCount({ method: 'POST', route: '/v1/events', body: {} })).toBe(1);
    expect(eventCount({ method: 'POST', route: '/v1/events/batch', body: { events: [1, 2, 3] } })).toBe(3);
    expect(eventCount({ method: 'POST', route: '/v1/events/batch', body: { events: Array(5000).fill(0) } })).toBe(1000);
    expect(eventCount({ method: 'POST', route: '/v1/events/batch', body: { events: 'many' } })).toBe(1);
  });

  it('RateLimit-Policy and RateLimit are structured-field lists as draft-ietf-httpapi-ratelimit-headers-09 defines them', () => {
    const h = rateLimitHeaders([
      { name: 'ingest-requests', quota: 100, windowSeconds: 1, remaining: 99, resetSeconds: 1 },
      { name: 'ingest-events', quota: 1000, windowSeconds: 1, remaining: -3, resetSeconds: 1 },
    ]);
    // Parsed with structured-headers (RFC 9651), not with a parser of our own.
    const policy = parseList(h['ratelimit-policy']!);
    expect(policy.map(([name, params]) => [name, Object.fromEntries(params)])).toEqual([
      ['ingest-requests', { q: 100, w: 1 }],
      ['ingest-events', { q: 1000, w: 1 }],
    ]);
    const state = parseList(h.ratelimit!);
    expect(state.map(([name, params]) => [name, Object.fromEntries(params)])).toEqual([
      ['ingest-requests', { r: 99, t: 1 }],
      ['ingest-events', { r: 0, t: 1 }],
    ]);
    expect(rateLimitHeaders([])).toEqual({});
  });
});
