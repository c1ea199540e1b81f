import type { Row, RowDecoder, SqlColumnType, SqlDialect } from './dialect.js';

/**
 * How one column's value crosses between the domain and a dialect: its SQL type (for bulk
 * inserts) and how it is encoded as a parameter and decoded from a row. The dialect does the
 * parts that differ (booleans, JSON, text that may hold U+0000).
 */
export interface Codec<T> {
  readonly type: SqlColumnType;
  read(d: RowDecoder, value: unknown): T;
  write(d: SqlDialect, value: T): unknown;
}

/** Codecs that pass values through unchanged both ways (the compiled reader reads them inline). */
const PLAIN = new WeakSet<Codec<unknown>>();

const plain = <T>(type: SqlColumnType): Codec<T> => {
  const codec: Codec<T> = { type, read: (_d, v) => v as T, write: (_d, v) => v };
  PLAIN.add(codec as Codec<unknown>);
  return codec;
};

export const text = plain<string>('text');
/** Text holding one of a closed set of values (a data center, a kind). */
export const textAs = <T extends string>(): Codec<T> => plain<T>('text');
export const textOrNull = plain<string | null>('text');
export const int = plain<number>('bigint');
export const intOrNull = plain<number | null>('bigint');
/** Text a client chose: may hold U+0000 (see SqlDialect.text). */
export const clientText: Codec<string> = {
  type: 'text',
  read: (d, v) => d.readText(v),
  write: (d, v) => d.text(v),
};
export const clientTextOrNull: Codec<string | null> = {
  type: 'text',
  read: (d, v) => (v === null ? null : d.readText(v)),
  write: (d, v) => (v === null ? null : d.text(v)),
};
export const bool: Codec<boolean> = {
  type: 'boolean',
  read: (d, v) => d.readBool(v),
  write: (d, v) => d.bool(v),
};
/** JSON kept as written (PostgreSQL `json`: key order is part of what the API answers). */
export const json = <T>(): Codec<T> => ({
  type: 'json',
  read: (d, v) => d.readJson<T>(v),
  write: (d, v) => d.json(v),
});
/** JSON whose key order does not matter (PostgreSQL `jsonb`). */
export const jsonb = <T>(): Codec<T> => ({
  type: 'jsonb',
  read: (d, v) => d.readJson<T>(v),
  write: (d, v) => d.json(v),
});

// biome-ignore lint/suspicious/noExplicitAny: a column list holds codecs of every value type.
export type Columns = Record<string, readonly [column: string, codec: Codec<any>]>;
export type RowOf<C extends Columns> = { [K in keyof C]: C[K][1] extends Codec<infer T> ? T : never };

/** A table: its name and its columns, keyed by the domain's property names. */
export interface Table<C extends Columns> {
  readonly name: string;
  readonly columns: C;
}

export const table = <C extends Columns>(name: string, columns: C): Table<C> => ({ name, columns });

/** `a, b, c` for the given properties, optionally qualified (`r.a, r.b`). */
export function columnList<C extends Columns>(
  t: Table<C>,
  keys: readonly (keyof C)[],
  alias?: string,
): string {
  return keys.map((k) => (alias ? `${alias}.${t.columns[k]![0]}` : t.columns[k]![0])).join(', ');
}

/** Every property of a table, in the order declared. */
export const allKeys = <C extends Columns>(t: Table<C>): (keyof C)[] => Object.keys(t.columns);

/**
 * A row mapper for the given properties, made once per repository: reads each column by name
 * with its codec, into an object whose keys are in the order given.
 *
 * Compiled to one object literal (`{ id: row.id, name: codecs[1].read(d, row.name), … }`): built
 * key by key in a loop, every row went through V8's generic keyed stores and shape transitions,
 * about 10 µs a row for an attachment (measured), which a 10-item list paid eleven times. The
 * source holds only the table definition's own names, quoted with JSON.stringify.
 */
export function reader<C extends Columns, K extends keyof C>(
  d: RowDecoder,
  t: Table<C>,
  keys: readonly K[],
): (row: Row) => Pick<RowOf<C>, K> {
  const codecs = keys.map((k) => t.columns[k]![1]);
  const fields = keys.map((k, i) => {
    const column = `row[${JSON.stringify(t.columns[k]![0])}]`;
    const value = PLAIN.has(codecs[i]!) ? column : `codecs[${i}].read(d, ${column})`;
    return `${JSON.stringify(String(k))}: ${value}`;
  });
  const make = new Function('codecs', 'd', `return (row) => ({ ${fields.join(', ')} });`) as (
    codecs: readonly Codec<unknown>[],
    d: RowDecoder,
  ) => (row: Row) => Pick<RowOf<C>, K>;
  return make(codecs, d);
}

/** The encoded parameters for the given properties of a value, in order. */
export function writer<C extends Columns, K extends keyof C>(
  d: SqlDialect,
  t: Table<C>,
  keys: readonly K[],
): (value: Pick<RowOf<C>, K>) => unknown[] {
  const cols = keys.map((k) => [k, t.columns[k]![1]] as const);
  return (value) => cols.map(([k, codec]) => codec.write(d, value[k]));
}

/** `INSERT INTO t (a, b) VALUES ($1, $2)` for the given properties (add an ON CONFLICT clause after). */
export function insertSql<C extends Columns>(t: Table<C>, keys: readonly (keyof C)[]): string {
  return `INSERT INTO ${t.name} (${columnList(t, keys)}) VALUES (${keys.map((_k, i) => `$${i + 1}`).join(', ')})`;
}

/** Column names and types, for SqlDialect.insertMissing (values raw: the dialect encodes them by type). */
export function bulkColumns<C extends Columns>(
  t: Table<C>,
  keys: readonly (keyof C)[],
): Array<readonly [string, SqlColumnType]> {
  return keys.map((k) => [t.columns[k]![0], t.columns[k]![1].type] as const);
}
