import { describe, expect, it } from 'vitest';
import { customerEvents, event, listAll, useApp } from '../support/harness.js';

/** A bounded ingest queue pushes back (503 overloaded + Retry-After) instead of growing memory. */
describe('ingest back-pressure', () => {
  // Room for one 50-event batch waiting while another is written.
  const ctx = useApp({ INGEST_MAX_BATCH_EVENTS: '50', INGEST_MAX_QUEUED_EVENTS: '50', INGEST_FLUSH_INTERVAL_MS: '20' });

  it('refuses what does not fit, stores exactly what it acknowledged', async () => {
    const { api } = ctx;
    const t = await ctx.tenant('Pressure');
    const batches = Array.from({ length: 12 }, (_, b) => ({ events: Array.from({ length: 50 }, (_, i) => event({ action: 'pressure.item', metadata: { b, i } })) }));
    const results = await Promise.all(batches.map((body) => api.post('/v1/events/batch', { token: t.key, body })));
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 503);
    expect(ok.length + refused.length).toBe(batches.length);
    expect(refused.length).toBeGreaterThan(0);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.body.error.code).toBe('overloaded');
      expect(r.headers.get('retry-after')).toBe('1');
    }
    const stored = customerEvents(await listAll(api, t.key, { action: 'pressure.item', limit: 1000 }));
    expect(new Set(stored.map((e) => e.id))).toEqual(new Set(ok.flatMap((r) => r.body.ids)));
    const metrics = await api.get('/metrics');
    expect(metrics.text).toMatch(/veritrail_group_commit_queue_rows\{writer="events"\} \d+/);
  });
});
