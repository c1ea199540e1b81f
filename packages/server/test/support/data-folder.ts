import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PostgresMetadataStore } from '../../src/storage/postgres/postgres-metadata-store.js';
import { SqliteMetadataStore } from '../../src/storage/sqlite/sqlite-metadata-store.js';
import type { TestServer } from './test-server.js';

/**
 * Looks at a test server's stores directly (the SQLite file or PostgreSQL schema, the blob folder
 * or S3 prefix), to prove what an answer claims was (not) stored, on either backend.
 */

async function folderKeys(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else out.push(relative(root, path));
    }
  };
  await walk(root);
  return out;
}

async function s3Keys(s3: NonNullable<TestServer['config']['s3']>): Promise<string[]> {
  const client = new S3Client({
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    ...(s3.credentials ? { credentials: s3.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  // s3rver checks the signature of a bucket listing against the path without its trailing slash
  // (`/bucket`), the SDK signs `/bucket/`: send what s3rver expects.
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { path?: string };
      if (request.path?.endsWith('/')) request.path = request.path.slice(0, -1);
      return next(args);
    },
    { step: 'build' },
  );
  const out: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: s3.prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) out.push(o.Key!.slice(s3.prefix.length));
      token = page.NextContinuationToken;
    } while (token);
  } finally {
    client.destroy();
  }
  return out;
}

/**
 * Every blob in the server's blob store: files of the data folder (the folder store's own
 * temporary files included, as `.tmp/…`), or objects under the S3 prefix.
 */
export async function blobFiles(t: TestServer): Promise<string[]> {
  const keys = t.config.s3 ? await s3Keys(t.config.s3) : await folderKeys(join(t.dataDir, 'blobs'));
  return keys.sort();
}

/** Committed blobs only: without the folder store's temporary files. */
export async function blobKeys(t: TestServer): Promise<string[]> {
  return (await blobFiles(t)).filter((k) => !k.startsWith('.tmp/'));
}

/**
 * Runs a read-only query on the server's metadata store, SQLite or PostgreSQL: `?` placeholders,
 * portable SQL. Numbers come back as numbers on both.
 */
export async function sqlRows<T = Record<string, unknown>>(
  t: TestServer,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const m = t.server.stores.metadata;
  if (m instanceof SqliteMetadataStore) return m.db.prepare(sql).all(...params) as T[];
  if (m instanceof PostgresMetadataStore) {
    let n = 0;
    const { rows } = await m.pool.query(
      sql.replace(/\?/g, () => `$${++n}`),
      [...params],
    );
    return rows as T[];
  }
  throw new Error('unknown metadata store');
}

export async function dbCounts(t: TestServer): Promise<{ attachments: number; journal: number }> {
  const n = async (sql: string) => Number((await sqlRows<{ n: number }>(t, sql))[0]!.n);
  return {
    attachments: await n('SELECT COUNT(*) AS n FROM attachments'),
    journal: await n('SELECT COUNT(*) AS n FROM blob_journal'),
  };
}

/** What is in the blob store and database: equal snapshots mean nothing was left behind. */
export async function storageSnapshot(t: TestServer) {
  return { files: await blobFiles(t), ...(await dbCounts(t)) };
}
