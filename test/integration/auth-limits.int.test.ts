import { describe, expect, it } from 'vitest';
import { useApp } from '../support/harness.js';

/** AU-06: many bad keys from one address are slowed down without locking anyone else out. */
describe('authentication failure limit', () => {
  const ctx = useApp({ TRUST_PROXY: 'true', AUTH_FAILURES_PER_MINUTE: '20' });

  it('AU-06: 429 for the address past the limit; its verified keys and other addresses are unaffected', async () => {
    const t = await ctx.tenant('Stuffing');
    const attacker = { 'x-forwarded-for': '198.51.100.23' };
    const bystander = { 'x-forwarded-for': '203.0.113.40' };
    // The tenant's own client behind the attacker's address used its key just before (verified, cached).
    expect((await ctx.api.get('/v1/events', { token: t.key, headers: attacker })).status).toBe(200);

    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const bad = `vt_${'A'.repeat(38)}`;
      const r = await ctx.api.get('/v1/events', { token: bad, headers: attacker });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.body.error.code).toBe('too_many_auth_failures');
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      }
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);

    // The verified key keeps working from that address; another address is not affected at all.
    expect((await ctx.api.get('/v1/events', { token: t.key, headers: attacker })).status).toBe(200);
    expect((await ctx.api.get('/v1/events', { token: `vt_${'B'.repeat(38)}`, headers: bystander })).status).toBe(401);
    expect((await ctx.api.get('/v1/events', { token: t.key, headers: bystander })).status).toBe(200);

    const metrics = await ctx.api.get('/metrics');
    expect(metrics.text).toMatch(/veritrail_auth_failures_blocked_total \d+/);
    expect(Number(/veritrail_auth_failures_blocked_total (\d+)/.exec(metrics.text)![1])).toBeGreaterThanOrEqual(10);
  });

  it('PEN-L1: export downloads authenticate through the same guard: bad keys count and are limited; signed links still work', async () => {
    const t = await ctx.tenant('Download stuffing');
    const attacker = { 'x-forwarded-for': '198.51.100.77' };
    const path = '/v1/exports/0190a1b2-0000-7000-8000-000000000000/download';
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await ctx.api.get(path, { token: `vt_${'C'.repeat(38)}`, headers: attacker })).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    const blocked = await ctx.api.get(path, { token: `vt_${'D'.repeat(38)}`, headers: attacker });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_auth_failures');
    // Scopes are those of any route: a key without `exports` gets 403, a missing header 401.
    const reader = await ctx.api.post('/v1/api-keys', { token: t.key, body: { name: 'reader', scopes: ['events:read'] } });
    const noScope = await ctx.api.get(path, { token: reader.body.key });
    expect(noScope.status).toBe(403);
    expect(noScope.body.error.code).toBe('insufficient_scope');
    expect((await ctx.api.get(path)).body.error.code).toBe('missing_credentials');
    // The right key reaches the handler (404 for an export that does not exist); a link is judged by its signature.
    expect((await ctx.api.get(path, { token: t.key })).status).toBe(404);
    const link = await ctx.api.get(path, { query: { tenant: t.id, expires: String(Math.floor(Date.now() / 1000) + 60), signature: 'forged' } });
    expect(link.status).toBe(403);
    expect(link.body.error.code).toBe('invalid_link');
  });
});

/**
 * PEN-10: behind a proxy the client address is the one the trusted proxy appended to
 * X-Forwarded-For, not what the client wrote in front of it. Here the test client is the proxy
 * (127.0.0.1, listed in TRUST_PROXY): the last entry stands for what a real proxy appends.
 */
describe('authentication failure limit behind a trusted proxy', () => {
  const ctx = useApp({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1', AUTH_FAILURES_PER_MINUTE: '20' });
  const bad = `vt_${'C'.repeat(38)}`;

  it('PEN-10: rotating the client-written part of X-Forwarded-For does not bypass the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      // A fresh forged address every time; the proxy appends the attacker's real one.
      const xff = `192.0.2.${i + 1}, 198.51.100.77`;
      statuses.push((await ctx.api.get('/v1/events', { token: bad, headers: { 'x-forwarded-for': xff } })).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  });

  it('PEN-10: writing a victim\'s address into X-Forwarded-For does not lock the victim out', async () => {
    const t = await ctx.tenant('Victim');
    const victim = '203.0.113.9';
    for (let i = 0; i < 30; i++) {
      await ctx.api.get('/v1/events', { token: bad, headers: { 'x-forwarded-for': `${victim}, 198.51.100.78` } });
    }
    // The attacker's own address is blocked …
    expect((await ctx.api.get('/v1/events', { token: bad, headers: { 'x-forwarded-for': `${victim}, 198.51.100.78` } })).status).toBe(429);
    // … the victim, behind the same proxy, is not: a typo is a 401 and the right key works.
    expect((await ctx.api.get('/v1/events', { token: bad, headers: { 'x-forwarded-for': victim } })).status).toBe(401);
    expect((await ctx.api.get('/v1/events', { token: t.key, headers: { 'x-forwarded-for': victim } })).status).toBe(200);
  });
});
