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
        // Against the PostgreSQL server on 127.0.0.1:5432: the files whose outcome depends on what
        // differs from embedded PGlite (one session there, many connections here): races on keys
        // and quota holds, several processes or replicas sharing one database (replicas, billing's
        // and viewer-tokens' two-replica cases), the shared rate-limit store, migrations, the
        // server's clock, and tenant/organization isolation. The rest
        // uses PostgreSQL the same way in both and runs once, on embedded (the suite's time budget).
        extends: true,
        test: {
          name: 'integration:postgres',
          include: [
            'test/integration/{billing,clock-checked,clock-skew,idempotency,isolation,rate-limits,replicas,retention-migration,schema-drift,tenant-settings-migration,viewer-tokens}.int.test.ts',
          ],
          globalSetup: ['test/support/global-setup.ts'],
          env: { VT_TEST_POSTGRES: 'server' },
        },
      },
    ],
  },
});
