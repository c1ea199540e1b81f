import type { ModuleApiName } from '@bigin-attachments/contract';

/** Bigin's field data types (`data_type` in /settings/fields), as far as this server models them. */
export type DataType =
  | 'text'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'website'
  | 'integer'
  | 'bigint'
  | 'double'
  | 'currency'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'picklist'
  | 'multiselectpicklist'
  | 'lookup'
  | 'ownerlookup'
  | 'profileimage';

/** One field of a module: a standard Bigin field or an organisation's custom field. */
export interface FieldDef {
  apiName: string;
  label: string;
  dataType: DataType;
  /** Longest value accepted: characters for text types, digits for numbers. */
  length: number;
  /** Lookups: the module pointed at; `se_module` = the module named by the record's `se_module`. */
  lookup?: ModuleApiName | 'se_module';
  /** Picklist values, in display order. Writes must use one of them (D23) unless `openPicklist`. */
  picklist?: readonly string[];
  /** A picklist whose values this server does not model (a deal's pipeline and stage): any value. */
  openPicklist?: boolean;
  /** Mandatory on insert (Bigin's `system_mandatory` for standard fields). */
  mandatory: boolean;
  /** Unique among live records of the module, compared case-insensitively. */
  unique: boolean;
  /** Computed or set by the server; a value sent for it on write is ignored. */
  readOnly: boolean;
  custom: boolean;
  /** A list value (`Tag`, multi-select picklists): rendered `[]` when empty. */
  list?: boolean;
}

/** The `json_type` Bigin reports for a data type. */
export function jsonTypeOf(field: FieldDef): string {
  if (field.list) return 'jsonarray';
  switch (field.dataType) {
    case 'integer':
      return 'integer';
    case 'double':
    case 'currency':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'lookup':
    case 'ownerlookup':
      return 'jsonobject';
    default:
      return 'string';
  }
}

/** Declared by an organisation (fixture `customFields`): always optional unless said otherwise. */
export interface CustomFieldDecl {
  module: ModuleApiName;
  apiName: string;
  label: string;
  dataType: DataType;
  length?: number | undefined;
  picklist?: string[] | undefined;
  mandatory?: boolean | undefined;
  unique?: boolean | undefined;
  lookup?: ModuleApiName | undefined;
}

export interface LayoutDecl {
  module: ModuleApiName;
  id: string;
  name: string;
  /** Sections and the api_names they show; default: one section with every field. */
  sections?: Array<{ name: string; fields: string[] }> | undefined;
}

/** What an organisation adds to the standard model. */
export interface OrgCustomization {
  customFields: CustomFieldDecl[];
  layouts: LayoutDecl[];
}

export const NO_CUSTOMIZATION: OrgCustomization = Object.freeze({ customFields: [], layouts: [] });

export const DEFAULT_LENGTH: Readonly<Record<DataType, number>> = {
  text: 255,
  textarea: 32_000,
  email: 100,
  phone: 30,
  website: 255,
  integer: 9,
  bigint: 19,
  double: 16,
  currency: 16,
  boolean: 5,
  date: 20,
  datetime: 120,
  picklist: 120,
  multiselectpicklist: 2000,
  lookup: 120,
  ownerlookup: 120,
  profileimage: 255,
};
