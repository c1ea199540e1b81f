import { findModule, type ItemResult, isId, type ModuleApiName } from '@bigin-attachments/contract';
import type { FieldDef } from '../metadata/field-model.js';
import { type ModuleFields, moduleFields } from '../metadata/module-metadata.js';
import { TAG_MODULES, tagNameProblem } from '../tags/tag-rules.js';
import { hasUnstorableText } from '../text.js';
import { item } from './item-results.js';
import { SYSTEM_FIELDS } from './record-modules.js';

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
  | {
      ok: true;
      fields: Record<string, unknown>;
      owner: string | null;
      lookups: LookupRef[];
      /** The names of `"Tag":[{"name":…}]` when the item sets tags (docs/tags.md); null when it does not. */
      tags: string[] | null;
    }
  | { ok: false; result: ItemResult };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isFlatObject = (v: unknown) =>
  isObject(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');

/** `[{"name":"X"}, …]` (or null, clearing the tags) as trimmed names; null when malformed. */
function tagNames(value: unknown): string[] | null {
  if (value === null) return [];
  if (!Array.isArray(value)) return null;
  const names: string[] = [];
  for (const t of value) {
    const name = isObject(t) ? t.name : undefined;
    if (tagNameProblem(name) !== null) return null;
    names.push((name as string).trim());
  }
  return names;
}

/**
 * D23: a picklist takes only its listed values, exactly as listed (a multi-select picklist a
 * list of them); an open picklist, or one that lists no values (`Tax`, whose values are the
 * organisation's taxes), takes any. True when `value` may be stored.
 */
function picklistAccepts(def: FieldDef, value: unknown): boolean {
  const values = def.picklist;
  if (def.openPicklist || values === undefined || values.length === 0) return true;
  if (def.dataType === 'multiselectpicklist')
    return Array.isArray(value) && value.every((v) => typeof v === 'string' && values.includes(v));
  return typeof value === 'string' && values.includes(value);
}

const missing = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Checks one input item's shape without touching the store, against the module's field model
 * (standard and the organisation's custom fields): field names, mandatory fields (all of them on
 * insert; on update only those the item clears), text lengths, date-times and lookup shapes.
 * Returns the fields to store (lookups normalised to `{"id"}`). System, read-only and `$` fields,
 * and names the module does not have, are ignored, as Bigin ignores them. `existing` is the
 * stored record for an update.
 */
export function checkFields(
  module: ModuleApiName,
  input: unknown,
  jsonPath: string,
  existing: Record<string, unknown> | null,
  model: ModuleFields = moduleFields(module),
): FieldCheck {
  if (!isObject(input)) return { ok: false, result: item.invalidData({ json_path: jsonPath }) };
  const merged: Record<string, unknown> = { ...(existing ?? {}) };
  let owner: string | null = null;
  const lookups: LookupRef[] = [];
  const lookupsGiven: string[] = [];
  let tags: string[] | null = null;
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
    const def = model.byName.get(name);
    if (!def || def.readOnly) continue;
    // Tags are kept apart from the fields (storage's record tags), so that a rename reaches every record.
    if (name === 'Tag' && def.list) {
      // Notes show `Tag` (always []) but take no tags: Bigin tags seven modules, not Notes.
      if (!TAG_MODULES.includes(module)) continue;
      const names = tagNames(value);
      if (names === null)
        return {
          ok: false,
          result: item.invalidData({ api_name: name, json_path: at, expected_data_type: 'jsonarray' }),
        };
      tags = names;
      continue;
    }
    if (value === null) {
      delete merged[name];
      continue;
    }
    // D-14: a NUL or an unpaired surrogate is refused on both stores alike.
    if (
      (typeof value === 'string' && hasUnstorableText(value)) ||
      (Array.isArray(value) && value.some((v) => typeof v === 'string' && hasUnstorableText(v))) ||
      (isObject(value) && Object.values(value).some((v) => typeof v === 'string' && hasUnstorableText(v)))
    )
      return { ok: false, result: item.invalidData({ api_name: name, json_path: at }) };
    if (
      (def.dataType === 'picklist' || def.dataType === 'multiselectpicklist') &&
      !picklistAccepts(def, value)
    )
      return { ok: false, result: item.invalidData({ api_name: name, json_path: at }) };
    const isDateTime = def.dataType === 'datetime';
    if (typeof value === 'string') {
      const max = def.length;
      if (value.length > max)
        return {
          ok: false,
          result: item.invalidData({ api_name: name, json_path: at, maximum_length: max }),
        };
      if (isDateTime && !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))))
        return {
          ok: false,
          result: item.invalidData({ api_name: name, json_path: at, expected_data_type: 'datetime' }),
        };
    } else if (isDateTime) {
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
      def.lookup === undefined &&
      !(module === 'Pipelines' && name === 'Pipeline' && isFlatObject(value)) &&
      !(
        def.dataType === 'multiselectpicklist' &&
        Array.isArray(value) &&
        value.every((v) => typeof v === 'string')
      )
    )
      return {
        ok: false,
        result: item.invalidData({ api_name: name, json_path: at, expected_data_type: 'text' }),
      };
    if (def.lookup !== undefined) {
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
  for (const { apiName } of model.mandatory) {
    if (missing(merged[apiName]))
      return { ok: false, result: item.mandatoryNotFound(apiName, `${jsonPath}.${apiName}`) };
  }
  // Only lookups this item sets are checked: an update leaves the others as they are.
  for (const name of lookupsGiven) {
    const ref = merged[name] as { id: string };
    const target = model.byName.get(name)!.lookup!;
    const targetModule = target === 'se_module' ? (merged.se_module as ModuleApiName) : target;
    lookups.push({ field: name, module: targetModule, id: ref.id, jsonPath: `${jsonPath}.${name}` });
  }
  return { ok: true, fields: merged, owner, lookups, tags };
}
