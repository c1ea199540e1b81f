import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pgTypes } from '../../src/storage/postgres/pg-support.js';
import type { Query } from '../../src/storage/sql/dialect.js';
import { PgDialect } from '../../src/storage/sql/pg-dialect.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';

let schema: TestSchema;
const pools: pg.Pool[] = [];
/** A pool of the test's own: what it reads is what any other connection sees, i.e. committed. */
let observer: pg.Pool;

function pool(max: number, pipeline = false): pg.Pool {
  const p = new pg.Pool({ connectionString: schema.url, max, types: pgTypes, pipeline });
  p.on('error', () => {});
  pools.push(p);
  return p;
}

beforeAll(async () => {
  schema = await createTestSchema();
  observer = pool(2);
  // `xid` is the writing transaction's id: how many transactions the writes took, seen by the
  // database itself. `tag`'s uniqueness is checked only at COMMIT.
  await observer.query(`CREATE TABLE items (k TEXT PRIMARY KEY, xid BIGINT NOT NULL, n INTEGER NOT NULL DEFAULT 0,
    tag TEXT UNIQUE DEFERRABLE INITIALLY DEFERRED)`);
});

afterAll(async () => {
  for (const p of pools.splice(0)) await p.end();
  await schema?.drop();
});

beforeEach(async () => {
  await observer.query('TRUNCATE items');
});

const committed = async (k: string) =>
  (await observer.query('SELECT 1 FROM items WHERE k = $1', [k])).rowCount;
const transactions = async () =>
  Number((await observer.query('SELECT count(DISTINCT xid) AS n FROM items')).rows[0].n);

// Pipelining clients send a batch at once; the others statement by statement.
describe.each([false, true])('PgDialect.write: group commit (pipeline %s)', (pipeline) => {
  let d: PgDialect;
  let insert: Query;
  beforeAll(() => {
    d = new PgDialect(pool(4, pipeline), { maxSteps: 16, maxInFlight: 2 });
    insert = d.prepare('INSERT INTO items (k, xid) VALUES ($1, txid_current())');
  });

  it('commits the writes of one turn in one transaction, answering each after its commit', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const answers = await Promise.all(
      keys.map(async (k) => {
        const changes = await d.write([[insert, [k]]]);
        return { changes, visible: await committed(k) };
      }),
    );
    expect(answers).toEqual(keys.map(() => ({ changes: [1], visible: 1 })));
    expect(await transactions()).toBe(1);
  });

  it('takes at most maxSteps statements a transaction, never splitting a write', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      d.write([
        [insert, [`a${i}`]],
        [insert, [`b${i}`]],
      ]),
    );
    expect(await Promise.all(writes)).toEqual(writes.map(() => [1, 1]));
    // 40 statements, 16 a transaction: 3 transactions (8 + 8 + 4 writes), both rows of a write in one.
    expect(await transactions()).toBe(3);
    const split = await observer.query(`SELECT count(*) AS n FROM items a JOIN items b
      ON b.k = 'b' || substr(a.k, 2) WHERE a.k LIKE 'a%' AND a.xid <> b.xid`);
    expect(Number(split.rows[0].n)).toBe(0);
  });

  it('answers the rows each statement changed', async () => {
    await observer.query(`INSERT INTO items (k, xid) VALUES ('x1', 0), ('x2', 0)`);
    const bump = d.prepare("UPDATE items SET n = n + 1 WHERE k LIKE $1 || '%'");
    const [all, one, none] = await Promise.all([
      d.write([[bump, ['x']]]),
      d.write([[bump, ['x1']]]),
      d.write([[bump, ['nothing']]]),
    ]);
    expect([all, one, none]).toEqual([[2], [1], [0]]);
    // Later writes of a batch see the earlier ones: x1 bumped twice.
    expect((await observer.query("SELECT n FROM items WHERE k = 'x1'")).rows[0].n).toBe(2);
  });

  it('fails a bad write alone: the others of its batch commit', async () => {
    await observer.query(`INSERT INTO items (k, xid) VALUES ('taken', 0)`);
    const results = await Promise.allSettled([
      d.write([[insert, ['ok1']]]),
      d.write([[insert, ['taken']]]),
      // All or none: its first row goes with its failing second.
      d.write([
        [insert, ['half']],
        [insert, ['taken']],
      ]),
      d.write([[insert, ['ok2']]]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    for (const r of results) if (r.status === 'rejected') expect(d.isUniqueViolation(r.reason)).toBe(true);
    expect([await committed('ok1'), await committed('ok2'), await committed('half')]).toEqual([1, 1, 0]);
  });

  it('fails a write alone when the shared COMMIT fails on it', async () => {
    const tagged = d.prepare('INSERT INTO items (k, xid, tag) VALUES ($1, txid_current(), $2)');
    const results = await Promise.allSettled([
      d.write([[insert, ['good1']]]),
      d.write([[tagged, ['first', 'same']]]),
      d.write([[tagged, ['second', 'same']]]),
      d.write([[insert, ['good2']]]),
    ]);
    // The deferred check passes the statements and fails the COMMIT; alone, the first tag commits.
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await committed('good1')).toBe(1);
    expect(await committed('good2')).toBe(1);
  });

  it('fails the batch on a connection dropped under it, and does not reuse the connection', async () => {
    const kill = d.prepare('SELECT pg_terminate_backend(pg_backend_pid())');
    const results = await Promise.allSettled([
      d.write([[insert, ['before']]]),
      d.write([[kill, []]]),
      d.write([[insert, ['after']]]),
    ]);
    // As writes alone on that connection would: none is retried, none committed.
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await committed('before')).toBe(0);
    // Every pooled connection still answers.
    const again = await Promise.all(Array.from({ length: 8 }, (_, i) => d.write([[insert, [`again${i}`]]])));
    expect(again).toEqual(again.map(() => [1]));
  });

  it('drain() waits for the writes handed in', async () => {
    const write = d.write([[insert, ['drained']]]);
    let answered = false;
    void write.then(() => {
      answered = true;
    });
    await d.drain();
    expect(answered).toBe(true);
    await write;
  });
});

describe('PgDialect: named statements', () => {
  it('prepares construction-time statements once per connection, dynamic ones never', async () => {
    const d = new PgDialect(pool(1));
    const prepared = d.prepareDynamic('SELECT statement FROM pg_prepared_statements');
    const namedOne = d.prepare('SELECT $1::int + 1 AS v');
    const dynamic = d.prepareDynamic('SELECT $1::int + 2 AS v');
    for (let i = 0; i < 3; i++) {
      expect((await d.get(namedOne, [i]))?.v).toBe(i + 1);
      expect((await d.get(dynamic, [i]))?.v).toBe(i + 2);
    }
    expect(await d.transaction((tx) => tx.get(namedOne, [41]))).toEqual({ v: 42 });
    const statements = (await d.all(prepared)).map((r) => r.statement);
    expect(statements).toEqual(['SELECT $1::int + 1 AS v']);
  });
});
