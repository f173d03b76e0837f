import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, useApp, type TestTenant } from '../support/harness.js';

const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SECURITY_DOC = fileURLToPath(new URL('../../docs/security.md', import.meta.url));

// Functions passed to page.evaluate() run in the browser; this file is type-checked without DOM types.
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The standalone verifier as an auditor gets it: downloaded from the server into an empty
 * directory outside the project (no node_modules), run with plain `node`, and imported in a
 * browser from another origin.
 */
describe('standalone offline verifier (/verifier/veritrail-verify.mjs)', () => {
  const ctx = useApp({ JOBS: 'none' });
  let dir: string;
  let moduleText: string;
  let evidence: { events: unknown[] } & Record<string, unknown>;
  let jwks: unknown;
  let t: TestTenant;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vt-auditor-'));
    t = await ctx.tenant('Audited');
    const r = await ctx.api.post('/v1/events/batch', {
      token: t.key,
      body: { events: Array.from({ length: 6 }, (_, i) => event({ action: 'doc.viewed', targets: [{ type: 'document', id: `d${i}` }] })) },
    });
    expect(r.status).toBe(201);
    expect((await ctx.api.post('/v1/integrity/seal', { token: t.key })).status).toBe(200);
    evidence = (await ctx.api.get('/v1/integrity/evidence', { token: t.key })).body;
    jwks = (await ctx.api.get('/.well-known/jwks.json')).body;
    const served = await fetch(`${ctx.app.url}/verifier/veritrail-verify.mjs`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^text\/javascript/);
    moduleText = await served.text();
    await writeFile(join(dir, 'veritrail-verify.mjs'), moduleText);
    await writeFile(join(dir, 'jwks.json'), JSON.stringify(jwks));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is one module without static imports, and its sha256 is the one docs/security.md publishes', async () => {
    expect(moduleText).not.toMatch(/^\s*import\s[^(]/m);
    expect(moduleText).not.toMatch(/^\s*export\s[^\n]*\sfrom\s/m);
    // The only imports left are Node's own, made when the file runs as a program in Node.
    const dynamic = [...moduleText.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
    expect(dynamic.every((s) => s.startsWith('node:'))).toBe(true);
    const sha = createHash('sha256').update(moduleText).digest('hex');
    expect((await (await fetch(`${ctx.app.url}/verifier/veritrail-verify.mjs.sha256`)).text()).trim()).toBe(`${sha}  veritrail-verify.mjs`);
    const doc = await readFile(SECURITY_DOC, 'utf8');
    const published = /veritrail-verify\.mjs` sha256: `([0-9a-f]{64})`/.exec(doc)?.[1];
    expect(published, 'docs/security.md publishes the module\'s sha256 (update it when the verifier changes)').toBe(sha);
  });

  it('runs with plain node in an empty directory: exit 0 on the evidence, 1 once an event is removed', async () => {
    await writeFile(join(dir, 'evidence.json'), JSON.stringify(evidence));
    const ok = await run(process.execPath, ['veritrail-verify.mjs', 'verify', 'evidence.json', '--jwks', 'jwks.json'], { cwd: dir });
    expect(ok.stdout).toContain('OK: the evidence verifies against the pinned keys.');
    expect(ok.stdout).toMatch(/COMPLETE: the whole trail/);
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);

    const cut = { ...evidence, events: evidence.events.filter((_, i) => i !== 2) };
    await writeFile(join(dir, 'tampered.json'), JSON.stringify(cut));
    const bad = await run(process.execPath, ['veritrail-verify.mjs', 'verify', 'tampered.json', '--jwks', 'jwks.json'], { cwd: dir }).then(
      () => ({ code: 0, out: '' }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('TAMPERED');
    const usage = await run(process.execPath, ['veritrail-verify.mjs'], { cwd: dir }).catch((e: { code: number; stdout: string }) => e);
    expect((usage as { code: number }).code).toBe(2);
  });

  it('verifies in a browser that imports it from another origin', async () => {
    expect(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}`).toBe(true);
    const host: Server = createServer((req, res) => {
      if (req.url === '/favicon.ico') return void res.writeHead(204).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Auditor</title><p>offline check</p>');
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(host.address() as { port: number }).port}/`);
      const cut = { ...evidence, events: evidence.events.slice(1) };
      // A string, not a function: the test runner would rewrite a function's import().
      const script = `(async () => {
        const m = await import(${JSON.stringify(`${ctx.app.url}/verifier/veritrail-verify.mjs`)});
        const keys = ${JSON.stringify(jwks)};
        const out = [];
        for (const d of ${JSON.stringify([evidence, cut])}) out.push((await m.verifyEvidence(m.parseEvidenceJson(JSON.stringify(d)), keys)).status);
        return out;
      })()`;
      const statuses = (await page.evaluate(script)) as string[];
      expect(statuses).toEqual(['ok', 'tampered']);
      expect(await page.evaluate(() => typeof window.Buffer)).toBe('undefined'); // the page's globals are its own
    } finally {
      await browser?.close();
      await new Promise((r) => host.close(r));
    }
  });
});
