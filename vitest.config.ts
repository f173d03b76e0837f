import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the TypeScript so Nest's decorator metadata (emitDecoratorMetadata) exists in tests.
const swcPlugin = swc.vite({
  module: { type: 'es6' },
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
});

// The integration files whose outcome can differ on a PostgreSQL server (many connections instead
// of one session): concurrent claims, leases and locks, races on keys, several processes or
// replicas sharing one database, the shared rate-limit store, migrations, the server's clock,
// tenant/organization isolation. `npm run test:server` runs them all against the server.
const SERVER_SENSITIVE =
  'test/integration/{alerts,auth-limits,billing,breach-drill,clock-checked,clock-skew,idempotency,isolation,log-head,privacy-gdpr,rate-limits,replicas,retention-migration,root-log,schema-drift,streams,tenancy,tenant-settings-migration,viewer-tokens,webhooks}.int.test.ts';
// What `npm test` runs against the server, within its time budget: replicas, key races, the
// two-replica cases of billing and viewer tokens, shared limiter stores, webhook claims, the
// server's clock, isolation. The migrations run on the server when global-setup builds its template.
const SERVER_IN_NPM_TEST = 'test/integration/{auth-limits,billing,clock-checked,idempotency,isolation,rate-limits,replicas,viewer-tokens,webhooks}.int.test.ts';

export default defineConfig({
  plugins: [swcPlugin],
  test: {
    pool: 'forks', // one process per test file: chDB binds one data directory per process
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.spec.ts'] },
      },
      {
        // The TypeScript SDK's own tests (validation parity with the server, batching, buffer).
        extends: true,
        test: { name: 'sdk', include: ['openapi/typescript-sdk/test/**/*.test.ts'] },
      },
      {
        // Real PostgreSQL (embedded PGlite) + real ClickHouse (chDB): a fresh database per file.
        extends: true,
        test: {
          name: 'integration:embedded',
          include: ['test/integration/**/*.int.test.ts', 'test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          env: { VT_TEST_POSTGRES: 'embedded' },
        },
      },
      {
        // Against the PostgreSQL server on 127.0.0.1:5432 (see SERVER_SENSITIVE above). The rest
        // uses PostgreSQL the same way in both and runs once, on embedded (the suite's time budget).
        extends: true,
        test: {
          name: 'integration:postgres',
          include: [process.env.VT_TEST_SERVER_ALL ? SERVER_SENSITIVE : SERVER_IN_NPM_TEST],
          globalSetup: ['test/support/global-setup.ts'],
          env: { VT_TEST_POSTGRES: 'server' },
        },
      },
    ],
  },
});
