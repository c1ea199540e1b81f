import { findModule, type ItemResult, isId, type ModuleApiName } from '@bigin-attachments/contract';
import { hasUnstorableText } from '../text.js';
import { item } from './item-results.js';
import { maxLength, RECORD_MODULES, SYSTEM_FIELDS } from './record-modules.js';

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/** A lookup reference found in an item, to be checked against the store. */
export interface LookupRef {
  field: string;
  module: ModuleApiName;
  id: string;
  jsonPath: string;
}

export type FieldCheck =
  | { ok: true; fields: Record<string, unknown>; owner: string | null; lookups: LookupRef[] }
  | { ok: false; result: ItemResult };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isFlatObject = (v: unknown) =>
  isObject(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');

const missing = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Checks one input item's shape without touching the store: field names, mandatory fields (all of
 * them on insert; on update only those the item clears), text lengths, date-times and lookup
 * shapes. Returns the fields to store (lookups normalised to `{"id"}`, system fields dropped).
 * `existing` is the stored record for an update.
 */
export function checkFields(
  module: ModuleApiName,
  input: unknown,
  jsonPath: string,
  existing: Record<string, unknown> | null,
): FieldCheck {
  if (!isObject(input)) return { ok: false, result: item.invalidData({ json_path: jsonPath }) };
  const schema = RECORD_MODULES[module];
  const merged: Record<string, unknown> = { ...(existing ?? {}) };
  let owner: string | null = null;
  const lookups: LookupRef[] = [];
  const lookupsGiven: string[] = [];
  for (const [name, value] of Object.entries(input)) {
    const at = `${jsonPath}.${name}`;
    if (SYSTEM_FIELDS.has(name) || name.startsWith('$')) continue;
    if (!FIELD_NAME.test(name))
      return { ok: false, result: item.invalidData({ api_name: name, json_path: at }) };
    if (name === 'Owner') {
      const id = isObject(value) ? value.id : undefined;
      if (typeof id !== 'string' || !isId(id))
        return { ok: false, result: item.invalidData({ api_name: 'Owner', json_path: at }) };
      owner = id;
      continue;
    }
    if (value === null) {
      delete merged[name];
      continue;
    }
    // D-14: a NUL or an unpaired surrogate is refused on both stores alike.
    if (
      (typeof value === 'string' && hasUnstorableText(value)) ||
      (isObject(value) && Object.values(value).some((v) => typeof v === 'string' && hasUnstorableText(v)))
    )
      return { ok: false, result: item.invalidData({ api_name: name, json_path: at }) };
    if (typeof value === 'string') {
      const max = maxLength(module, name);
      if (value.length > max)
        return {
          ok: false,
          result: item.invalidData({ api_name: name, json_path: at, maximum_length: max }),
        };
      if (schema.dateTimes.includes(name) && !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))))
        return {
          ok: false,
          result: item.invalidData({ api_name: name, json_path: at, expected_data_type: 'datetime' }),
        };
    } else if (schema.dateTimes.includes(name)) {
      return {
        ok: false,
        result: item.invalidData({ api_name: name, json_path: at, expected_data_type: 'datetime' }),
      };
    }
    // A Bigin field holds one scalar; a lookup takes `{"id"}` and a deal's Pipeline
    // `{"name","id"}`, flat objects of scalars. Anything else nested is refused here, before
    // anything recursive (a store's JSON functions) sees it.
    if (
      typeof value === 'object' &&
      !(name in schema.lookups) &&
      !(module === 'Pipelines' && name === 'Pipeline' && isFlatObject(value))
    )
      return {
        ok: false,
        result: item.invalidData({ api_name: name, json_path: at, expected_data_type: 'text' }),
      };
    if (name in schema.lookups) {
      const id = isObject(value) ? value.id : typeof value === 'string' ? value : undefined;
      if (typeof id !== 'string' || !isId(id))
        return {
          ok: false,
          result: item.invalidData({ api_name: name, json_path: at, expected_data_type: 'lookup' }),
        };
      merged[name] = { id };
      lookupsGiven.push(name);
      continue;
    }
    if (name === 'se_module' && module === 'Notes') {
      const target = typeof value === 'string' ? findModule(value) : undefined;
      if (!target || target.apiName === 'Notes')
        return { ok: false, result: item.invalidData({ api_name: name, json_path: at }) };
    }
    merged[name] = value;
  }
  for (const name of schema.required) {
    if (missing(merged[name]))
      return { ok: false, result: item.mandatoryNotFound(name, `${jsonPath}.${name}`) };
  }
  // Only lookups this item sets are checked: an update leaves the others as they are.
  for (const name of lookupsGiven) {
    const ref = merged[name] as { id: string };
    const target = schema.lookups[name]!;
    const targetModule = target === 'se_module' ? (merged.se_module as ModuleApiName) : target;
    lookups.push({ field: name, module: targetModule, id: ref.id, jsonPath: `${jsonPath}.${name}` });
  }
  return { ok: true, fields: merged, owner, lookups };
}
