import { connect } from 'node:net';
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

/** Test files of the embedded project that need the PostgreSQL server at TEST_DATABASE_URL. */
const POSTGRES_TEST_FILES = [
  'packages/server/test/**/*.postgres.test.ts',
  'packages/server/test/scale-out/migrate.test.ts',
  'packages/server/test/scale-out/two-nodes.test.ts',
  'packages/server/test/scale-out/migrate-unstorable.test.ts',
  'packages/server/test/scale-out/notifications-two-nodes.test.ts',
];

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether something accepts TCP connections at the test database's host and port (1 s at most). */
function postgresReachable(): Promise<boolean> {
  const url = new URL(TEST_DATABASE_URL);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname || '127.0.0.1', port: Number(url.port || 5432) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export default defineConfig(async () => {
  // `npm test` needs only Node: without PostgreSQL its files are skipped, saying so once. CI sets
  // BIGIN_REQUIRE_POSTGRES=1, so that there they always run (and fail if PostgreSQL is down).
  const skipPostgres = process.env.BIGIN_REQUIRE_POSTGRES !== '1' && !(await postgresReachable());
  if (skipPostgres)
    console.log(
      `PostgreSQL is not reachable at ${new URL(TEST_DATABASE_URL).host} (TEST_DATABASE_URL): skipping the PostgreSQL-backed test files (${POSTGRES_TEST_FILES.map((f) => f.split('/').pop()).join(', ')}); everything else runs.`,
    );
  return {
    test: {
      projects: [
        {
          // Everything, with the embedded stores (SQLite + folder) behind the HTTP tests; the
          // store contract suites run here against every implementation.
          test: {
            ...shared,
            name: 'embedded',
            include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
            exclude: ['**/node_modules/**', ...(skipPostgres ? POSTGRES_TEST_FILES : [])],
            // Files that use PostgreSQL in one case only skip that case (BIGIN_NO_POSTGRES).
            env: { ...shared.env, ...(skipPostgres ? { BIGIN_NO_POSTGRES: '1' } : {}) },
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
  };
});
