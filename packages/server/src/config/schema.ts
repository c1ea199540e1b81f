import { DATA_CENTER_IDS, type DataCenterId } from '@bigin-attachments/contract';
import { z } from 'zod';
import { type ClockStart, parseClockSetting } from '../domain/clock.js';
import {
  type DataCenterPorts,
  type DataCenterUrls,
  dataCenterPortsSchema,
  dataCentersSchema,
  dataCenterUrlsSchema,
} from './data-center-settings.js';

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^[0-9]+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Every setting, by environment variable name, with its default. docs/configuration.md lists the
 * same names (a test keeps the two in step).
 */
export const SETTINGS = {
  PORT: { schema: integer(0, 65535), default: '8080', doc: 'TCP port to listen on (0 picks a free one).' },
  HOST: {
    schema: z.string().min(1),
    default: '127.0.0.1',
    doc: 'Address to bind; use 0.0.0.0 to accept connections from other machines.',
  },
  DATA_DIR: {
    schema: z.string().min(1),
    default: './data',
    doc: 'Folder for the SQLite database (`bigin.sqlite`) and attachment bytes (`blobs/`).',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    doc: 'Minimum level of the JSON log lines written to standard output.',
  },
  FIXTURE: {
    schema: z.string().min(1),
    default: undefined,
    doc: 'Fixture file to load at start (see docs/fixtures.md); loading is idempotent.',
  },
  DEV_SEED: {
    schema: boolean,
    default: 'true',
    doc: 'On first start with an empty data folder and no fixture, create a development organisation and print a ready-to-paste curl command.',
  },
  DEFAULT_DATA_CENTER: {
    schema: z.enum(DATA_CENTER_IDS as [DataCenterId, ...DataCenterId[]]),
    default: 'us',
    doc: 'Data center served on `PORT` (for requests whose Host is not one of the real Zoho host names, for example `localhost`). A request with `Host: www.zohoapis.eu` or `accounts.zoho.eu` reaches EU on any port.',
  },
  DATA_CENTERS: {
    schema: dataCentersSchema,
    default: 'all',
    doc: 'Data centers this server serves: `all`, or a comma-separated list of `us`, `eu`, `au`, `in`, `cn`, `jp`, `sa`, `ca` (must include `DEFAULT_DATA_CENTER`).',
  },
  DATA_CENTER_PORTS: {
    schema: dataCenterPortsSchema,
    default: 'consecutive',
    doc: "Extra ports, one per served data center other than the default, each serving that data center's API and accounts endpoints (docs/oauth.md). `consecutive`: `PORT`+1, `PORT`+2, … in the order us, eu, au, in, cn, jp, sa, ca (all free ports when `PORT` is 0); `none`: only `PORT`; or explicit pairs such as `eu=9001,in=9002`.",
  },
  DATA_CENTER_URLS: {
    schema: dataCenterUrlsSchema,
    default: 'local',
    doc: "Base URLs clients are told (`api_domain`, `accounts-server`, `location` redirects). `local`: each data center's own listening URL; `zoho`: the real Zoho host names (for hosts-file setups with TLS); or pairs such as `eu=https://bigin-eu.example.com` (others stay local).",
  },
  TLS_CERT_FILE: {
    schema: z.string().min(1),
    default: undefined,
    doc: 'PEM certificate (chain) file; with `TLS_KEY_FILE`, every port serves HTTPS instead of HTTP.',
  },
  TLS_KEY_FILE: {
    schema: z.string().min(1),
    default: undefined,
    doc: 'PEM private key file of `TLS_CERT_FILE`.',
  },
  SQLITE_SYNCHRONOUS: {
    schema: z.enum(['FULL', 'NORMAL', 'EXTRA']),
    default: 'FULL',
    doc: 'SQLite durability. FULL fsyncs every commit, so an acknowledged write survives power loss; NORMAL survives a process crash only.',
  },
  RECYCLE_BIN_RETENTION_DAYS: {
    schema: integer(0, 36500),
    default: '60',
    doc: 'How long deleted attachments stay restorable before the purge removes their metadata and bytes.',
  },
  PURGE_INTERVAL_SECONDS: {
    schema: integer(1, 86400),
    default: '600',
    doc: 'How often the purge worker runs.',
  },
  PURGE_BATCH_SIZE: { schema: integer(1, 100000), default: '500', doc: 'Attachments purged per batch.' },
  SHUTDOWN_TIMEOUT_SECONDS: {
    schema: integer(1, 3600),
    default: '10',
    doc: 'On SIGTERM/SIGINT, how long in-flight requests may take before the process exits anyway.',
  },
  HTTP_MAX_HEADER_SIZE: {
    schema: integer(8192, 1048576),
    default: '131072',
    doc: 'Largest request line plus headers, in bytes; larger requests get 404 INVALID_URL_PATTERN.',
  },
  HTTP_HEADERS_TIMEOUT_SECONDS: {
    schema: integer(1, 3600),
    default: '10',
    doc: 'How long a client may take to send the request line and headers; then the connection is closed (408).',
  },
  HTTP_BODY_IDLE_TIMEOUT_SECONDS: {
    schema: integer(1, 3600),
    default: '15',
    doc: 'How long a connection may go without a byte either way (a stalled body, a client that stopped reading); then it is closed.',
  },
  HTTP_REQUEST_TIMEOUT_SECONDS: {
    schema: integer(1, 86400),
    default: '50',
    doc: 'How long a client may take to send a whole request, body included (a body trickled a byte a second stays active but is closed here); raise it for large uploads over slow links.',
  },
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: {
    schema: integer(1, 3600),
    default: '5',
    doc: 'How long an idle keep-alive connection stays open between requests.',
  },
  HTTP_DRAIN_TIMEOUT_SECONDS: {
    schema: integer(1, 3600),
    default: '2',
    doc: 'How long the rest of a refused body (an upload refused on its headers) is read and dropped before the answer; past it the answer is sent and the connection closed.',
  },
  UPLOAD_TMP_MAX_AGE_SECONDS: {
    schema: integer(1, 604800),
    default: '300',
    doc: 'A staged upload file in `DATA_DIR/blobs/.tmp` that no upload of this process owns and nothing has written to for this long (at least twice `HTTP_BODY_IDLE_TIMEOUT_SECONDS`) was left by a crash; it is removed at start and on every purge run.',
  },
  DATABASE_URL: {
    schema: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
    default: undefined,
    doc: 'PostgreSQL for metadata instead of the SQLite file, shared by any number of server processes (see docs/deployment.md). `?options=-c%20search_path%3Dname` puts the tables in schema `name`; `sslmode=require` asks for TLS.',
  },
  DATABASE_POOL_SIZE: {
    schema: integer(1, 1000),
    default: '10',
    doc: "Most PostgreSQL connections one server process opens; nodes × this must stay below the server's `max_connections`.",
  },
  S3_BUCKET: {
    schema: z.string().min(1),
    default: undefined,
    doc: 'S3 bucket for attachment bytes instead of `DATA_DIR/blobs`, shared by any number of server processes.',
  },
  S3_PREFIX: {
    schema: z.string().regex(/^([A-Za-z0-9._-]+\/)*$/, 'must be empty or end with / (for example bigin/)'),
    default: undefined,
    doc: 'Prefix of every object key, ending with `/`, so that the bucket can hold other things too.',
  },
  S3_REGION: { schema: z.string().min(1), default: 'us-east-1', doc: 'Region of the bucket.' },
  S3_ENDPOINT: {
    schema: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }),
    default: undefined,
    doc: 'Endpoint of an S3-compatible server (MinIO, Ceph, Garage, R2, …); leave unset for AWS S3.',
  },
  S3_FORCE_PATH_STYLE: {
    schema: boolean,
    default: 'false',
    doc: 'Address objects as `endpoint/bucket/key` rather than `bucket.endpoint/key`; most S3-compatible servers need `true`.',
  },
  S3_ACCESS_KEY_ID: {
    schema: z.string().min(1),
    default: undefined,
    doc: "Access key; with S3_SECRET_ACCESS_KEY. Unset, the AWS SDK's default chain is used (AWS_* variables, profile, instance role).",
  },
  S3_SECRET_ACCESS_KEY: {
    schema: z.string().min(1),
    default: undefined,
    doc: 'Secret of S3_ACCESS_KEY_ID. Never logged.',
  },
  S3_PART_SIZE_MB: {
    schema: integer(5, 5120),
    default: '8',
    doc: 'Uploads larger than this go to S3 in parts of this size (multipart); each upload holds up to two parts in memory.',
  },
  UPLOAD_MAX_BYTES: {
    schema: integer(0, Number.MAX_SAFE_INTEGER),
    default: '20971520',
    doc: "Largest file an upload may carry, in bytes (default 20 MB, Bigin's documented file limit); one byte more gets 413 FILE_SIZE_MORE_THAN_ALLOWED_SIZE.",
  },
  BLOB_CACHE_MB: {
    schema: integer(0, 65536),
    default: '32',
    doc: 'Memory for a least-recently-used cache of attachments up to 64 KB, so that small downloads skip the file system (or S3); 0 turns it off.',
  },
  ADMIN_KEY: {
    schema: z.string().min(16, 'must be at least 16 characters'),
    default: undefined,
    doc: 'Turns on the admin API under `/_admin` (docs/admin-api.md): callers send `Authorization: Bearer <key>`. Unset (the default), the admin API does not exist. Never logged.',
  },
  ADMIN_ALLOW_REMOTE: {
    schema: boolean,
    default: 'false',
    doc: 'Serve the admin API to callers that are not on a loopback address (by default it answers them 403 ADMIN_REMOTE_REFUSED).',
  },
  CLOCK: {
    schema: z.string().transform((v, ctx) => {
      const start = parseClockSetting(v);
      if (!start) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be real, frozen, an ISO 8601 instant or from:<instant>',
        });
        return z.NEVER;
      }
      return start;
    }),
    default: 'real',
    doc: "The server's clock (docs/testing.md): `real`; `frozen` (at the start instant); an ISO 8601 instant such as `2026-01-01T00:00:00Z` (frozen there); `from:<instant>` (running from there). The admin API reads and moves it.",
  },
  JOURNAL: {
    schema: boolean,
    default: 'true',
    doc: 'Record every API and accounts request in the request journal (docs/journal.md), read over the admin API. In memory, per process.',
  },
  JOURNAL_MAX_ENTRIES: {
    schema: integer(1, 1000000),
    default: '10000',
    doc: 'Most requests the journal keeps; the oldest go first.',
  },
  JOURNAL_MAX_AGE_SECONDS: {
    schema: integer(1, 31536000),
    default: '3600',
    doc: 'Journal entries older than this (by the server clock) are dropped.',
  },
  JOURNAL_BODY_BYTES: {
    schema: integer(0, 1048576),
    default: '4096',
    doc: 'How much of each request and response body the journal keeps (tokens and secrets redacted); 0 keeps none.',
  },
  FAULT_HEADER: {
    schema: boolean,
    default: 'false',
    doc: 'Honour `X-Bigin-Fault: CODE` on a request to force that answer for that request alone (docs/faults.md). Never turn on in front of real clients.',
  },
  API_LIMITS: {
    schema: z.enum(['off', 'on']),
    default: 'off',
    doc: "Count Bigin's API credits and concurrency for every organisation (docs/credits.md): `on` refuses over the limit with 429 TOO_MANY_REQUESTS; `off` (the default) counts only organisations turned on over the admin API.",
  },
  // Notifications (issue 18, docs/notifications.md).
  WATCH_DEFAULT_EXPIRY_MINUTES: {
    schema: integer(1, 1440),
    default: '120',
    doc: 'Lifetime of a notification channel subscribed without `channel_expiry` (Bigin allows at most one day; the recorded v2 default is two hours).',
  },
  NOTIFY_PRIVATE_URLS: {
    schema: z.enum(['auto', 'allow', 'deny']),
    default: 'auto',
    doc: '`notify_url` on loopback or private addresses: `auto` allows them only while `HOST` is a loopback address, `allow` always, `deny` never. Refused URLs get INVALID_DATA on `notify_url`.',
  },
  NOTIFY_CONCURRENCY: {
    schema: integer(1, 1000),
    default: '8',
    doc: 'Callbacks one server process sends at once.',
  },
  NOTIFY_TIMEOUT_SECONDS: {
    schema: integer(1, 300),
    default: '10',
    doc: 'How long a callback may take (connect to last byte of the answer) before the attempt counts as failed.',
  },
  NOTIFY_MAX_ATTEMPTS: {
    schema: integer(1, 1000),
    default: '12',
    doc: 'Attempts per callback before it is given up (status `failed`).',
  },
  NOTIFY_RETRY_BASE_SECONDS: {
    schema: integer(1, 86400),
    default: '1',
    doc: 'Wait after the first failed attempt; it doubles after each further failure, up to `NOTIFY_RETRY_MAX_SECONDS`.',
  },
  NOTIFY_RETRY_MAX_SECONDS: {
    schema: integer(1, 86400),
    default: '60',
    doc: 'Longest wait between two attempts.',
  },
  NOTIFY_POLL_MS: {
    schema: integer(10, 60000),
    default: '200',
    doc: 'How often the delivery worker looks for due callbacks, in milliseconds.',
  },
  LOG_FORMAT: {
    schema: z.enum(['auto', 'json', 'pretty']),
    default: 'auto',
    doc: '`auto`: readable, coloured log lines and a startup banner on a terminal, JSON lines otherwise; `json` or `pretty` to choose.',
  },
  METRICS_ACCESS: {
    schema: z.enum(['loopback', 'any', 'off']),
    default: 'loopback',
    doc: 'Who may read the Prometheus metrics at `/metrics`: `loopback` (connections from this machine only), `any`, or `off` (not served).',
  },
} as const;

