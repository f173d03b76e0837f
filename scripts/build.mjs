#!/usr/bin/env node
// Builds what is missing or stale: the Prisma client (src/generated/prisma) and dist/.
//   node scripts/build.mjs            always build
//   node scripts/build.mjs --if-needed  skip steps whose inputs did not change
//   node scripts/build.mjs --generate-only
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const ifNeeded = args.has('--if-needed');
const stampFile = join(root, '.build-stamp');

// An installed image (docker/Dockerfile) carries dist/ but neither sources nor build tools:
// there is nothing to build, so `npm run migrate` there goes straight to dist/cli/migrate.js.
if (ifNeeded && !existsSync(join(root, 'src')) && existsSync(join(root, 'dist/main.js'))) process.exit(0);
const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : {};

function hashFiles(files) {
  const h = createHash('sha256');
  for (const f of files.sort()) h.update(f).update(readFileSync(f));
  return h.digest('hex');
}

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'generated') walk(p, out);
    } else out.push(p);
  }
  return out;
}

function bin(name) {
  return join(root, 'node_modules', '.bin', name);
}

// 1. Prisma client. `prisma generate` looks for the schema engine binary, which cannot be
// downloaded offline and is not needed to generate: any existing file satisfies the check.
const schemaHash = hashFiles([join(root, 'prisma/schema.prisma')]);
if (!ifNeeded || stamp.schema !== schemaHash || !existsSync(join(root, 'src/generated/prisma/client.ts'))) {
  execFileSync(bin('prisma'), ['generate'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
  stamp.schema = schemaHash;
}

if (!args.has('--generate-only')) {
  // 2. TypeScript → dist/.
  const sources = walk(join(root, 'src')).filter((f) => f.endsWith('.ts'));
  const srcHash = hashFiles([...sources, join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), join(root, 'package.json')]);
  if (!ifNeeded || stamp.src !== srcHash || stamp.schemaBuilt !== schemaHash || !existsSync(join(root, 'dist/main.js'))) {
    execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    stamp.src = srcHash;
    stamp.schemaBuilt = schemaHash;
  }
}
if (!args.has('--generate-only')) {
  // 3. The embedded viewer (src/viewer/ui) → dist/public/viewer/veritrail-viewer.js, one ES
  // module without a framework runtime, served at /viewer/ (Vite library mode).
  const uiDir = join(root, 'src/viewer/ui');
  const outDir = join(root, 'dist/public/viewer');
  const uiHash = hashFiles([...walk(uiDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts')), join(root, 'scripts/build.mjs')]);
  if (!ifNeeded || stamp.ui !== uiHash || !existsSync(join(outDir, 'veritrail-viewer.js'))) {
    const { build } = await import('vite');
    await build({
      root: uiDir,
      configFile: false,
      logLevel: 'warn',
      build: {
        lib: { entry: join(uiDir, 'veritrail-viewer.ts'), formats: ['es'], fileName: () => 'veritrail-viewer.js' },
        outDir,
        emptyOutDir: true,
        target: 'es2022',
        minify: true,
        sourcemap: false,
        reportCompressedSize: false,
      },
    });
    stamp.ui = uiHash;
  }
}
if (!args.has('--generate-only')) {
  // 4. The standalone offline verifier (src/integrity/verifier-module.ts) → one dependency-free ES
  // module for any Node ≥ 18 and browsers, dist/public/verifier/veritrail-verify.mjs, served at
  // /verifier/. Not minified: auditors read what they run. The build is deterministic, so its
  // sha256 (published in docs/security.md) is the same on every machine for the same sources.
  const outDir = join(root, 'dist/public/verifier');
  const verifierHash = hashFiles([...walk(join(root, 'src')).filter((f) => f.endsWith('.ts')), join(root, 'package-lock.json'), join(root, 'scripts/build.mjs')]);
  if (!ifNeeded || stamp.verifier !== verifierHash || !existsSync(join(outDir, 'veritrail-verify.mjs'))) {
    const { build } = await import('vite');
    const { default: inject } = await import('@rollup/plugin-inject');
    await build({
      root: join(root, 'src/integrity'),
      // Node's Buffer, imported from the `buffer` package wherever the code names it: browsers
      // get an implementation without the module touching the page's globals.
      plugins: [inject({ Buffer: ['buffer', 'Buffer'] })],
      configFile: false,
      logLevel: 'warn',
      resolve: {
        // The portable SHA-256 instead of node:crypto (see sha256.portable.ts).
        alias: [{ find: /^\.\/sha256\.js$/, replacement: join(root, 'src/integrity/sha256.portable.ts') }],
      },
      build: {
        lib: { entry: join(root, 'src/integrity/verifier-module.ts'), formats: ['es'], fileName: () => 'veritrail-verify.mjs' },
        outDir,
        emptyOutDir: true,
        target: 'es2022',
        minify: false,
        sourcemap: false,
        reportCompressedSize: false,
        // Node's modules are imported only when the file runs as a program in Node.
        rollupOptions: { external: [/^node:/] },
      },
    });
    stamp.verifier = verifierHash;
  }
}
writeFileSync(stampFile, JSON.stringify(stamp));

// `npx veritrail …` inside the project: npm links the bins of dependencies only, not the
// project's own, so link dist/cli/veritrail.js into node_modules/.bin after a build.
const cli = join(root, 'dist/cli/veritrail.js');
if (existsSync(cli)) {
  chmodSync(cli, 0o755);
  const link = join(root, 'node_modules/.bin/veritrail');
  if (!existsSync(link)) {
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), cli), link);
  }
}

