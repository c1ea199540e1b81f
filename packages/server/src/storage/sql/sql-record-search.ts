import type { FilterLeaf, RecordFilter, RecordOrder, RecordSearchRepository } from '../../domain/ports.js';
import { indexable, servedByIndexes } from '../search-indexes.js';
import type { Query, SqlDialect } from './dialect.js';
import { storedRecordColumns, storedRecordRow } from './tables.js';

type SearchInput = Parameters<RecordSearchRepository['search']>[0];

const COLUMNS = storedRecordColumns();
const OPS = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/**
 * Record search: a filter compiled to one statement, the dialect spelling each target and text
 * function (SearchSql). Parameters are `$n`, pushed onto `params` as they are written.
 */
export function createSqlRecordSearch(d: SqlDialect): RecordSearchRepository {
  const s = d.search;
  const toStored = storedRecordRow(d);

  function compile(filter: RecordFilter, params: unknown[], module: string): string {
    if ('and' in filter) return `(${filter.and.map((f) => compile(f, params, module)).join(' AND ')})`;
    if ('or' in filter) return `(${filter.or.map((f) => compile(f, params, module)).join(' OR ')})`;
    // "Unknown" counts as "no match" before the negation.
    if ('not' in filter) return `((${compile(filter.not, params, module)})${s.isNotTrue})`;
    const sql = leaf(filter, params);
    if (!indexable(filter, module)) return sql;
    // An indexed leaf carries its index's leading `org_id` term and partial condition, so that
    // each branch of an OR can use its own index (SQLite's OR optimisation looks at each branch
    // alone; PostgreSQL's BitmapOr likewise).
    return `(${sql} AND org_id = $1 AND module = '${module}' AND deleted_at IS NULL)`;
  }

  function leaf(f: FilterLeaf, params: unknown[]): string {
    const { expr, guard, cast, text } = s.target(f.target);
    const p = (x: unknown) => {
      params.push(typeof x === 'boolean' ? d.bool(x) : x);
      return s.typed(`$${params.length}`, cast);
    };
    const v = (x: unknown) => (text ? `lower(${p(x)})` : p(x));
    switch (f.op) {
      case 'eq':
      case 'gt':
      case 'ge':
      case 'lt':
      case 'le':
        return `(${guard} AND ${expr} ${OPS[f.op]} ${v(f.values[0])})`;
      case 'ne':
        return `((${guard})${s.isNotTrue} OR ${expr} IS NULL OR ${expr} <> ${v(f.values[0])})`;
      case 'in':
        return `(${guard} AND ${expr} IN (${f.values.map(v).join(', ')}))`;
      case 'between':
        return `(${guard} AND ${expr} >= ${v(f.values[0])} AND ${expr} <= ${v(f.values[1])})`;
      case 'starts': {
        // A range on the value (which the index serves) plus an exact check.
        const prefix = v(f.values[0]);
        return `(${expr} >= ${prefix} AND ${expr} < (${prefix} || ${s.maxChar}) AND ${s.hasPrefix(expr, prefix)})`;
      }
      case 'ends':
        return `(${guard} AND ${s.hasSuffix(expr, v(f.values[0]))})`;
      case 'contains':
        return `(${guard} AND ${s.contains(expr, v(f.values[0]))})`;
      case 'null':
        return `((${guard})${s.isNotTrue} OR ${expr} IS NULL)`;
    }
  }

  /** ORDER BY for a `RecordOrder` (ports.ts): missing values first ascending, ties by id. */
  function orderSql(order: RecordOrder | undefined, served: boolean): string {
    const { length, id } = s.orderId(served);
    if (!order) return `${length} DESC, ${id} DESC`;
    const dir = order.desc ? 'DESC' : 'ASC';
    if ('column' in order.by && order.by.column === 'id') return `${length} ${dir}, ${id} ${dir}`;
    const { expr, guard } = s.target(order.by);
    const nulls = order.desc ? 'NULLS LAST' : 'NULLS FIRST';
    return `(CASE WHEN ${guard} THEN ${expr} END) ${dir} ${nulls}, ${length}, ${id}`;
  }

  const build = (input: SearchInput) => {
    const params: unknown[] = [input.orgId];
    // The module is a literal (checked against the module list upstream) so that the partial
    // indexes, whose WHERE names it, apply to every plan.
    if (!/^[A-Za-z]+$/.test(input.module)) throw new Error(`bad module ${input.module}`);
    const where = compile(input.filter, params, input.module);
    let owners = '';
    if (input.ownerIds !== null) {
      params.push(d.list(input.ownerIds));
      owners = `AND ${d.fragments.inList('owner_id', `$${params.length}`)}`;
    }
    params.push(input.limit, input.offset);
    const served = servedByIndexes(input.filter, input.module);
    const sql = `SELECT ${COLUMNS} FROM records
      WHERE ${s.outer(input.module, served)} AND deleted_at IS NULL AND ${where} ${owners}
      ORDER BY ${orderSql(input.order, served)} LIMIT $${params.length - 1} OFFSET $${params.length}`;
    return { sql, params };
  };

  // Criteria shapes repeat (the same integration asks the same question), so statements are kept.
  const statements = new Map<string, Query>();
  const prepared = (sql: string) => {
    let q = statements.get(sql);
    if (!q) {
      if (statements.size >= 256) statements.clear();
      q = d.prepareDynamic(sql);
      statements.set(sql, q);
    }
    return q;
  };

  return {
    search: async (input) => {
      const { sql, params } = build(input);
      return (await d.all(prepared(sql), params)).map(toStored);
    },
    explain: async (input) => {
      const { sql, params } = build(input);
      return d.explain(sql, params, 'records_live_by_module');
    },
  };
}
