import type { ModuleApiName } from '@bigin-attachments/contract';
import type { CascadeRule } from '../../storage/ports.js';

/** What the records API knows about one module's fields (docs/records.md, "Modules and fields"). */
export interface RecordModuleSchema {
  /** Checked in this order; the first missing one is reported. */
  required: readonly string[];
  /** Lookup fields and the module they point at; `se_module` means the module named by the record's `se_module`. */
  lookups: Readonly<Record<string, ModuleApiName | 'se_module'>>;
  /** Unique among live records of the module, compared case-insensitively. */
  unique: readonly string[];
  /** ISO-8601 date-times with an offset. */
  dateTimes: readonly string[];
  /** The record's display name (kept in step with the fields on every write). */
  nameOf(fields: Record<string, unknown>): string;
  /** The field a fixture's `name` fills when its fields do not name the record. */
  nameField: string;
}

const text = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
const field = (name: string) => (f: Record<string, unknown>) => text(f[name]);

export const RECORD_MODULES: Readonly<Record<ModuleApiName, RecordModuleSchema>> = {
  Contacts: {
    required: ['Last_Name'],
    lookups: { Account_Name: 'Accounts' },
    unique: ['Email'],
    dateTimes: [],
    nameOf: (f) => [text(f.First_Name), text(f.Last_Name)].filter((s) => s !== '').join(' '),
    nameField: 'Last_Name',
  },
  Accounts: {
    required: ['Account_Name'],
    lookups: {},
    unique: ['Account_Name'],
    dateTimes: [],
    nameOf: field('Account_Name'),
    nameField: 'Account_Name',
  },
  Pipelines: {
    required: ['Deal_Name', 'Pipeline', 'Sub_Pipeline', 'Stage'],
    lookups: { Account_Name: 'Accounts', Contact_Name: 'Contacts' },
    unique: ['Deal_Name'],
    dateTimes: [],
    nameOf: field('Deal_Name'),
    nameField: 'Deal_Name',
  },
  Products: {
    required: ['Product_Name'],
    lookups: {},
    unique: ['Product_Name'],
    dateTimes: [],
    nameOf: field('Product_Name'),
    nameField: 'Product_Name',
  },
  Tasks: {
    required: ['Subject'],
    lookups: {},
    unique: [],
    dateTimes: [],
    nameOf: field('Subject'),
    nameField: 'Subject',
  },
  Events: {
    required: ['Event_Title', 'Start_DateTime', 'End_DateTime'],
    lookups: {},
    unique: [],
    dateTimes: ['Start_DateTime', 'End_DateTime'],
    nameOf: field('Event_Title'),
    nameField: 'Event_Title',
  },
  Calls: {
    required: ['Subject', 'Call_Type', 'Call_Start_Time', 'Call_Duration'],
    lookups: {},
    unique: [],
    dateTimes: ['Call_Start_Time'],
    nameOf: field('Subject'),
    nameField: 'Subject',
  },
  Notes: {
    required: ['Note_Content', 'Parent_Id', 'se_module'],
    lookups: { Parent_Id: 'se_module' },
    unique: [],
    dateTimes: [],
    nameOf: (f) => text(f.Note_Title) || text(f.Note_Content).slice(0, 120),
    nameField: 'Note_Content',
  },
};

/** Fields the server sets; values sent for them are ignored. */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'Created_Time',
  'Modified_Time',
  'Created_By',
  'Modified_By',
]);

/** Longest text value accepted: 255 for required (name-like) fields, as Bigin's single-line fields; 32,000 otherwise. */
export function maxLength(module: ModuleApiName, fieldName: string): number {
  if (fieldName === 'Note_Content' || fieldName === 'Description') return 32_000;
  return RECORD_MODULES[module].required.includes(fieldName) ? 255 : 32_000;
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
