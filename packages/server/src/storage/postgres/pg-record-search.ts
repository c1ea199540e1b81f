import type pg from 'pg';
import type { FilterLeaf, RecordFilter, RecordOrder, RecordSearchRepository } from '../../domain/ports.js';
import { indexable, servedByIndexes, sqlField } from '../search-indexes.js';
import { PG_DECODER } from '../sql/pg-dialect.js';
import { storedRecordColumns, storedRecordRow } from '../sql/tables.js';
import type { Row } from './pg-support.js';

type SearchInput = Parameters<RecordSearchRepository['search']>[0];

const COLUMNS = storedRecordColumns();
const toStored = storedRecordRow(PG_DECODER);
const OPS = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/**
 * Compiles a filter to a WHERE clause. Text is `lower(fields ->> 'F') COLLATE "C"`, written as
 * the search-index migration writes it, so that equality and prefix ranges use the index and
 * compare bytewise (as SQLite does).
 */
function compile(filter: RecordFilter, params: unknown[], module: string): string {
  if ('and' in filter) return `(${filter.and.map((f) => compile(f, params, module)).join(' AND ')})`;
  if ('or' in filter) return `(${filter.or.map((f) => compile(f, params, module)).join(' OR ')})`;
  // `IS NOT TRUE` makes "unknown" count as "no match" before the negation.
  if ('not' in filter) return `((${compile(filter.not, params, module)}) IS NOT TRUE)`;
  const sql = leaf(filter, params);
  if (!indexable(filter, module)) return sql;
  // An indexed leaf carries its index's leading `org_id` term and partial condition, so that
  // each branch of an OR can use its own index (a BitmapOr).
  return `(${sql} AND org_id = $1 AND module = '${module}' AND deleted_at IS NULL)`;
}

/**
 * A target's SQL value, the condition under which it holds a value of its kind, the parameter
 * cast, and whether it is text.
 */
function targetSql(target: FilterLeaf['target']): {
  expr: string;
  guard: string;
  cast: string;
  text: boolean;
} {
  if ('column' in target) {
    const c = target.column;
    const time = c === 'created_at' || c === 'modified_at';
    if (c === 'name')
      return { expr: 'lower(name) COLLATE "C"', guard: 'name IS NOT NULL', cast: 'text', text: true };
    return {
      expr: time ? c : `${c} COLLATE "C"`,
      guard: `${c} IS NOT NULL`,
      cast: time ? 'bigint' : 'text',
      text: false,
    };
  }
  const name = sqlField(target.field);
  switch (target.as) {
    case 'text':
      return {
        expr: `lower(fields ->> '${name}') COLLATE "C"`,
        guard: `json_typeof(fields -> '${name}') IN ('string', 'number')`,
        cast: 'text',
        text: true,
      };
    case 'date':
      return {
        expr: `(fields ->> '${name}') COLLATE "C"`,
        guard: `json_typeof(fields -> '${name}') = 'string'`,
        cast: 'text',
        text: false,
      };
    case 'number':
      // The CASE keeps the cast away from values that are not numbers.
      return {
        expr: `(CASE WHEN json_typeof(fields -> '${name}') = 'number' THEN (fields ->> '${name}')::numeric END)`,
        guard: `json_typeof(fields -> '${name}') = 'number'`,
        cast: 'numeric',
        text: false,
      };
    case 'boolean':
      return {
        expr: `(CASE WHEN json_typeof(fields -> '${name}') = 'boolean' THEN (fields ->> '${name}')::boolean END)`,
        guard: `json_typeof(fields -> '${name}') = 'boolean'`,
        cast: 'boolean',
        text: false,
      };
    case 'lookup':
      return {
        expr: `(fields -> '${name}' ->> 'id') COLLATE "C"`,
        guard: `json_typeof(fields -> '${name}' -> 'id') = 'string'`,
        cast: 'text',
        text: false,
      };
  }
}

