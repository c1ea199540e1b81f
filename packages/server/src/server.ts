import { readFile } from 'node:fs/promises';
import type { DataCenterId } from '@bigin-attachments/contract';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.js';
import { type Clock, systemClock } from './domain/clock.js';
import { seedDevelopmentOrganization } from './fixtures/dev-seed.js';
import { loadFixtureFile } from './fixtures/load-fixture.js';
import { buildApp } from './http/app.js';
import { DataCenterDirectory } from './http/data-center.js';
import { SignInThrottle } from './http/routes/sign-in-throttle.js';
import { closeStores, createStores, type Stores } from './storage/create-stores.js';
import { startPurgeWorker } from './workers/purge-worker.js';
import { startTmpSweeper, tmpSafeAgeMs } from './workers/tmp-sweeper.js';

export const ABANDONED_UPLOAD_MS = 24 * 3_600_000;

export interface RunningServer {
  /** The app on `PORT`, serving the default data center. */
  app: FastifyInstance;
  stores: Stores;
  /** Base URL of `PORT`. */
  url: string;
  /** Base URL of each data center that has a port of its own (the default one's is `url`). */
  dataCenterUrls: Partial<Record<DataCenterId, string>>;
  dataCenters: DataCenterDirectory;
  purgeNow(): Promise<void>;
  /** Stops accepting connections, lets in-flight requests finish, stops the purge, closes stores. */
  close(): Promise<void>;
}

/**
 * The composition root shared by `main` and the tests: stores, fixture or first-run seed, the
 * HTTP app and the purge worker, listening on `config.port`.
 */
export async function startServer(
  config: Config,
  options: { clock?: Clock; announce?: (text: string) => void; logStream?: NodeJS.WritableStream } = {},
): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const tls = config.tls
    ? { cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) }
    : undefined;
  const stores = await createStores(config);
  const directory = new DataCenterDirectory(config.dataCenters, config.dataCenterUrls);
  const signInThrottle = new SignInThrottle(clock);
  const scheme = tls ? 'https' : 'http';
  const baseUrl = (port: number) => {
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
  const boundPort = (a: FastifyInstance, fallback: number) => {
    const address = a.server.address();
    return typeof address === 'object' && address ? address.port : fallback;
  };
  let devSeed: Awaited<ReturnType<typeof seedDevelopmentOrganization>> | null = null;
  let app: FastifyInstance | undefined;
  const extraApps: Array<{ app: FastifyInstance; dataCenter: DataCenterId; port: number }> = [];
  try {
    const logStream = options.logStream ? { logStream: options.logStream } : {};
    app = buildApp(config, {
      stores,
      clock,
      ...logStream,
      dataCenters: directory,
      signInThrottle,
      ...(tls ? { tls } : {}),
    });
    for (const { dataCenter, port } of dataCenterPorts(config))
      extraApps.push({
        app: buildApp(
          { ...config, defaultDataCenter: dataCenter },
          { stores, clock, ...logStream, dataCenters: directory, signInThrottle, ...(tls ? { tls } : {}) },
        ),
        dataCenter,
        port,
      });
    if (config.fixture) {
      const counts = await loadFixtureFile(stores, clock, config.fixture);
      app.log.info({ fixture: config.fixture, inserted: counts }, 'fixture loaded');
    } else if (config.devSeed && (await stores.metadata.seed.organizationCount()) === 0) {
      devSeed = await seedDevelopmentOrganization(stores, clock, config.defaultDataCenter);
    }
    await app.listen({ port: config.port, host: config.host });
    directory.setLocalUrl(config.defaultDataCenter, baseUrl(boundPort(app, config.port)));
    for (const extra of extraApps) {
      await extra.app.listen({ port: extra.port, host: config.host });
      directory.setLocalUrl(extra.dataCenter, baseUrl(boundPort(extra.app, extra.port)));
    }
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
  for (const extra of extraApps)
    app.log.info({ dataCenter: extra.dataCenter, url: dataCenterUrls[extra.dataCenter] }, 'data center port');
  if (devSeed && options.announce) {
    options.announce(
      [
        '',
        'Created a development organisation (first start with an empty data folder).',
        'Delete its sample attachment, exactly as you would on Bigin:',
        '',
        `  curl -X DELETE "${url}/bigin/v2/${devSeed.module}/${devSeed.recordId}/Attachments/${devSeed.attachmentId}" \\`,
        `    -H "Authorization: Zoho-oauthtoken ${devSeed.token}"`,
        '',
        'The token is shown only now (the server keeps only its hash); it lasts 30 days.',
        '',
      ].join('\n'),
    );
  }
  const worker = startPurgeWorker(
    {
      attachments: stores.metadata.attachments,
      recordData: stores.metadata.recordData,
      blobs: stores.blobs,
      blobJournal: stores.metadata.blobJournal,
      clock,
      retentionMs: config.recycleBinRetentionMs,
      batchSize: config.purgeBatchSize,
      abandonedUploadMs: ABANDONED_UPLOAD_MS,
    },
    { intervalMs: config.purgeIntervalMs, log: app.log },
  );
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
    purgeNow: worker.runOnce,
    async close() {
      await Promise.all([running.close(), ...extraApps.map((e) => e.app.close())]);
      await worker.stop();
      await sweeper.stop();
      await closeStores(stores);
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
