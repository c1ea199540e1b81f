import type { ModuleApiName } from '@bigin-attachments/contract';
import type { DataType, OrgCustomization } from '../metadata/field-model.js';
import { moduleFields } from '../metadata/module-metadata.js';
import type { FilterLeaf, RecordFilter, RecordOrder } from '../ports.js';
import { coqlErrors } from './coql-errors.js';
import type { CoqlColumn, CoqlCondition, CoqlQuery, CoqlValue } from './coql-parser.js';

/** Zoho's COQL limits (CRM COQL-Limitations; Bigin's overview for 200 a call and 10,000 in all). */
export const COQL_LIMITS = {
  perCall: 200,
  total: 10_000,
  columns: 50,
  criteria: 25,
  inValues: 50,
  joins: 2,
} as const;

/** How a field is compared: the kinds of Bigin's "field types and their allowed comparators". */
type Kind = 'text' | 'number' | 'date' | 'datetime' | 'boolean' | 'lookup' | 'id';

const COMPARATORS: Readonly<Record<Kind, readonly string[]>> = (() => {
  const nulls = ['is null', 'is not null'];
  const ordered = ['=', '!=', '>', '>=', '<', '<=', 'between', 'not between', 'in', 'not in', ...nulls];
  return {
    text: ['=', '!=', 'like', 'not like', 'in', 'not in', ...nulls],
    lookup: ['=', '!=', 'in', 'not in', ...nulls],
    id: ['=', '!=', 'in', 'not in', ...nulls],
    number: ordered,
    date: ordered,
    datetime: ordered,
    boolean: ['='],
  };
})();

/** Fields that reads compute from a column (render-record.ts), compared on that column. */
const COLUMN_OF = {
  Owner: 'owner_id',
  Created_By: 'created_by',
  Modified_By: 'modified_by',
  Created_Time: 'created_at',
  Modified_Time: 'modified_at',
  Last_Activity_Time: 'modified_at',
  Full_Name: 'name',
} as const;

/** Fields reads compute from nothing stored (constants): no criteria or order can mean anything. */
const COMPUTED = new Set(['Locked__s', 'Record_Creation_Source_ID__s', 'Account_Number']);

const KIND_OF: Partial<Record<DataType, Kind>> = {
  text: 'text',
  email: 'text',
  phone: 'text',
  website: 'text',
  picklist: 'text',
  integer: 'number',
  bigint: 'number',
  double: 'number',
  currency: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  lookup: 'lookup',
  ownerlookup: 'lookup',
};

interface Field {
  name: string;
  kind: Kind;
  target: FilterLeaf['target'];
}

/** A selected field of a looked-up record: `Account_Name.Account_Name` (one level). */
export interface CoqlJoin {
  /** The answer's key, as written in the query. */
  key: string;
  lookup: string;
  module: ModuleApiName;
  field: string;
}

export interface CompiledCoql {
  module: ModuleApiName;
  /** Selected API names of the module in query order (`id` included when named). */
  select: string[];
  joins: CoqlJoin[];
  /** Selected lookups, rendered as `{"id":…}` only (the reference: a lookup returns its id). */
  lookups: Set<string>;
  filter: RecordFilter;
  order: RecordOrder;
  limit: number;
  offset: number;
}

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})$/;
const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;
const ID = /^[0-9]{1,19}$/;
/** Every live record has an id: the filter of a query without `where`. */
const EVERY_RECORD: RecordFilter = { not: { target: { column: 'id' }, op: 'null', values: [] } };

