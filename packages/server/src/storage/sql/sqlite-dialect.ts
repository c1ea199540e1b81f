import type Database from 'better-sqlite3';
import { SQLITE_SEARCH } from '../sqlite/sqlite-search-sql.js';
import type { WriteStep } from '../sqlite/writer-thread.js';
import {
  type Query,
  type Row,
  type RowDecoder,
  type SqlDialect,
  type SqlFragments,
  type TransactionOptions,
  TX,
  type Tx,
  type TxBody,
  type TxOp,
  toPositional,
} from './dialect.js';

/** A statement prepared once on the main connection, with the order its `?` take the parameters. */
interface SqliteQuery extends Query {
  readonly statement: Database.Statement;
  readonly order: number[] | null;
}

const FRAGMENTS: SqlFragments = {
  collateC: '',
  forUpdate: '',
  forShare: '',
  forUpdateSkipLocked: '',
  issueOrder: 'rowid',
  noLimit: '-1',
  inList: (column, param) => `${column} IN (SELECT value FROM json_each(${param}))`,
  unindexed: (column) => `+${column}`,
  lookupId: (field) => `json_extract(fields, '$.${field}.id')`,
  uniqueMatch: (field, param) => `bigin_fold(json_extract(fields, '$.${field}')) = bigin_fold(${param})`,
  asJson: (param) => param,
};

/** SQLite's rows: flags are 0/1, JSON is text, text is as stored. */
export const SQLITE_DECODER: RowDecoder = {
  readBool: (value) => value === 1,
  readJson: <T>(value: unknown) => JSON.parse(value as string) as T,
  readText: (value) => value as string,
};

const args = (q: SqliteQuery, params: readonly unknown[]): unknown[] =>
  q.order === null ? (params as unknown[]) : q.order.map((i) => params[i]);

/**
 * better-sqlite3 underneath: reads and transactions on the main connection, synchronously (each
 * call resolves on the same tick); durable writes without reads (`write`) through the store's
 * group-committing writer thread.
 */
export class SqliteDialect implements SqlDialect {
  readonly name = 'sqlite';
  readonly fragments = FRAGMENTS;
  readonly search = SQLITE_SEARCH;
  readonly inProcess = true;
  readonly #db: Database.Database;
  readonly #write: (steps: WriteStep[]) => Promise<number[]>;
  readonly #reserve: (step: WriteStep) => Promise<Row[]>;
  readonly #commit: <T>(run: () => T) => Promise<T>;
  // Made once: better-sqlite3 builds four wrapper functions each time `transaction()` is called
  // (about 8 µs, measured), which every read transaction (a list, a record read) would pay.
  readonly #tx: Database.Transaction<(run: () => unknown) => unknown>;

  /**
   * `write` and `reserve` go to the store's group-committing writer; `commit` runs a write on this
   * connection and resolves once it is durable (the store group-commits its fsync: wal-sync.ts).
   */
  constructor(
    db: Database.Database,
    options: {
      write: (steps: WriteStep[]) => Promise<number[]>;
      reserve: (step: WriteStep) => Promise<Row[]>;
      commit: <T>(run: () => T) => Promise<T>;
    },
  ) {
    this.#db = db;
    this.#write = options.write;
    this.#reserve = options.reserve;
    this.#commit = options.commit;
    this.#tx = db.transaction((run: () => unknown) => run());
  }

  reserve(query: Query, params: readonly unknown[]): Promise<Row[]> {
    const q = query as SqliteQuery;
    return this.#reserve({ sql: q.statement.source, params: args(q, params) });
  }

  prepare(text: string): Query {
    const { sql, order } = toPositional(text);
    const query: SqliteQuery = { text, statement: this.#db.prepare(sql), order };
    return query;
  }

  prepareDynamic(text: string): Query {
    return this.prepare(text);
  }

  async all(query: Query, params: readonly unknown[] = []): Promise<Row[]> {
    const q = query as SqliteQuery;
    return q.statement.all(...args(q, params)) as Row[];
  }

  async get(query: Query, params: readonly unknown[] = []): Promise<Row | undefined> {
    const q = query as SqliteQuery;
    return q.statement.get(...args(q, params)) as Row | undefined;
  }

  run(query: Query, params: readonly unknown[] = []): Promise<number> {
    const q = query as SqliteQuery;
    return this.#commit(() => q.statement.run(...args(q, params)).changes);
  }

  write(steps: ReadonlyArray<readonly [Query, readonly unknown[]]>): Promise<number[]> {
    return this.#write(
      steps.map(([query, params]) => {
        const q = query as SqliteQuery;
        return { sql: q.statement.source, params: args(q, params) };
      }),
    );
  }

  async transaction<T>(body: TxBody<T>, options?: TransactionOptions): Promise<T> {
    const run = () => this.#drive(body(TX));
    if (options?.snapshot) return this.#tx.deferred(run) as T;
    return this.#commit(() => this.#tx.immediate(run) as T);
  }

  #drive<T>(gen: Generator<TxOp, T, unknown>): T {
    let step = gen.next();
    while (!step.done) {
      let answer: unknown;
      try {
        answer = this.#exec(step.value);
      } catch (error) {
        step = gen.throw(error);
        continue;
      }
      step = gen.next(answer);
    }
    return step.value;
  }

  #exec(op: TxOp): unknown {
    const q = op.query as SqliteQuery;
    const a = args(q, op.params);
    if (op.kind === 'all') return q.statement.all(...a);
    if (op.kind === 'get') return q.statement.get(...a);
    return q.statement.run(...a).changes;
  }

  // Nothing to take: BEGIN IMMEDIATE already holds the database's one write lock.
  *lock(_tx: Tx, _key: string): Generator<TxOp, void, unknown> {}

  readonly #inserts = new Map<string, Query>();

  *insertMissing(
    tx: Tx,
    table: string,
    columns: ReadonlyArray<readonly [string, string]>,
    rows: ReadonlyArray<readonly unknown[]>,
  ): Generator<TxOp, number, unknown> {
    const names = columns.map(([n]) => n).join(', ');
    const key = `${table}(${names})`;
    let insert = this.#inserts.get(key);
    if (!insert) {
      const marks = columns.map((_c, i) => `$${i + 1}`).join(', ');
      insert = this.prepare(`INSERT INTO ${table} (${names}) VALUES (${marks}) ON CONFLICT DO NOTHING`);
      this.#inserts.set(key, insert);
    }
    let inserted = 0;
    for (const row of rows) inserted += yield* tx.run(insert, row);
    return inserted;
  }

  // Without statistics SQLite's plan follows from the SQL alone, whatever the table holds.
  async explain(sql: string, params: readonly unknown[]): Promise<string> {
    const q = this.prepare(`EXPLAIN QUERY PLAN ${sql}`) as SqliteQuery;
    return (q.statement.all(...args(q, params)) as Row[]).map((r) => String(r.detail)).join('\n');
  }

  isUniqueViolation(error: unknown): boolean {
    const code = (error as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  }

  bool(value: boolean): number {
    return value ? 1 : 0;
  }
  json(value: unknown): string {
    return JSON.stringify(value);
  }
  list(values: readonly string[]): string {
    return JSON.stringify(values);
  }
  text(value: string): string {
    return value;
  }
  readonly readBool = SQLITE_DECODER.readBool;
  readonly readJson = SQLITE_DECODER.readJson;
  readonly readText = SQLITE_DECODER.readText;
}