/** ORDER BY for a `RecordOrder` (ports.ts): missing values first ascending, ties by id. */
function orderSql(order: RecordOrder, served: boolean): string {
  const dir = order.desc ? 'DESC' : 'ASC';
  const id = served ? `(id || '') COLLATE "C"` : 'id COLLATE "C"';
  if ('column' in order.by && order.by.column === 'id') return `length(id) ${dir}, ${id} ${dir}`;
  const { expr, guard } = targetSql(order.by);
  const nulls = order.desc ? 'NULLS LAST' : 'NULLS FIRST';
  return `(CASE WHEN ${guard} THEN ${expr} END) ${dir} ${nulls}, length(id), ${id}`;
}

function leaf(f: FilterLeaf, params: unknown[]): string {
  const p = (v: unknown, cast: string) => {
    params.push(v);
    return `$${params.length}::${cast}`;
  };
  const { expr, guard, cast, text } = targetSql(f.target);
  const v = (x: unknown) => (text ? `lower(${p(x, cast)})` : p(x, cast));
  switch (f.op) {
    case 'eq':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return `(${guard} AND ${expr} ${OPS[f.op]} ${v(f.values[0])})`;
    case 'ne':
      return `(${guard} IS NOT TRUE OR ${expr} IS NULL OR ${expr} <> ${v(f.values[0])})`;
    case 'in':
      return `(${guard} AND ${expr} IN (${f.values.map(v).join(', ')}))`;
    case 'between':
      return `(${guard} AND ${expr} >= ${v(f.values[0])} AND ${expr} <= ${v(f.values[1])})`;
    case 'starts': {
      const prefix = v(f.values[0]);
      return `(${expr} >= ${prefix} AND ${expr} < (${prefix} || chr(1114111)) AND starts_with(${expr}, ${prefix}))`;
    }
    case 'ends': {
      const suffix = v(f.values[0]);
      return `(${guard} AND right(${expr}, char_length(${suffix})) = ${suffix})`;
    }
    case 'contains':
      return `(${guard} AND strpos(${expr}, ${v(f.values[0])}) > 0)`;
    case 'null':
      return `((${guard}) IS NOT TRUE OR ${expr} IS NULL)`;
  }
}

export class PgRecordSearch implements RecordSearchRepository {
  constructor(private readonly pool: pg.Pool) {}

  private build(input: SearchInput) {
    const params: unknown[] = [input.orgId];
    // The module is a literal (checked against the module list upstream) so that the partial
    // indexes, whose WHERE names it, apply to every plan.
    if (!/^[A-Za-z]+$/.test(input.module)) throw new Error(`bad module ${input.module}`);
    const where = compile(input.filter, params, input.module);
    let owners = '';
    if (input.ownerIds !== null) {
      params.push(input.ownerIds);
      owners = `AND owner_id = ANY($${params.length}::text[])`;
    }
    params.push(input.limit, input.offset);
    // When indexes serve the filter, the outer terms are written so that the module's id index
    // cannot use them (`org_id || ''`): walking that index in id order and filtering is a scan of
    // the module, which the planner picks on small or unanalysed tables; so is the ORDER BY.
    const served = servedByIndexes(input.filter, input.module);
    const org = served ? "(org_id || '')" : 'org_id';
    const order = input.order
      ? orderSql(input.order, served)
      : served
        ? `length(id) DESC, (id || '') COLLATE "C" DESC`
        : 'length(id) DESC, id COLLATE "C" DESC';
    const sql = `SELECT ${COLUMNS} FROM records
      WHERE ${org} = $1 AND module = '${input.module}' AND deleted_at IS NULL AND ${where} ${owners}
      ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}`;
    return { sql, params };
  }

  async search(input: SearchInput) {
    const { sql, params } = this.build(input);
    const { rows } = await this.pool.query<Row>(sql, params);
    return rows.map(toStored);
  }

  /**
   * The plan as a large table would get it, for tests only: on a small table the planner walks
   * the module's id index whatever the filter, so this plans with sequential scans priced out and
   * that index dropped inside a transaction that is rolled back. A query no search index serves
   * still shows a scan.
   */
  async explain(input: SearchInput) {
    const { sql, params } = this.build(input);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('DROP INDEX records_live_by_module');
      const { rows } = await client.query<Row>(`EXPLAIN ${sql}`, params);
      return rows.map((r) => String(r['QUERY PLAN'])).join('\n');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }
}
