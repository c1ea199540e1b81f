import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.js';
import { type Clock, systemClock } from './domain/clock.js';
import { seedDevelopmentOrganization } from './fixtures/dev-seed.js';
import { loadFixtureFile } from './fixtures/load-fixture.js';
import { buildApp } from './http/app.js';
import { closeStores, createStores, type Stores } from './storage/create-stores.js';
import { startPurgeWorker } from './workers/purge-worker.js';

export const ABANDONED_UPLOAD_MS = 24 * 3_600_000;

export interface RunningServer {
  app: FastifyInstance;
  stores: Stores;
  url: string;
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
  const stores = await createStores(config);
  let devSeed: Awaited<ReturnType<typeof seedDevelopmentOrganization>> | null = null;
  let app: FastifyInstance | undefined;
  try {
    app = buildApp(config, { stores, clock, ...(options.logStream ? { logStream: options.logStream } : {}) });
    if (config.fixture) {
      const counts = await loadFixtureFile(stores, clock, config.fixture);
      app.log.info({ fixture: config.fixture, inserted: counts }, 'fixture loaded');
    } else if (config.devSeed && (await stores.metadata.seed.organizationCount()) === 0) {
      devSeed = await seedDevelopmentOrganization(stores, clock, config.defaultDataCenter);
    }
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app?.close();
    await closeStores(stores);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
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
  const running = app;
  return {
    app: running,
    stores,
    url,
    purgeNow: worker.runOnce,
    async close() {
      await running.close();
      await worker.stop();
      await closeStores(stores);
    },
  };
}
