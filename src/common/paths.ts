import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project root, from both `src/common` (tests) and `dist/common` (built app). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The product version (package.json). */
export const VERSION: string = (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
export const PRISMA_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** True when the module at `moduleUrl` is the script node was started with (also through a symlink). */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
