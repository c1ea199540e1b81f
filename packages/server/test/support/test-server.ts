import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config, SettingName } from '../../src/config/schema.js';
import { ManualClock } from '../../src/domain/clock.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { createTestSchema } from './postgres.js';
import { testS3Settings } from './s3.js';

/** The instant every test server's clock starts at; fixtures' expiries are relative to it. */
export const TEST_EPOCH = Date.parse('2026-01-15T10:00:00Z');

export interface TestServer {
  url: string;
  clock: ManualClock;
  dataDir: string;
  config: Config;
  server: RunningServer;
  /**
   * The settings that select this server's stores beyond its data folder (DATABASE_URL, S3_…;
   * empty on the embedded backend): what an admin command run against it needs in its environment.
   */
  storageEnv: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Which stores this vitest project puts behind test servers. A test that inspects one store's
 * internals (the SQLite file, the blob folder) can skip itself elsewhere:
 * `describe.skipIf(TEST_BACKEND !== 'embedded')(…)`; better, it asks `t.server.stores` instead.
 */
export const TEST_BACKEND: 'embedded' | 'postgres-s3' =
  process.env.BIGIN_TEST_BACKEND === 'postgres-s3' ? 'postgres-s3' : 'embedded';

/**
 * With BIGIN_TEST_BACKEND=postgres-s3 (the `scale-out` vitest project), every test server gets a
 * fresh PostgreSQL schema and S3 key prefix instead of SQLite and a folder, so that the same
 * HTTP tests run against the scale-out stores. Settings a test passes still win.
 */
async function scaleOutSettings(): Promise<{
  settings: Partial<Record<SettingName, string>>;
  dispose(): Promise<void>;
} | null> {
  if (TEST_BACKEND !== 'postgres-s3') return null;
  const schema = await createTestSchema();
  return { settings: { ...schema.settings, ...testS3Settings() }, dispose: schema.drop };
}

/**
 * Starts the real server (SQLite and folder stores in a fresh temporary folder) on a free port,
 * loading `fixture` through the same fixture file path users take.
 */
export async function startTestServer(
  options: {
    fixture?: unknown;
    settings?: Partial<Record<SettingName, string>>;
    dataDir?: string;
    logStream?: NodeJS.WritableStream;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'bigin-test-')));
  const settings: Partial<Record<SettingName, string>> = {
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    DEV_SEED: 'false',
    ...options.settings,
  };
  if (options.fixture !== undefined) {
    const path = join(dataDir, 'fixture.json');
    await writeFile(path, JSON.stringify(options.fixture));
    settings.FIXTURE = path;
  }
  const scaleOut = await scaleOutSettings();
  Object.assign(settings, scaleOut?.settings, options.settings);
  const clock = new ManualClock(TEST_EPOCH);
  let config: Config;
  let server: RunningServer;
  try {
    config = loadConfig({}, settings);
    server = await startServer(config, {
      clock,
      ...(options.logStream ? { logStream: options.logStream } : {}),
    });
  } catch (error) {
    await scaleOut?.dispose();
    throw error;
  }
  const storageEnv = Object.fromEntries(
    Object.entries(settings).filter(
      (e): e is [string, string] => /^(DATABASE_|S3_)/.test(e[0]) && e[1] !== undefined,
    ),
  );
  return {
    url: server.url,
    clock,
    dataDir,
    config,
    server,
    storageEnv,
    async close() {
      await server.close();
      await scaleOut?.dispose();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
