import type { FilterLeaf, RecordFilter, RecordOrder, StoredRecord } from '../ports.js';

/**
 * The meaning of a search filter, in memory: what both SQL compilers must agree with (the
 * property tests compare them on random data). Text folds case with `toLowerCase`, which equals
 * SQL's `lower()` on ASCII.
 */
export function matchesFilter(record: StoredRecord, filter: RecordFilter): boolean {
  if ('and' in filter) return filter.and.every((f) => matchesFilter(record, f));
  if ('or' in filter) return filter.or.some((f) => matchesFilter(record, f));
  if ('not' in filter) return !matchesFilter(record, filter.not);
  return matchesLeaf(record, filter);
}

type Value = string | number | boolean | null;

function valueIn(record: StoredRecord, leaf: FilterLeaf): { value: Value; text: boolean } {
  const t = leaf.target;
  if ('column' in t) {
    switch (t.column) {
      case 'id':
        return { value: record.id, text: false };
      case 'owner_id':
        return { value: record.ownerId, text: false };
      case 'created_by':
        return { value: record.createdBy, text: false };
      case 'modified_by':
        return { value: record.modifiedBy, text: false };
      case 'created_at':
        return { value: record.createdAt, text: false };
      case 'modified_at':
        return { value: record.modifiedAt, text: false };
      case 'name':
        return { value: record.name.toLowerCase(), text: true };
    }
  }
  const v = record.fields[t.field];
  switch (t.as) {
    case 'text':
      return {
        value: typeof v === 'string' || typeof v === 'number' ? String(v).toLowerCase() : null,
        text: true,
      };
    case 'date':
      return { value: typeof v === 'string' ? v : null, text: false };
    case 'number':
      return { value: typeof v === 'number' ? v : null, text: false };
    case 'boolean':
      return { value: typeof v === 'boolean' ? v : null, text: false };
    case 'lookup': {
      const id = typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined;
      return { value: typeof id === 'string' ? id : null, text: false };
    }
  }
}

function matchesLeaf(record: StoredRecord, leaf: FilterLeaf): boolean {
  const { value, text } = valueIn(record, leaf);
  const norm = (x: string | number | boolean) => (text ? String(x).toLowerCase() : x);
  const [a, b] = leaf.values.map(norm);
  if (leaf.op === 'null') return value === null;
  if (leaf.op === 'ne') return value === null || value !== a;
  if (value === null) return false;
  // Ordered comparisons only ever meet numbers with numbers and strings with strings.
  const v = value as number;
  const lo = a as number;
  const hi = b as number;
  switch (leaf.op) {
    case 'eq':
      return value === a;
    case 'in':
      return leaf.values.map(norm).includes(value);
    case 'starts':
      return typeof value === 'string' && value.startsWith(String(a));
    case 'ends':
      return typeof value === 'string' && value.endsWith(String(a));
    case 'contains':
      return typeof value === 'string' && value.includes(String(a));
    case 'gt':
      return v > lo;
    case 'ge':
      return v >= lo;
    case 'lt':
      return v < lo;
    case 'le':
      return v <= lo;
    case 'between':
      return v >= lo && v <= hi;
  }
}

/** Ids order as numbers: shorter first, then by digits. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The meaning of a `RecordOrder` in memory (what both SQL compilers must agree with): by the
 * target's value as filters read it, missing values first ascending and last descending, ties by
 * id ascending. Text compares by UTF-16 code units of the folded value, which equals SQLite's
 * binary and PostgreSQL's "C" collation on the BMP.
 */
export function compareForOrder(order: RecordOrder, a: StoredRecord, b: StoredRecord): number {
  const probe: FilterLeaf = { target: order.by, op: 'eq', values: [] };
  const x = valueIn(a, probe).value;
  const y = valueIn(b, probe).value;
  let c = 0;
  if ('column' in order.by && order.by.column === 'id') c = compareIds(a.id, b.id);
  else if (x === null || y === null) c = x === null ? (y === null ? 0 : -1) : 1;
  else c = x < y ? -1 : x > y ? 1 : 0;
  if (order.desc) c = -c;
  return c || compareIds(a.id, b.id);
}
