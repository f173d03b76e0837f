import { describe, expect, it } from 'vitest';
import { createKey, event, useApp } from '../support/harness.js';

/**
 * What the viewer's investigation tools read (docs/viewer.md): include=client (country of the
 * IP, browser and OS of the user agent, derived when read) and GET /v1/events/histogram (counts
 * per time bucket and outcome), both scoped to the organization like every other read.
 */
describe('viewer investigation reads: include=client and the histogram', () => {
  const ctx = useApp();
  const base = Date.UTC(2026, 10, 2, 0, 0, 0);
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

  it('adds the client only when asked, and buckets counts by outcome within the organization', async () => {
    const t = await ctx.tenant('Investigation');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const events = [
      event({ organization_id: 'org_1', occurred_at: at(0), outcome: 'success', context: { ip: '81.2.69.142', user_agent: CHROME } }),
      event({ organization_id: 'org_1', occurred_at: at(10), outcome: 'failure', context: { ip: '10.0.0.1' } }),
      event({ organization_id: 'org_1', occurred_at: at(70), outcome: 'success', context: undefined }),
      event({ organization_id: 'org_1', occurred_at: at(75), outcome: 'unknown', context: { ip: '8.8.8.8' } }),
      // Another organization in the same hours: never counted for org_1.
      ...[0, 5, 70].map((m) => event({ organization_id: 'org_2', occurred_at: at(m), outcome: 'failure' })),
    ];
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events } });
    expect(r.status, r.text).toBe(201);
    const ids = r.body.ids as string[];

    const plain = await ctx.api.get(`/v1/events/${ids[0]}`, { token: t.key });
    expect(plain.body.client).toBeUndefined();
    const one = await ctx.api.get(`/v1/events/${ids[0]}`, { token: t.key, query: { include: 'client' } });
    expect(one.body.client).toEqual({ country: 'GB', browser: 'Chrome 131', os: 'Windows 10' });
    const list = await ctx.api.get('/v1/events', { token: t.key, query: { organization_id: 'org_1', include: 'client', order: 'asc' } });
    expect(list.body.data.map((e: { client?: unknown }) => e.client ?? null)).toEqual([{ country: 'GB', browser: 'Chrome 131', os: 'Windows 10' }, null, null, { country: 'US' }]);
    expect((await ctx.api.get('/v1/events', { token: t.key, query: { include: 'everything' } })).status).toBe(400);

    const orgKey = await createKey(ctx.api, t.key, { scopes: ['events:read'], organization_id: 'org_1' });
    const range = { from: at(0), to: at(120) };
    const hist = await ctx.api.get('/v1/events/histogram', { token: orgKey, query: { ...range, buckets: 3 } });
    expect(hist.status, hist.text).toBe(200);
    expect(hist.body).toEqual({
      from: at(0),
      to: at(120),
      bucket_ms: 3_600_000,
      buckets: [
        { start: at(0), success: 1, failure: 1, unknown: 0 },
        { start: at(60), success: 1, failure: 0, unknown: 1 },
      ],
    });
    // The organization key cannot widen its scope with a filter; the tenant key sees both.
    const forged = await ctx.api.get('/v1/events/histogram', { token: orgKey, query: { ...range, organization_id: 'org_2' } });
    expect(forged.body.buckets).toEqual([]);
    const other = await ctx.api.get('/v1/events/histogram', { token: t.key, query: { ...range, organization_id: 'org_2', buckets: 3 } });
    expect(other.body.buckets.map((b: { failure: number }) => b.failure)).toEqual([2, 1]);
    // Filters apply as on the list; a viewer token reads it with its organization.
    const failures = await ctx.api.get('/v1/events/histogram', { token: t.key, query: { ...range, organization_id: 'org_1', outcome: 'failure', buckets: 3 } });
    expect(failures.body.buckets).toEqual([{ start: at(0), success: 0, failure: 1, unknown: 0 }]);
    const vt = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body: { organization_id: 'org_2' } });
    const viewer = await ctx.api.get('/v1/events/histogram', { token: vt.body.token, query: { ...range, buckets: 121 } });
    expect(viewer.body.bucket_ms).toBe(60_000);
    expect(viewer.body.buckets.reduce((n: number, b: { failure: number }) => n + b.failure, 0)).toBe(3);

    // Guard rails: a reversed range and too many buckets are refused.
    expect((await ctx.api.get('/v1/events/histogram', { token: t.key, query: { from: at(60), to: at(0) } })).body.error.code).toBe('validation_failed');
    expect((await ctx.api.get('/v1/events/histogram', { token: t.key, query: { buckets: 501 } })).status).toBe(400);
    // Without a range: the 30 days up to now.
    const dflt = await ctx.api.get('/v1/events/histogram', { token: t.key });
    expect(Date.parse(dflt.body.to) - Date.parse(dflt.body.from)).toBe(30 * 86_400_000);
  });
});
