import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, useApp, type TestTenant } from '../support/harness.js';

/**
 * <veritrail-viewer> as an investigation tool, in Debian's Chromium (playwright-core): rows with
 * place and browser grouped by day, pivots and chips, the histogram and its brush, the drawer
 * with copy-as-JSON, the view saved in the URL, axe in both themes. Screenshots: test/artifacts/.
 */

declare const window: any, document: any, navigator: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CHROME_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const GB_IP = '81.2.69.142';
const US_IP = '8.8.8.8';
/** Events of org_a: 3 days × 8, every third from the GB address. */
const PER_DAY = 8;
const DAYS = 3;

function poll<T>(fn: () => Promise<T> | T, timeout = 20_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}

describe('viewer investigation tools in Chromium', () => {
  const ctx = useApp({ VIEWER_DEMO: 'false' });
  let t: TestTenant;
  let context: BrowserContext;
  let host: Server;
  let hostUrl: string;
  let profile: string;
  const fromGb: string[] = [];
  const byTarget = new Map<string, string>();
  let failures = 0;

  async function open(opts: { theme?: string; view?: string } = {}): Promise<Page> {
    const r = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body: { organization_id: 'org_a' } });
    expect(r.status, r.text).toBe(201);
    const page = await context.newPage();
    const view = opts.view ? `&vt=${encodeURIComponent(opts.view)}` : '';
    await page.goto(`${hostUrl}/app.html?api=${encodeURIComponent(ctx.app.url)}&theme=${opts.theme ?? 'light'}${view}#token=${r.body.token}`);
    return page;
  }
  const articles = (page: Page) => page.locator('veritrail-viewer article');
  const chips = (page: Page) => page.locator('veritrail-viewer .chip').allTextContents();
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `viewer-${name}.png`), fullPage: true });
  async function axeReport(page: Page): Promise<{ id: string; impact: string; nodes: number }[]> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
    const result = await page.evaluate(async () => {
      const r = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', nodes: v.nodes.length }));
    });
    return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
    await mkdir(ARTIFACTS, { recursive: true });
    t = await ctx.tenant('Viewer investigation');
    await ctx.api.put('/v1/settings/auditing', { token: t.key, body: { read_auditing: false } });
    // Noon of each of the last days (local time of this process = of the browser).
    const noon = new Date();
    noon.setHours(12, 0, 0, 0);
    const events: Record<string, unknown>[] = [];
    for (let d = 0; d < DAYS; d++) {
      for (let i = 0; i < PER_DAY; i++) {
        const n = d * PER_DAY + i;
        events.push(
          event({
            organization_id: 'org_a',
            occurred_at: new Date(noon.getTime() - (d + 1) * 86_400_000 + i * 60_000).toISOString(),
            action: n % 2 ? 'document.updated' : 'user.login',
            outcome: n % 5 === 0 ? 'failure' : 'success',
            actor: { type: 'user', id: `u_${n % 3}`, name: `Person ${n % 3}` },
            targets: [{ type: 'document', id: `doc_${n}`, name: `Doc ${n}` }],
            context: { ip: n % 3 === 0 ? GB_IP : US_IP, user_agent: n % 2 ? FIREFOX_UA : CHROME_UA },
            changes: n % 2 ? [{ field: 'title', before: `Draft ${n}`, after: `Final ${n}` }] : undefined,
          }),
        );
      }
    }
    // Another organization from the same address: never shown.
    for (let i = 0; i < 4; i++) events.push(event({ organization_id: 'org_b', context: { ip: GB_IP }, targets: [{ type: 'document', id: 'doc_1' }] }));
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events } });
    expect(r.status, r.text).toBe(201);
    (r.body.ids as string[]).forEach((id, i) => {
      const e = events[i] as { organization_id: string; context: { ip: string }; outcome: string; targets: { id: string }[] };
      if (e.organization_id !== 'org_a') return;
      if (e.context.ip === GB_IP) fromGb.push(id);
      if (e.outcome === 'failure') failures++;
      byTarget.set(e.targets[0]!.id, id);
    });
    host = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://host');
      if (url.pathname !== '/app.html') return void res.writeHead(404).end();
      const api = url.searchParams.get('api') ?? '';
      const theme = url.searchParams.get('theme') === 'dark' ? 'dark' : 'light';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host app</title><link rel="icon" href="data:,"></head>
