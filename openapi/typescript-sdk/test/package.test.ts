import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SDK_VERSION } from '../src/version.js';

const sdkRoot = fileURLToPath(new URL('..', import.meta.url));

describe('@veritrail/sdk package', () => {
  it('its generated types and event schema are current: run `npm run sdk:generate` (or `npm run openapi`) and commit when this fails', async () => {
    const { staleFiles } = (await import(pathToFileURL(`${sdkRoot}scripts/generate.mjs`).href)) as { staleFiles(): Promise<string[]> };
    expect(await staleFiles()).toEqual([]);
  });

  it('builds as ES modules and as CommonJS with the same exports', async () => {
    execFileSync(process.execPath, [`${sdkRoot}scripts/build.mjs`, '--if-needed'], { stdio: 'inherit' });
    const pkg = JSON.parse(readFileSync(`${sdkRoot}package.json`, 'utf8'));
    const cjs = createRequire(`${sdkRoot}package.json`)(`${sdkRoot}${pkg.exports['.'].require.default}`);
    const esm = await import(pathToFileURL(`${sdkRoot}${pkg.exports['.'].import.default}`).href);
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    expect(Object.keys(esm)).toEqual(expect.arrayContaining(['Veritrail', 'VeritrailError', 'VeritrailApiError', 'validateEvent', 'verifyWebhook']));
    expect(typeof cjs.Veritrail.webhooks.verify).toBe('function');
    const client = new esm.Veritrail({ apiKey: 'vt_x', baseUrl: 'http://127.0.0.1:1' });
    await client.close();
    expect(pkg.version).toBe(SDK_VERSION);
    expect(cjs.SDK_VERSION).toBe(SDK_VERSION);
  });
});
