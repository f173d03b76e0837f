import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfig } from './config.js';

/**
 * In embedded mode an unset ADMIN_TOKEN is generated on first start and kept in
 * DATA_DIR/admin-token (mode 0600). Returns whether it was generated now (print it once).
 */
export async function resolveAdminToken(config: AppConfig): Promise<{ token: string; generated: boolean; path?: string }> {
  if (config.adminToken) return { token: config.adminToken, generated: false };
  const path = join(config.dataDir, 'admin-token');
  try {
    const token = (await readFile(path, 'utf8')).trim();
    if (token.length >= 24) return { token, generated: false, path };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const token = `vta_${randomBytes(32).toString('base64url')}`;
  await writeFile(path, `${token}\n`, { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const stored = (await readFile(path, 'utf8')).trim();
  return { token: stored, generated: stored === token, path };
}