<body><main><h1>Host app</h1>
<veritrail-viewer base-url="${api}" theme="${theme}" locale="en-GB" page-size="50" style="height: 900px"></veritrail-viewer>
</main>
<script>document.querySelector('veritrail-viewer').setAttribute('token', new URLSearchParams(location.hash.slice(1)).get('token'));</script>
<script type="module" src="${api}/viewer/veritrail-viewer.js"></script>
</body></html>`);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
    expect((await ctx.api.put('/v1/settings/viewer', { token: t.key, body: { allowed_origins: [hostUrl] } })).status).toBe(200);
    profile = await mkdtemp(join(tmpdir(), 'vt-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 1000 }, locale: 'en-GB' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hostUrl });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((r) => (host ? host.close(r) : r(undefined)));
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('rows show the place and browser, times both ways, and are grouped by day', async () => {
    const page = await open();
    await poll(() => articles(page).count()).toBe(PER_DAY * DAYS);
    expect(await page.locator('veritrail-viewer article h3.day').count()).toBe(DAYS);
    expect(await page.locator('veritrail-viewer article h3.day').first().textContent()).toMatch(/^Yesterday · /);
    const row = page.locator(`veritrail-viewer article[data-id="${fromGb[0]}"]`);
    expect(await row.locator('.country').textContent()).toBe('GB');
    expect(await row.locator('.country').getAttribute('title')).toBe('United Kingdom');
    expect(await row.locator('.ua').textContent()).toBe('Chrome 131 on Windows 10');
    expect(await row.locator('.rel').textContent()).toMatch(/ago$|^yesterday$/);
    expect(await row.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await page.locator('veritrail-viewer .pill.failure').count()).toBe(failures);
    await shot(page, 'investigation-rows');
    await page.close();
  });

  it('pivots: a click on an IP or actor adds a removable chip, qualifiers too, and the view is saved in the URL', async () => {
    const page = await open();
    await poll(() => articles(page).count()).toBe(PER_DAY * DAYS);
    await page.locator(`veritrail-viewer article[data-id="${fromGb[0]}"] button.pivot[data-pivot="ip"]`).click();
    await poll(() => articles(page).count()).toBe(fromGb.length);
    expect(await chips(page)).toEqual([`ip:${GB_IP}×`]);
    const shown = await articles(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(shown.sort()).toEqual([...fromGb].sort()); // org_b's events from that address never appear
    expect(new URL(page.url()).searchParams.get('vt')).toBe(`ip=${encodeURIComponent(GB_IP)}`);
    // A second pivot narrows further; u_0 did every GB event (n % 3 === 0).
    await articles(page).first().locator('button.pivot[data-pivot="actor_id"]').click();
    await poll(() => chips(page)).toEqual(['actor:u_0×', `ip:${GB_IP}×`]);
    await poll(() => articles(page).count()).toBe(fromGb.length);
    // target: typed in the box becomes a chip; the free text stays in the box.
    const box = page.locator('veritrail-viewer input[type="search"]');
    await box.fill('target:doc_3 Doc');
    await box.press('Enter');
    await poll(() => articles(page).count()).toBe(1);
    expect(await articles(page).first().getAttribute('data-id')).toBe(byTarget.get('doc_3'));
    expect(await box.inputValue()).toBe('Doc');
    await shot(page, 'investigation-chips');
    // The shared link opens the same view.
    const link = new URL(page.url());
    const again = await open({ view: link.searchParams.get('vt')! });
    await poll(() => articles(again).count()).toBe(1);
    expect(await chips(again)).toEqual(['actor:u_0×', 'target:doc_3×', `ip:${GB_IP}×`]);
    expect(await again.locator('veritrail-viewer input[type="search"]').inputValue()).toBe('Doc');
    await again.close();
    // Chips go with their ×, and Backspace in the empty box removes the last one.
    await page.locator('veritrail-viewer .chip[data-key="target_id"] button').click();
    await box.fill('');
    await box.press('Enter');
    await poll(() => articles(page).count()).toBe(fromGb.length);
    await box.press('Backspace');
    await poll(() => chips(page)).toEqual(['actor:u_0×']);
    await poll(() => articles(page).count()).toBe(PER_DAY); // u_0: every third event
    // A bad qualifier is refused before it is sent.
    await box.fill('ip:999.1.1.1');
    await box.press('Enter');
    await poll(() => page.locator('veritrail-viewer .message.error').textContent()).toContain('IPv4 or IPv6');
    await page.close();
  });

  it('the histogram draws the volume by outcome; brushing narrows the range to what was selected', async () => {
    const page = await open();
    await poll(() => articles(page).count()).toBe(PER_DAY * DAYS);
    const svg = page.locator('veritrail-viewer .hist svg');
    await poll(() => svg.isVisible()).toBe(true);
    expect(await svg.getAttribute('aria-label')).toContain(`${PER_DAY * DAYS} (Failure: ${failures})`);
    expect(await page.locator('veritrail-viewer .hist rect.failure').count()).toBeGreaterThan(0);
    expect(await page.locator('veritrail-viewer .hist rect.success').count()).toBeGreaterThan(0);
    await shot(page, 'investigation-histogram');
    // Drag over the bars of the newest day only (the right end of the 30-day default range).
    const bars = await page.locator('veritrail-viewer .hist g').evaluateAll((gs) => gs.map((g) => ({ start: g.getAttribute('data-start'), box: g.getBoundingClientRect() })));
    const newest = bars.filter((b) => b.box.width > 0).sort((a, b) => Date.parse(b.start!) - Date.parse(a.start!))[0]!;
    const y = newest.box.y + newest.box.height / 2;
    await page.mouse.move(newest.box.x + 1, y);
    await page.mouse.down();
    await page.mouse.move(newest.box.x + newest.box.width / 2, y, { steps: 4 });
    await page.mouse.move(newest.box.x + newest.box.width - 1, y, { steps: 4 });
    await page.mouse.up();
    await poll(async () => (await chips(page)).some((c) => c.startsWith('time:'))).toBe(true);
    await poll(() => articles(page).count()).toBe(PER_DAY);
    const days = await articles(page).evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-day')))]);
    expect(days).toHaveLength(1);
    const range = new URLSearchParams(new URL(page.url()).searchParams.get('vt')!).get('range')!;
    const [from, to] = range.split('/').map((x) => Date.parse(x));
    const times = await articles(page).evaluateAll((els) => els.map((e) => Date.parse(e.querySelector('time')!.getAttribute('datetime')!)));
    expect(times.every((ms) => ms >= from! && ms < to!)).toBe(true);
    // The histogram now spans the brushed range.
    await poll(async () => Date.parse((await svg.locator('g').first().getAttribute('data-start'))!) >= from!).toBe(true);
    await shot(page, 'investigation-brushed');
    await page.locator('veritrail-viewer .chip[data-key="range"] button').click();
    await poll(() => articles(page).count()).toBe(PER_DAY * DAYS);
    await page.close();
  });

  it('the drawer shows everything, copies the event as JSON, and pivots from it', async () => {
    const page = await open();
    await poll(() => articles(page).count()).toBe(PER_DAY * DAYS);
    const id = byTarget.get('doc_3')!; // from the GB address, with a change
    await page.locator(`veritrail-viewer article[data-id="${id}"]`).focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('veritrail-viewer [role="dialog"]');
    await poll(() => dialog.isVisible()).toBe(true);
    const text = (await dialog.textContent())!;
    expect(text).toContain('United Kingdom (GB)');
    expect(text).toContain('Firefox 133 on Linux');
    expect(text).toContain(GB_IP);
    expect(await dialog.locator('td.before').textContent()).toBe('Draft 3');
    expect(await dialog.locator('td.after').textContent()).toBe('Final 3');
    await dialog.locator('button.copy').click();
    await poll(() => dialog.locator('.head .status').textContent()).toBe('Copied');
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    expect(copied).toMatchObject({ id, organization_id: 'org_a', client: { country: 'GB', browser: 'Firefox 133', os: 'Linux' } });
    await shot(page, 'investigation-drawer');
    expect(await axeReport(page)).toEqual([]);
    // A pivot in the drawer closes it and filters.
    await dialog.locator('button.pivot[data-pivot="target_id"]').click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => articles(page).count()).toBe(1);
    expect(await chips(page)).toEqual(['target:doc_3×']);
    await page.close();
  });

  it('a registered tab appears beside the events only when the token allows it, with tab semantics and arrow keys', async () => {
    const page = await open();
    await poll(() => articles(page).count()).toBe(PER_DAY * DAYS);
    expect(await page.locator('veritrail-viewer [role="tablist"]').isVisible()).toBe(false);
    // A tab for a capability this token lacks stays hidden; one it has shows after the next token.
    await page.evaluate(() => {
      const V = window.customElements.get('veritrail-viewer');
      V.registerTab({ id: 'never', label: () => 'Never', available: (c: { cap?: boolean }) => c.cap === true, render: () => undefined });
      V.registerTab({ id: 'probe', label: () => 'Probe', available: (c: { scp?: string[] }) => c.scp?.includes('events:read'), render: (panel: { append(s: string): void }) => panel.append('Probe panel') });
      const el = document.querySelector('veritrail-viewer');
      el.setAttribute('token', el.getAttribute('token') + '');
    });
    const token = (await ctx.api.post('/v1/viewer-tokens', { token: t.key, body: { organization_id: 'org_a' } })).body.token as string;
    await page.evaluate((tok) => document.querySelector('veritrail-viewer').setAttribute('token', tok), token);
    const tabs = page.locator('veritrail-viewer [role="tab"]');
    await poll(() => tabs.allTextContents()).toEqual(['Events', 'Probe']);
    expect(await tabs.first().getAttribute('aria-selected')).toBe('true');
    await tabs.first().focus();
    await page.keyboard.press('ArrowRight');
    await poll(() => page.locator('veritrail-viewer [role="tabpanel"]:not([hidden])').textContent()).toBe('Probe panel');
    expect(await articles(page).first().isVisible()).toBe(false);
    expect(await axeReport(page)).toEqual([]);
    await page.keyboard.press('ArrowLeft');
    await poll(() => articles(page).first().isVisible()).toBe(true);
    await page.close();
  });

  it('with chips and the histogram shown, no serious or critical axe violations in either theme', async () => {
    for (const theme of ['light', 'dark']) {
      const page = await open({ theme, view: `ip=${GB_IP}&f.outcome=success` });
      await poll(() => articles(page).count()).toBeGreaterThan(0);
      await poll(() => page.locator('veritrail-viewer .hist svg').isVisible()).toBe(true);
      expect(await chips(page)).toEqual([`ip:${GB_IP}×`]);
      expect(await axeReport(page)).toEqual([]);
      await shot(page, `investigation-${theme}`);
      await page.close();
    }
  });
});
