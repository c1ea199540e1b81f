import { AppError, errors } from '../errors.js';
import type { Principal } from '../model.js';

/**
 * What each directory and metadata endpoint accepts (docs/directory-and-metadata.md). One scope
 * of the list suffices (these endpoints list no pairs). `ZohoBigin.settings.ALL` counts for every
 * settings endpoint: the docs list it for modules, layouts and related lists, and it is the parent
 * of every `ZohoBigin.settings.*` scope in Bigin's scope grammar (decision D-12a).
 */
export const DIRECTORY_SCOPES = {
  users: ['ZohoBigin.users.ALL', 'ZohoBigin.users.READ'],
  // User writes: the scopes of Bigin's add-user, update-user and delete-user pages (D24).
  users_create: ['ZohoBigin.users.ALL', 'ZohoBigin.users.CREATE'],
  users_update: ['ZohoBigin.users.ALL', 'ZohoBigin.users.UPDATE'],
  users_delete: ['ZohoBigin.users.ALL', 'ZohoBigin.users.DELETE'],
  org: ['ZohoBigin.org.ALL', 'ZohoBigin.org.READ'],
  profiles: ['ZohoBigin.settings.profiles.ALL', 'ZohoBigin.settings.profiles.READ', 'ZohoBigin.settings.ALL'],
  roles: ['ZohoBigin.settings.roles.ALL', 'ZohoBigin.settings.roles.READ', 'ZohoBigin.settings.ALL'],
  modules: ['ZohoBigin.settings.modules.ALL', 'ZohoBigin.settings.modules.READ', 'ZohoBigin.settings.ALL'],
  fields: ['ZohoBigin.settings.fields.ALL', 'ZohoBigin.settings.fields.READ', 'ZohoBigin.settings.ALL'],
  layouts: ['ZohoBigin.settings.layouts.ALL', 'ZohoBigin.settings.layouts.READ', 'ZohoBigin.settings.ALL'],
  related_lists: [
    'ZohoBigin.settings.related_lists.ALL',
    'ZohoBigin.settings.related_lists.READ',
    'ZohoBigin.settings.ALL',
  ],
} as const satisfies Record<string, readonly string[]>;

export type DirectoryEndpoint = keyof typeof DIRECTORY_SCOPES;

/**
 * Profiles and roles are Setup › Users and Controls: administrators only (decision D-12b); so is
 * adding, changing and deleting users (D24: Bigin's help, "Log in to Bigin with administrator
 * privileges").
 */
const ADMIN_ONLY: ReadonlySet<DirectoryEndpoint> = new Set([
  'profiles',
  'roles',
  'users_create',
  'users_update',
  'users_delete',
]);

const lowered = Object.fromEntries(
  Object.entries(DIRECTORY_SCOPES).map(([k, v]) => [k, v.map((s) => s.toLowerCase())]),
) as Record<DirectoryEndpoint, string[]>;

/** Scope (401 OAUTH_SCOPE_MISMATCH), then profile (403 NO_PERMISSION). */
export function authorizeDirectory(principal: Principal, endpoint: DirectoryEndpoint): void {
  if (!lowered[endpoint].some((s) => principal.scopes.has(s))) throw errors.scopeMismatch();
  if (ADMIN_ONLY.has(endpoint) && !principal.profile.admin)
    throw new AppError('NO_PERMISSION', `directory ${endpoint}: profile is not an administrator`);
}

export const directoryErrors = {
  invalidParam: (param: string) =>
    new AppError('INVALID_DATA', `directory param: ${param}`, { param_name: param }),
  paramMissing: (param: string) =>
    new AppError('REQUIRED_PARAM_MISSING', `directory param-missing: ${param}`, { param_name: param }),
  /** `module=` names no module these endpoints serve. */
  invalidModuleParam: () =>
    new AppError('INVALID_MODULE', 'directory param: module', { param_name: 'module' }),
  /** The profile cannot see the module the metadata is asked for. */
  moduleHidden: (module: string) => new AppError('NO_PERMISSION', `directory module-access: ${module}`),
};

/** `page` (default 1) and `per_page` (default and maximum 200), whole numbers only. */
export function pageParams(query: Record<string, string | undefined>): { page: number; perPage: number } {
  const read = (name: string, fallback: number, max: number) => {
    const raw = query[name];
    if (raw === undefined) return fallback;
    if (!/^[0-9]{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
      throw directoryErrors.invalidParam(name);
    return Number(raw);
  };
  return { page: read('page', 1, 1_000_000), perPage: read('per_page', 200, 200) };
}
