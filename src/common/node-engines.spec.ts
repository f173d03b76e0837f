import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './paths.js';

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
  os?: string[];
}

/**
 * `npm install` on the Node we declare prints no EBADENGINE warning: every package the lock file
 * installs on Linux accepts every Node version `engines.node` allows.
 */
describe('declared Node version', () => {
  it('every locked package supports the Node range package.json declares', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
    // The machines run Node 20: check the declared range within that major (and it must start there).
    const declared = `${pkg.engines.node} <21`;
    expect(semver.minVersion(pkg.engines.node)?.major).toBe(20);
    const refused = Object.entries(lock.packages)
      .filter(([path, e]) => path !== '' && !Array.isArray(e.engines) && e.engines?.node && (!e.os || e.os.includes('linux')))
      .filter(([, e]) => !semver.subset(declared, (e.engines as { node: string }).node, { includePrerelease: false }))
      .map(([path, e]) => `${path.replace(/^.*node_modules\//, '')}@${e.version} needs node ${(e.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
  });
});
