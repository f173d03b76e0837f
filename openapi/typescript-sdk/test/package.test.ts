import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('packs with `npm pack` and installs from the tarball into a project that imports, requires and type-checks it', () => {
    const work = mkdtempSync(join(tmpdir(), 'vt-sdk-pack-'));
    try {
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', work], { cwd: sdkRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { filename: string; files: { path: string }[] }[];
      const files = packed[0]!.files.map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js']));
      expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
      const app = join(work, 'app');
      execFileSync('mkdir', ['-p', app]);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
      // No runtime dependencies: installing the tarball needs no registry.
      execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', join(work, packed[0]!.filename)], { cwd: app, stdio: 'ignore' });
      const esm = execFileSync(process.execPath, ['--input-type=module', '-e', "import { Veritrail, SDK_VERSION } from '@veritrail/sdk'; console.log(typeof Veritrail, SDK_VERSION)"], { cwd: app, encoding: 'utf8' });
      expect(esm.trim()).toBe(`function ${SDK_VERSION}`);
      const cjs = execFileSync(process.execPath, ['-e', "console.log(typeof require('@veritrail/sdk').Veritrail)"], { cwd: app, encoding: 'utf8' });
      expect(cjs.trim()).toBe('function');
      // The published types: a consumer's code compiles against dist/*.d.ts (strict, NodeNext).
      writeFileSync(
        join(app, 'index.ts'),
        [
          "import { Veritrail, type ViewerTokenRequest } from '@veritrail/sdk';",
          "const audit = new Veritrail({ apiKey: 'vt_x', baseUrl: 'http://127.0.0.1:1' });",
          "const request: ViewerTokenRequest = { organization_id: 'org_1', user_id: 'u_1', scopes: ['events:read'] };",
          'export async function mint() { const t = await audit.viewerTokens.create(request); return t.session_id; }',
          '',
        ].join('\n'),
      );
      const tsc = createRequire(`${sdkRoot}package.json`).resolve('typescript/bin/tsc');
      execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(sdkRoot, '../../node_modules/@types'), join(app, 'index.ts')], { cwd: app, stdio: 'pipe' });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
