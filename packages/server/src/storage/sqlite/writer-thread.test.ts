import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WriterThread } from './writer-thread.js';

let dir: string;
let path: string;
let reader: Database.Database;
let writer: WriterThread;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'writer-thread-'));
  path = join(dir, 'db.sqlite');
  const setup = new Database(path);
  setup.pragma('journal_mode = WAL');
  setup.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  setup.close();
  reader = new Database(path, { readonly: true });
  writer = new WriterThread({ path, synchronous: 'FULL', busyTimeoutMs: 5000 });
});
afterEach(async () => {
  await writer.close();
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

const INSERT = 'INSERT INTO t (v) VALUES (?)';
const rows = () => reader.prepare('SELECT v FROM t ORDER BY id').pluck().all() as string[];

describe('WriterThread', () => {
  it('answers a RETURNING statement with its rows, in order with the other writes', async () => {
    const [a, b, inserted] = await Promise.all([
      writer.runReturning({ sql: 'INSERT INTO t (v) VALUES (?) RETURNING id, v', params: ['a'] }),
      writer.run(INSERT, ['b']),
      writer.runReturning({ sql: "UPDATE t SET v = v || '!' RETURNING v", params: [] }),
    ]);
    expect(a).toEqual([{ id: 1, v: 'a' }]);
    expect(b).toBe(1);
    expect(inserted).toEqual([{ v: 'a!' }, { v: 'b!' }]);
    await expect(
      writer.runReturning({ sql: 'INSERT INTO t (id, v) VALUES (1, ?) RETURNING id', params: ['dup'] }),
    ).rejects.toThrow(/UNIQUE/);
  });

  it('answers each write only once another connection can read it', async () => {
    const seen = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        writer.run(INSERT, [`v${i}`]).then(() => rows().includes(`v${i}`)),
      ),
    );
    expect(seen).toEqual(Array(50).fill(true));
  });

  it('commits writes in the order they were sent, across batches', async () => {
    const first = Array.from({ length: 30 }, (_, i) => writer.run(INSERT, [String(i)]));
    await new Promise((r) => setImmediate(r));
    const second = Array.from({ length: 30 }, (_, i) => writer.run(INSERT, [String(30 + i)]));
    expect(await Promise.all([...first, ...second])).toEqual(Array(60).fill(1));
    expect(rows()).toEqual(Array.from({ length: 60 }, (_, i) => String(i)));
  });

  it('reports the rows a write changed', async () => {
    await writer.run(INSERT, ['a']);
    expect(await writer.run("UPDATE t SET v = 'b' WHERE v = ?", ['a'])).toBe(1);
    expect(await writer.run("UPDATE t SET v = 'c' WHERE v = ?", ['a'])).toBe(0);
  });

  it('isolates a failing write: the others of its batch commit, it rejects with SQLite code', async () => {
    const results = await Promise.allSettled([
      writer.run(INSERT, ['a']),
      writer.run(INSERT, [null]),
      writer.run(INSERT, ['c']),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failure = (results[1] as PromiseRejectedResult).reason as Error & { code?: string };
    expect(failure.code).toBe('SQLITE_CONSTRAINT_NOTNULL');
    expect(rows()).toEqual(['a', 'c']);
    // The thread keeps working after a failure.
    await writer.run(INSERT, ['d']);
    expect(rows()).toEqual(['a', 'c', 'd']);
  });

  it('runs the steps of one write in order, all or none', async () => {
    const results = await Promise.allSettled([
      writer.runSteps([
        { sql: INSERT, params: ['a'] },
        { sql: "UPDATE t SET v = 'a2' WHERE v = ?", params: ['a'] },
      ]),
      // Its first step would succeed, its second fails: neither may stay.
      writer.runSteps([
        { sql: INSERT, params: ['b'] },
        { sql: INSERT, params: [null] },
      ]),
      writer.run(INSERT, ['c']),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<number[]>).value).toEqual([1, 1]);
    expect(rows()).toEqual(['a2', 'c']);
  });

  it('commits everything sent before close, then refuses new writes', async () => {
    const sent = Array.from({ length: 20 }, (_, i) => writer.run(INSERT, [String(i)]));
    await writer.close();
    expect(await Promise.all(sent)).toEqual(Array(20).fill(1));
    expect(rows()).toHaveLength(20);
    await expect(writer.run(INSERT, ['late'])).rejects.toThrow(/closed/);
    await writer.close();
  });
});
