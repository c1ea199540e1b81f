import pg from 'pg';

/** A pool or a checked-out client: what a repository needs to run one statement. */
export type Queryable = Pick<pg.Pool, 'query'>;

export type Row = Record<string, unknown>;

export const str = (v: unknown): string => v as string;
export const num = (v: unknown): number => v as number;
export const numOrNull = (v: unknown): number | null => (v === null ? null : (v as number));
export const strOrNull = (v: unknown): string | null => (v === null ? null : (v as string));

const INT8_OID = 20;

/**
 * Type parsers for this store's pool only (not pg's global ones): BIGINT columns hold
 * millisecond times, sizes and sequences, all far below 2^53, so they are read as numbers.
 */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Runs `fn` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when
 * it throws. READ COMMITTED (PostgreSQL's default) is enough for every use here: each contended
 * write is a single UPDATE whose WHERE clause is re-checked on the row's newest version, or a
 * SELECT … FOR UPDATE SKIP LOCKED.
 */
export function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inOwnTransaction(pool, async (client) => {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  });
}

/**
 * Runs `fn`, which sends BEGIN and COMMIT itself (a pipelining client sends them with the
 * statements between, without waiting), on one pooled connection; a ROLLBACK when it throws.
 */
export async function inOwnTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // A connection the server drops between two statements (a restart, pg_terminate_backend)
  // reports it as an 'error' event, which the pool listens for only on idle connections: without
  // this listener it would crash the process. The next statement fails, and the connection is
  // not handed back.
  const dropped = () => {
    broken = true;
  };
  client.on('error', dropped);
  try {
    return await fn(client);
  } catch (error) {
    try {
      // Outside a transaction (it ended in a failed COMMIT) only a warning.
      await client.query('ROLLBACK');
    } catch {
      // The connection itself failed: do not hand it back to the pool.
      broken = true;
    }
    throw error;
  } finally {
    client.off('error', dropped);
    client.release(broken);
  }
}

/**
 * PostgreSQL TEXT cannot hold U+0000, which a file name may contain (RFC 5987 `%00`). Such text
 * is stored with U+0000 as ESC + "0" and ESC itself as ESC + ESC, ESC being U+FFFF (a
 * noncharacter no client sends in practice), so every other string is stored unchanged.
 */
const ESC = '\uffff';
export const toPgText = (s: string): string =>
  s.includes('\u0000') || s.includes(ESC) ? s.replaceAll(ESC, ESC + ESC).replaceAll('\u0000', `${ESC}0`) : s;
export const fromPgText = (v: unknown): string => {
  const s = v as string;
  return s.includes(ESC)
    ? s.replace(/\uffff([\uffff0])/g, (_m, c: string) => (c === '0' ? '\u0000' : ESC))
    : s;
};