export type SettingName = keyof typeof SETTINGS;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  logLevel: z.infer<(typeof SETTINGS)['LOG_LEVEL']['schema']>;
  fixture: string | undefined;
  devSeed: boolean;
  defaultDataCenter: DataCenterId;
  /** Served data centers, in table order. */
  dataCenters: DataCenterId[];
  dataCenterPorts: DataCenterPorts;
  dataCenterUrls: DataCenterUrls;
  tls: { certFile: string; keyFile: string } | undefined;
  sqliteSynchronous: 'FULL' | 'NORMAL' | 'EXTRA';
  recycleBinRetentionMs: number;
  purgeIntervalMs: number;
  purgeBatchSize: number;
  shutdownTimeoutMs: number;
  httpMaxHeaderSize: number;
  /** Per-phase connection limits (docs/configuration.md, HTTP_*_TIMEOUT_SECONDS). */
  httpTimeouts: HttpTimeouts;
  uploadTmpMaxAgeMs: number;
  /** PostgreSQL metadata when set; the SQLite file otherwise. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** S3 bytes when set; the folder store otherwise. */
  s3: S3Config | undefined;
  uploadMaxBytes: number;
  blobCacheBytes: number;
  /** The admin API's key and reach; undefined when the admin API is off (the default). */
  admin: { key: string; allowRemote: boolean } | undefined;
  /** How the server's clock starts (CLOCK). */
  clock: ClockStart;
  /** The request journal (docs/journal.md). */
  journal: { enabled: boolean; maxEntries: number; maxAgeMs: number; bodyBytes: number };
  /** Whether `X-Bigin-Fault` is honoured (docs/faults.md). */
  faultHeader: boolean;
  /** Whether every organisation's API credits and concurrency are enforced (docs/credits.md). */
  apiLimits: 'off' | 'on';
  /** Notification channels and their delivery (issue 18). */
  notifications: NotificationSettings;
  logFormat: 'auto' | 'json' | 'pretty';
  metricsAccess: 'loopback' | 'any' | 'off';
}

export interface NotificationSettings {
  defaultExpiryMs: number;
  privateUrls: 'auto' | 'allow' | 'deny';
  concurrency: number;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pollMs: number;
}

export interface HttpTimeouts {
  headersMs: number;
  bodyIdleMs: number;
  requestMs: number;
  keepAliveMs: number;
  drainMs: number;
}

export interface S3Config {
  bucket: string;
  prefix: string;
  region: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  partSize: number;
}
