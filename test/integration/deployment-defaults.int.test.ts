import { describe, expect, it } from 'vitest';
import { event, useApp, type AppContext } from '../support/harness.js';

/** Requests an export of one event and polls it (with a deadline) until its download link exists. */
async function exportLink(ctx: AppContext, headers: Record<string, string> = {}): Promise<string> {
  const t = await ctx.tenant('Links');
  expect((await ctx.api.post('/v1/events', { token: t.key, body: event() })).status).toBe(201);
  const created = await ctx.api.post('/v1/exports', { token: t.key, body: { format: 'ndjson' }, headers });
  expect(created.status, created.text).toBe(202);
  const until = Date.now() + 30_000;
  for (;;) {
    const r = await ctx.api.get(`/v1/exports/${created.body.id}`, { token: t.key, headers });
    if (r.body.status === 'succeeded') return r.body.download_link.url as string;
    if (r.body.status === 'failed' || Date.now() > until) throw new Error(`export ${r.body.status}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * What an install gets without extra settings (embedded mode under integration:embedded, the
 * same defaults under integration:postgres), plus PUBLIC_URL for absolute links.
 */
describe('deployment defaults', () => {
  const ctx = useApp({ JOBS: 'export', PUBLIC_URL: 'https://audit.example.com/veritrail/' });

  it('PROMISE-11: the SSRF guard is on without any setting: private webhook targets are refused, nothing is stored', async () => {
    expect(ctx.app.config.webhooks.allowPrivate).toBe(false);
    const t = await ctx.tenant('Guarded');
    for (const url of ['http://127.0.0.1:9/hook', 'http://10.0.0.5/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data/']) {
      const r = await ctx.api.post('/v1/webhooks', { token: t.key, body: { url } });
      expect(r.status, url).toBe(422);
      expect(r.body.error.code).toBe('webhook_url_not_allowed');
    }
    expect((await ctx.api.get('/v1/webhooks', { token: t.key })).body.data).toEqual([]);
  });

  it('PROMISE-13: download links start with PUBLIC_URL, whatever host or scheme the request claims', async () => {
    const url = await exportLink(ctx, { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http', host: 'internal:8080' });
    expect(url.startsWith('https://audit.example.com/veritrail/v1/exports/')).toBe(true);
    // The link works once the prefix the proxy strips is taken off.
    const local = new URL(url.replace('https://audit.example.com/veritrail', ctx.app.url));
    expect((await fetch(local)).status).toBe(200);
  });
});
