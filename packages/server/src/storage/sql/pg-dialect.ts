import { createHash } from 'node:crypto';
import type pg from 'pg';
import { type PgGroupCommitOptions, PgGroupCommitter, type PgStep } from '../postgres/pg-group-commit.js';
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

/** A statement as node-postgres takes it: with a name, PostgreSQL parses and plans it once per connection. */
interface PgQuery extends Query {
  readonly config: pg.QueryConfig;
}

/**
 * A name per text, so that preparing the same text twice (two stores on one pool, a cache that
 * forgot it) shares one server-side statement, where node-postgres would refuse two texts under one name.
 */
function named(text: string): PgQuery {
  const name = `b_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
  return { text, config: { name, text } };
}

const unnamed = (text: string): PgQuery => ({ text, config: { text } });

const LOCK = named('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))');

const call = (query: Query, params: readonly unknown[]): pg.QueryConfig => ({
  ...(query as PgQuery).config,
  values: params as unknown[],
});

/**
 * node-postgres underneath: statements on the pool, transactions on one checked-out connection.
 * Statements prepared at construction are sent named: each pooled connection parses them once
 * and PostgreSQL keeps their plans (a generic one, after five runs, where it costs no more than
 * the custom ones). Statements built while serving (`prepareDynamic`) are sent unnamed, since a
 * named statement stays on its connection until the connection closes.
 */
export class PgDialect implements SqlDialect {
  readonly name = 'postgres';
  readonly fragments = FRAGMENTS;
  readonly search = PG_SEARCH;
  readonly inProcess = false;
  readonly #pool: pg.Pool;
  readonly #groupCommit: PgGroupCommitter;

  constructor(pool: pg.Pool, groupCommit: PgGroupCommitOptions = {}) {
    this.#pool = pool;
    this.#groupCommit = new PgGroupCommitter(pool, (steps) => this.#writeAlone(steps), groupCommit);
  }

  prepare(text: string): Query {
    return named(text);
  }

  prepareDynamic(text: string): Query {
    return unnamed(text);
  }

  async all(query: Query, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.#pool.query<Row>(call(query, params))).rows;
  }

  async get(query: Query, params: readonly unknown[] = []): Promise<Row | undefined> {
    return (await this.#pool.query<Row>(call(query, params))).rows[0];
  }

  async run(query: Query, params: readonly unknown[] = []): Promise<number> {
    return (await this.#pool.query(call(query, params))).rowCount ?? 0;
  }

  /** Group-committed with the other writes of the same turn (pg-group-commit.ts). */
  write(steps: ReadonlyArray<readonly [Query, readonly unknown[]]>): Promise<number[]> {
    return this.#groupCommit.write(steps.map(([q, params]) => [(q as PgQuery).config, params] as const));
  }

  /** Resolves once every write handed in so far is answered: before the pool is ended. */
  drain(): Promise<void> {
    return this.#groupCommit.drain();
  }

  // A write with nobody to share a transaction with: one statement commits by itself.
  async #writeAlone(steps: readonly PgStep[]): Promise<number[]> {
    if (steps.length === 1) {
      const [query, params] = steps[0]!;
      return [(await this.#pool.query({ ...query, values: params as unknown[] })).rowCount ?? 0];
    }
    return inTransaction(this.#pool, async (client) => {
      const changes: number[] = [];
      for (const [query, params] of steps)
        changes.push((await client.query({ ...query, values: params as unknown[] })).rowCount ?? 0);
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
    const insert =
      unnamed(`INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${params}) AS u (${names})
               ON CONFLICT DO NOTHING`);
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
  const result = await client.query<Row>(call(op.query, op.params));
  if (op.kind === 'all') return result.rows;
  if (op.kind === 'get') return result.rows[0];
  return result.rowCount ?? 0;
}
