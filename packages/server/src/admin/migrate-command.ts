import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { systemClock } from '../domain/clock.js';
import { closeStores, createStores } from '../storage/create-stores.js';
import { FsBlobStore } from '../storage/fs/fs-blob-store.js';
import { migrateEmbedded } from '../storage/migrate/migrate-embedded.js';
import { SqliteMetadataStore } from '../storage/sqlite/sqlite-metadata-store.js';

/**
 * `bigin-server migrate --from <data folder>`: copies an embedded deployment into the stores the
 * environment configures (DATABASE_URL and/or S3_*), verifies it and prints a JSON report.
 */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description(
      'Copy an embedded deployment (SQLite + folder) into the stores configured by DATABASE_URL and S3_*, verify counts and SHA-256 of every attachment. Re-runnable.',
    )
    .requiredOption('--from <dir>', 'data folder of the embedded deployment (its DATA_DIR)')
    .action(async (opts: { from: string }) => {
      const config = loadConfig(process.env);
      if (!config.databaseUrl && !config.s3)
        throw new Error('nothing to migrate to: set DATABASE_URL and/or S3_BUCKET (see docs/deployment.md)');
      const from = resolve(opts.from);
      const sqlitePath = join(from, 'bigin.sqlite');
      if (!existsSync(sqlitePath)) throw new Error(`no embedded database at ${sqlitePath}`);
      const source = {
        metadata: new SqliteMetadataStore({ path: sqlitePath, synchronous: config.sqliteSynchronous }),
        blobs: new FsBlobStore({ root: join(from, 'blobs') }),
      };
      try {
        const target = await createStores(config);
        try {
          const report = await migrateEmbedded(source, target, {
            now: systemClock.now(),
            log: (line) => process.stderr.write(`${line}\n`),
          });
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          if (report.problems.length > 0) process.exitCode = 1;
        } finally {
          await closeStores(target);
        }
      } finally {
        await source.blobs.close();
        await source.metadata.close();
      }
    });
}
