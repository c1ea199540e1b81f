import type { ModuleApiName } from '@bigin-attachments/contract';
import type { FilterLeaf, RecordFilter } from '../ports.js';
import { type CriteriaNode, CriteriaSyntaxError, parseCriteria } from './criteria.js';
import { type FieldDataType, fieldsOfType, OPERATORS, SEARCH_FIELD_TYPES } from './field-types.js';
import { searchErrors } from './search-errors.js';

/** Bigin's cap on the values of one `in`. */
export const MAX_IN_VALUES = 100;

const OP: Record<string, FilterLeaf['op']> = {
  equals: 'eq',
  not_equal: 'ne',
  starts_with: 'starts',
  in: 'in',
  greater_than: 'gt',
  greater_equal: 'ge',
  less_than: 'lt',
  less_equal: 'le',
  between: 'between',
};

const COLUMN_OF: Record<string, 'owner_id' | 'created_by' | 'modified_by' | 'created_at' | 'modified_at'> = {
  Owner: 'owner_id',
  Created_By: 'created_by',
  Modified_By: 'modified_by',
  Created_Time: 'created_at',
  Modified_Time: 'modified_at',
};

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})$/;
const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;
const ID = /^[0-9]{1,19}$/;

function target(type: FieldDataType, field: string): FilterLeaf['target'] {
  const column = COLUMN_OF[field];
  if (column) return { column };
  switch (type) {
    case 'integer':
    case 'currency':
    case 'decimal':
      return { field, as: 'number' };
    case 'boolean':
      return { field, as: 'boolean' };
    case 'date':
      return { field, as: 'date' };
    case 'lookup':
    case 'ownerlookup':
      return { field, as: 'lookup' };
    default:
      return { field, as: 'text' };
  }
}

/** One value converted to what the store compares, or a reason it cannot be. */
function convert(type: FieldDataType, raw: string): string | number | boolean | null {
  switch (type) {
    case 'integer':
    case 'currency':
    case 'decimal':
      return NUMBER.test(raw) ? Number(raw) : null;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : null;
    case 'date':
      return DATE.test(raw) ? raw : null;
    case 'datetime': {
      // A `+` that the client forgot to encode arrives as a space.
      const value = raw.replace(/ ([0-9]{2}:[0-9]{2})$/, '+$1');
      const ms = DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
      return Number.isNaN(ms) ? null : ms;
    }
    case 'lookup':
    case 'ownerlookup':
      return ID.test(raw) ? raw : null;
    default:
      return raw;
  }
}

function leafOf(module: ModuleApiName, node: Extract<CriteriaNode, { kind: 'criterion' }>): FilterLeaf {
  const where = { api_name: node.field, operator: node.operator, position: node.at };
  const type = SEARCH_FIELD_TYPES[module][node.field];
  if (!type) throw searchErrors.invalidQuery('invalid field found', where);
  const op = OP[node.operator];
  if (!op || !OPERATORS[type].includes(node.operator))
    throw searchErrors.invalidQuery('invalid operator found', where);
  const arity = op === 'in' ? null : op === 'between' ? 2 : 1;
  if (arity !== null && node.values.length !== arity)
    throw searchErrors.invalidQuery(`the operator takes ${arity === 1 ? 'one value' : 'two values'}`, where);
  if (op === 'in' && node.values.length > MAX_IN_VALUES)
    throw searchErrors.invalidQuery(`more than ${MAX_IN_VALUES} values`, where);
  const values = node.values.map((raw) => {
    const v = convert(type, raw);
    if (v === null) throw searchErrors.invalidQuery('invalid value found', { ...where, value: raw });
    return v;
  });
  return { target: target(type, node.field), op, values };
}

function fromTree(module: ModuleApiName, node: CriteriaNode): RecordFilter {
  if (node.kind === 'criterion') return leafOf(module, node);
  const children = node.children.map((c) => fromTree(module, c));
  return node.kind === 'and' ? { and: children } : { or: children };
}

/** `criteria` parsed and checked against the module's fields; INVALID_QUERY says where it is wrong. */
export function criteriaFilter(module: ModuleApiName, criteria: string): RecordFilter {
  let tree: CriteriaNode;
  try {
    tree = parseCriteria(criteria);
  } catch (error) {
    if (error instanceof CriteriaSyntaxError)
      throw searchErrors.invalidQuery(error.reason, { position: error.position });
    throw error;
  }
  return fromTree(module, tree);
}

/** `email=` / `phone=`: equality on every email (phone) field of the module. */
export function anyFieldEquals(
  module: ModuleApiName,
  types: readonly FieldDataType[],
  value: string,
): RecordFilter {
  const fields = fieldsOfType(module, types);
  // A module without such fields matches nothing (an impossible id).
  if (fields.length === 0) return { target: { column: 'owner_id' }, op: 'eq', values: [''] };
  const leaves = fields.map(
    (field): FilterLeaf => ({ target: { field, as: 'text' }, op: 'eq', values: [value] }),
  );
  return leaves.length === 1 ? leaves[0]! : { or: leaves };
}

/** `word=`: the word anywhere in the record's name (a scan: Bigin's word search is full-text). */
export function wordFilter(word: string): RecordFilter {
  return { target: { column: 'name' }, op: 'contains', values: [word] };
}
