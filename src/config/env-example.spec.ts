import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** .env.example documents every variable the config loader reads, and nothing else. */
describe('.env.example', () => {
  it('lists exactly the variables src/config/config.ts reads', () => {
    const source = readFileSync(fileURLToPath(new URL('./config.ts', import.meta.url)), 'utf8');
    const read = new Set([...source.matchAll(/r\.(?:int|bool|string|url|duration)\('([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]));
    const example = readFileSync(fileURLToPath(new URL('../../.env.example', import.meta.url)), 'utf8');
    const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual([...read].sort());
  });
});
