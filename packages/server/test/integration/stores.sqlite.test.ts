import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetadataStore } from '../../src/storage/sqlite/sqlite-metadata-store.js';
import { metadataStoreSuites } from '../contract/metadata-store-suites.js';

metadataStoreSuites('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bigin-sqlite-contract-'));
  return {
    open: async () => new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous: 'NORMAL' }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});
