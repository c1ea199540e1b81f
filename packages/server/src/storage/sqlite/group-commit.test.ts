import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-commit.js';

let dir: string;
let db: Database.Database;
let reader: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  db = new Database(join(dir, 'db.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  reader = new Database(join(dir, 'db.sqlite'), { readonly: true });
});
afterEach(() => {
  reader.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (v: string | null) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid;
const committedRows = () => (reader.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;

describe('GroupCommitter', () => {
  it('runs writes enqueued in one turn in one transaction, answering after it commits', async () => {
    const gc = new GroupCommitter(db);
    const seenByOthers: number[] = [];
    const jobs = Array.from({ length: 5 }, (_, i) =>
      gc.enqueue(() => {
        // Another connection sees none of the batch until it commits.
        seenByOthers.push(committedRows());
        return insert(`v${i}`)();
      }),
    );
    const ids = await Promise.all(jobs);
    expect(ids.map(Number)).toEqual([1, 2, 3, 4, 5]);
    expect(seenByOthers).toEqual([0, 0, 0, 0, 0]);
    expect(committedRows()).toBe(5);
  });

  it('isolates a failing write: the others commit once, the failing one rejects', async () => {
    const gc = new GroupCommitter(db);
    const results = await Promise.allSettled([
      gc.enqueue(insert('a')),
      gc.enqueue(insert(null)),
      gc.enqueue(insert('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(reader.prepare('SELECT v FROM t ORDER BY id').all()).toEqual([{ v: 'a' }, { v: 'c' }]);
  });

  it('starts a new batch for writes enqueued after a flush', async () => {
    const gc = new GroupCommitter(db);
    await gc.enqueue(insert('first'));
    expect(committedRows()).toBe(1);
    await gc.enqueue(insert('second'));
    expect(committedRows()).toBe(2);
  });

  it('rejects every queued write once the database is closed', async () => {
    const gc = new GroupCommitter(db);
    const pending = gc.enqueue(insert('x'));
    reader.close();
    db.close();
    await expect(pending).rejects.toThrow(/not open/);
    db = new Database(join(dir, 'db.sqlite'));
    reader = new Database(join(dir, 'db.sqlite'), { readonly: true });
  });
});
