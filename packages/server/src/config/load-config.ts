import { resolve } from 'node:path';
import { type Config, SETTINGS, type SettingName } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const DAY_MS = 86_400_000;

/**
 * Reads every setting once from `env`, with `overrides` (command-line flags, keyed by the same
 * names) taking precedence. Throws a ConfigError listing every invalid value at once.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  overrides: Partial<Record<SettingName, string>> = {},
): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as Array<
    [SettingName, (typeof SETTINGS)[SettingName]]
  >) {
    const raw = overrides[name] ?? env[name] ?? setting.default;
    if (raw === undefined || raw === '') {
      values[name] = undefined;
      continue;
    }
    const result = setting.schema.safeParse(raw);
    if (result.success) values[name] = result.data;
    else
      problems.push(
        `${name}=${JSON.stringify(raw)}: ${result.error.issues.map((i) => i.message).join('; ')}`,
      );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const v = values as { [K in SettingName]: never };
  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    dataDir: resolve(v.DATA_DIR),
    logLevel: v.LOG_LEVEL,
    fixture: v.FIXTURE === undefined ? undefined : resolve(v.FIXTURE),
    devSeed: v.DEV_SEED,
    defaultDataCenter: v.DEFAULT_DATA_CENTER,
    sqliteSynchronous: v.SQLITE_SYNCHRONOUS,
    recycleBinRetentionMs: (v.RECYCLE_BIN_RETENTION_DAYS as number) * DAY_MS,
    purgeIntervalMs: (v.PURGE_INTERVAL_SECONDS as number) * 1000,
    purgeBatchSize: v.PURGE_BATCH_SIZE,
    shutdownTimeoutMs: (v.SHUTDOWN_TIMEOUT_SECONDS as number) * 1000,
    httpMaxHeaderSize: v.HTTP_MAX_HEADER_SIZE,
    uploadMaxBytes: v.UPLOAD_MAX_BYTES,
  };
  return Object.freeze(config);
}
