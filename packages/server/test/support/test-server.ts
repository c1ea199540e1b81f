import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config, SettingName } from '../../src/config/schema.js';
import { ManualClock } from '../../src/domain/clock.js';
import { type RunningServer, startServer } from '../../src/server.js';

/** The instant every test server's clock starts at; fixtures' expiries are relative to it. */
export const TEST_EPOCH = Date.parse('2026-01-15T10:00:00Z');

export interface TestServer {
  url: string;
  clock: ManualClock;
  dataDir: string;
  config: Config;
  server: RunningServer;
  close(): Promise<void>;
}

/**
 * Starts the real server (SQLite and folder stores in a fresh temporary folder) on a free port,
 * loading `fixture` through the same fixture file path users take.
 */
export async function startTestServer(
  options: { fixture?: unknown; settings?: Partial<Record<SettingName, string>>; dataDir?: string } = {},
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
  const config = loadConfig({}, settings);
  const clock = new ManualClock(TEST_EPOCH);
  const server = await startServer(config, { clock });
  return {
    url: server.url,
    clock,
    dataDir,
    config,
    server,
    async close() {
      await server.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
