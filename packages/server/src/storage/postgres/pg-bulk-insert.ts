import type { Queryable } from './pg-support.js';

export type PgColumnType = 'text' | 'bigint' | 'boolean' | 'jsonb' | 'json';

/** Rows per statement: large enough to make round trips negligible, small enough for one message. */
const BATCH = 1000;

/**
 * Inserts rows that are not there yet (`ON CONFLICT DO NOTHING`, so a row whose key exists, even
 * one inserted by a concurrent transaction, is skipped) and returns how many were added. One
 * statement per thousand rows: each column travels as one array, unnested on the server.
 */
export async function insertMissing(
  db: Queryable,
  table: string,
  columns: ReadonlyArray<readonly [name: string, type: PgColumnType]>,
  rows: ReadonlyArray<readonly unknown[]>,
): Promise<number> {
  let inserted = 0;
  const names = columns.map(([name]) => name).join(', ');
  // JSON travels as text and is cast once unnested; the others have array types of their own.
  const isJson = (type: PgColumnType) => type === 'jsonb' || type === 'json';
  const params = columns.map(([, type], i) => `$${i + 1}::${isJson(type) ? 'text' : type}[]`).join(', ');
  const select = columns.map(([name, type]) => (isJson(type) ? `${name}::${type}` : name)).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${params}) AS u (${names})
               ON CONFLICT DO NOTHING`;
  for (let at = 0; at < rows.length; at += BATCH) {
    const batch = rows.slice(at, at + BATCH);
    const values = columns.map(([, type], i) =>
      batch.map((row) => (isJson(type) ? JSON.stringify(row[i]) : row[i])),
    );
    inserted += (await db.query(sql, values)).rowCount ?? 0;
  }
  return inserted;
}
