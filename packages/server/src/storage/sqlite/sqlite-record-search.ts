import type Database from 'better-sqlite3';
import type { FilterLeaf, RecordFilter, RecordOrder, RecordSearchRepository } from '../../domain/ports.js';
import { indexable, servedByIndexes, sqlField } from '../search-indexes.js';
import { SQLITE_DECODER } from '../sql/sqlite-dialect.js';
import { storedRecordColumns, storedRecordRow } from '../sql/tables.js';

type Row = Record<string, unknown>;
type SearchInput = Parameters<RecordSearchRepository['search']>[0];

const COLUMNS = storedRecordColumns();
const toStored = storedRecordRow(SQLITE_DECODER);
const OPS = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/**
 * Compiles a filter to a WHERE clause. Text is `lower(json_extract(fields, '$.F'))`, written as
 * the search-index migration writes it; a prefix is a range on it (which the index serves) plus
 * an exact `substr` check.
 */
function compile(filter: RecordFilter, params: unknown[], orgId: string, module: string): string {
  if ('and' in filter) return `(${filter.and.map((f) => compile(f, params, orgId, module)).join(' AND ')})`;
  if ('or' in filter) return `(${filter.or.map((f) => compile(f, params, orgId, module)).join(' OR ')})`;
  // Every compiled filter is 0, 1 or NULL; `IS NOT 1` makes "unknown" count as "no match" first.
  if ('not' in filter) return `((${compile(filter.not, params, orgId, module)}) IS NOT 1)`;
  const sql = leaf(filter, params);
  if (!indexable(filter, module)) return sql;
  // SQLite's OR optimisation looks at each branch alone: an indexed leaf repeats its index's
  // leading `org_id` term and partial condition so that any branch can use it.
  params.push(orgId);
  return `(${sql} AND org_id = ? AND module = '${module}' AND deleted_at IS NULL)`;
}

/** A target's SQL value, the condition under which it holds a value of its kind, and whether it is text. */
function targetSql(target: FilterLeaf['target']): { expr: string; guard: string; text: boolean } {
  if ('column' in target) {
    const c = target.column;
    const text = c === 'name';
    return { expr: text ? 'lower(name)' : c, guard: `${c} IS NOT NULL`, text };
  }
  const path = `'$.${sqlField(target.field)}'`;
  switch (target.as) {
    case 'text':
      return {
        expr: `lower(json_extract(fields, ${path}))`,
        guard: `json_type(fields, ${path}) IN ('text', 'integer', 'real')`,
        text: true,
      };
    case 'date':
      return {
        expr: `json_extract(fields, ${path})`,
        guard: `json_type(fields, ${path}) = 'text'`,
        text: false,
      };
    case 'number':
      return {
        expr: `json_extract(fields, ${path})`,
        guard: `json_type(fields, ${path}) IN ('integer', 'real')`,
        text: false,
      };
    case 'boolean':
      return {
        expr: `json_extract(fields, ${path})`,
        guard: `json_type(fields, ${path}) IN ('true', 'false')`,
        text: false,
      };
    case 'lookup':
      return {
        expr: `json_extract(fields, '$.${sqlField(target.field)}.id')`,
        guard: `json_type(fields, '$.${target.field}.id') = 'text'`,
        text: false,
      };
  }
}

/** ORDER BY for a `RecordOrder` (ports.ts): missing values first ascending, ties by id. */
function orderSql(order: RecordOrder): string {
  const dir = order.desc ? 'DESC' : 'ASC';
  if ('column' in order.by && order.by.column === 'id') return `length(+id) ${dir}, +id ${dir}`;
  const { expr, guard } = targetSql(order.by);
  const nulls = order.desc ? 'NULLS LAST' : 'NULLS FIRST';
  return `(CASE WHEN ${guard} THEN ${expr} END) ${dir} ${nulls}, length(+id), +id`;
}

function leaf(f: FilterLeaf, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return '?';
  };
  const { expr, guard, text } = targetSql(f.target);
  const v = (x: unknown) => (text ? `lower(${p(x)})` : p(x));
  switch (f.op) {
    case 'eq':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return `(${guard} AND ${expr} ${OPS[f.op]} ${v(f.values[0])})`;
    case 'ne':
      return `(NOT (${guard}) OR ${expr} IS NULL OR ${expr} <> ${v(f.values[0])})`;
    case 'in':
      return `(${guard} AND ${expr} IN (${f.values.map(v).join(', ')}))`;
    case 'between':
      return `(${guard} AND ${expr} >= ${v(f.values[0])} AND ${expr} <= ${v(f.values[1])})`;
    case 'starts': {
      const lo = v(f.values[0]);
      const hi = `${v(f.values[0])} || char(1114111)`;
      return `(${expr} >= ${lo} AND ${expr} < ${hi} AND substr(${expr}, 1, length(${v(f.values[0])})) = ${v(f.values[0])})`;
    }
    case 'ends': {
      const suffix = v(f.values[0]);
      return `(${guard} AND length(${expr}) >= length(${suffix}) AND substr(${expr}, length(${expr}) - length(${v(f.values[0])}) + 1) = ${v(f.values[0])})`;
    }
    case 'contains':
      return `(${guard} AND instr(${expr}, ${v(f.values[0])}) > 0)`;
    case 'null':
      return `((${guard}) IS NOT 1 OR ${expr} IS NULL)`;
  }
}

export function createSqliteRecordSearch(db: Database.Database): RecordSearchRepository {
  // Criteria shapes repeat (the same integration asks the same question), so statements are kept.
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let st = statements.get(sql);
    if (!st) {
      if (statements.size >= 256) statements.clear();
      st = db.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  };
  // The ORDER BY is written so that no index matches it (`+id`): otherwise, without statistics,
  // SQLite walks the module's id index in order and filters every row, a scan of the module,
  // instead of looking the value up in its search index and sorting the few matches.
  const build = (input: SearchInput) => {
    const params: unknown[] = [input.orgId];
    // The module is a literal (checked against the module list upstream) so that the partial
    // indexes, whose WHERE names it, apply.
    if (!/^[A-Za-z]+$/.test(input.module)) throw new Error(`bad module ${input.module}`);
    const where = compile(input.filter, params, input.orgId, input.module);
    let owners = '';
    if (input.ownerIds !== null) {
      owners = 'AND owner_id IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(input.ownerIds));
    }
    params.push(input.limit, input.offset);
    // When indexes serve the filter, the outer terms are kept from the module's own index
    // (`+`), which SQLite would otherwise prefer without statistics: a scan of the module.
    const plus = servedByIndexes(input.filter, input.module) ? '+' : '';
    const sql = `SELECT ${COLUMNS} FROM records
      WHERE ${plus}org_id = ? AND ${plus}module = '${input.module}' AND deleted_at IS NULL AND ${where} ${owners}
      ORDER BY ${input.order ? orderSql(input.order) : 'length(+id) DESC, +id DESC'} LIMIT ? OFFSET ?`;
    return { sql, params };
  };
  return {
    search: async (input) => {
      const { sql, params } = build(input);
      return (prepared(sql).all(...params) as Row[]).map(toStored);
    },
    explain: async (input) => {
      const { sql, params } = build(input);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Row[])
        .map((r) => String(r.detail))
        .join('\n');
    },
  };
}
