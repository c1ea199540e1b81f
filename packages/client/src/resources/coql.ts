import { BiginError } from '../errors.js';
import type { Transport } from '../internal/transport.js';
import type { BiginRecord, RequestOptions } from '../types.js';

/** Bigin's COQL limits (docs/coql.md): 200 records a call, the first 10,000 in all. */
export const COQL_MAX_PER_CALL = 200;
export const COQL_MAX_RECORDS = 10_000;

/** One COQL answer; a query that matches nothing (Bigin's 204) is an empty one. */
export interface CoqlAnswer<T = BiginRecord> {
  data: T[];
  info: { count: number; more_records: boolean };
}

export interface CoqlIterateOptions extends RequestOptions {
  /** Records a call (1–200, default 200). */
  pageSize?: number;
}

/** Strings and quoted names blanked out, so that a keyword inside a value is not taken for a clause. */
const unquoted = (query: string) => query.replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, "''");

/** COQL queries: POST /bigin/v2/coql (v2 only, whatever the client's API version). */
export class Coql {
  constructor(private readonly transport: Transport) {}

  /** Runs one `select_query` as written (its own `limit` and `offset`, 200 at most). */
  async query<T = BiginRecord>(selectQuery: string, options?: RequestOptions): Promise<CoqlAnswer<T>> {
    const answer = await this.transport.requestJson(
      { method: 'POST', path: '/bigin/v2/coql', json: { select_query: selectQuery } },
      options,
    );
    if (answer.status === 204 || answer.body === undefined)
      return { data: [], info: { count: 0, more_records: false } };
    const body = answer.body as Partial<CoqlAnswer<T>>;
    if (!Array.isArray(body.data))
      throw new BiginError(`unexpected answer (HTTP ${answer.status}) without data[]`);
    return { data: body.data, info: body.info ?? { count: body.data.length, more_records: false } };
  }

  /**
   * Every record a query without `limit`/`offset` selects, page after page: the SDK appends
   * `limit <pageSize> offset <n>` and stops when Bigin says no more remain, or at the 10,000th.
   */
  async *iterate<T = BiginRecord>(selectQuery: string, options: CoqlIterateOptions = {}): AsyncGenerator<T> {
    const { pageSize = COQL_MAX_PER_CALL, ...rest } = options;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > COQL_MAX_PER_CALL)
      throw new RangeError(`COQL pages hold 1 to ${COQL_MAX_PER_CALL} records, got ${pageSize}`);
    const base = selectQuery.trim().replace(/;$/, '');
    if (/\b(limit|offset)\b/i.test(unquoted(base)))
      throw new RangeError('iterate() pages with limit and offset itself: leave them out of the query');
    for (let offset = 0; offset < COQL_MAX_RECORDS; offset += pageSize) {
      const size = Math.min(pageSize, COQL_MAX_RECORDS - offset);
      const page = await this.query<T>(`${base} limit ${size} offset ${offset}`, rest);
      yield* page.data;
      if (!page.info.more_records || page.data.length === 0) return;
    }
  }
}
