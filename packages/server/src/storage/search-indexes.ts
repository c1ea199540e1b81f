import type { ModuleApiName } from '@bigin-attachments/contract';

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

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Field names become part of SQL expressions, so only API names pass. */
export function sqlField(field: string): string {
  if (!FIELD_NAME.test(field)) throw new Error(`bad field name ${field}`);
  return field;
}
