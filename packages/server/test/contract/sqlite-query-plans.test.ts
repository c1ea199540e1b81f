import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPositional } from '../../src/storage/sql/dialect.js';
import { findLiveSql, uniqueCheckSql } from '../../src/storage/sql/sql-record-data-repository.js';
import { SqliteMetadataStore } from '../../src/storage/sqlite/sqlite-metadata-store.js';

// Query plans of the SQLite statements on hot paths whose cost would otherwise grow with the
// size of a module. SQLite runs without statistics here, so its choice of index follows from the
// SQL alone: a plan pinned once stays pinned at every size.

let dir: string;
let store: SqliteMetadataStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bigin-plans-'));
  store = new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous: 'NORMAL' });
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const plan = (sql: string, ...params: unknown[]) =>
  (store.db.prepare(`EXPLAIN QUERY PLAN ${toPositional(sql).sql}`).all(...params) as { detail: string }[])
    .map((r) => r.detail)
    .join('\n');

describe('SQLite query plans', () => {
  it('a get by id looks each id up by primary key, not through the module index', () => {
    const p = plan(findLiveSql(store.dialect.fragments), '1', 'Contacts', JSON.stringify(['2', '3']));
    expect(p, p).toMatch(/SEARCH records USING INDEX sqlite_autoindex_records_1 \(org_id=\? AND id=\?\)/);
    expect(p, p).not.toContain('records_live_by_module');
  });

  it.each([
    ['Contacts', 'Email'],
    ['Accounts', 'Account_Name'],
    ['Pipelines', 'Deal_Name'],
    ['Products', 'Product_Name'],
  ])('the duplicate check of %s.%s reads its unique-field index', (module, field) => {
    const p = plan(uniqueCheckSql(store.dialect.fragments, module, field), '1', module, '2', 'x');
    expect(p, p).toContain(`USING INDEX records_unique_${module.toLowerCase()}_${field.toLowerCase()}`);
  });
});
