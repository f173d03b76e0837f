import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import axe from 'axe-core';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, useApp, type TestTenant } from '../support/harness.js';

/**
 * <veritrail-viewer> in a real browser (Debian's Chromium driven by playwright-core), embedded
 * in a "host app" page served from another origin, against the running API. Screenshots go to
 * test/artifacts/. Without Chromium this suite fails: it is never skipped.
 */

// Functions passed to page.evaluate() run in the browser; this file is type-checked without DOM types.
declare const window: any, document: any, getComputedStyle: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/public/viewer/veritrail-viewer.js', import.meta.url));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Three pages of 20 and a bit: enough for infinite scroll to reach the third page. */
const ORG_A_EVENTS = 50;

/** expect.poll with room for a loaded machine (its default gives up after 1 s). */
function poll<T>(fn: () => Promise<T> | T, timeout = 20_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}
const PAGE = 20;

describe('embedded viewer in Chromium', () => {
  const ctx = useApp({ JOBS: 'export,seal', SEAL_INTERVAL: '500ms', VIEWER_DEMO: 'true' });
  let t: TestTenant;
  let context: BrowserContext;
  let host: Server;
  let hostUrl: string;
  let profile: string;
  const orgA = new Set<string>();
  const orgB: string[] = [];
  const byActor = new Map<string, string[]>();
  let failures = 0;
  let diffEventId = '';

  async function mint(body: Record<string, unknown>): Promise<string> {
    const r = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body });
    expect(r.status, r.text).toBe(201);
    return r.body.token as string;
  }

  /** The host app's page with the viewer; the token travels in the fragment (never sent to a server). */
  async function open(token: string, opts: { origin?: string; theme?: string; pageSize?: number } = {}): Promise<Page> {
    const page = await context.newPage();
    const origin = opts.origin ?? hostUrl;
    await page.goto(`${origin}/app.html?api=${encodeURIComponent(ctx.app.url)}&theme=${opts.theme ?? 'light'}&size=${opts.pageSize ?? PAGE}#token=${token}`);
    return page;
  }

  const articles = (page: Page) => page.locator('veritrail-viewer article');
  const state = (page: Page) => page.locator('veritrail-viewer .message');

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `viewer-${name}.png`), fullPage: true });
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
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
    await mkdir(ARTIFACTS, { recursive: true });
    t = await ctx.tenant('Viewer e2e');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    const base = Date.now() - 3 * 86_400_000;
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < ORG_A_EVENTS; i++) {
      const actor = `u_${i % 4}`;
      const kind = i % 10;
      const e = event({
        organization_id: 'org_a',
        occurred_at: new Date(base + i * 60_000).toISOString(),
        action: kind === 3 ? 'document.updated' : kind === 7 ? 'user.role.updated' : 'user.login',
        outcome: kind === 5 ? 'failure' : 'success',
        actor: { type: 'user', id: actor, name: `Person ${actor}`, email: `${actor}@example.com` },
        targets: [{ type: 'document', id: `doc_${i}`, name: i === 42 ? 'needle report' : `Doc ${i}` }], // event 42 is u_2's
        changes: kind === 3 ? [{ field: 'title', before: `Draft ${i}`, after: `Final ${i}` }] : kind === 7 ? [{ field: 'role', before: 'member', after: 'admin' }] : undefined,
        idempotency_key: `viewer-e2e-a-${i}`,
      });
      events.push(e);
    }
    for (let i = 0; i < 5; i++) events.push(event({ organization_id: 'org_b', action: 'user.login', actor: { type: 'user', id: 'u_b' }, targets: [{ type: 'document', id: 'secret_b', name: 'needle report' }], idempotency_key: `viewer-e2e-b-${i}` }));
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events } });
    expect(r.status).toBe(201);
    (r.body.ids as string[]).forEach((id, i) => {
      const e = events[i] as { organization_id: string; actor: { id: string }; outcome: string; action: string };
      if (e.organization_id === 'org_b') return void orgB.push(id);
      orgA.add(id);
      byActor.set(e.actor.id, [...(byActor.get(e.actor.id) ?? []), id]);
      if (e.outcome === 'failure') failures++;
      if (e.action === 'document.updated') diffEventId = id;
    });

    host = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://host');
      if (url.pathname === '/favicon.ico') return void res.writeHead(204).end(); // the host app's, not ours
      if (url.pathname !== '/app.html') return void res.writeHead(404).end();
      const api = url.searchParams.get('api') ?? '';
      const theme = ['dark', 'auto'].includes(url.searchParams.get('theme') ?? '') ? url.searchParams.get('theme') : 'light';
      const size = Number(url.searchParams.get('size') ?? PAGE) || PAGE;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host app</title></head>
