import type Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres/migrations.js';
import { PostgresMetadataStore } from '../../src/storage/postgres/postgres-metadata-store.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { SqliteMetadataStore } from '../../src/storage/sqlite/sqlite-metadata-store.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';
import {
  postgresSnapshot,
  type SchemaSnapshot,
  schemaDifferences,
  sqliteSnapshot,
} from '../support/schema-snapshot.js';

/**
 * The only differences the two live schemas may have, each a deliberate choice. Anything else
 * (a column, index or key added to one dialect's migrations only) fails the test.
 */
export const SCHEMA_EXCEPTIONS: Record<string, string> = {
  'column access_tokens.issue_seq: only in PostgreSQL':
    'orders tokens issued in the same millisecond (eviction keeps the newest); SQLite uses its rowid',
  'column oauth_refresh_tokens.issue_seq: only in PostgreSQL': 'as access_tokens.issue_seq',
  'table auth_epoch: only in SQLite':
    "the epoch SQLite's in-process token cache watches; PostgreSQL keeps no token cache, so that a revocation holds on every node at once",
  'index attachments.attachments_recycle_bin_by_org: only in PostgreSQL':
    "one organisation's recycle bin: SQLite, one process, filters the global recycle-bin index; PostgreSQL serves many organisations per node",
};

describe('SQLite and PostgreSQL schemas', () => {
  let schema: TestSchema;
  let sqlite: SchemaSnapshot;
  let postgres: SchemaSnapshot;
  let sqliteDb: Database.Database;

  beforeAll(async () => {
    const store = new SqliteMetadataStore({ path: ':memory:', synchronous: 'FULL' });
    sqliteDb = store.db;
    sqlite = sqliteSnapshot(sqliteDb);
    schema = await createTestSchema();
    const pgStore = new PostgresMetadataStore({ connectionString: schema.url, poolSize: 1 });
    await pgStore.migrate();
    await pgStore.close();
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      postgres = await postgresSnapshot(client, schema.name);
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    sqliteDb?.close();
    await schema?.drop();
  });

  it('differ only by the named exceptions', () => {
    expect(schemaDifferences(sqlite, postgres).sort()).toEqual(Object.keys(SCHEMA_EXCEPTIONS).sort());
  });

  it('have the same migration history: one numbered step per version on both', () => {
    const steps = (m: ReadonlyArray<{ version: number }>) => m.map((x) => x.version);
    expect(steps(SQLITE_MIGRATIONS)).toEqual(steps(POSTGRES_MIGRATIONS));
  });

  it('catches a column added to one dialect only', () => {
    sqliteDb.exec('ALTER TABLE records ADD COLUMN photo_blob_key TEXT');
    try {
      expect(schemaDifferences(sqliteSnapshot(sqliteDb), postgres)).toContain(
        'column records.photo_blob_key: only in SQLite',
      );
    } finally {
      sqliteDb.exec('ALTER TABLE records DROP COLUMN photo_blob_key');
    }
  });
});
