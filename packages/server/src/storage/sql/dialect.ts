/**
 * The small surface a repository needs from a SQL database, so that each repository is written
 * once (storage/sql/) and runs on SQLite (sqlite-dialect.ts) and PostgreSQL (pg-dialect.ts).
 *
 * SQL is written with PostgreSQL's `$1, $2, …` placeholders; the SQLite dialect rewrites them to
 * `?` once, when the statement is prepared. Where the two languages differ, a repository splices
 * in a fragment from `fragments` while it prepares its statements (at construction, never per
 * request), and encodes parameters with the dialect's encoders (booleans, JSON, lists, text that
 * may hold U+0000).
 *
 * Transactions are generator functions: `yield* tx.get(q, params)` runs a statement inside the
 * transaction and answers its rows. SQLite drives the generator synchronously inside one
 * better-sqlite3 transaction, so that (as before) no SQLite transaction spans an `await` and no
 * other request's statement can land inside it; PostgreSQL drives it with `await` on one pooled
 * connection between BEGIN and COMMIT.
 */

import type { FilterLeaf } from '../../domain/ports.js';

export type Row = Record<string, unknown>;

/** A statement prepared once by a dialect; opaque to repositories. */
export interface Query {
  /** The SQL as written (with `$n` placeholders). */
  readonly text: string;
}

/** One statement to run inside a transaction: what a transaction generator yields. */
export interface TxOp {
  readonly kind: 'all' | 'get' | 'run';
  readonly query: Query;
  readonly params: readonly unknown[];
}

/** What a transaction body runs its statements with: `yield* tx.all(q, params)`. */
export interface Tx {
  all(query: Query, params?: readonly unknown[]): Generator<TxOp, Row[], unknown>;
  get(query: Query, params?: readonly unknown[]): Generator<TxOp, Row | undefined, unknown>;
  /** Answers the number of rows the statement changed. */
  run(query: Query, params?: readonly unknown[]): Generator<TxOp, number, unknown>;
}

export type TxBody<T> = (tx: Tx) => Generator<TxOp, T, unknown>;

/** The one Tx every transaction gets: its statements are descriptions, run by the dialect's driver. */
export const TX: Tx = {
  *all(query, params = []) {
    return (yield { kind: 'all', query, params }) as Row[];
  },
  *get(query, params = []) {
    return (yield { kind: 'get', query, params }) as Row | undefined;
  },
  *run(query, params = []) {
    return (yield { kind: 'run', query, params }) as number;
  },
};

export interface TransactionOptions {
  /**
   * A read-only transaction whose reads all see one snapshot (PostgreSQL REPEATABLE READ READ
   * ONLY; a deferred SQLite transaction, which in WAL mode reads one snapshot). Default: a write
   * transaction (SQLite BEGIN IMMEDIATE; PostgreSQL READ COMMITTED).
   */
  snapshot?: boolean;
}

/** A column's type where the dialect needs it (PostgreSQL's bulk insert casts each array). */
export type SqlColumnType = 'text' | 'bigint' | 'boolean' | 'json' | 'jsonb';