<body><main><h1>Host app</h1>
<veritrail-viewer base-url="${api}" theme="${theme}" locale="en-GB" page-size="${size}" style="height: 640px"></veritrail-viewer>
</main>
<script>
  const v = document.querySelector('veritrail-viewer');
  v.setAttribute('token', new URLSearchParams(location.hash.slice(1)).get('token'));
  window.expiredEvents = 0;
  v.addEventListener('veritrail-token-expired', () => window.expiredEvents++);
</script>
<script type="module" src="${api}/viewer/veritrail-viewer.js"></script>
</body></html>`);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
    expect((await ctx.api.put('/v1/settings/viewer', { token: t.key, body: { allowed_origins: [hostUrl] } })).status).toBe(200);

    // A fresh profile directory per run.
    profile = await mkdtemp(join(tmpdir(), 'vt-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
      locale: 'en-GB',
    });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((r) => (host ? host.close(r) : r(undefined)));
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('loads without a console error, follows the OS dark mode with theme="auto", and has no horizontal scroll at 412 px', async () => {
    const token = await mint({ organization_id: 'org_a' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
    });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 412, height: 915 });
    await page.goto(`${hostUrl}/app.html?api=${encodeURIComponent(ctx.app.url)}&theme=auto#token=${token}`);
    await poll(() => articles(page).count()).toBe(PAGE);
    expect(errors).toEqual([]);
    // The host's background follows prefers-color-scheme: dark.
    const bg = await page.locator('veritrail-viewer').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(13, 17, 23)');
    const widths = await page.evaluate(() => {
      const v = document.querySelector('veritrail-viewer');
      const header = v.shadowRoot.querySelector('header');
      return { doc: document.documentElement.scrollWidth, view: window.innerWidth, header: header.scrollWidth, headerBox: header.clientWidth };
    });
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    expect(widths.header).toBeLessThanOrEqual(widths.headerBox);
    await shot(page, 'narrow-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await page.locator('veritrail-viewer').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 255, 255)');
    await page.close();
  });

  it('empty and error states show neither the sealing badge nor "Load more"', async () => {
    const page = await open(await mint({ organization_id: 'org_a' }));
    await poll(() => articles(page).count()).toBe(PAGE);
    await page.locator('veritrail-viewer input[type="search"]').fill('nothing-matches-this-word');
    await page.locator('veritrail-viewer input[type="search"]').press('Enter');
    await poll(() => state(page).textContent()).toContain('No events');
    expect(await articles(page).count()).toBe(0);
    expect(await page.locator('veritrail-viewer .badge').isVisible()).toBe(false);
    expect(await page.locator('veritrail-viewer .more').isVisible()).toBe(false);
    // The API goes away: an error with a retry, still no "Load more".
    await page.route('**/v1/events?**', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"down"}}' }));
    await page.locator('veritrail-viewer input[type="search"]').fill('');
    await page.locator('veritrail-viewer input[type="search"]').press('Enter');
    await poll(() => page.locator('veritrail-viewer .message.error').count()).toBe(1);
    expect(await page.locator('veritrail-viewer .more').isVisible()).toBe(false);
    expect(await page.locator('veritrail-viewer .badge').isVisible()).toBe(false);
    await page.close();
  });

  it('the bundle is one ES module under its 40 KB gzipped budget (docs/viewer.md), without a framework runtime', async () => {
    const js = await readFile(BUNDLE);
    const gz = gzipSync(js, { level: 9 }).length;
    expect(gz).toBeLessThan(40 * 1024);
    expect(js.toString()).not.toMatch(/react|preact|__vue|lit-html/i);
    const served = await fetch(`${ctx.app.url}/viewer/veritrail-viewer.js`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toContain('javascript');
    expect(served.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('loads the organization\'s newest events from another origin, scrolls to the third page, searches and filters', async () => {
    const page = await open(await mint({ organization_id: 'org_a' }));
    await poll(() => articles(page).count()).toBe(PAGE);
    const first = await articles(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(first.every((id) => orgA.has(id!))).toBe(true);
    await shot(page, 'loaded');

    // Infinite scroll: the list grows as its end comes into view, page by page, until the last.
    const until = Date.now() + 30_000;
    while (Date.now() < until && (await articles(page).count()) < ORG_A_EVENTS) {
      await page.locator('veritrail-viewer .scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(250);
    }
    await poll(() => articles(page).count()).toBe(ORG_A_EVENTS);
    await poll(() => state(page).textContent()).toContain('No more events');
    const all = await articles(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
    expect(new Set(all)).toEqual(orgA);

    // Search box: a qualifier becomes a removable chip, the rest stays in the box as free text;
    // the filter fields are left as the user set them.
    await page.locator('veritrail-viewer input[type="search"]').fill('actor:u_2 needle');
    await page.locator('veritrail-viewer input[type="search"]').press('Enter');
    await poll(() => articles(page).count()).toBe(1);
    expect(await page.locator('veritrail-viewer input[name="actor_id"]').inputValue()).toBe('');
    expect(await page.locator('veritrail-viewer input[type="search"]').inputValue()).toBe('needle');
    expect(await page.locator('veritrail-viewer .chip').allTextContents()).toEqual(['actor:u_2×']);
    expect(await articles(page).first().getAttribute('data-id')).toBe([...orgA][42]); // the 43rd event, by u_2, names the needle
    await page.locator('veritrail-viewer .chip button').click();
    await page.locator('veritrail-viewer input[type="search"]').fill('');
    await page.locator('veritrail-viewer input[type="search"]').press('Enter');
    await poll(() => articles(page).count()).toBe(PAGE); // no actor filter stuck behind

    await page.locator('veritrail-viewer button', { hasText: 'Clear' }).click();
    await page.locator('veritrail-viewer select[name="outcome"]').selectOption('failure');
    await poll(() => articles(page).count()).toBe(failures);
    expect(await page.locator('veritrail-viewer article .pill.failure').count()).toBe(failures);
    await shot(page, 'filtered');

    await page.locator('veritrail-viewer select[name="outcome"]').selectOption('');
    await page.locator('veritrail-viewer input[name="actor_id"]').fill('u_1');
    await page.locator('veritrail-viewer input[name="actor_id"]').press('Enter');
    await poll(() => articles(page).count()).toBe(byActor.get('u_1')!.length);
    await page.close();
  });

  it('pages that do not fill the view load the next one by themselves, without any scrolling', async () => {
    // With 2 events a page, the end of the list stays in view after each page: an observer that
    // only reports changes would stop after the second page.
    const page = await open(await mint({ organization_id: 'org_a' }), { pageSize: 2 });
    // It loads until the end of the list is more than the viewer's 300 px look-ahead below the
    // view, and then stops, well short of the 50 events.
    const endBelowView = () => page.locator('veritrail-viewer .scroll').evaluate((el) => {
      const more = el.querySelector('.more');
      return !more.hidden && more.getBoundingClientRect().top - el.getBoundingClientRect().bottom > 300;
    });
    await poll(endBelowView).toBe(true);
    await page.waitForTimeout(500);
    expect(await articles(page).count()).toBeGreaterThan(4);
    expect(await articles(page).count()).toBeLessThan(ORG_A_EVENTS);
    expect(await page.locator('veritrail-viewer .message.error').count()).toBe(0);
    await page.close();
  });

  it('opens an event: the drawer shows the before/after diff, keyboard only, and gives focus back', async () => {
    const page = await open(await mint({ organization_id: 'org_a' }));
    await poll(() => articles(page).count()).toBe(PAGE);
    await articles(page).first().focus();
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.querySelector('veritrail-viewer')!.shadowRoot!.activeElement?.getAttribute('data-id'));
    expect(focused).toBe(await articles(page).nth(1).getAttribute('data-id'));

    const row = page.locator(`veritrail-viewer article[data-id="${diffEventId}"]`);
    await row.scrollIntoViewIfNeeded();
    await row.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('veritrail-viewer [role="dialog"]');
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    const before = await dialog.locator('td.before').allTextContents();
    const after = await dialog.locator('td.after').allTextContents();
    expect(before[0]).toMatch(/^Draft \d+$/);
    expect(after[0]).toBe(before[0]!.replace('Draft', 'Final'));
    await shot(page, 'diff');
    expect(await axeReport(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    expect(await page.evaluate(() => document.querySelector('veritrail-viewer')!.shadowRoot!.activeElement?.getAttribute('data-id'))).toBe(diffEventId);
    await page.close();
  });

  it('shows the verified badge once the events are sealed', async () => {
    const page = await open(await mint({ organization_id: 'org_a' }));
    const badge = page.locator('veritrail-viewer .badge');
    // The seal job runs every 500 ms; the component re-checks unsealed events by itself.
    await poll(() => badge.getAttribute('data-state'), 45_000).toBe('verified');
    expect(await badge.textContent()).toContain('Verified');
    expect(await page.locator('veritrail-viewer article .seal.verified').count()).toBe(PAGE);
    await page.close();
  });

  it('exports what the viewer shows: a CSV download of the organization\'s events only', async () => {
    const page = await open(await mint({ organization_id: 'org_a' }));
    await poll(() => articles(page).count()).toBe(PAGE);
    await page.locator('veritrail-viewer input[name="action"]').fill('document.updated');
    await page.locator('veritrail-viewer input[name="action"]').press('Enter');
    await poll(() => articles(page).count()).toBe(ORG_A_EVENTS / 10);
    const download = page.waitForEvent('download', { timeout: 30_000 });
    await page.locator('veritrail-viewer button', { hasText: 'Export' }).click();
    const file = await download;
    const csv = await readFile((await file.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,occurred_at,/);
    expect(lines).toHaveLength(1 + ORG_A_EVENTS / 10);
    expect(csv).not.toContain('org_b');
    expect(await page.locator('veritrail-viewer .export a').textContent()).toBe('Download');
    await page.close();
  });

  it('an organization that edits its requests cannot see another organization\'s events', async () => {
    const token = await mint({ organization_id: 'org_a' });
    const page = await open(token);
    await poll(() => articles(page).count()).toBe(PAGE);
    // Rewrite every list request the page makes: another organization's filter, no cursor.
    await page.route(`${ctx.app.url}/v1/events?*`, (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('organization_id', 'org_b');
      return route.continue({ url: url.toString() });
    });
    await page.locator('veritrail-viewer input[type="search"]').fill('needle');
    await page.locator('veritrail-viewer input[type="search"]').press('Enter');
    await poll(() => state(page).textContent()).toContain('No events match');
    expect(await articles(page).count()).toBe(0);
    // And by hand, from the page, with the page's own token.
    const direct = await page.evaluate(
      async ([api, tok, id]) => {
        const h = { authorization: `Bearer ${tok}` };
        const one = await fetch(`${api}/v1/events/${id}`, { headers: h });
        const list = await fetch(`${api}/v1/events?organization_id=org_b&q=needle`, { headers: h });
        const stats = await fetch(`${api}/v1/events/stats?organization_id=org_b`, { headers: h });
        return { one: one.status, list: ((await list.json()) as { data: unknown[] }).data.length, stats: ((await stats.json()) as { total: number }).total };
      },
      [ctx.app.url, token, orgB[0]!] as const,
    );
    expect(direct).toEqual({ one: 404, list: 0, stats: 0 });
    await shot(page, 'forged-organization');
    await page.close();
  });

  it('an expired token shows the expired state and announces it; a fresh token continues', async () => {
    const short = await mint({ organization_id: 'org_a', ttl_seconds: 5 });
    const page = await open(short);
    // The component ends the session by itself at the token's exp (it reads exp from the token).
    await poll(() => state(page).getAttribute('data-state'), 30_000).toBe('expired');
    expect(await articles(page).count()).toBe(0);
    expect(await state(page).textContent()).toContain('expired');
    // The server agrees once its 2 s of clock tolerance are over, whatever the page does.
    const refusal = () =>
      page.evaluate(
        async ([api, tok]) => ((await (await fetch(`${api}/v1/events`, { headers: { authorization: `Bearer ${tok}` } })).json()) as { error?: { code: string } }).error?.code,
        [ctx.app.url, short] as const,
      );
    await poll(refusal, 10_000).toBe('token_expired');
    expect(await page.evaluate(() => (window as unknown as { expiredEvents: number }).expiredEvents)).toBe(1);
    await shot(page, 'expired');
    const fresh = await mint({ organization_id: 'org_a' });
    await page.evaluate((tok) => document.querySelector('veritrail-viewer')!.setAttribute('token', tok), fresh);
    await poll(() => articles(page).count()).toBe(PAGE);
    await page.close();
  });

  it('a revoked session stops working in the open page', async () => {
    const page = await open(await mint({ organization_id: 'org_a', user_id: 'admin_7' }));
    await poll(() => articles(page).count()).toBe(PAGE);
    const r = await ctx.api.delete('/v1/viewer-sessions', { token: t.key, query: { organization_id: 'org_a', actor_id: 'admin_7' } });
    expect(r.status).toBe(200);
    await page.locator('veritrail-viewer input[type="search"]').press('Enter');
    await poll(() => state(page).getAttribute('data-state')).toBe('invalid');
    expect(await articles(page).count()).toBe(0);
    await page.close();
  });

  it('a page on an origin that is not allowed gets nothing', async () => {
    const page = await open(await mint({ organization_id: 'org_a' }), { origin: hostUrl.replace('127.0.0.1', 'localhost') });
    await poll(() => state(page).getAttribute('data-state')).toBe('origin');
    expect(await articles(page).count()).toBe(0);
    await page.close();
  });

  it('"my activity": a token for one actor lists that actor\'s events only; dark theme; no serious or critical axe violations', async () => {
    const page = await open(await mint({ organization_id: 'org_a', actor_id: 'u_3' }), { theme: 'dark' });
    await poll(() => articles(page).count()).toBe(byActor.get('u_3')!.length);
    const shown = await articles(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
    expect(shown.sort()).toEqual([...byActor.get('u_3')!].sort());
    const bg = await page.locator('veritrail-viewer').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(13, 17, 23)');
    await shot(page, 'dark');
    expect(await axeReport(page)).toEqual([]);
    await page.close();
  });

  it('delegated events read "Ann (support) as Bob" and "Assistant for Bob"; the drawer names both parties', async () => {
    const bob = { type: 'user', id: 'u_bob', name: 'Bob' };
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: {
        events: [
          event({ organization_id: 'org_d', action: 'user.plan.changed', targets: [], actor: { ...bob, impersonator: { type: 'user', id: 'u_ann', name: 'Ann' } } }),
          event({ organization_id: 'org_d', action: 'document.shared', targets: [{ type: 'document', id: 'doc_d', name: 'Plan' }], actor: { type: 'agent', id: 'assistant', name: 'Assistant', on_behalf_of: bob } }),
          event({ organization_id: 'org_d', action: 'document.viewed', targets: [], actor: { ...bob } }),
        ],
      },
    });
    expect(r.status, r.text).toBe(201);
    const [impersonated, agent] = r.body.ids as string[];
    const page = await open(await mint({ organization_id: 'org_d' }));
    await poll(() => articles(page).count()).toBe(3);
    const who = (id: string) => page.locator(`veritrail-viewer article[data-id="${id}"] .who`).textContent();
    expect(await who(impersonated!)).toBe('Ann (support) as Bob');
    expect(await who(agent!)).toBe('Assistant for Bob → Plan');
    const row = page.locator(`veritrail-viewer article[data-id="${agent}"]`);
    await row.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('veritrail-viewer [role="dialog"]');
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator('h4').allTextContents()).toEqual(expect.arrayContaining(['Actor', 'On behalf of']));
    expect(await dialog.textContent()).toContain('u_bob');
    await shot(page, 'delegation');
    expect(await axeReport(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.close();
  });

  it('light theme and states pass axe too', async () => {
    const page = await open(await mint({ organization_id: 'org_a' }));
    await poll(() => articles(page).count()).toBe(PAGE);
    expect(await axeReport(page)).toEqual([]);
    await page.close();
  });

  it('PROMISE-06: Veritrail\'s own entries are hidden unless the "Show Veritrail entries" toggle is on', async () => {
    // A change concerning org_a: a veritrail.* entry in its trail, newer than every sample event.
    const revoked = await ctx.api.delete('/v1/viewer-sessions', { token: t.key, query: { organization_id: 'org_a', actor_id: 'u_nobody' } });
    expect(revoked.status).toBe(200);
    const page = await open(await mint({ organization_id: 'org_a' }));
    await poll(() => articles(page).count()).toBe(PAGE);
    expect(await page.locator('veritrail-viewer [role="feed"]').textContent()).not.toContain('veritrail.');
    const toggle = page.locator('veritrail-viewer input[name="show_trail"]');
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await poll(async () => (await articles(page).first().textContent()) ?? '').toContain('veritrail.viewer.sessions_revoked');
    await toggle.uncheck();
    await poll(async () => (await articles(page).first().textContent()) ?? '').not.toContain('veritrail.');
    // Asking for such actions by name shows them without the toggle.
    await page.locator('veritrail-viewer input[name="action"]').fill('veritrail.*');
    await page.locator('veritrail-viewer input[name="action"]').press('Enter');
    await poll(() => articles(page).count()).toBeGreaterThan(0);
    expect(await articles(page).first().textContent()).toContain('veritrail.viewer.sessions_revoked');
    await page.close();
  });

  it('/demo: a demo tenant with sample events, the viewer on it, and nothing of the other organization', async () => {
    const page = await context.newPage();
    await page.goto(`${ctx.app.url}/demo`);
    await poll(() => articles(page).count(), 30_000).toBe(50);
    const text = await page.locator('veritrail-viewer [role="feed"]').textContent();
    expect(text).toMatch(/(document|user)\.[a-z.]+/);
    expect(text).not.toContain('Contoso');
    await shot(page, 'demo');
    // The same single demo tenant on every visit.
    const tenants = await ctx.api.get('/admin/v1/tenants', { token: ctx.env.adminToken, query: { limit: 100 } });
    const demos = tenants.body.data.filter((x: { name: string }) => x.name.startsWith('Demo:'));
    await page.reload();
    await poll(() => articles(page).count(), 30_000).toBe(50);
    const again = await ctx.api.get('/admin/v1/tenants', { token: ctx.env.adminToken, query: { limit: 100 } });
    expect(again.body.data.filter((x: { name: string }) => x.name.startsWith('Demo:'))).toEqual(demos);
    expect(demos).toHaveLength(1);
    // PEN-05: demo tokens cannot export, so the page offers no export.
    expect(await page.locator('veritrail-viewer .export').isHidden()).toBe(true);
    await page.close();
  });

  it('/demo follows the OS colour scheme and fits a 412 px phone without horizontal scroll', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
    });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 412, height: 915 });
    await page.goto(`${ctx.app.url}/demo`);
    await poll(() => articles(page).count(), 30_000).toBe(50);
    expect(errors).toEqual([]);
    expect(await page.locator('veritrail-viewer').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(13, 17, 23)');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 255, 255)');
    const overflow = await page.evaluate(() => {
      const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1).map((el) => el.tagName.toLowerCase());
      return { doc: document.documentElement.scrollWidth, view: window.innerWidth, wide };
    });
    expect(overflow.wide).toEqual([]);
    expect(overflow.doc).toBeLessThanOrEqual(overflow.view);
    await shot(page, 'demo-phone-dark');
    await page.close();
  });

  // Last: from here on this tenant has display templates, so its rows read as messages.
  it('rows read as the action\'s display message (plain text, never markup), other actions as the action', async () => {
    const put = await ctx.api.put('/v1/actions/report.shared/display', { token: t.key, body: { template: '{actor.name} shared {targets[0].name}', locales: { de: '{actor.name} hat {targets[0].name} geteilt' } } });
    expect(put.status, put.text).toBe(200);
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: {
        events: [
          event({ organization_id: 'org_m', action: 'report.shared', targets: [{ type: 'report', id: 'rep_1', name: '<img src=x onerror="window.__pwned=1">' }], actor: { type: 'user', id: 'u_cy', name: 'Cy' } }),
          event({ organization_id: 'org_m', action: 'report.viewed', targets: [], actor: { type: 'user', id: 'u_cy', name: 'Cy' } }),
        ],
      },
    });
    expect(r.status, r.text).toBe(201);
    const [shared, viewed] = r.body.ids as string[];
    const page = await open(await mint({ organization_id: 'org_m' }));
    await poll(() => articles(page).count()).toBe(2);
    const label = (id: string) => page.locator(`veritrail-viewer article[data-id="${id}"] .action`);
    expect(await label(shared!).textContent()).toBe('Cy shared <img src=x onerror="window.__pwned=1">');
    expect(await label(shared!).getAttribute('title')).toBe('report.shared');
    expect(await label(shared!).locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // No template for this action: the API humanises it.
    expect(await label(viewed!).textContent()).toBe('Report viewed');
    // The drawer's title is the message; the action code stays in it.
    await page.locator(`veritrail-viewer article[data-id="${shared}"]`).focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('veritrail-viewer [role="dialog"]');
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator('h3').textContent()).toBe('Cy shared <img src=x onerror="window.__pwned=1">');
    expect(await dialog.textContent()).toContain('report.shared');
    await page.keyboard.press('Escape');
    await page.close();
  });
});
