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

/** Where the generated token may be shown: a terminal only (stderr when it is a TTY). */
export interface TokenTerminal {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Tells the operator where the token is, without ever putting it into the log stream (stdout
 * carries the JSON logs, which are shipped and kept elsewhere). A generated token is shown once
 * on the terminal when there is one; otherwise only the file's path is logged.
 */
export function announceAdminToken(
  admin: { token: string; generated: boolean; path?: string },
  where: { port: number; host: string },
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
  terminal: TokenTerminal = process.stderr,
): void {
  if (!admin.path) return; // ADMIN_TOKEN came from the environment
  if (!admin.generated) {
    logger.info({ path: admin.path }, 'operator token is in the data directory');
    return;
  }
  if (terminal.isTTY) {
    const host = where.host === '0.0.0.0' || where.host === '::' ? 'localhost' : where.host.includes(':') ? `[${where.host}]` : where.host;
    terminal.write(
      `\n  Operator token (ADMIN_TOKEN), kept in ${admin.path}:\n\n    ${admin.token}\n\n` +
        `  Create a tenant:  curl -X POST http://${host}:${where.port}/admin/v1/tenants -H "Authorization: Bearer <token>" -H "Content-Type: application/json" -d '{"name":"Acme"}'\n\n`,
    );
    logger.info({ path: admin.path }, 'operator token generated: shown on the terminal, kept in the data directory');
  } else {
    logger.warn({ path: admin.path }, 'operator token generated and kept in the data directory (not printed: no terminal); read it from that file');
  }
}
