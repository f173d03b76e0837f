import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/config.js';
import { closeStores, openStores } from '../storage/storage.service.js';

/** `npm run migrate`: applies PostgreSQL and ClickHouse migrations, then exits. */
try {
  const config = loadConfig();
  const stores = await openStores(config, { migrate: true });
  await closeStores(stores);
  process.stdout.write('migrations are up to date\n');
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
}
