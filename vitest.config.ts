import { defineConfig } from 'vitest/config';

const shared = {
  // Integration tests start real servers on real ports; two cores, so keep the pool small.
  pool: 'forks' as const,
  maxWorkers: 2,
  testTimeout: 30_000,
  hookTimeout: 30_000,
  // Starts the S3-compatible server that the S3 tests and the scale-out project use.
  globalSetup: ['packages/server/test/support/global-setup.ts'],
  // The AWS SDK warns once per process that it will need Node 22 from 2027; noise in test output.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
};

export default defineConfig({
  test: {
    projects: [
      {
        // Everything, with the embedded stores (SQLite + folder) behind the HTTP tests; the
        // store contract suites run here against every implementation.
        test: {
          ...shared,
          name: 'embedded',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
        },
      },
      {
        // The HTTP suite again, each test server on a fresh PostgreSQL schema and S3 prefix.
        test: {
          ...shared,
          name: 'scale-out',
          include: ['packages/server/test/integration/**/*.test.ts'],
          exclude: ['packages/server/test/integration/stores.*.test.ts'],
          env: { ...shared.env, BIGIN_TEST_BACKEND: 'postgres-s3' },
        },
      },
      // The test helper's Vitest example (examples/testing/vitest), as a user's suite runs it:
      // its own global setup starts one server that its files share.
      'examples/testing/vitest/vitest.config.ts',
    ],
  },
});
