import { join } from 'node:path';
import type { S3Config } from '../config/schema.js';
import type { BlobStore, MetadataStore } from '../domain/ports.js';
import { CachedBlobStore } from './cached-blob-store.js';
import { FsBlobStore } from './fs/fs-blob-store.js';
import { SqliteMetadataStore, type SqliteSynchronous } from './sqlite/sqlite-metadata-store.js';

export interface StorageConfig {
  dataDir: string;
  sqliteSynchronous: SqliteSynchronous;
  /** A postgres:// URL selects PostgreSQL for metadata. */
  databaseUrl?: string | undefined;
  databasePoolSize?: number;
  /** Set, bytes go to S3. */
  s3?: S3Config | undefined;
  /** Memory for small blobs in front of the blob store; 0 or unset: none. */
  blobCacheBytes?: number;
}

export interface Stores {
  metadata: MetadataStore;
  blobs: BlobStore;
}

/**
 * The embedded default is SQLite at `<dataDir>/bigin.sqlite` and bytes under `<dataDir>/blobs`;
 * `databaseUrl` and `s3` replace either with the scale-out store. Those are imported only when
 * selected, so an embedded deployment never loads the pg driver or the AWS SDK.
 */
export async function createStores(config: StorageConfig): Promise<Stores> {
  const metadata = await createMetadataStore(config);
  try {
    const blobs = await createBlobStore(config);
    const cache = config.blobCacheBytes ?? 0;
    return { metadata, blobs: cache > 0 ? new CachedBlobStore(blobs, cache) : blobs };
  } catch (error) {
    await metadata.close();
    throw error;
  }
}

async function createMetadataStore(config: StorageConfig): Promise<MetadataStore> {
  if (!config.databaseUrl) {
    return new SqliteMetadataStore({
      path: join(config.dataDir, 'bigin.sqlite'),
      synchronous: config.sqliteSynchronous,
    });
  }
  const { PostgresMetadataStore } = await import('./postgres/postgres-metadata-store.js');
  const store = new PostgresMetadataStore({
    connectionString: config.databaseUrl,
    poolSize: config.databasePoolSize ?? 10,
  });
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

async function createBlobStore(config: StorageConfig): Promise<BlobStore> {
  if (!config.s3) return new FsBlobStore({ root: join(config.dataDir, 'blobs') });
  const { S3BlobStore } = await import('./s3/s3-blob-store.js');
  return new S3BlobStore(config.s3);
}

export async function closeStores(stores: Stores): Promise<void> {
  await stores.blobs.close();
  await stores.metadata.close();
}
