import type { Query, SqlDialect } from './dialect.js';

/** Page shapes kept prepared per statement family: most clients page with one or two. */
const KEPT = 16;

/**
 * Statements of one family whose LIMIT (and OFFSET, when there is one) are written into the text.
 * SQLite's planner reads a bound LIMIT's value, so it re-prepares a statement with a bound LIMIT
 * (parse and plan again) every time the value is bound: about 35 µs a list, measured with a probe
 * on sqlite3Reprepare (docs/benchmarks.md). `sql(limit, offset)` builds the statement with the
 * page's numbers as literals (`offset` is null for a family without one); the most recently used
 * shapes are kept, the rest prepared again when asked for.
 *
 * `page` answers the statement for a page; its parameters are the family's own, without the page.
 */
export function pageStatements(
  d: SqlDialect,
  sql: (limit: number, offset: number | null) => string,
): (limit: number, offset?: number | null) => Query {
  const shapes = new Map<string, Query>();
  return (limit, offset = null) => {
    // Integers only reach the text: the domain's page parsing makes them so; anything else is a bug.
    if (!Number.isSafeInteger(limit) || (offset !== null && !Number.isSafeInteger(offset)))
      throw new Error(`page must be integers, got ${limit} ${offset}`);
    const key = `${limit} ${offset}`;
    let q = shapes.get(key);
    if (q) {
      shapes.delete(key); // most recently used last
    } else {
      q = d.prepareDynamic(sql(limit, offset));
      if (shapes.size >= KEPT) shapes.delete(shapes.keys().next().value!);
    }
    shapes.set(key, q);
    return q;
  };
}
