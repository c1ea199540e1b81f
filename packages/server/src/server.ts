import { join } from 'node:path';
import type { DataCenterId } from '@bigin-attachments/contract';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from './config/schema.js';
import { type Clock, VirtualClock } from './domain/clock.js';
import {
  type DevOrganization,
  markDevOrganizationAnnounced,
  prepareDevOrganization,
} from './fixtures/dev-seed.js';
import { loadFixtureFile } from './fixtures/load-fixture.js';
import { registerAdminApi } from './http/admin/admin-api.js';
import { buildApp } from './http/app.js';
import { DataCenterDirectory } from './http/data-center.js';
import { createInstruments } from './http/instruments.js';
import { ServerMetrics } from './http/ops/metrics.js';
import { createOpsState, type OpsState } from './http/ops/ops-routes.js';
import { SignInThrottle } from './http/routes/sign-in-throttle.js';
import { createNotifyUrlGuard } from './notifications/notify-url-guard.js';
import {
  checkBlobStore,
  checkDataFolder,
  databaseFailure,
  describeDatabaseUrl,
  listenFailure,
  readTlsFile,
  StartupError,
} from './startup/startup-checks.js';
import { closeStores, createStores, type Stores } from './storage/create-stores.js';
import { SERVER_VERSION } from './version.js';
import { DueWork } from './workers/due-work.js';
import { startNotificationWorker } from './workers/notification-worker.js';
import { startPurgeWorker } from './workers/purge-worker.js';
import { startTmpSweeper, tmpSafeAgeMs } from './workers/tmp-sweeper.js';

export const ABANDONED_UPLOAD_MS = 24 * 3_600_000;

/** What a start found and opened, for the banner. */
export interface StartupReport {
  version: string;
  /** `SQLite <path>` or `PostgreSQL host:port/db`. */
  metadata: string;
  /** `folder <path>` or `S3 bucket <name>…`. */
  blobs: string;
  /** Every served data center with the URL it answers on here. */
  dataCenters: Array<{ dataCenter: DataCenterId; url: string | undefined }>;
  url: string;
  /** The development organisation, with a token when this start minted one. */
  dev: { org: DevOrganization; token: string | null; created: boolean } | null;
}

export interface RunningServer {
  /** The app on `PORT`, serving the default data center. */
  app: FastifyInstance;
  stores: Stores;
  /** Base URL of `PORT`. */
  url: string;
  /** Base URL of each data center that has a port of its own (the default one's is `url`). */
  dataCenterUrls: Partial<Record<DataCenterId, string>>;
  dataCenters: DataCenterDirectory;
  ops: OpsState;
  report: StartupReport;
  purgeNow(): Promise<void>;
  /** The clock every rule reads; a VirtualClock (CLOCK) unless the caller passed its own. */
  clock: Clock;
  /** Passes run after each move of the virtual clock (purge, and whatever else registers). */
  dueWork: DueWork;
  /** Runs one notification delivery pass now (what the worker does every NOTIFY_POLL_MS). */
  notifyNow(): Promise<void>;
  /** Readiness turns false, then: stops accepting connections, lets in-flight requests finish, stops the purge, closes stores. */
  close(): Promise<void>;
}

