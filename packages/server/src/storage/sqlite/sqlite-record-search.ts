import type Database from 'better-sqlite3';
import type { FilterLeaf, RecordFilter, RecordSearchRepository } from '../../domain/ports.js';
import { indexable, servedByIndexes, sqlField } from '../search-indexes.js';
import { storedRecordColumns } from '../sql/tables.js';
import { toStored } from './sqlite-record-data-repository.js';

type Row = Record<string, unknown>;
type SearchInput = Parameters<RecordSearchRepository['search']>[0];

const COLUMNS = storedRecordColumns();
const OPS = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/**
 * Compiles a filter to a WHERE clause. Text is `lower(json_extract(fields, '$.F'))`, written as
 * the search-index migration writes it; a prefix is a range on it (which the index serves) plus
 * an exact `substr` check.
 */
function compile(filter: RecordFilter, params: unknown[], orgId: string, module: string): string {
  if ('and' in filter) return `(${filter.and.map((f) => compile(f, params, orgId, module)).join(' AND ')})`;
  if ('or' in filter) return `(${filter.or.map((f) => compile(f, params, orgId, module)).join(' OR ')})`;
  const sql = leaf(filter, params);
  if (!indexable(filter, module)) return sql;
  // SQLite's OR optimisation looks at each branch alone: an indexed leaf repeats its index's
  // leading `org_id` term and partial condition so that any branch can use it.
  params.push(orgId);
  return `(${sql} AND org_id = ? AND module = '${module}' AND deleted_at IS NULL)`;
}

function leaf(f: FilterLeaf, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return '?';
  };
  let expr: string;
  let guard: string;
  let text = false;
  if ('column' in f.target) {
    const c = f.target.column;
    text = c === 'name';
    expr = text ? 'lower(name)' : c;
    guard = `${c} IS NOT NULL`;
  } else {
    const path = `'$.${sqlField(f.target.field)}'`;
    switch (f.target.as) {
      case 'text':
        text = true;
        expr = `lower(json_extract(fields, ${path}))`;
        guard = `json_type(fields, ${path}) IN ('text', 'integer', 'real')`;
        break;
      case 'date':
        expr = `json_extract(fields, ${path})`;
        guard = `json_type(fields, ${path}) = 'text'`;
        break;
      case 'number':
        expr = `json_extract(fields, ${path})`;
        guard = `json_type(fields, ${path}) IN ('integer', 'real')`;
        break;
      case 'boolean':
        expr = `json_extract(fields, ${path})`;
        guard = `json_type(fields, ${path}) IN ('true', 'false')`;
        break;
      case 'lookup':
        expr = `json_extract(fields, '$.${sqlField(f.target.field)}.id')`;
        guard = `json_type(fields, '$.${f.target.field}.id') = 'text'`;
        break;
    }
  }
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
    case 'contains':
      return `(${guard} AND instr(${expr}, ${v(f.values[0])}) > 0)`;
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
      ORDER BY length(+id) DESC, +id DESC LIMIT ? OFFSET ?`;
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
