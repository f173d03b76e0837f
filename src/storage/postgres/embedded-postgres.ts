import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PoolConfig } from 'pg';
import { ExchangeQueue } from './exchange-queue.js';

const SOCKET_PORT = 5432;
/** Unix socket paths are limited to ~107 bytes; longer data dirs fall back to loopback TCP. */
const MAX_SOCKET_PATH = 100;

/**
 * PGlite (PostgreSQL compiled to WebAssembly) served over the PostgreSQL wire protocol, so
 * Prisma's adapter-pg talks to it exactly as it talks to a PostgreSQL server: one code path.
 * The socket lives inside the data directory (mode 0700), so only this user can reach it.
 * A stopped instance's directory can be opened by any PGlite process for inspection.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly poolConfig: PoolConfig,
  ) {}

  static async start(dataDir: string, maxConnections = 8): Promise<EmbeddedPostgres> {
    const dir = join(dataDir, 'postgres');
    const runDir = join(dataDir, 'run');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await mkdir(runDir, { recursive: true, mode: 0o700 });
    const db = await PGlite.create({ dataDir: dir });
    const socketPath = join(runDir, `.s.PGSQL.${SOCKET_PORT}`);
    let server: PGLiteSocketServer;
    let poolConfig: PoolConfig;
    if (socketPath.length <= MAX_SOCKET_PATH) {
      // A socket left behind by a killed process would make listen() fail with EADDRINUSE.
      if (await exists(socketPath)) await rm(socketPath, { force: true });
      server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
      poolConfig = { host: runDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' };
    } else {
      server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
      poolConfig = { host: '127.0.0.1', user: 'postgres', database: 'postgres' };
    }
    // Keep each connection's protocol exchange together (see ExchangeQueue): the server hands
    // this queue to every connection it accepts, so it is replaced before the first one.
    (server as unknown as { queryQueue: ExchangeQueue }).queryQueue = new ExchangeQueue(db);
    await server.start();
    if (!poolConfig.port) poolConfig.port = Number(server.getServerConn().split(':').pop());
    return new EmbeddedPostgres(db, server, poolConfig);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
