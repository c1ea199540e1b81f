import { MODULE_API_NAMES, type ModuleApiName } from '@bigin-attachments/contract';
import {
  type DataType,
  DEFAULT_LENGTH,
  type FieldDef,
  NO_CUSTOMIZATION,
  type OrgCustomization,
} from './field-model.js';
import { STANDARD_FIELDS } from './standard-fields.js';

/**
 * The one model of a module's fields: validation on insert and update, which keys a read
 * returns, null rendering and the /settings endpoints all read it. Use `moduleFields(module,
 * customization)` for an organisation's view (standard fields, then its custom fields).
 */
export interface ModuleFields {
  module: ModuleApiName;
  /** Standard fields in Bigin's order, then the organisation's custom fields in declared order. */
  fields: readonly FieldDef[];
  byName: ReadonlyMap<string, FieldDef>;
  mandatory: readonly FieldDef[];
  unique: readonly FieldDef[];
  lookups: readonly FieldDef[];
}

function build(module: ModuleApiName, extra: readonly FieldDef[]): ModuleFields {
  const fields = [...STANDARD_FIELDS[module], ...extra];
  return {
    module,
    fields,
    byName: new Map(fields.map((x) => [x.apiName, x])),
    mandatory: fields.filter((x) => x.mandatory),
    unique: fields.filter((x) => x.unique),
    lookups: fields.filter((x) => x.lookup !== undefined),
  };
}

const standard = new Map<ModuleApiName, ModuleFields>(MODULE_API_NAMES.map((m) => [m, build(m, [])]));
const perCustomization = new WeakMap<OrgCustomization, Map<ModuleApiName, ModuleFields>>();

/** Fields of `module` for an organisation; computed once per customization object. */
export function moduleFields(
  module: ModuleApiName,
  customization: OrgCustomization = NO_CUSTOMIZATION,
): ModuleFields {
  if (customization.customFields.length === 0) return standard.get(module)!;
  let cache = perCustomization.get(customization);
  if (!cache) {
    cache = new Map();
    perCustomization.set(customization, cache);
  }
  let fields = cache.get(module);
  if (!fields) {
    fields = build(
      module,
      customization.customFields
        .filter((c) => c.module === module && !standard.get(module)!.byName.has(c.apiName))
        .map(
          (c): FieldDef => ({
            apiName: c.apiName,
            label: c.label,
            dataType: c.dataType,
            length: c.length ?? DEFAULT_LENGTH[c.dataType],
            mandatory: c.mandatory ?? false,
            unique: c.unique ?? false,
            readOnly: false,
            custom: true,
            ...(c.picklist ? { picklist: c.picklist } : {}),
            ...(c.lookup ? { lookup: c.lookup } : {}),
            ...(c.dataType === 'multiselectpicklist' ? { list: true } : {}),
          }),
        ),
    );
    cache.set(module, fields);
  }
  return fields;
}

/** A field by module and api_name (standard, or the organisation's custom one). */
export function findField(
  module: ModuleApiName,
  apiName: string,
  customization: OrgCustomization = NO_CUSTOMIZATION,
): FieldDef | undefined {
  return moduleFields(module, customization).byName.get(apiName);
}

/** The data type of a field, or undefined when the module has no such field. */
export function dataTypeOf(
  module: ModuleApiName,
  apiName: string,
  customization: OrgCustomization = NO_CUSTOMIZATION,
): DataType | undefined {
  return findField(module, apiName, customization)?.dataType;
}

/** Whether an api_name is a valid custom field name (Bigin: letters, digits, underscores; custom ends `__c`-free). */
export const CUSTOM_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
