import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedBlobStore } from '../../src/storage/cached-blob-store.js';
import { FsBlobStore } from '../../src/storage/fs/fs-blob-store.js';
import { PostgresMetadataStore } from '../../src/storage/postgres/postgres-metadata-store.js';
import { S3BlobStore } from '../../src/storage/s3/s3-blob-store.js';
import { SqliteMetadataStore } from '../../src/storage/sqlite/sqlite-metadata-store.js';
import { startTestServer, TEST_BACKEND, type TestServer } from '../support/test-server.js';

// Pins that each vitest project really runs the HTTP suite on the stores it claims to.
const scaleOut = TEST_BACKEND === 'postgres-s3';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

describe(`test servers of this project (${scaleOut ? 'PostgreSQL + S3' : 'SQLite + folder'})`, () => {
  it('use the stores of the project', () => {
    const { metadata, blobs } = t.server.stores;
    expect(metadata).toBeInstanceOf(scaleOut ? PostgresMetadataStore : SqliteMetadataStore);
    // Behind the small-blob cache (BLOB_CACHE_MB) when it is on.
    const store = blobs instanceof CachedBlobStore ? blobs.inner : blobs;
    expect(store).toBeInstanceOf(scaleOut ? S3BlobStore : FsBlobStore);
  });
});
