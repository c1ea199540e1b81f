import type { ModuleApiName } from '@bigin-attachments/contract';
import { authorizeDirectory } from '../directory/directory-access.js';
import type { Principal, Profile } from '../model.js';
import { type FieldDef, jsonTypeOf, type OrgCustomization } from './field-model.js';
import { metadataIds } from './metadata-ids.js';
import { moduleFields } from './module-metadata.js';
import { metadataModule, type SettingsDeps } from './settings-modules.js';

/** Bigin's `ui_type` per data type, as far as the recorded Contacts metadata shows them. */
const UI_TYPE: Partial<Record<FieldDef['dataType'], number>> = {
  text: 1,
  textarea: 3,
  email: 25,
  phone: 33,
  website: 21,
  integer: 32,
  bigint: 36,
  double: 38,
  currency: 36,
  boolean: 301,
  date: 24,
  datetime: 333,
  picklist: 2,
  multiselectpicklist: 100,
  lookup: 133,
  ownerlookup: 8,
  profileimage: 453,
};

/** The 56-key field object of the recorded /settings/fields answer (reference §8). */
export function renderField(
  field: FieldDef,
  index: number,
  module: ModuleApiName,
  orgId: string,
  profiles: readonly Profile[],
) {
  const system = field.readOnly;
  const lookupModule = field.lookup === 'se_module' ? undefined : field.lookup;
  return {
    webhook: !system,
    colour_code_enabled_by_system: false,
    field_label: field.label,
    tooltip: null,
    display_format_properties: null,
    type: 'used',
    field_read_only: field.apiName === 'Owner' || system,
    display_label: field.label,
    read_only: system,
    association_details: null,
    businesscard_supported: !system,
    multi_module_lookup: {},
    id: metadataIds.field(orgId, module, index),
    created_time: null,
    filterable: true,
    visible: true,
    profiles: profiles.map((p) => ({
      permission_type: system ? 'read_only' : 'read_write',
      name: p.name,
      id: p.id,
    })),
    view_type: { view: true, edit: !system, quick_create: field.mandatory, create: !system },
    subform: null,
    separator: false,
    searchable: !field.list,
    external: null,
    api_name: field.apiName,
    parent_field: null,
    unique: field.unique ? { casesensitive: '0' } : {},
    enable_colour_code: false,
    child_fields: null,
    pick_list_values: (field.picklist ?? []).map((v, i) => ({
      display_value: v,
      sequence_number: i + 1,
      reference_value: v,
      actual_value: v,
      id: metadataIds.field(orgId, module, 900 + i),
      type: 'used',
    })),
    system_mandatory: field.mandatory && !field.custom,
    virtual_field: false,
    json_type: jsonTypeOf(field),
    crypt: null,
    range: null,
    created_source: field.custom ? 'user' : 'default',
    display_type: -1,
    ui_type: UI_TYPE[field.dataType] ?? 1,
    modified_time: null,
    ...(field.mandatory ? { quick_sequence_number: String(index + 1) } : {}),
    email_parser: { fields_update_supported: false, record_operations_supported: false },
    currency: {},
    custom_field: field.custom,
    lookup: lookupModule
      ? {
          display_label: field.label,
          api_name: field.apiName,
          module: { api_name: lookupModule, crypt: null, id: metadataIds.module(orgId, lookupModule) },
          id: metadataIds.field(orgId, module, index),
        }
      : {},
    address: null,
    length: field.length,
    display_field: field.apiName === 'Full_Name',
    pick_list_values_sorted_lexically: false,
    sortable: !field.list,
    global_picklist: null,
    display_format: null,
    history_tracking: null,
    data_type: field.dataType,
    formula: {},
    decimal_place: field.dataType === 'currency' || field.dataType === 'double' ? 2 : null,
    mass_update: !system,
    multiselectlookup: {},
    auto_number: {},
  };
}

async function context(deps: SettingsDeps, principal: Principal) {
  const [profiles, customization] = await Promise.all([
    deps.directory.profiles(principal.orgId),
    deps.directory.customization(principal.orgId),
  ]);
  return { profiles, customization };
}

