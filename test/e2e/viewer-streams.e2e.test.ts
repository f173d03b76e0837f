import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerEvents, event, useApp, type TestTenant } from '../support/harness.js';
import { TestReceiver, type Received } from '../support/receiver.js';

/**
 * The viewer's Streams tab (issue 22) in Debian's Chromium: a customer's IT admin, holding a
 * viewer token with `streams` for org_a, creates a destination against a local receiver, sends
 * a test event that arrives, sees the delivery; events of org_b never reach it. A token without
 * `streams` shows no tab. Screenshot in test/artifacts/viewer-streams.png.
 */

declare const window: any, document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function poll<T>(fn: () => Promise<T> | T, timeout = 30_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}

type Body = { type: string; data: any };
const bodies = (reqs: Received[]): Body[] => reqs.map((r) => JSON.parse(r.body) as Body);

describe('viewer Streams tab in Chromium', () => {
  const ctx = useApp({
    JOBS: 'seal,webhooks',
    SEAL_INTERVAL: '200ms',
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_RETRY_SCHEDULE: '100ms,200ms',
    VIEWER_DEMO: 'false',
  });
  const rx = new TestReceiver();
  let t: TestTenant;
  let context: BrowserContext;
  let host: Server;
  let hostUrl: string;
  let profile: string;

  async function mint(body: Record<string, unknown>): Promise<string> {
    const r = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body });
    expect(r.status, r.text).toBe(201);
    return r.body.token as string;
  }

  async function open(token: string, theme = 'light'): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${hostUrl}/app.html?api=${encodeURIComponent(ctx.app.url)}&theme=${theme}#token=${token}`);
    return page;
  }

  async function axeReport(page: Page): Promise<{ id: string; impact: string; nodes: number }[]> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
    const result = await page.evaluate(async () => {
      const r = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', nodes: v.nodes.length }));
    });
    return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);
    await mkdir(ARTIFACTS, { recursive: true });
    await rx.start();
    t = await ctx.tenant('Streams e2e');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    host = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://host');
      if (url.pathname !== '/app.html') return void res.writeHead(404).end();
      const api = url.searchParams.get('api') ?? '';
      const theme = url.searchParams.get('theme') === 'dark' ? 'dark' : 'light';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host app</title></head>
<body><main><h1>Host app</h1>
<veritrail-viewer base-url="${api}" theme="${theme}" locale="en-GB" style="height: 640px"></veritrail-viewer>
</main>
<script>
  document.querySelector('veritrail-viewer').setAttribute('token', new URLSearchParams(location.hash.slice(1)).get('token'));
  window.confirm = () => true;