/** Checks a parsed query against the module's fields and Zoho's limits, and builds the search. */
export function compileCoql(
  query: CoqlQuery,
  module: ModuleApiName,
  customization: OrgCustomization,
): CompiledCoql {
  const model = moduleFields(module, customization);
  const where = { criteria: 0 };

  const checkJoins = (col: CoqlColumn) => {
    if (col.path.length - 1 > COQL_LIMITS.joins) throw coqlErrors.limit('joins', COQL_LIMITS.joins);
    if (col.path.length > 1) throw coqlErrors.joinsNotServed(col.path.join('.'));
  };
  /** One level through a record lookup, in `select` only; owner lookups and deeper joins are not served. */
  const join = (col: CoqlColumn): CoqlJoin => {
    if (col.path.length - 1 > COQL_LIMITS.joins) throw coqlErrors.limit('joins', COQL_LIMITS.joins);
    const key = col.path.join('.');
    const [lookup, field] = col.path as [string, string];
    const def = model.byName.get(lookup);
    if (!def) throw coqlErrors.invalidColumn(lookup, col.at);
    if (
      col.path.length > 2 ||
      def.dataType !== 'lookup' ||
      def.lookup === undefined ||
      def.lookup === 'se_module'
    )
      throw coqlErrors.joinsNotServed(key);
    const target = def.lookup;
    if (field !== 'id' && !moduleFields(target, customization).byName.has(field))
      throw coqlErrors.invalidColumn(key, col.at);
    return { key, lookup, module: target, field };
  };
  const field = (col: CoqlColumn, use: 'select' | 'criteria' | 'order'): Field => {
    checkJoins(col);
    const name = col.path[0]!;
    if (name === 'id') return { name, kind: 'id', target: { column: 'id' } };
    const def = model.byName.get(name);
    if (!def) throw coqlErrors.invalidColumn(name, col.at);
    if (use === 'select') return { name, kind: 'text', target: { field: name, as: 'text' } };
    if (COMPUTED.has(name)) throw coqlErrors.notServed(`${use} on the computed field ${name}`);
    if (def.dataType === 'textarea' && use === 'criteria')
      throw coqlErrors.invalidQuery('multi-line fields are not allowed in criteria', { column_name: name });
    const kind = def.list ? undefined : def.dataType === 'textarea' ? 'text' : KIND_OF[def.dataType];
    if (!kind)
      throw coqlErrors.invalidQuery('the data type of the field is not supported', { column_name: name });
    const column = COLUMN_OF[name as keyof typeof COLUMN_OF];
    if (column) return { name, kind, target: { column } };
    const as =
      kind === 'number'
        ? 'number'
        : kind === 'boolean'
          ? 'boolean'
          : kind === 'lookup'
            ? 'lookup'
            : kind === 'date' || kind === 'datetime'
              ? 'date'
              : 'text';
    return { name, kind, target: { field: name, as } };
  };

  const convert = (f: Field, v: CoqlValue): string | number | boolean => {
    const bad = () => coqlErrors.invalidQuery('invalid value', { column_name: f.name, value: v.text });
    const quotedOrBare = v.kind === 'string' || v.kind === 'word' || v.kind === 'number';
    switch (f.kind) {
      case 'text':
        if (!quotedOrBare) throw bad();
        return v.text;
      case 'number':
        if (!NUMBER.test(v.text) || v.kind === 'word') throw bad();
        return Number(v.text);
      case 'boolean':
        if (v.text !== 'true' && v.text !== 'false') throw bad();
        return v.text === 'true';
      case 'date':
        if (v.kind !== 'string' || !DATE.test(v.text)) throw bad();
        return v.text;
      case 'datetime': {
        const ms = v.kind === 'string' && DATE_TIME.test(v.text) ? Date.parse(v.text) : Number.NaN;
        if (Number.isNaN(ms)) throw bad();
        return ms;
      }
      case 'lookup':
      case 'id':
        if (v.kind === 'boolean' || v.kind === 'word' || !ID.test(v.text)) throw bad();
        return v.text;
    }
  };

  const likeLeaf = (f: Field, v: CoqlValue, negated: boolean): RecordFilter => {
    const wild = v.wild ?? [];
    const lead = wild[0] === true;
    const trail = v.text.length > (lead ? 1 : 0) && wild[v.text.length - 1] === true;
    const core = v.text.slice(lead ? 1 : 0, trail ? -1 : undefined);
    if (wild.slice(lead ? 1 : 0, trail ? -1 : undefined).some(Boolean))
      throw coqlErrors.invalidQuery("'like' takes '%' only at the start or the end", {
        column_name: f.name,
        value: v.text,
      });
    if (negated && !(lead && trail))
      throw coqlErrors.invalidQuery("'not like' takes only '%value%'", {
        column_name: f.name,
        value: v.text,
      });
    const op: FilterLeaf['op'] =
      lead && trail ? 'contains' : lead ? (core === '' ? 'contains' : 'ends') : trail ? 'starts' : 'eq';
    const leaf: FilterLeaf = { target: f.target, op, values: [core] };
    return negated ? { not: leaf } : leaf;
  };

  const criterion = (node: Extract<CoqlCondition, { kind: 'criterion' }>): RecordFilter => {
    where.criteria++;
    if (where.criteria > COQL_LIMITS.criteria) throw coqlErrors.limit('criteria', COQL_LIMITS.criteria);
    const f = field(node.column, 'criteria');
    const c = node.comparator;
    if (!COMPARATORS[f.kind].includes(c))
      throw coqlErrors.invalidQuery('the comparator is not allowed for the field', {
        column_name: f.name,
        operator: c,
      });
    // Custom datetime values are stored as written (with their offset), so only their presence
    // can be compared here; the system times are columns of epoch milliseconds.
    if (f.kind === 'datetime' && 'field' in f.target && c !== 'is null' && c !== 'is not null')
      throw coqlErrors.notServed(`comparing the datetime field ${f.name}`);
    if ((c === 'in' || c === 'not in') && node.values.length > COQL_LIMITS.inValues)
      throw coqlErrors.limit('in', COQL_LIMITS.inValues);
    if (c === 'like' || c === 'not like') return likeLeaf(f, node.values[0]!, c === 'not like');
    const values = node.values.map((v) => convert(f, v));
    const leaf = (op: FilterLeaf['op']): FilterLeaf => ({ target: f.target, op, values });
    switch (c) {
      case '=':
        return leaf('eq');
      case '!=':
        return leaf('ne');
      case '>':
        return leaf('gt');
      case '>=':
        return leaf('ge');
      case '<':
        return leaf('lt');
      case '<=':
        return leaf('le');
      case 'in':
        return leaf('in');
      case 'not in':
        return { not: leaf('in') };
      case 'between':
        return leaf('between');
      case 'not between':
        return { not: leaf('between') };
      case 'is null':
        return { target: f.target, op: 'null', values: [] };
      default:
        return { not: { target: f.target, op: 'null', values: [] } };
    }
  };
  const condition = (node: CoqlCondition): RecordFilter => {
    if (node.kind === 'criterion') return criterion(node);
    const children = [condition(node.left), condition(node.right)];
    return node.kind === 'and' ? { and: children } : { or: children };
  };

  if (query.select.length > COQL_LIMITS.columns) throw coqlErrors.limit('columns', COQL_LIMITS.columns);
  const select: string[] = [];
  const joins: CoqlJoin[] = [];
  const lookups = new Set<string>();
  for (const col of query.select) {
    if (col.path.length > 1) {
      const j = join(col);
      if (joins.some((x) => x.key === j.key)) throw coqlErrors.duplicateColumn(j.key);
      joins.push(j);
      continue;
    }
    const f = field(col, 'select');
    if (select.includes(f.name)) throw coqlErrors.duplicateColumn(f.name);
    select.push(f.name);
    const type = model.byName.get(f.name)?.dataType;
    if (type === 'lookup' || type === 'ownerlookup') lookups.add(f.name);
  }
  const filter = query.where === null ? EVERY_RECORD : condition(query.where);
  let order: RecordOrder = { by: { column: 'id' }, desc: false };
  if (query.orderBy) {
    const f = field(query.orderBy.column, 'order');
    order = { by: f.target, desc: query.orderBy.desc };
  }
  const limit = query.limit?.value ?? COQL_LIMITS.perCall;
  const offset = query.offset?.value ?? 0;
  if (limit > COQL_LIMITS.perCall) throw coqlErrors.limit('limit', COQL_LIMITS.perCall);
  if (limit < 1) throw coqlErrors.invalidQuery("'limit' must be at least 1", { position: query.limit?.at });
  if (offset + limit > COQL_LIMITS.total) throw coqlErrors.maxRecords(COQL_LIMITS.total);
  return { module, select, joins, lookups, filter, order, limit, offset };
}
