import { type ItemResult, isId } from '@bigin-attachments/contract';
import { isKnownTimeZone } from '../bigin-time.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import { formatId } from '../ids.js';
import type { Principal } from '../model.js';
import type { DirectoryRepository, DirectoryUser, SeedRepository } from '../ports.js';
import { batchStatus, item } from '../records/item-results.js';
import { recordErrors } from '../records/record-errors.js';
import { authorizeDirectory } from './directory-access.js';
import { loadDirectory, primaryAdmin } from './users.js';

/**
 * POST /users, PUT /users[/{id}], DELETE /users/{id} (Bigin's add-user, update-user and
 * delete-user pages; decision D24, docs/directory-and-metadata.md#user-writes). Answers are
 * per item under `users`, as Zoho's user writes answer.
 */
export interface UserWriteDeps {
  directory: DirectoryRepository;
  clock: Clock;
  seed: Pick<SeedRepository, 'organization' | 'reserveSequence'>;
}

export interface UserWriteAnswer {
  status: number;
  body: { users: ItemResult[] };
}

/** Users per update call; one per add or delete call, as Bigin's pages say. */
const MAX_UPDATES = 100;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const LOCALE = /^[a-z]{2}_[A-Z]{2}$/;

/** Optional text keys a write may set, with their longest value; kept in the user's details. */
const TEXT_KEYS: Readonly<Record<string, number>> = {
  first_name: 40,
  last_name: 80,
  phone: 30,
  mobile: 30,
  country: 100,
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const deleted = (u: DirectoryUser) => u.details.deleted === true;

const notAllowed = (message: string, details: Record<string, unknown>): ItemResult => ({
  code: 'NOT_ALLOWED',
  details,
  message,
  status: 'error',
});
const duplicateEmail = (at: string): ItemResult => ({
  code: 'DUPLICATE_DATA',
  details: { api_name: 'email', json_path: `${at}.email` },
  message: 'duplicate data',
  status: 'error',
});

/** The `users` array of a write body, of 1–`limit` items, else the whole call is refused. */
function usersOf(body: unknown, limit: number): unknown[] {
  if (!isObject(body)) throw recordErrors.invalidJson('not an object');
  const users = body.users;
  if (users === undefined || users === null)
    throw new AppError('BODY_MANDATORY_NOT_FOUND', 'users body-users', {
      api_name: 'users',
      json_path: '$.users',
    });
  if (!Array.isArray(users))
    throw new AppError('INVALID_DATA', 'users body-users', {
      api_name: 'users',
      json_path: '$.users',
      expected_data_type: 'jsonarray',
    });
  if (users.length === 0)
    throw new AppError('INVALID_DATA', 'users body-users-empty', { api_name: 'users', json_path: '$.users' });
  if (users.length > limit)
    throw new AppError('RECORDS_LIMIT_EXCEEDED', 'users limit', { limit, json_path: '$.users' });
  return users;
}

type Directory = Awaited<ReturnType<typeof loadDirectory>>;

/**
 * Checks the keys an item sets and applies them to `user` (a copy): the values, the org's roles
 * and profiles, and a unique email among users not deleted. Unknown keys are ignored, as for
 * records. An error result, or the changed user.
 */
function applyFields(
  raw: Record<string, unknown>,
  user: DirectoryUser,
  dir: Directory,
  at: string,
  required: readonly string[],
): ItemResult | DirectoryUser {
  for (const key of required) {
    const v = raw[key];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === ''))
      return item.mandatoryNotFound(key, `${at}.${key}`);
  }
  const bad = (key: string, extra: Record<string, unknown> = {}) =>
    item.invalidData({ api_name: key, json_path: `${at}.${key}`, ...extra });
  const next: DirectoryUser = { ...user, details: { ...user.details } };
  for (const [key, max] of Object.entries(TEXT_KEYS)) {
    const v = raw[key];
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'string') return bad(key, { expected_data_type: 'text' });
    if (typeof v === 'string' && v.length > max) return bad(key, { maximum_length: max });
    next.details[key] = v === null ? null : v.trim();
  }
  if (raw.email !== undefined) {
    if (typeof raw.email !== 'string' || raw.email.length > 100 || !EMAIL.test(raw.email.trim()))
      return bad('email');
    next.email = raw.email.trim();
  }
  for (const key of ['role', 'profile'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    // Zoho's user objects carry `{name,id}`; the add-user page sends the id alone. Both are taken.
    const id = isObject(v) ? v.id : v;
    const known = key === 'role' ? dir.roles : dir.profiles;
    if (typeof id !== 'string' || !isId(id) || !known.has(id)) return bad(key);
    if (key === 'role') next.roleId = id;
    else next.profileId = id;
  }
  if (raw.time_zone !== undefined) {
    if (typeof raw.time_zone !== 'string' || !isKnownTimeZone(raw.time_zone)) return bad('time_zone');
    next.timeZone = raw.time_zone;
  }
  if (raw.locale !== undefined) {
    if (typeof raw.locale !== 'string' || !LOCALE.test(raw.locale)) return bad('locale');
    next.details.locale = raw.locale;
  }
  const first = (next.details.first_name as string | null | undefined) ?? '';
  const last = (next.details.last_name as string | null | undefined) ?? '';
  if (raw.first_name !== undefined || raw.last_name !== undefined)
    next.name = `${first} ${last}`.trim() || next.name;
  const email = next.email.toLowerCase();
  if (dir.users.some((u) => u.id !== next.id && !deleted(u) && u.email.toLowerCase() === email))
    return duplicateEmail(at);
  return next;
}

