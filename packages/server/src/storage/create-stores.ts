import { join } from 'node:path';
import { FsBlobStore } from './fs/fs-blob-store.js';
import type { BlobStore, MetadataStore } from './ports.js';
import { SqliteMetadataStore, type SqliteSynchronous } from './sqlite/sqlite-metadata-store.js';

export interface StorageConfig {
  dataDir: string;
  sqliteSynchronous: SqliteSynchronous;
}

export interface Stores {
  metadata: MetadataStore;
  blobs: BlobStore;
}

/** The embedded default: SQLite at `<dataDir>/bigin.sqlite`, bytes under `<dataDir>/blobs`. */
export async function createStores(config: StorageConfig): Promise<Stores> {
  const metadata = new SqliteMetadataStore({
    path: join(config.dataDir, 'bigin.sqlite'),
    synchronous: config.sqliteSynchronous,
  });
  const blobs = new FsBlobStore({ root: join(config.dataDir, 'blobs') });
  return { metadata, blobs };
}

export async function closeStores(stores: Stores): Promise<void> {
  await stores.blobs.close();
  await stores.metadata.close();
}
