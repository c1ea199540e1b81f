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
  problems.push(...dataCenterProblems(values));
  if ((v.TLS_CERT_FILE === undefined) !== (v.TLS_KEY_FILE === undefined))
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE: give both or neither');
  if (problems.length > 0) throw new ConfigError(problems);
  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    dataDir: resolve(v.DATA_DIR),
    logLevel: v.LOG_LEVEL,
    fixture: v.FIXTURE === undefined ? undefined : resolve(v.FIXTURE),
    devSeed: v.DEV_SEED,
    defaultDataCenter: v.DEFAULT_DATA_CENTER,
    dataCenters: v.DATA_CENTERS,
    dataCenterPorts: v.DATA_CENTER_PORTS,
    dataCenterUrls: v.DATA_CENTER_URLS,
    tls:
      v.TLS_CERT_FILE === undefined
        ? undefined
        : { certFile: resolve(v.TLS_CERT_FILE), keyFile: resolve(v.TLS_KEY_FILE) },
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

/** The data-center settings must agree with each other. */
function dataCenterProblems(values: Record<string, unknown>): string[] {
  const served = values.DATA_CENTERS as Config['dataCenters'];
  const defaultDc = values.DEFAULT_DATA_CENTER as Config['defaultDataCenter'];
  const ports = values.DATA_CENTER_PORTS as Config['dataCenterPorts'];
  const urls = values.DATA_CENTER_URLS as Config['dataCenterUrls'];
  const problems: string[] = [];
  if (!served.includes(defaultDc))
    problems.push(`DEFAULT_DATA_CENTER=${defaultDc} is not among DATA_CENTERS (${served.join(',')})`);
  if (ports.mode === 'explicit')
    for (const dc of Object.keys(ports.ports)) {
      if (!served.includes(dc as never)) problems.push(`DATA_CENTER_PORTS: ${dc} is not among DATA_CENTERS`);
      if (dc === defaultDc)
        problems.push(`DATA_CENTER_PORTS: ${dc} is the default data center, served on PORT`);
    }
  if (urls.mode === 'explicit')
    for (const dc of Object.keys(urls.urls))
      if (!served.includes(dc as never)) problems.push(`DATA_CENTER_URLS: ${dc} is not among DATA_CENTERS`);
  return problems;
}
