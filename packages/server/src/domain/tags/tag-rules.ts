import {
  findModule,
  type ModuleApiName,
  TAG_SETTINGS_SCOPES,
  tagActionScopes,
} from '@bigin-attachments/contract';
import { formatBiginTime } from '../bigin-time.js';
import { directoryErrors } from '../directory/directory-access.js';
import { AppError, errors } from '../errors.js';
import type { Principal } from '../model.js';
import { moduleAccessRefusal } from '../permissions.js';
import type { TagRow } from '../ports.js';
import { recordErrors } from '../records/record-errors.js';
import { hasUnstorableText } from '../text.js';

/** The modules Bigin tags (every tag page lists these seven; Notes has no tags). */
export const TAG_MODULES: readonly ModuleApiName[] = [
  'Contacts',
  'Pipelines',
  'Accounts',
  'Products',
  'Tasks',
  'Events',
  'Calls',
];

/**
 * Longest tag name. Bigin publishes none; Zoho CRM's tag editor stops at 25 characters, which
 * Bigin's shares (decision, docs/tags.md).
 */
export const MAX_TAG_NAME = 25;
/** Tags per module: Zoho CRM's Enterprise figure (Bigin publishes none; docs/tags.md). */
export const MAX_TAGS_PER_MODULE = 100;
/** Tags one create or update call may carry (decision, docs/tags.md). */
export const MAX_TAGS_PER_CALL = 50;
/** Records one add_tags or remove_tags call may name (Bigin api-limits, CRM add-tags). */
export const MAX_TAGGED_RECORDS = 500;

/** The colours Zoho lets a tag have ([CRM] create-tags); null when none is given. */
export const TAG_COLOURS: readonly string[] = [
  '#F17574',
  '#F48435',
  '#E7A826',
  '#A8C026',
  '#63C57E',
  '#1DB9B4',
  '#57B1FD',
  '#879BFC',
  '#D297EE',
  '#FD87BD',
  '#969696',
  '#658BA8',
  '#B88562',
];

export const tagErrors = {
  tooManyTags: (limit: number) =>
    new AppError('TAGS_LIMIT_EXCEEDED', 'tags limit', { limit, json_path: '$.tags' }),
  tagsMissing: () =>
    new AppError('BODY_MANDATORY_NOT_FOUND', 'tags body-tags', { api_name: 'tags', json_path: '$.tags' }),
  tagsNotArray: () =>
    new AppError('INVALID_DATA', 'tags body-tags', {
      api_name: 'tags',
      json_path: '$.tags',
      expected_data_type: 'jsonarray',
    }),
};

const lowered = (scopes: readonly string[]) => scopes.map((s) => s.toLowerCase());
const SETTINGS = {
  READ: lowered(TAG_SETTINGS_SCOPES.READ),
  CREATE: lowered(TAG_SETTINGS_SCOPES.CREATE),
  UPDATE: lowered(TAG_SETTINGS_SCOPES.UPDATE),
};

/**
 * `module=` of a tag settings call, then the scope, then the profile: the module must be one
 * Bigin tags and visible to the caller; creating and renaming need the module's edit permission
 * (decision, docs/tags.md).
 */
export function authorizeTagSettings(
  principal: Principal,
  operation: keyof typeof SETTINGS,
  moduleParam: string | undefined,
): ModuleApiName {
  if (!SETTINGS[operation].some((s) => principal.scopes.has(s))) throw errors.scopeMismatch();
  if (moduleParam === undefined || moduleParam === '') throw directoryErrors.paramMissing('module');
  const module = findModule(moduleParam)?.apiName;
  if (!module || !TAG_MODULES.includes(module)) throw directoryErrors.invalidModuleParam();
  const permissions = principal.profile.permissions.modules[module];
  if (moduleAccessRefusal(principal, module) || permissions?.view === false)
    throw directoryErrors.moduleHidden(module);
  if (operation !== 'READ' && !permissions?.edit) throw recordErrors.noModulePermission('edit');
  return module;
}

/** add_tags and remove_tags: module (path), scope, tab, then the module's edit permission. */
export function authorizeTagAction(
  principal: Principal,
  moduleName: string,
  action: 'add' | 'remove',
): ModuleApiName {
  const module = findModule(moduleName)?.apiName;
  if (!module || !TAG_MODULES.includes(module)) throw errors.unknownModule();
  if (!tagActionScopes(module, action).some((s) => principal.scopes.has(s.toLowerCase())))
    throw errors.scopeMismatch();
  const tabRefusal = moduleAccessRefusal(principal, module);
  if (tabRefusal) throw errors.noTabPermission(tabRefusal);
  if (!principal.profile.permissions.modules[module]?.edit) throw recordErrors.noModulePermission('edit');
  return module;
}

/** Why a tag name cannot be used, or null when it can. */
export function tagNameProblem(name: unknown): 'missing' | 'invalid' | 'too long' | null {
  if (name === undefined || name === null || (typeof name === 'string' && name.trim() === ''))
    return 'missing';
  if (typeof name !== 'string' || name.includes(',') || hasUnstorableText(name)) return 'invalid';
  if (name.trim().length > MAX_TAG_NAME) return 'too long';
  return null;
}

/** A tag as Bigin shows it (keys put in HashMap order by the serializer). */
export function tagObject(tag: TagRow, users: Map<string, { name: string }>, timeZone: string) {
  return {
    id: tag.id,
    name: tag.name,
    colour_code: tag.colourCode,
    created_by: { name: users.get(tag.createdBy)?.name ?? null, id: tag.createdBy },
    created_time: formatBiginTime(tag.createdAt, timeZone),
    modified_by: { name: users.get(tag.modifiedBy)?.name ?? null, id: tag.modifiedBy },
    modified_time: formatBiginTime(tag.modifiedAt, timeZone),
  };
}