/** SQL text that differs between the dialects, spliced in when a statement is prepared. */
export interface SqlFragments {
  /** After an ORDER BY text column: byte order (PostgreSQL's default collation is the locale's). */
  readonly collateC: string;
  /** After a SELECT inside a transaction: lock the rows read (nothing in SQLite: the write lock is held). */
  readonly forUpdate: string;
  /** After a SELECT: hold the rows read against a concurrent update or delete until commit. */
  readonly forShare: string;
  /** Lock the rows read, passing over rows another transaction holds (purge claims). */
  readonly forUpdateSkipLocked: string;
  /**
   * The column that orders rows inserted in the same millisecond (access and refresh tokens):
   * SQLite's rowid, PostgreSQL's identity column `issue_seq` (a named exception in the
   * schema-parity test).
   */
  readonly issueOrder: string;
  /** `LIMIT <this> OFFSET n`: no limit (SQLite needs a LIMIT before an OFFSET). */
  readonly noLimit: string;
  /** `column IN list`, the list being one parameter encoded with `list()`. */
  inList(column: string, param: string): string;
  /**
   * A column term the planner must not choose an index by: SQLite's unary `+`, since without
   * statistics SQLite would take the module's index even where a key lookup is far cheaper (a
   * get by id, a unique check). PostgreSQL plans by statistics, and has no unary `+` on text.
   */
  unindexed(column: string): string;
  /**
   * The `id` of lookup field `field` of `records.fields`, spelt as the expression indexes of
   * migration 3 spell it so that they serve related lists and delete cascades (`field` must be an
   * API name: it is written into the SQL).
   */
  lookupId(field: string): string;
  /**
   * Whether unique field `field` of `records.fields` holds the text `param` after case folding,
   * spelt as the unique-field indexes of migration 14 spell it. SQLite folds with `bigin_fold`
   * (sqlite-functions.ts: JavaScript's toLowerCase), a number never equal to text; PostgreSQL
   * lower-cases under ICU's root locale (as toLowerCase), whatever the database's locale, and
   * takes only JSON strings, whose `->>` text a number's would otherwise equal.
   */
  uniqueMatch(field: string, param: string): string;
  /** A JSON parameter, typed for PostgreSQL, which cannot infer it in a SELECT's output (INSERT … SELECT). */
  asJson(param: string): string;
}

/** A search target in SQL: its value, when it holds a value of its kind, its parameters' type. */
export interface SearchTarget {
  readonly expr: string;
  readonly guard: string;
  /** The type a parameter compared with it is cast to (PostgreSQL cannot infer it everywhere). */
  readonly cast: string;
  readonly text: boolean;
}

/**
 * How record search (sql-record-search.ts) reads in a dialect: the JSON access, the text
 * functions and the planner hints differ, the compiler does not. Text targets are written as the
 * search-index migration writes them, so that equality and prefix ranges use the index.
 */
export interface SearchSql {
  target(target: FilterLeaf['target']): SearchTarget;
  /** A parameter of type `cast` (SQLite: the parameter as it is). */
  typed(param: string, cast: string): string;
  /** `x <this>`: x is false or unknown (each compiled condition is true, false or unknown). */
  readonly isNotTrue: string;
  /** The largest code point, which ends the range of a prefix. */
  readonly maxChar: string;
  hasPrefix(expr: string, param: string): string;
  hasSuffix(expr: string, param: string): string;
  contains(expr: string, param: string): string;
  /**
   * The outer organisation and module terms. When indexes serve the filter they are written so
   * that the module's own index cannot use them: walking it in id order and filtering is a scan
   * of the module, which SQLite picks without statistics and PostgreSQL on small or unanalysed
   * tables.
   */
  outer(module: string, served: boolean): string;
  /** The id as the ORDER BY ends with it, kept from the module's index likewise. */
  orderId(served: boolean): { length: string; id: string };
}

/** How a dialect's rows hold booleans, JSON and client text: what a row mapper needs. */
export interface RowDecoder {
  readBool(value: unknown): boolean;
  readJson<T>(value: unknown): T;
  readText(value: unknown): string;
}

export interface SqlDialect extends RowDecoder {
  readonly name: 'sqlite' | 'postgres';
  readonly fragments: SqlFragments;
  readonly search: SearchSql;
  /**
   * Whether statements run in this process (SQLite), so that a few indexed lookups cost less than
   * one join; on PostgreSQL every statement is a network round trip, and the join wins. A
   * repository may pick its read plan by it (the attachment list does, measured in
   * docs/benchmarks.md).
   */
  readonly inProcess: boolean;

