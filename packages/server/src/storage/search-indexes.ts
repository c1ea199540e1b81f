import type { ModuleApiName } from '@bigin-attachments/contract';
import type { FilterLeaf, RecordFilter } from '../domain/ports.js';

/**
 * The (module, field) pairs whose lower-cased value has an expression index on both backends
 * (issue 13 migrations): what `email=`, `phone=` and name prefixes search. The SQL of a search
 * spells these expressions exactly as the migrations do, with the module as a literal, so that
 * SQLite and PostgreSQL can match their partial indexes.
 */
export const SEARCH_INDEXES: ReadonlyArray<readonly [ModuleApiName, string]> = [
  ['Contacts', 'Email'],
  ['Contacts', 'Phone'],
  ['Contacts', 'Mobile'],
  ['Contacts', 'Home_Phone'],
  ['Contacts', 'Last_Name'],
  ['Contacts', 'First_Name'],
  ['Accounts', 'Account_Name'],
  ['Accounts', 'Phone'],
  ['Pipelines', 'Deal_Name'],
  ['Products', 'Product_Name'],
];

/**
 * The standard unique fields (the field model's `unique: true`), each with an expression index of
 * its folded value on both backends (migration 14), so that the duplicate check of an insert or
 * update is a point read rather than a scan of the module. Unique custom fields are checked
 * without an index.
 */
export const UNIQUE_INDEXES: ReadonlyArray<readonly [ModuleApiName, string]> = [
  ['Contacts', 'Email'],
  ['Accounts', 'Account_Name'],
  ['Pipelines', 'Deal_Name'],
  ['Products', 'Product_Name'],
];

const UNIQUE_INDEXED = new Set(UNIQUE_INDEXES.map(([m, f]) => `${m}.${f}`));

/** Whether the duplicate check of `module`.`field` has an index (migration 14). */
export function uniqueIndexed(module: string, field: string): boolean {
  return UNIQUE_INDEXED.has(`${module}.${field}`);
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Field names become part of SQL expressions, so only API names pass. */
export function sqlField(field: string): string {
  if (!FIELD_NAME.test(field)) throw new Error(`bad field name ${field}`);
  return field;
}

const INDEXED = new Set(SEARCH_INDEXES.map(([m, f]) => `${m}.${f}`));

/** Whether a leaf can be answered from a search index of `module`. */
export function indexable(f: FilterLeaf, module: string): boolean {
  return (
    'field' in f.target &&
    f.target.as === 'text' &&
    (f.op === 'eq' || f.op === 'in' || f.op === 'starts') &&
    INDEXED.has(`${module}.${f.target.field}`)
  );
}

/** Whether indexes alone can find every match (an OR needs every branch served). */
export function servedByIndexes(filter: RecordFilter, module: string): boolean {
  if ('and' in filter) return filter.and.some((f) => servedByIndexes(f, module));
  if ('or' in filter) return filter.or.every((f) => servedByIndexes(f, module));
  // A negation matches what the index does not hold.
  if ('not' in filter) return false;
  return indexable(filter, module);
}
