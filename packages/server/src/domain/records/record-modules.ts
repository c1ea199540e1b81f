import { MODULE_API_NAMES, type ModuleApiName } from '@bigin-attachments/contract';
import { findField, moduleFields } from '../metadata/module-metadata.js';
import type { CascadeRule } from '../ports.js';

/**
 * What the records API needs of a module beyond its fields: how its display name is formed.
 * Mandatory, unique, lookup and date-time fields come from the field model (domain/metadata),
 * the one source of truth; the getters below read it.
 */
export interface RecordModuleSchema {
  /** Checked in this order; the first missing one is reported. */
  readonly required: readonly string[];
  /** Lookup fields and the module they point at; `se_module` means the module named by the record's `se_module`. */
  readonly lookups: Readonly<Record<string, ModuleApiName | 'se_module'>>;
  /** Unique among live records of the module, compared case-insensitively. */
  readonly unique: readonly string[];
  /** ISO-8601 date-times with an offset. */
  readonly dateTimes: readonly string[];
  /** The record's display name (kept in step with the fields on every write). */
  nameOf(fields: Record<string, unknown>): string;
  /** The field a fixture's `name` fills when its fields do not name the record. */
  nameField: string;
}

const text = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
const field = (name: string) => (f: Record<string, unknown>) => text(f[name]);

const NAMES: Record<ModuleApiName, Pick<RecordModuleSchema, 'nameOf' | 'nameField'>> = {
  Contacts: {
    nameOf: (f) => [text(f.First_Name), text(f.Last_Name)].filter((s) => s !== '').join(' '),
    nameField: 'Last_Name',
  },
  Accounts: { nameOf: field('Account_Name'), nameField: 'Account_Name' },
  Pipelines: { nameOf: field('Deal_Name'), nameField: 'Deal_Name' },
  Products: { nameOf: field('Product_Name'), nameField: 'Product_Name' },
  Tasks: { nameOf: field('Subject'), nameField: 'Subject' },
  Events: { nameOf: field('Event_Title'), nameField: 'Event_Title' },
  Calls: { nameOf: field('Subject'), nameField: 'Subject' },
  Notes: {
    nameOf: (f) => text(f.Note_Title) || text(f.Note_Content).slice(0, 120),
    nameField: 'Note_Content',
  },
};

function schemaOf(module: ModuleApiName): RecordModuleSchema {
  const m = moduleFields(module);
  return {
    required: m.mandatory.map((x) => x.apiName),
    lookups: Object.fromEntries(m.lookups.map((x) => [x.apiName, x.lookup!])),
    unique: m.unique.map((x) => x.apiName),
    dateTimes: m.fields.filter((x) => x.dataType === 'datetime' && !x.readOnly).map((x) => x.apiName),
    ...NAMES[module],
  };
}

export const RECORD_MODULES: Readonly<Record<ModuleApiName, RecordModuleSchema>> = Object.fromEntries(
  MODULE_API_NAMES.map((m) => [m, schemaOf(m)]),
) as Record<ModuleApiName, RecordModuleSchema>;

/** Fields the server sets; values sent for them are ignored. */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'Created_Time',
  'Modified_Time',
  'Created_By',
  'Modified_By',
]);

/** Longest text value a field takes (its metadata `length`); 32,000 for a name the module lacks. */
export function maxLength(module: ModuleApiName, fieldName: string): number {
  return findField(module, fieldName)?.length ?? 32_000;
}

/**
 * What a delete takes along (facts §2.3): a Company takes its Contacts (by their `Account_Name`);
 * every record takes its Notes (by their `Parent_Id`). Applied transitively, so a Company's
 * contacts' notes go too.
 */
export const CASCADE: CascadeRule = (module) => [
  ...(module === 'Accounts' ? [{ module: 'Contacts' as const, field: 'Account_Name' }] : []),
  ...(module === 'Notes' ? [] : [{ module: 'Notes' as const, field: 'Parent_Id' }]),
];

/**
 * Related lists served under `/bigin/v2/{module}/{id}/{related}`: the related module and the
 * lookup field of its records that points at the parent. Null when the parent has no such list.
 */
export function relatedList(
  parent: ModuleApiName,
  related: string,
): { module: ModuleApiName; field: string } | null {
  if (related === 'Notes') return parent === 'Notes' ? null : { module: 'Notes', field: 'Parent_Id' };
  if (related === 'Contacts' && parent === 'Accounts') return { module: 'Contacts', field: 'Account_Name' };
  if (related === 'Pipelines' && parent === 'Accounts') return { module: 'Pipelines', field: 'Account_Name' };
  if (related === 'Pipelines' && parent === 'Contacts') return { module: 'Pipelines', field: 'Contact_Name' };
  return null;
}

/** Names that may follow a record id in a URL as a related list. */
export const RELATED_LIST_NAMES: ReadonlySet<string> = new Set(['Notes', 'Contacts', 'Pipelines']);