/** Opens the stores, turning a missing folder, database or bucket into one StartupError line. */
async function openStores(config: Config): Promise<Stores> {
  await checkDataFolder(config);
  let stores: Stores;
  try {
    stores = await createStores(config);
  } catch (error) {
    if (config.databaseUrl) throw databaseFailure(config.databaseUrl, error);
    throw new StartupError(
      `cannot open the SQLite database in ${config.dataDir} (DATA_DIR): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  try {
    await checkBlobStore(config, stores.blobs);
  } catch (error) {
    await closeStores(stores);
    throw error;
  }
  return stores;
}

export function describeStores(config: Config): { metadata: string; blobs: string } {
  return {
    metadata: config.databaseUrl
      ? `PostgreSQL ${describeDatabaseUrl(config.databaseUrl)}`
      : `SQLite ${join(config.dataDir, 'bigin.sqlite')}`,
    blobs: config.s3
      ? `S3 bucket ${config.s3.bucket}${config.s3.prefix ? ` prefix ${config.s3.prefix}` : ''}${config.s3.endpoint ? ` at ${config.s3.endpoint}` : ''}`
      : `folder ${join(config.dataDir, 'blobs')}`,
  };
}

/**
 * The composition root shared by `main` and the tests: stores, fixture, the HTTP apps listening
 * on their ports, then (only once every port is bound) the development organisation, and the
 * purge worker. Every failure to start is a StartupError naming what to change.
 */
export async function startServer(
  config: Config,
  options: {
    clock?: Clock;
    /** Called once every port listens, before the purge starts; `log` is the app's logger. */
    announce?: (report: StartupReport, log: FastifyBaseLogger) => void;
    logStream?: NodeJS.WritableStream;
    metrics?: ServerMetrics;
  } = {},
): Promise<RunningServer> {
  const clock = options.clock ?? new VirtualClock(config.clock);
  const dueWork = new DueWork();
  const tls = config.tls
    ? {
        cert: await readTlsFile(config.tls.certFile, 'TLS_CERT_FILE'),
        key: await readTlsFile(config.tls.keyFile, 'TLS_KEY_FILE'),
      }
    : undefined;
  const stores = await openStores(config);
  const directory = new DataCenterDirectory(config.dataCenters, config.dataCenterUrls);
  const signInThrottle = new SignInThrottle(clock);
  const instruments = createInstruments(config, clock, stores);
  const ops = createOpsState(config, options.metrics ?? new ServerMetrics());
  const scheme = tls ? 'https' : 'http';
  const baseUrl = (port: number) => {
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
  const boundPort = (a: FastifyInstance, fallback: number) => {
    const address = a.server.address();
    return typeof address === 'object' && address ? address.port : fallback;
  };
  // Bound once the purge worker starts; admin calls cannot arrive before the server listens.
  let purgeNow: () => Promise<void> = async () => {};
  let app: FastifyInstance | undefined;
  let dev: StartupReport['dev'] = null;
  const extraApps: Array<{ app: FastifyInstance; dataCenter: DataCenterId; port: number }> = [];
  const listen = async (a: FastifyInstance, port: number, dataCenter: DataCenterId, isDefault: boolean) => {
    try {
      await a.listen({ port, host: config.host });
    } catch (error) {
      throw listenFailure(config, { port, dataCenter, isDefault }, error);
    }
  };
  try {
    const shared = {
      stores,
      clock,
      ...(options.logStream ? { logStream: options.logStream } : {}),
      dataCenters: directory,
      signInThrottle,
      instruments,
      ops,
      ...(tls ? { tls } : {}),
    };
    app = buildApp(config, shared);
    // The admin API is served on PORT only, beside the default data center.
    const adminApi = registerAdminApi(app, {
      stores,
      clock,
      config,
      purgeNow: () => purgeNow(),
      clockControl: clock instanceof VirtualClock ? clock : null,
      dueWork,
      dataCenters: directory,
      instruments,
    });
    for (const { dataCenter, port } of dataCenterPorts(config))
      extraApps.push({
        app: buildApp({ ...config, defaultDataCenter: dataCenter }, shared),
        dataCenter,
        port,
      });
    if (config.fixture) {
      const counts = await loadFixtureFile(stores, clock, config.fixture);
      app.log.info({ fixture: config.fixture, inserted: counts }, 'fixture loaded');
      await adminApi?.fixtureLoaded(stores, config.fixture);
    }
    await listen(app, config.port, config.defaultDataCenter, true);
    directory.setLocalUrl(config.defaultDataCenter, baseUrl(boundPort(app, config.port)));
    for (const extra of extraApps) {
      await listen(extra.app, extra.port, extra.dataCenter, false);
      directory.setLocalUrl(extra.dataCenter, baseUrl(boundPort(extra.app, extra.port)));
    }
    // Only now: a start that could not bind its ports must leave no organisation whose token
    // nobody saw.
    dev = await prepareDevOrganization(stores, clock, config);
  } catch (error) {
    await app?.close();
    for (const extra of extraApps) await extra.app.close();
    await closeStores(stores);
    throw error;
  }
  const url = directory.localUrl(config.defaultDataCenter)!;
  const dataCenterUrls: Partial<Record<DataCenterId, string>> = {};
  for (const dc of config.dataCenters) {
    const local = directory.localUrl(dc);
    if (local) dataCenterUrls[dc] = local;
  }
  if (dev) ops.devOrganization = dev.org;
  const report: StartupReport = {
    version: SERVER_VERSION,
    ...describeStores(config),
    dataCenters: config.dataCenters.map((dc) => ({ dataCenter: dc, url: dataCenterUrls[dc] })),
    url,
    dev,
  };
  options.announce?.(report, app.log);
  if (dev?.token) {
    try {
      await markDevOrganizationAnnounced(config.dataDir, dev.org);
    } catch (err) {
      app.log.warn(
        { err },
        'could not record that the development token was shown; the next start shows a new one',
      );
    }
  }
  const worker = startPurgeWorker(
    {
      attachments: stores.metadata.attachments,
      recordData: stores.metadata.recordData,
      photos: stores.metadata.recordPhotos,
      blobs: stores.blobs,
      blobJournal: stores.metadata.blobJournal,
      clock,
      retentionMs: config.recycleBinRetentionMs,
      batchSize: config.purgeBatchSize,
      abandonedUploadMs: ABANDONED_UPLOAD_MS,
    },
    {
      intervalMs: config.purgeIntervalMs,
      log: app.log,
      onReport: (r) => ops.metrics.purgeReport(r, config.purgeBatchSize),
    },
  );
  purgeNow = worker.runOnce;
  dueWork.register('purge', worker.runFresh);
  const notifier = startNotificationWorker(
    {
      notifications: stores.metadata.notifications,
      settings: config.notifications,
      clock,
      guard: createNotifyUrlGuard(config.notifications, config.host),
    },
    { intervalMs: config.notifications.pollMs, log: app.log },
  );
  // A move of the virtual clock delivers what fell due (retries whose backoff ended, expiries).
  dueWork.register('notifications', notifier.runOnce);
  const sweeper = startTmpSweeper(stores.blobs, {
    intervalMs: config.purgeIntervalMs,
    safeAgeMs: tmpSafeAgeMs(config.uploadTmpMaxAgeMs, config.httpTimeouts.bodyIdleMs),
    log: app.log,
  });
  const running = app;
  return {
    app: running,
    stores,
    url,
    dataCenterUrls,
    dataCenters: directory,
    ops,
    report,
    purgeNow: worker.runOnce,
    clock,
    dueWork,
    notifyNow: notifier.runOnce,
    async close() {
      ops.draining = true;
      await Promise.all([running.close(), ...extraApps.map((e) => e.app.close())]);
      await worker.stop();
      await notifier.stop();
      await sweeper.stop();
      await closeStores(stores);
      if (!options.metrics) ops.metrics.close();
    },
  };
}

/** The extra ports: one per served data center other than the default (DATA_CENTER_PORTS). */
export function dataCenterPorts(
  config: Pick<Config, 'port' | 'dataCenters' | 'defaultDataCenter' | 'dataCenterPorts'>,
): Array<{ dataCenter: DataCenterId; port: number }> {
  const others = config.dataCenters.filter((dc) => dc !== config.defaultDataCenter);
  const setting = config.dataCenterPorts;
  if (setting.mode === 'none') return [];
  if (setting.mode === 'consecutive')
    return others.map((dataCenter, i) => ({ dataCenter, port: config.port === 0 ? 0 : config.port + i + 1 }));
  return others.flatMap((dataCenter) => {
    const port = setting.ports[dataCenter];
    return port === undefined ? [] : [{ dataCenter, port }];
  });
}