/** POST /users: one user, invited (not confirmed), active; `201` with its id. */
export async function addUser(
  deps: UserWriteDeps,
  principal: Principal,
  readBody: () => Promise<unknown>,
): Promise<UserWriteAnswer> {
  authorizeDirectory(principal, 'users_create');
  const [raw] = usersOf(await readBody(), 1);
  const at = '$.users[0]';
  if (!isObject(raw)) return answer([item.invalidData({ json_path: at })], 201);
  const [dir, org, meta] = await Promise.all([
    loadDirectory(deps, principal.orgId),
    deps.seed.organization(principal.orgId),
    deps.directory.organization(principal.orgId),
  ]);
  if (!org) throw new Error(`organisation ${principal.orgId} vanished`);
  const now = deps.clock.now();
  const orgZone = meta?.details.timeZone;
  const blank: DirectoryUser = {
    id: '',
    name: '',
    email: '',
    profileId: '',
    roleId: '',
    active: true,
    timeZone: typeof orgZone === 'string' && isKnownTimeZone(orgZone) ? orgZone : 'UTC',
    details: { confirm: false, created_time: now, modified_time: now, created_by: principal.userId },
  };
  const checked = applyFields(raw, blank, dir, at, ['first_name', 'last_name', 'email', 'role', 'profile']);
  if ('code' in checked) return answer([checked], 201);
  const id = formatId(org.idPrefix, await deps.seed.reserveSequence(principal.orgId, 1));
  const user = { ...checked, id, details: { ...checked.details, modified_by: principal.userId } };
  if (!(await deps.directory.insertUser(principal.orgId, user))) throw new Error(`user id ${id} taken`);
  return answer([item.success('User added', { id })], 201);
}

/**
 * PUT /users (ids in the body, up to 100) and PUT /users/{id}: each item changes one user. A
 * deactivated user may only be reactivated (`status: "active"`); the primary user cannot be
 * deactivated or lose the administrator profile; only the caller's own time zone may change.
 */
export async function updateUsers(
  deps: UserWriteDeps,
  principal: Principal,
  readBody: () => Promise<unknown>,
  pathId: string | null,
): Promise<UserWriteAnswer> {
  authorizeDirectory(principal, 'users_update');
  const items = usersOf(await readBody(), pathId === null ? MAX_UPDATES : 1);
  const dir = await loadDirectory(deps, principal.orgId);
  const primary = primaryAdmin(dir.users, dir.profiles);
  const now = deps.clock.now();
  const results: ItemResult[] = [];
  for (const [i, raw] of items.entries()) {
    const at = `$.users[${i}]`;
    if (!isObject(raw)) {
      results.push(item.invalidData({ json_path: at }));
      continue;
    }
    const id = pathId ?? raw.id;
    if (id === undefined || id === null || id === '') {
      results.push(item.mandatoryNotFound('id', `${at}.id`));
      continue;
    }
    const index = dir.users.findIndex((u) => u.id === id && !deleted(u));
    const current = dir.users[index];
    if (typeof id !== 'string' || !current) {
      results.push(item.invalidId(String(id)));
      continue;
    }
    const result = await updateOne(deps, principal, dir, raw, current, at, primary?.id, now);
    if ('code' in result) {
      results.push(result);
      continue;
    }
    dir.users[index] = result;
    results.push(item.success('User updated', { id }));
  }
  return answer(results, 200);
}

async function updateOne(
  deps: UserWriteDeps,
  principal: Principal,
  dir: Directory,
  raw: Record<string, unknown>,
  current: DirectoryUser,
  at: string,
  primaryId: string | undefined,
  now: number,
): Promise<ItemResult | DirectoryUser> {
  // In the order docs/directory-and-metadata.md#user-writes lists.
  const status = raw.status;
  if (!current.active && status !== 'active')
    return notAllowed('a deactivated user cannot be updated', { id: current.id });
  if (raw.time_zone !== undefined && current.id !== principal.userId && raw.time_zone !== current.timeZone)
    return notAllowed("another user's time zone cannot be changed", {
      api_name: 'time_zone',
      json_path: `${at}.time_zone`,
    });
  if (status !== undefined && status !== 'active' && status !== 'inactive')
    return item.invalidData({ api_name: 'status', json_path: `${at}.status` });
  const next = applyFields(raw, current, dir, at, []);
  if ('code' in next) return next;
  if (status !== undefined) next.active = status === 'active';
  if (current.id === primaryId && (!next.active || !dir.profiles.get(next.profileId)?.admin))
    return notAllowed('the primary user cannot be deactivated or lose the administrator profile', {
      id: current.id,
    });
  next.details.modified_time = now;
  next.details.modified_by = principal.userId;
  if (!(await deps.directory.updateUser(principal.orgId, next))) return item.invalidId(current.id);
  return next;
}

/** DELETE /users/{id}: the user is kept with status `deleted` (Bigin lists deleted users). */
export async function deleteUser(
  deps: UserWriteDeps,
  principal: Principal,
  userId: string,
): Promise<UserWriteAnswer> {
  authorizeDirectory(principal, 'users_delete');
  const dir = await loadDirectory(deps, principal.orgId);
  const current = dir.users.find((u) => u.id === userId && !deleted(u));
  if (!current) return answer([item.invalidId(userId)], 200);
  if (current.id === primaryAdmin(dir.users, dir.profiles)?.id)
    return answer([notAllowed('the primary user cannot be deleted', { id: userId })], 200);
  const now = deps.clock.now();
  await deps.directory.updateUser(principal.orgId, {
    ...current,
    active: false,
    details: { ...current.details, deleted: true, modified_time: now, modified_by: principal.userId },
  });
  return answer([item.success('User deleted', { id: userId })], 200);
}

function answer(results: ItemResult[], allOk: number): UserWriteAnswer {
  return { status: batchStatus(results, allOk), body: { users: results } };
}
