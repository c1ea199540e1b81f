import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { systemClock } from '../domain/clock.js';
import {
  listDeletedRecords,
  listRecycleBin,
  purge,
  restoreAttachment,
  restoreRecord,
} from '../domain/recycle-bin.js';
import { generateToken, hashToken } from '../domain/tokens.js';
import { mintDevToken, readDevOrganization } from '../fixtures/dev-seed.js';
import { loadFixtureFile } from '../fixtures/load-fixture.js';
import { ABANDONED_UPLOAD_MS } from '../server.js';
import { devCurl } from '../startup/banner.js';
import { closeStores, createStores, type Stores } from '../storage/create-stores.js';
import { registerNotificationCommands } from './notification-commands.js';
import { registerOAuthCommands } from './oauth-commands.js';

/** A whole number from a flag, refused with commander's usage error otherwise. */
function wholeNumber(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

/** The paging flags shared by the recycle-bin listings. */
function pagedListing(cmd: Command): Command {
  return cmd
    .requiredOption('--org <id>', 'organisation id')
    .option('--limit <n>', 'items per page', wholeNumber, 100)
    .option('--offset <n>', 'items to skip', wholeNumber, 0);
}

/** Recycle-bin items with their times as ISO-8601, for people and scripts alike. */
function withIsoTimes<T extends { deletedAt: number; purgeAfter: number }>(items: T[]) {
  return items.map((i) => ({
    ...i,
    deletedAt: new Date(i.deletedAt).toISOString(),
    purgeAfter: new Date(i.purgeAfter).toISOString(),
  }));
}

/**
 * Operator commands. They open the same data folder as the server (SQLite serialises the writes
 * of both processes), so they work while the server runs.
 */
export function registerAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description('Administer a data folder (works while the server runs).')
    .option('--data-dir <dir>', 'data folder (DATA_DIR)');

  const withStores = async <T>(
    cmd: Command,
    fn: (stores: Stores, config: ReturnType<typeof loadConfig>) => Promise<T>,
  ) => {
    const dataDir = (cmd.optsWithGlobals() as { dataDir?: string }).dataDir;
    const config = loadConfig(process.env, dataDir ? { DATA_DIR: dataDir } : {});
    const stores = await createStores(config);
    try {
      return await fn(stores, config);
    } finally {
      await closeStores(stores);
    }
  };
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

  admin
    .command('load-fixture <file>')
    .description('Load a fixture file; what already exists is left unchanged.')
    .action(async (file: string, _opts, cmd: Command) => {
      await withStores(cmd, async (stores) =>
        print({ inserted: await loadFixtureFile(stores, systemClock, file) }),
      );
    });

  const bin = admin.command('recycle-bin').description('Deleted attachments awaiting purge.');
  pagedListing(bin.command('list')).action(
    async (opts: { org: string; limit: number; offset: number }, cmd: Command) => {
      await withStores(cmd, async (stores, config) => {
        const items = await listRecycleBin(
          {
            attachments: stores.metadata.attachments,
            clock: systemClock,
            retentionMs: config.recycleBinRetentionMs,
          },
          { orgId: opts.org, limit: opts.limit, offset: opts.offset },
        );
        print(withIsoTimes(items));
      });
    },
  );
  bin
    .command('restore <attachmentId>')
    .requiredOption('--org <id>', 'organisation id')
    .action(async (attachmentId: string, opts: { org: string }, cmd: Command) => {
      await withStores(cmd, async (stores, config) => {
        const restored = await restoreAttachment(
          {
            attachments: stores.metadata.attachments,
            clock: systemClock,
            retentionMs: config.recycleBinRetentionMs,
          },
          { orgId: opts.org, attachmentId },
        );
        print({ restored, attachmentId });
        if (!restored) process.exitCode = 1;
      });
    });

  pagedListing(
    bin
      .command('list-records')
      .description('Records deleted directly; what their delete took along is restored with them.'),
  ).action(async (opts: { org: string; limit: number; offset: number }, cmd: Command) => {
    await withStores(cmd, async (stores, config) => {
      const items = await listDeletedRecords(
        {
          recordData: stores.metadata.recordData,
          clock: systemClock,
          retentionMs: config.recycleBinRetentionMs,
        },
        { orgId: opts.org, limit: opts.limit, offset: opts.offset },
      );
      print(withIsoTimes(items));
    });
  });
  bin
    .command('restore-record <recordId>')
    .description('Restore a deleted record with the records and attachments its delete took along.')
    .option('--org <id>', 'organisation id (needed only when several organisations hold the id)')
    .action(async (recordId: string, opts: { org?: string }, cmd: Command) => {
      await withStores(cmd, async (stores, config) => {
        const orgs = opts.org ? [opts.org] : await stores.metadata.recordData.organizationsOf(recordId);
        if (orgs.length !== 1)
          throw new Error(
            orgs.length === 0
              ? `no record ${recordId}`
              : `several organisations hold ${recordId}; give --org`,
          );
        const restored = await restoreRecord(
          {
            recordData: stores.metadata.recordData,
            clock: systemClock,
            retentionMs: config.recycleBinRetentionMs,
          },
          { orgId: orgs[0]!, recordId },
        );
        print({ restored: restored !== null, recordId, ...(restored ?? { records: 0, attachments: 0 }) });
        if (!restored) process.exitCode = 1;
      });
    });

  admin
    .command('purge')
    .description('Purge now everything past retention (the server also does this periodically).')
    .action(async (_opts, cmd: Command) => {
      await withStores(cmd, async (stores, config) =>
        print(
          await purge({
            attachments: stores.metadata.attachments,
            recordData: stores.metadata.recordData,
            photos: stores.metadata.recordPhotos,
            blobs: stores.blobs,
            blobJournal: stores.metadata.blobJournal,
            clock: systemClock,
            retentionMs: config.recycleBinRetentionMs,
            batchSize: config.purgeBatchSize,
            abandonedUploadMs: ABANDONED_UPLOAD_MS,
          }),
        ),
      );
    });

  registerOAuthCommands(admin, (cmd, fn) => withStores(cmd, (stores) => fn(stores)), print);
  registerNotificationCommands(admin, (cmd, fn) => withStores(cmd, (stores) => fn(stores)), print);

  admin
    .command('dev-token')
    .description(
      'Print a new 30-day, full-scope token for the development organisation of the data folder, with a curl to try it.',
    )
    .action(async (_opts, cmd: Command) => {
      await withStores(cmd, async (stores, config) => {
        const org = await readDevOrganization(config.dataDir);
        if (!org || (await stores.metadata.seed.organization(org.orgId)) === null)
          throw new Error(
            `no development organisation in ${config.dataDir}: it is created on the first start with empty stores (DEV_SEED=true, no FIXTURE)`,
          );
        const token = await mintDevToken(stores, systemClock, org);
        const scheme = config.tls ? 'https' : 'http';
        const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
        const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
        print({
          access_token: token,
          org: org.orgId,
          user: org.userId,
          expires_in: 30 * 86_400,
          curl: devCurl(url, org, token, false).replace(/ \\\n\s+/, ' '),
        });
      });
    });

  admin
    .command('create-token')
    .description('Mint an access token for a user; the token is printed once and stored only as a hash.')
    .requiredOption('--org <id>', 'organisation id')
    .requiredOption('--user <id>', 'user id')
    .requiredOption('--scope <scopes>', 'comma-separated scopes')
    .option('--expires-in <seconds>', 'lifetime in seconds', '3600')
    .action(async (opts: { org: string; user: string; scope: string; expiresIn: string }, cmd: Command) => {
      await withStores(cmd, async (stores) => {
        const dataCenter = (await stores.metadata.seed.organization(opts.org))?.dataCenter;
        if (!dataCenter) throw new Error(`no organisation ${opts.org}`);
        const token = generateToken();
        const now = systemClock.now();
        const expiresAt = now + Number(opts.expiresIn) * 1000;
        await stores.metadata.seed.import({
          clients: [],
          organizations: [],
          profiles: [],
          roles: [],
          users: [],
          records: [],
          attachments: [],
          tokens: [
            {
              hash: hashToken(token),
              orgId: opts.org,
              userId: opts.user,
              clientId: null,
              scopes: opts.scope,
              dataCenter,
              expiresAt,
              revokedAt: null,
              createdAt: now,
            },
          ],
        });
        print({ access_token: token, expires_at: new Date(expiresAt).toISOString(), scope: opts.scope });
      });
    });
}
