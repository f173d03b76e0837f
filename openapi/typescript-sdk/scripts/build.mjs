#!/usr/bin/env node
// Builds dist/esm (ES modules) and dist/cjs (CommonJS) with declarations.
//   node scripts/build.mjs              always build
//   node scripts/build.mjs --if-needed  skip when src/, tsconfig*.json and package.json are unchanged
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampFile = join(root, 'dist', '.build-stamp');

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const inputs = [...walk(join(root, 'src')), join(root, 'tsconfig.json'), join(root, 'tsconfig.cjs.json'), join(root, 'package.json')].sort();
const h = createHash('sha256');
for (const f of inputs) h.update(f.slice(root.length)).update(readFileSync(f));
const hash = h.digest('hex');

if (process.argv.includes('--if-needed') && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash && existsSync(join(root, 'dist/cjs/index.js'))) {
  process.exit(0);
}

// The package's own TypeScript, or the repository's when built from the repository root.
const tsc = join(createRequire(join(root, 'package.json')).resolve('typescript/package.json'), '..', 'bin', 'tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.cjs.json')], { stdio: 'inherit' });
// Node reads a .js file's module system from the nearest package.json.
writeFileSync(join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(stampFile, hash);
