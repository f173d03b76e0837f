#!/usr/bin/env node
// `npm start`: build what is stale, then run the app in this process (so signals reach it).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, [fileURLToPath(new URL('./build.mjs', import.meta.url)), '--if-needed'], { cwd: root, stdio: 'inherit' });
await import(new URL('../dist/main.js', import.meta.url).href);
