import 'reflect-metadata';
import { createApp, createLogger } from './app.factory.js';
import { announceAdminToken, resolveAdminToken } from './config/admin-token.js';
import { ConfigError, configWarnings, isEmbeddedClickhouse, isEmbeddedPostgres, loadConfig } from './config/config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config);
  for (const warning of configWarnings(config)) logger.warn(warning);
  const admin = await resolveAdminToken(config);
  config.adminToken = admin.token;

  const app = await createApp(config, logger);
  await app.listen({ port: config.http.port, host: config.http.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  logger.info(
    {
      host: config.http.host,
      port,
      postgres: isEmbeddedPostgres(config) ? 'embedded' : 'server',
      clickhouse: isEmbeddedClickhouse(config) ? 'embedded' : 'server',
      data_dir: config.dataDir,
    },
    'veritrail listening',
  );
  announceAdminToken(admin, { port, host: config.http.host }, logger);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      // A second Ctrl-C (or SIGTERM) means "now": nothing acknowledged is lost (every
      // acknowledged write is already committed), in-flight requests are cut off.
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down: refusing new requests, draining the ingest writer');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 30 s; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      // Stop accepting first; in-flight requests finish (their writes are awaited), then the
      // writer drains and the stores close in Nest's shutdown hooks. Keep-alive connections
      // that go idle after their last response are closed as they do, or close() would wait
      // for the keep-alive timeout.
      const server = app.getHttpServer() as import('node:http').Server;
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      await app.getHttpAdapter().getInstance().close();
      clearInterval(idle);
      await app.close();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  // Started by scripts/start.mjs (npm start): if the launcher dies, even by SIGKILL, its IPC
  // channel closes; stop rather than run on unsupervised and holding the data directory.
  if (process.send) process.on('disconnect', () => void shutdown('launcher exited'));
}

main().catch((err: unknown) => {
  process.stderr.write(`veritrail failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
