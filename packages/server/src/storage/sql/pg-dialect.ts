import type pg from 'pg';
import { PG_SEARCH } from '../postgres/pg-search-sql.js';
import { fromPgText, inTransaction, toPgText } from '../postgres/pg-support.js';
import type {
  Query,
  Row,
  RowDecoder,
  SqlColumnType,
  SqlDialect,
  SqlFragments,
  TransactionOptions,
  Tx,
  TxBody,
  TxOp,
} from './dialect.js';
import { TX } from './dialect.js';

/** PostgreSQL's rows: BOOLEAN, json/jsonb parsed by node-postgres, text NUL-escaped (pg-support.ts). */
export const PG_DECODER: RowDecoder = {
  readBool: (value) => value === true,
  readJson: <T>(value: unknown) => value as T,
  readText: (value) => fromPgText(value),
};

const FRAGMENTS: SqlFragments = {
  collateC: ' COLLATE "C"',
  forUpdate: ' FOR UPDATE',
  forShare: ' FOR SHARE',
  forUpdateSkipLocked: ' FOR UPDATE SKIP LOCKED',
  issueOrder: 'issue_seq',
  noLimit: 'ALL',
  inList: (column, param) => `${column} = ANY(${param}::text[])`,
  unindexed: (column) => column,
  lookupId: (field) => `(fields -> '${field}' ->> 'id')`,
  uniqueMatch: (field, param) =>
    `json_typeof(fields -> '${field}') = 'string'
      AND lower((fields ->> '${field}') COLLATE "und-x-icu") = lower(${param}::text COLLATE "und-x-icu")`,
  asJson: (param) => `${param}::json`,
};

/** Rows per bulk-insert statement: round trips negligible, each message still small. */
const BATCH = 1000;

const LOCK: Query = { text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))' };

/**
 * node-postgres underneath: statements on the pool, transactions on one checked-out connection.
 * Statements are sent as written (unnamed), exactly as the hand-written repositories sent them.
 */
export class PgDialect implements SqlDialect {
  readonly name = 'postgres';
  readonly fragments = FRAGMENTS;
  readonly search = PG_SEARCH;
  readonly inProcess = false;
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  prepare(text: string): Query {
    return { text };
  }

  async all(query: Query, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.#pool.query<Row>(query.text, params as unknown[])).rows;
  }

  async get(query: Query, params: readonly unknown[] = []): Promise<Row | undefined> {
    return (await this.#pool.query<Row>(query.text, params as unknown[])).rows[0];
  }

  async run(query: Query, params: readonly unknown[] = []): Promise<number> {
    return (await this.#pool.query(query.text, params as unknown[])).rowCount ?? 0;
  }

  async write(steps: ReadonlyArray<readonly [Query, readonly unknown[]]>): Promise<number[]> {
    if (steps.length === 1) return [await this.run(steps[0]![0], steps[0]![1])];
    return inTransaction(this.#pool, async (client) => {
      const changes: number[] = [];
      for (const [q, params] of steps)
        changes.push((await client.query(q.text, params as unknown[])).rowCount ?? 0);
      return changes;
    });
  }

  /**
   * READ COMMITTED (PostgreSQL's default) unless a snapshot is asked for: every contended write
   * here is a single UPDATE whose WHERE clause is re-checked on the row's newest version, a SELECT
   * … FOR UPDATE (SKIP LOCKED), or runs under an advisory lock.
   */
  transaction<T>(body: TxBody<T>, options?: TransactionOptions): Promise<T> {
    return inTransaction(this.#pool, async (client) => {
      if (options?.snapshot) await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const gen = body(TX);
      let step = gen.next();
      while (!step.done) {
        let answer: unknown;
        try {
          answer = await exec(client, step.value);
        } catch (error) {
          step = gen.throw(error);
          continue;
        }
        step = gen.next(answer);
      }
      return step.value;
    });
  }

  reserve(query: Query, params: readonly unknown[]): Promise<Row[]> {
    return this.all(query, params);
  }

  *lock(tx: Tx, key: string): Generator<TxOp, void, unknown> {
    yield* tx.get(LOCK, [key]);
  }

  *insertMissing(
    tx: Tx,
    table: string,
    columns: ReadonlyArray<readonly [string, SqlColumnType]>,
    rows: ReadonlyArray<readonly unknown[]>,
  ): Generator<TxOp, number, unknown> {
    const names = columns.map(([name]) => name).join(', ');
    // JSON travels as text and is cast once unnested; the others have array types of their own.
    const isJson = (type: SqlColumnType) => type === 'jsonb' || type === 'json';
    const params = columns.map(([, type], i) => `$${i + 1}::${isJson(type) ? 'text' : type}[]`).join(', ');
    const select = columns.map(([name, type]) => (isJson(type) ? `${name}::${type}` : name)).join(', ');
    const insert: Query = {
      text: `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${params}) AS u (${names})
               ON CONFLICT DO NOTHING`,
    };
    let inserted = 0;
    for (let at = 0; at < rows.length; at += BATCH) {
      const batch = rows.slice(at, at + BATCH);
      const values = columns.map((_c, i) => batch.map((row) => row[i]));
      inserted += yield* tx.run(insert, values);
    }
    return inserted;
  }

  // On a small table the planner walks `hiddenIndex` whatever the query: priced out (sequential
  // scans) and dropped inside a transaction that is rolled back, a query no other index serves
  // still shows a scan.
  async explain(sql: string, params: readonly unknown[], hiddenIndex: string): Promise<string> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query(`DROP INDEX ${hiddenIndex}`);
      const { rows } = await client.query<Row>(`EXPLAIN ${sql}`, params as unknown[]);
      return rows.map((r) => String(r['QUERY PLAN'])).join('\n');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  isUniqueViolation(error: unknown): boolean {
    return (error as { code?: unknown } | null)?.code === '23505';
  }

  bool(value: boolean): boolean {
    return value;
  }
  json(value: unknown): string {
    return JSON.stringify(value);
  }
  list(values: readonly string[]): readonly string[] {
    return values;
  }
  text(value: string): string {
    return toPgText(value);
  }
  readonly readBool = PG_DECODER.readBool;
  readonly readJson = PG_DECODER.readJson;
  readonly readText = PG_DECODER.readText;
}

async function exec(client: pg.PoolClient, op: TxOp): Promise<unknown> {
  const result = await client.query<Row>(op.query.text, op.params as unknown[]);
  if (op.kind === 'all') return result.rows;
  if (op.kind === 'get') return result.rows[0];
  return result.rowCount ?? 0;
}