</script>
<script type="module" src="${api}/viewer/veritrail-viewer.js"></script>
</body></html>`);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
    expect((await ctx.api.put('/v1/settings/viewer', { token: t.key, body: { allowed_origins: [hostUrl] } })).status).toBe(200);
    profile = await mkdtemp(join(tmpdir(), 'vt-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((r) => (host ? host.close(r) : r(undefined)));
    if (profile) await rm(profile, { recursive: true, force: true });
    await rx.stop();
  });

  it('a token without streams shows no Streams tab', async () => {
    const page = await open(await mint({ organization_id: 'org_a' }));
    await poll(() => page.locator('veritrail-viewer .message').textContent()).toBeTruthy();
    expect(await page.locator('veritrail-viewer [role="tab"]').count()).toBe(0);
    await page.close();
  });

  it('creates a destination against a local receiver, the test event arrives, and org_b\'s events never do', async () => {
    const page = await open(await mint({ organization_id: 'org_a', user_id: 'it_admin_a', scopes: ['events:read', 'streams'] }));
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.locator('veritrail-viewer [role="tab"]', { hasText: 'Streams' }).click();
    const panel = page.locator('veritrail-viewer .streams');
    await poll(() => panel.locator('.list').textContent()).toContain('No destination yet.');
    await panel.locator('input[name="url"]').fill(`${rx.url}/siem`);
    await panel.locator('input[name="name"]').fill('Acme SIEM');
    await panel.locator('button[type="submit"]').click();
    await poll(() => panel.locator('.dest').count()).toBe(1);
    await poll(() => panel.locator('[role="status"]').textContent()).toContain('whsec_');
    const dest = panel.locator('.dest');
    expect(await dest.textContent()).toContain('Acme SIEM');

    const list = await ctx.api.get('/v1/webhooks', { token: t.key });
    expect(list.body.data).toHaveLength(1);
    const id = list.body.data[0].id as string;
    expect(list.body.data[0].organization_id).toBe('org_a');

    await dest.getByRole('button', { name: 'Send test event' }).click();
    await poll(() => panel.locator('[role="status"]').textContent()).toBe('Test event delivered.');
    await poll(() => bodies(rx.on('/siem')).filter((b) => b.type === 'webhook.test').length).toBe(1);
    await poll(() => dest.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await dest.locator('tbody').textContent()).toContain('Delivered');

    // Events of both organizations: only org_a's reach the destination.
    const batch = [
      event({ organization_id: 'org_a', action: 'user.login', actor: { type: 'user', id: 'u_a' } }),
      event({ organization_id: 'org_b', action: 'user.login', actor: { type: 'user', id: 'u_b' }, context: { ip: '198.51.100.77' } }),
      event({ organization_id: 'org_b', action: 'document.deleted', actor: { type: 'user', id: 'u_b2' } }),
    ];
    expect((await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: batch } })).status).toBe(201);
    const delivered = () => customerEvents(bodies(rx.on('/siem')).filter((b) => b.type === 'events').flatMap((b) => b.data.events));
    await poll(() => delivered().map((e) => e.actor.id)).toContain('u_a');
    await poll(async () => {
      const h = (await ctx.api.get(`/v1/webhooks/${id}`, { token: t.key })).body.health;
      return h.lag_events === 0 && h.consecutive_failures === 0;
    }).toBe(true);
    expect(new Set(delivered().map((e) => e.organization_id))).toEqual(new Set(['org_a']));
    const raw = rx.on('/siem').map((r) => r.body).join('\n');
    expect(raw).not.toContain('org_b');
    expect(raw).not.toContain('198.51.100.77');

    // Re-open the tab: health and the event batch in the delivery log.
    await page.locator('veritrail-viewer [role="tab"]', { hasText: 'Events' }).click();
    await page.locator('veritrail-viewer [role="tab"]', { hasText: 'Streams' }).click();
    await poll(() => dest.locator('tbody tr').count()).toBeGreaterThan(1);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-streams.png'), fullPage: true });
    expect(await axeReport(page)).toEqual([]);

    await dest.getByRole('button', { name: 'Pause' }).click();
    await poll(async () => (await ctx.api.get(`/v1/webhooks/${id}`, { token: t.key })).body.status).toBe('paused');
    await panel.locator('.dest').getByRole('button', { name: 'Resume' }).click();
    await poll(async () => (await ctx.api.get(`/v1/webhooks/${id}`, { token: t.key })).body.status).toBe('active');
    await panel.locator('.dest').getByRole('button', { name: 'Delete' }).click();
    await poll(async () => (await ctx.api.get(`/v1/webhooks/${id}`, { token: t.key })).status).toBe(404);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an organization the tenant forbids sees why, and nothing else', async () => {
    await ctx.api.put('/v1/settings/streams', { token: t.key, body: { default: 'allowed', allowed_organizations: [], forbidden_organizations: ['org_b'] } });
    const page = await open(await mint({ organization_id: 'org_b', scopes: ['events:read', 'streams'] }), 'dark');
    await page.locator('veritrail-viewer [role="tab"]', { hasText: 'Streams' }).click();
    await poll(() => page.locator('veritrail-viewer .streams [role="status"]').textContent()).toContain('not enabled streams for your organization');
    expect(await axeReport(page)).toEqual([]);
    await page.close();
  });
});
