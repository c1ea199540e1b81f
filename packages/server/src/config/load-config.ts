import { resolve } from 'node:path';
import { type Config, type S3Config, SETTINGS, type SettingName } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const DAY_MS = 86_400_000;

/** Settings that may hold a password or key: a problem with one names it without its value. */
const SECRET_SETTINGS: ReadonlySet<SettingName> = new Set([
  'DATABASE_URL',
  'S3_SECRET_ACCESS_KEY',
  'ADMIN_KEY',
]);

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
        `${name}${SECRET_SETTINGS.has(name) ? '' : `=${JSON.stringify(raw)}`}: ${result.error.issues.map((i) => i.message).join('; ')}`,
      );
  }
  const v = values as { [K in SettingName]: never };
  problems.push(...s3Problems(v));
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
    uploadTmpMaxAgeMs: (v.UPLOAD_TMP_MAX_AGE_SECONDS as number) * 1000,
    httpTimeouts: {
      headersMs: (v.HTTP_HEADERS_TIMEOUT_SECONDS as number) * 1000,
      bodyIdleMs: (v.HTTP_BODY_IDLE_TIMEOUT_SECONDS as number) * 1000,
      requestMs: (v.HTTP_REQUEST_TIMEOUT_SECONDS as number) * 1000,
      keepAliveMs: (v.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS as number) * 1000,
      drainMs: (v.HTTP_DRAIN_TIMEOUT_SECONDS as number) * 1000,
    },
    databaseUrl: v.DATABASE_URL,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    s3: s3Config(v),
    uploadMaxBytes: v.UPLOAD_MAX_BYTES,
    blobCacheBytes: (v.BLOB_CACHE_MB as number) * 1024 * 1024,
    admin: v.ADMIN_KEY === undefined ? undefined : { key: v.ADMIN_KEY, allowRemote: v.ADMIN_ALLOW_REMOTE },
    clock: v.CLOCK,
    journal: {
      enabled: v.JOURNAL,
      maxEntries: v.JOURNAL_MAX_ENTRIES,
      maxAgeMs: (v.JOURNAL_MAX_AGE_SECONDS as number) * 1000,
      bodyBytes: v.JOURNAL_BODY_BYTES,
    },
    faultHeader: v.FAULT_HEADER,
    apiLimits: v.API_LIMITS,
    notifications: {
      defaultExpiryMs: (v.WATCH_DEFAULT_EXPIRY_MINUTES as number) * 60_000,
      privateUrls: v.NOTIFY_PRIVATE_URLS,
      concurrency: v.NOTIFY_CONCURRENCY,
      timeoutMs: (v.NOTIFY_TIMEOUT_SECONDS as number) * 1000,
      maxAttempts: v.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: (v.NOTIFY_RETRY_BASE_SECONDS as number) * 1000,
      retryMaxMs: (v.NOTIFY_RETRY_MAX_SECONDS as number) * 1000,
      pollMs: v.NOTIFY_POLL_MS,
    },
    logFormat: v.LOG_FORMAT,
    metricsAccess: v.METRICS_ACCESS,
  };
  return Object.freeze(config);
}

type Values = { [K in SettingName]: never };

const S3_DETAILS = ['S3_PREFIX', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

function s3Problems(v: Values): string[] {
  const problems: string[] = [];
  if (v.S3_BUCKET === undefined)
    for (const name of S3_DETAILS)
      if (v[name] !== undefined)
        problems.push(`${name} is set but S3_BUCKET is not: set S3_BUCKET to store bytes in S3`);
  if ((v.S3_ACCESS_KEY_ID === undefined) !== (v.S3_SECRET_ACCESS_KEY === undefined))
    problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither');
  return problems;
}

function s3Config(v: Values): S3Config | undefined {
  if (v.S3_BUCKET === undefined) return undefined;
  const accessKeyId = v.S3_ACCESS_KEY_ID as string | undefined;
  const secretAccessKey = v.S3_SECRET_ACCESS_KEY as string | undefined;
  return {
    bucket: v.S3_BUCKET,
    prefix: (v.S3_PREFIX as string | undefined) ?? '',
    region: v.S3_REGION,
    endpoint: v.S3_ENDPOINT,
    forcePathStyle: v.S3_FORCE_PATH_STYLE,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    partSize: (v.S3_PART_SIZE_MB as number) * 1024 * 1024,
  };
}
/** The data-center settings must agree with each other. */
function dataCenterProblems(values: Record<string, unknown>): string[] {
  const served = values.DATA_CENTERS as Config['dataCenters'];
  const defaultDc = values.DEFAULT_DATA_CENTER as Config['defaultDataCenter'];
  const ports = values.DATA_CENTER_PORTS as Config['dataCenterPorts'];
  const urls = values.DATA_CENTER_URLS as Config['dataCenterUrls'];
  const problems: string[] = [];
  // A setting that did not parse is already reported; its relations to the others cannot be checked.
  if (served === undefined || defaultDc === undefined || ports === undefined || urls === undefined)
    return problems;
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