  /** Prepares a statement once; call at construction, not per request. */
  prepare(sql: string): Query;
  /**
   * A statement whose text is built while serving (search criteria, a page's numbers, a field's
   * unique check), kept by the caller at most in a bounded cache, or one that reads `*`:
   * PostgreSQL sends it unnamed, since a named statement stays prepared on each pooled connection
   * for the connection's life (one more for every text), and a named `SELECT *` fails ("cached
   * plan must not change result type") once a migration adds a column. SQLite prepares it as
   * `prepare` does.
   */
  prepareDynamic(sql: string): Query;

  all(query: Query, params?: readonly unknown[]): Promise<Row[]>;
  get(query: Query, params?: readonly unknown[]): Promise<Row | undefined>;
  /** Answers the number of rows the statement changed. */
  run(query: Query, params?: readonly unknown[]): Promise<number>;

  /**
   * A durable write of statements that need no reads between them, all or none, answering the
   * rows each changed. SQLite group-commits it through the writer thread (one fsync for every
   * write of the same turn); PostgreSQL group-commits the writes of the same turn in one
   * transaction on one connection (pg-group-commit.ts), a write alone as one statement or one
   * transaction.
   */
  write(steps: ReadonlyArray<readonly [Query, readonly unknown[]]>): Promise<number[]>;

  transaction<T>(body: TxBody<T>, options?: TransactionOptions): Promise<T>;

  /**
   * One write statement that answers rows (`UPDATE … RETURNING`: an id reservation), resolved
   * once committed. SQLite runs it on the writer thread, in its next group commit: on the main
   * connection it would wait for the writer's lock in SQLite's busy handler, which sleeps on the
   * event loop. PostgreSQL runs it as a statement.
   */
  reserve(query: Query, params: readonly unknown[]): Promise<Row[]>;

  /**
   * Inside a transaction: serialises it with every other transaction taking the same key until
   * it ends (a unique check, a charge against one organisation). PostgreSQL takes a
   * transaction-scoped advisory lock; SQLite needs nothing, its write transaction is exclusive.
   */
  lock(tx: Tx, key: string): Generator<TxOp, void, unknown>;

  /**
   * Inserts the rows whose key is not there yet (ON CONFLICT DO NOTHING) and answers how many it
   * added. Values come encoded (booleans, JSON text: see columns.ts `writer`). PostgreSQL sends
   * each column as one array (`unnest`), a thousand rows a statement.
   */
  insertMissing(
    tx: Tx,
    table: string,
    columns: ReadonlyArray<readonly [name: string, type: SqlColumnType]>,
    rows: ReadonlyArray<readonly unknown[]>,
  ): Generator<TxOp, number, unknown>;

  /**
   * The plan of a statement, for tests: as a large table would get it, `hiddenIndex` (an index a
   * small table's plan would walk whatever the query) out of the choice. PostgreSQL plans with
   * sequential scans priced out and the index dropped in a transaction rolled back; SQLite, which
   * plans without statistics, as it is.
   */
  explain(sql: string, params: readonly unknown[], hiddenIndex: string): Promise<string>;

  /** Whether an error is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;

  // Parameter encoders.
  bool(value: boolean): unknown;
  json(value: unknown): string;
  list(values: readonly string[]): unknown;
  /** Text a client chose (a file name may hold U+0000, which PostgreSQL TEXT cannot). */
  text(value: string): string;
}

/**
 * Rewrites `$1, $2, …` to positional `?` outside quoted text, and answers which parameter each
 * `?` takes (null when they are in order, the common case, so that no array is built per call).
 */
export function toPositional(sql: string): { sql: string; order: number[] | null } {
  const order: number[] = [];
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      out += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      out += c;
      continue;
    }
    const m = c === '$' ? /^\$(\d+)/.exec(sql.slice(i)) : null;
    if (m) {
      order.push(Number(m[1]) - 1);
      out += '?';
      i += m[0].length - 1;
      continue;
    }
    out += c;
  }
  const inOrder = order.every((n, i) => n === i);
  return { sql: out, order: inOrder ? null : order };
}