function fieldsOf(module: ModuleApiName, orgId: string, profiles: readonly Profile[], c: OrgCustomization) {
  return moduleFields(module, c).fields.map((f, i) => renderField(f, i, module, orgId, profiles));
}

/** GET /bigin/v2/settings/fields?module= (and /{field_id}?module=): `{"fields":[…]}`, no `info`. */
export async function listFields(
  deps: SettingsDeps,
  principal: Principal,
  query: Record<string, string | undefined>,
  fieldId?: string,
) {
  authorizeDirectory(principal, 'fields');
  const module = metadataModule(principal, query.module);
  const { profiles, customization } = await context(deps, principal);
  const fields = fieldsOf(module, principal.orgId, profiles, customization).filter(
    (f) => fieldId === undefined || f.id === fieldId,
  );
  return fields.length ? { fields } : null;
}

/**
 * GET /bigin/v2/settings/layouts?module= (and /{layout_id}?module=): the organisation's layouts,
 * else one "Standard" layout with every field in one section ([CRM] shape, reference §9).
 */
export async function listLayouts(
  deps: SettingsDeps,
  principal: Principal,
  query: Record<string, string | undefined>,
  layoutId?: string,
) {
  authorizeDirectory(principal, 'layouts');
  const module = metadataModule(principal, query.module);
  const { profiles, customization } = await context(deps, principal);
  const all = fieldsOf(module, principal.orgId, profiles, customization);
  const declared = customization.layouts.filter((l) => l.module === module);
  const layouts = declared.length
    ? declared
    : [{ module, id: metadataIds.layout(principal.orgId, module), name: 'Standard', sections: undefined }];
  const rendered = layouts
    .filter((l) => layoutId === undefined || l.id === layoutId)
    .map((l) => ({
      created_time: null,
      modified_time: null,
      visible: true,
      name: l.name,
      modified_by: null,
      profiles: profiles.map((p) => ({ default: true, name: p.name, id: p.id })),
      id: l.id,
      created_by: null,
      display_label: l.name,
      status: 'active',
      sections: (l.sections ?? [{ name: `${module} Information`, fields: all.map((f) => f.api_name) }]).map(
        (s, i) => ({
          display_label: s.name,
          sequence_number: i + 1,
          column_count: 2,
          name: s.name,
          api_name: s.name.replace(/[^A-Za-z0-9]+/g, '_'),
          fields: s.fields.flatMap((name) => all.filter((f) => f.api_name === name)),
        }),
      ),
    }));
  return rendered.length ? { layouts: rendered } : null;
}

/** The related lists each module shows (reference §10 table, and what this server serves). */
const RELATED: Readonly<Record<ModuleApiName, readonly string[]>> = {
  Contacts: ['Notes', 'Attachments', 'Products', 'Pipelines'],
  Accounts: ['Contacts', 'Pipelines', 'Notes', 'Attachments', 'Products'],
  Pipelines: ['Products', 'Notes', 'Attachments'],
  Products: ['Contacts', 'Pipelines', 'Accounts', 'Attachments'],
  Tasks: ['Attachments'],
  Events: ['Attachments'],
  Calls: [],
  Notes: ['Attachments'],
};

/** GET /bigin/v2/settings/related_lists?module=: `{"related_lists":[…]}` ([CRM] keys, reference §10). */
export async function listRelatedLists(
  _deps: SettingsDeps,
  principal: Principal,
  query: Record<string, string | undefined>,
) {
  authorizeDirectory(principal, 'related_lists');
  const module = metadataModule(principal, query.module);
  const lists = RELATED[module];
  if (lists.length === 0) return null;
  return {
    related_lists: lists.map((name, i) => ({
      sequence_number: String(i + 1),
      display_label: name === 'Accounts' ? 'Companies' : name,
      api_name: name,
      module: { api_name: name, id: metadataIds.module(principal.orgId, name) },
      name,
      id: metadataIds.relatedList(principal.orgId, module, i),
      href: `${module}/{ENTITYID}/${name}`,
      type:
        name === 'Products' || (module === 'Products' && name !== 'Attachments')
          ? 'multiselectlookup'
          : 'default',
      connectedmodule: null,
      linkingmodule: null,
      status: 'visible',
      customize_sort: false,
      customize_fields: false,
      customize_display_label: false,
    })),
  };
}
