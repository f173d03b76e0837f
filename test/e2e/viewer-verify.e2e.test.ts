import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, useApp, type TestTenant } from '../support/harness.js';

/**
 * The viewer checks proofs itself (docs/viewer.md "Verified in this browser"): with keys pinned
 * on the page and a token minted with `proofs: true`, each sealed event's inclusion proof and
 * its checkpoint's Ed25519 signature are checked with WebCrypto in Chromium; a tampered proof or
 * a checkpoint signed by a key the page did not pin shows "Not verified".
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const EVENTS = 5;

function poll<T>(fn: () => Promise<T> | T, timeout = 30_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}

describe('in-browser verification in Chromium', () => {
  const ctx = useApp({ JOBS: 'seal', SEAL_INTERVAL: '500ms' });
  let t: TestTenant;
  let context: BrowserContext;
  let host: Server;
  let hostUrl: string;
  let profile: string;
  let jwks = '';

  async function open(opts: { proofs?: boolean; keys?: string } = {}): Promise<Page> {
    const r = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body: { organization_id: 'org_a', proofs: opts.proofs ?? true } });
    expect(r.status, r.text).toBe(201);
    const page = await context.newPage();
    await page.goto(`${hostUrl}/app.html?api=${encodeURIComponent(ctx.app.url)}&keys=${encodeURIComponent(opts.keys ?? jwks)}#token=${r.body.token}`);
    return page;
  }
  const badge = (page: Page) => page.locator('veritrail-viewer .badge');

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
    await mkdir(ARTIFACTS, { recursive: true });
    t = await ctx.tenant('Viewer verify');
    const r = await ctx.api.post('/v1/events/batch', { token: t.key, body: { events: Array.from({ length: EVENTS }, () => event({ organization_id: 'org_a' })) } });
    expect(r.status, r.text).toBe(201);
    // What the host app pins: the JWKS as published, fetched once (at deploy time in real life).
    jwks = (await ctx.api.get('/.well-known/jwks.json')).text;
    host = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://host');
      if (url.pathname !== '/app.html') return void res.writeHead(404).end();
      const api = url.searchParams.get('api') ?? '';
      const keys = (url.searchParams.get('keys') ?? '').replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host app</title><link rel="icon" href="data:,"></head>
<body><main><veritrail-viewer base-url="${api}" theme="light" locale="en-GB" checkpoint-keys='${keys}' style="height: 700px"></veritrail-viewer></main>
<script>document.querySelector('veritrail-viewer').setAttribute('token', new URLSearchParams(location.hash.slice(1)).get('token'));</script>
<script type="module" src="${api}/viewer/veritrail-viewer.js"></script>
</body></html>`);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
    expect((await ctx.api.put('/v1/settings/viewer', { token: t.key, body: { allowed_origins: [hostUrl] } })).status).toBe(200);
    profile = await mkdtemp(join(tmpdir(), 'vt-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 800 }, locale: 'en-GB' });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((r) => (host ? host.close(r) : r(undefined)));
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('checks every proof and the checkpoint signature in the browser against the pinned keys', async () => {
    const page = await open();
    await poll(() => badge(page).getAttribute('data-local')).toBe('true');
    expect(await badge(page).getAttribute('data-state')).toBe('verified');
    expect(await badge(page).textContent()).toBe('✓ Verified in this browser');
    expect(await page.locator('veritrail-viewer article .seal.verified.local').count()).toBe(EVENTS);
    await page.locator('veritrail-viewer article').first().focus();
    await page.keyboard.press('Enter');
    await poll(() => page.locator('veritrail-viewer [role="dialog"] .seal-text').textContent()).toBe('Verified · checked in this browser');
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-verified-in-browser.png') });
    await page.close();
  });

  it('a tampered proof shows "Not verified", whatever the server says', async () => {
    const page = await open();
    // Someone between the API and the page (or a lying server) edits the proof of every event.
    await page.route('**/v1/events/*/proof', async (route) => {
      const res = await route.fetch();
      const proof = (await res.json()) as { sealed_event: string };
      proof.sealed_event = proof.sealed_event.replace('"outcome":"success"', '"outcome":"failure"');
      await route.fulfill({ response: res, json: proof });
    });
    await poll(() => badge(page).getAttribute('data-state')).toBe('not-verified');
    expect(await badge(page).textContent()).toBe('✗ Not verified');
    expect(await page.locator('veritrail-viewer article .seal.failed.local').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-not-verified.png') });
    await page.close();
  });

  it('a checkpoint signed by a key the page did not pin is not verified', async () => {
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const page = await open({ keys: JSON.stringify({ keys: [{ ...other, kid: JSON.parse(jwks).keys[0].kid }] }) });
    await poll(() => badge(page).getAttribute('data-state')).toBe('not-verified');
    await page.close();
  });

  it('without proofs: true the token reads no proof, and the badge is the server\'s word', async () => {
    const r = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body: { organization_id: 'org_a' } });
    const list = await ctx.api.get('/v1/events', { token: r.body.token });
    const denied = await ctx.api.get(`/v1/events/${list.body.data[0].id}/proof`, { token: r.body.token });
    expect(denied.status).toBe(403);
    // With proofs, another organization's event is still not found.
    const other = await ctx.api.post('/v1/events', { token: t.key, body: event({ organization_id: 'org_b' }) });
    const withProofs = await ctx.api.post('/v1/viewer-tokens', { token: t.key, body: { organization_id: 'org_a', proofs: true } });
    expect((await ctx.api.get(`/v1/events/${other.body.id}/proof`, { token: withProofs.body.token })).status).toBe(404);
    const page = await open({ proofs: false });
    await poll(() => badge(page).getAttribute('data-state')).toBe('verified');
    expect(await badge(page).getAttribute('data-local')).toBeNull();
    await page.close();
  });
});
