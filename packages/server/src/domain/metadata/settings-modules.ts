import { findModule, MODULE_API_NAMES, type ModuleApiName } from '@bigin-attachments/contract';
import { authorizeDirectory, directoryErrors } from '../directory/directory-access.js';
import type { Principal, Profile } from '../model.js';
import type { DirectoryRepository } from '../ports.js';
import { metadataIds } from './metadata-ids.js';

/** Bigin's module list as recorded (reference §7): 11 modules ordered by sequence number. */
const MODULE_LIST: ReadonlyArray<{
  apiName: string;
  singular: string;
  plural: string;
  sequence: number;
  kind: 'records' | 'social' | 'subform' | 'hidden';
}> = [
  { apiName: 'Contacts', singular: 'Contact', plural: 'Contacts', sequence: 3, kind: 'records' },
  { apiName: 'Accounts', singular: 'Company', plural: 'Companies', sequence: 4, kind: 'records' },
  { apiName: 'Pipelines', singular: 'Pipeline', plural: 'Pipelines', sequence: 5, kind: 'records' },
  { apiName: 'Tasks', singular: 'Task', plural: 'Tasks', sequence: 6, kind: 'records' },
  { apiName: 'Events', singular: 'Event', plural: 'Events', sequence: 7, kind: 'records' },
  { apiName: 'Calls', singular: 'Call', plural: 'Calls', sequence: 8, kind: 'records' },
  { apiName: 'Products', singular: 'Product', plural: 'Products', sequence: 9, kind: 'records' },
  { apiName: 'Social', singular: 'Social', plural: 'Social', sequence: 10, kind: 'social' },
  {
    apiName: 'Associated_Products',
    singular: 'Associate Product',
    plural: 'Associate Products',
    sequence: 25,
    kind: 'subform',
  },
  { apiName: 'Notes', singular: 'Note', plural: 'Notes', sequence: 29, kind: 'hidden' },
  { apiName: 'Attachments', singular: 'Attachment', plural: 'Attachments', sequence: 33, kind: 'hidden' },
];

function renderModule(
  m: (typeof MODULE_LIST)[number],
  orgId: string,
  profiles: readonly Profile[],
  disabled: ReadonlySet<string>,
) {
  const records = m.kind === 'records' || m.kind === 'hidden';
  const recordModule = findModule(m.apiName)?.apiName as ModuleApiName | undefined;
  const visibleTo = profiles.filter((p) =>
    m.kind === 'social' ? p.admin : recordModule ? p.permissions.modules[recordModule]?.view !== false : true,
  );
  const shown = m.kind === 'records' && !disabled.has(m.apiName);
  return {
    has_more_profiles: false,
    access_type: 'org_based',
    private_profile: null,
    global_search_supported: m.kind === 'records',
    deletable: false,
    description: null,
    creatable: records && m.apiName !== 'Attachments',
    email_parser_supported: false,
    inventory_template_supported: false,
    modified_time: null,
    plural_label: m.plural,
    presence_sub_menu: false,
    actual_plural_label: m.plural,
    triggers_supported: m.kind === 'records',
    id: metadataIds.module(orgId, m.apiName),
    isBlueprintSupported: false,
    visible: m.kind !== 'hidden',
    visibility: m.kind === 'subform' ? 2 : 1,
    convertable: false,
    editable: records && m.apiName !== 'Attachments',
    emailTemplate_support: m.apiName === 'Contacts' || m.apiName === 'Accounts' || m.apiName === 'Pipelines',
    actual_singular_label: m.singular,
    profiles: visibleTo.map((p) => ({ name: p.name, id: p.id })),
    filter_supported: m.kind === 'records',
    show_as_tab: shown,
    web_link: null,
    sequence_number: m.sequence,
    singular_label: m.singular,
    viewable: m.kind !== 'subform',
    api_supported: m.kind !== 'social',
    api_name: m.apiName,
    quick_create: m.kind === 'records',
    modified_by: null,
    generated_type: m.kind === 'subform' ? 'subform' : 'default',
    feeds_required: false,
    scoring_supported: false,
    webform_supported: m.apiName === 'Contacts',
    public_fields_configured: false,
    arguments: [],
    module_name: m.kind === 'subform' ? 'LinkingModule1' : m.apiName,
    profile_count: visibleTo.length,
    business_card_field_limit: 5,
    parent_module:
      m.kind === 'subform' ? { api_name: 'Pipelines', id: metadataIds.module(orgId, 'Pipelines') } : {},
  };
}

export interface SettingsDeps {
  directory: DirectoryRepository;
}

/** GET /bigin/v2/settings/modules: `{"modules":[…]}` (11 modules, 43 keys each), no `info`. */
export async function listModules(deps: SettingsDeps, principal: Principal) {
  authorizeDirectory(principal, 'modules');
  const profiles = await deps.directory.profiles(principal.orgId);
  return {
    modules: MODULE_LIST.map((m) => renderModule(m, principal.orgId, profiles, principal.disabledModules)),
  };
}

/** GET /bigin/v2/settings/modules/{api_name}: `{"modules":[module]}`; INVALID_MODULE for a name Bigin lacks. */
export async function getModule(deps: SettingsDeps, principal: Principal, apiName: string) {
  authorizeDirectory(principal, 'modules');
  const m = MODULE_LIST.find((x) => x.apiName === apiName);
  if (!m) throw directoryErrors.invalidModuleParam();
  const profiles = await deps.directory.profiles(principal.orgId);
  return { modules: [renderModule(m, principal.orgId, profiles, principal.disabledModules)] };
}

/**
 * The `module` parameter of /settings/fields, /layouts and /related_lists: required, a records
 * module, and one the caller's profile can see.
 */
export function metadataModule(principal: Principal, value: string | undefined): ModuleApiName {
  if (value === undefined || value === '') throw directoryErrors.paramMissing('module');
  const m = findModule(value)?.apiName;
  if (!m || !(MODULE_API_NAMES as readonly string[]).includes(m)) throw directoryErrors.invalidModuleParam();
  if (principal.profile.permissions.modules[m]?.view === false) throw directoryErrors.moduleHidden(m);
  return m;
}
