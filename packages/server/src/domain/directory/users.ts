import { formatBiginTime } from '../bigin-time.js';
import type { Clock } from '../clock.js';
import type { Principal, Profile, Role } from '../model.js';
import type { DirectoryRepository, DirectoryUser, RecordPhotoRepository } from '../ports.js';
import { usersInfo } from '../records/list-info.js';
import { authorizeDirectory, directoryErrors, pageParams } from './directory-access.js';

export interface DirectoryDeps {
  directory: DirectoryRepository;
  clock: Clock;
  catalog: { userTimeZone(orgId: string, userId: string): Promise<string | null> };
  /** The organisation photo, for `photo_id` of GET /org (D20); without it `photo_id` is null. */
  photos?: Pick<RecordPhotoRepository, 'find'>;
}

export type Query = Record<string, string | undefined>;

/** The `type` values of GET /users (reference §4) and who each selects. */
const USER_TYPES: Record<string, (u: DirectoryUser, admin: boolean, me: string) => boolean> = {
  AllUsers: (u) => !deleted(u),
  ActiveUsers: (u) => u.active && !deleted(u),
  DeactiveUsers: (u) => !u.active && !deleted(u),
  ConfirmedUsers: (u) => confirmed(u) && !deleted(u),
  NotConfirmedUsers: (u) => !confirmed(u) && !deleted(u),
  DeletedUsers: (u) => deleted(u),
  ActiveConfirmedUsers: (u) => u.active && confirmed(u) && !deleted(u),
  AdminUsers: (u, admin) => admin && !deleted(u),
  ActiveConfirmedAdmins: (u, admin) => admin && u.active && confirmed(u) && !deleted(u),
  CurrentUser: (u, _admin, me) => u.id === me,
};

const deleted = (u: DirectoryUser) => u.details.deleted === true;
const confirmed = (u: DirectoryUser) => u.details.confirm !== false;
const detail = (u: DirectoryUser, key: string) => (u.details[key] as string | null | undefined) ?? null;

/** A user's Zoho account id (`zuid`): digits derived from the user id, stable, never the id itself. */
export const zuidOf = (userId: string) => String(600_000_000 + (Number(userId.slice(-8)) % 100_000_000));

/** Milliseconds east of UTC of `zone` at `at` (the Users API `offset`). */
export function zoneOffsetMs(zone: string, at: number): number {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(formatBiginTime(at, zone));
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3_600_000 + Number(m[3]) * 60_000);
}

interface Directory {
  users: DirectoryUser[];
  profiles: Map<string, Profile>;
  roles: Map<string, Role>;
}

async function loadDirectory(deps: Pick<DirectoryDeps, 'directory'>, orgId: string): Promise<Directory> {
  const [users, profiles, roles] = await Promise.all([
    deps.directory.users(orgId),
    deps.directory.profiles(orgId),
    deps.directory.roles(orgId),
  ]);
  return {
    users,
    profiles: new Map(profiles.map((p) => [p.id, p])),
    roles: new Map(roles.map((r) => [r.id, r])),
  };
}

/** The first administrator: who "created" every user, and the org's primary contact. */
export function primaryAdmin(users: readonly DirectoryUser[], profiles: ReadonlyMap<string, Profile>) {
  return users.find((u) => profiles.get(u.profileId)?.admin && !deleted(u)) ?? users[0];
}

/** The 50-key user object of the recorded answer (reference §4); null-valued keys are present. */
export function renderUser(u: DirectoryUser, dir: Directory, timeZone: string, now: number) {
  const profile = dir.profiles.get(u.profileId);
  const role = dir.roles.get(u.roleId);
  // Users added over the API name who added and last changed them (D24); fixture users the
  // primary administrator.
  const admin = primaryAdmin(dir.users, dir.profiles) ?? u;
  const person = (key: string) => dir.users.find((x) => x.id === u.details[key]) ?? admin;
  const creator = person('created_by');
  const modifier = person('modified_by');
  const createdAt = typeof u.details.created_time === 'number' ? u.details.created_time : now;
  const created = formatBiginTime(createdAt, timeZone);
  const modifiedAt = typeof u.details.modified_time === 'number' ? u.details.modified_time : createdAt;
  const locale = detail(u, 'locale') ?? 'en_US';
  const tab = { font_color: '#FFFFFF', background: '#222222' };
  return {
    country: detail(u, 'country'),
    Preferred_Currency__s: null,
    language: locale,
    microsoft: false,
    $shift_effective_from: null,
    id: u.id,
    state: null,
    fax: null,
    country_locale: locale,
    sandboxDeveloper: false,
    zip: null,
    decimal_separator: 'Period',
    created_time: created,
    time_format: 'hh:mm a',
    offset: zoneOffsetMs(u.timeZone, now),
    profile: { name: profile?.name ?? null, id: u.profileId },
    created_by: { name: creator.name, id: creator.id },
    zuid: zuidOf(u.id),
    full_name: u.name,
    phone: detail(u, 'phone'),
    dob: null,
    status: deleted(u) ? 'deleted' : u.active ? 'active' : 'disabled',
    role: { name: role?.name ?? null, id: u.roleId },
    customize_info: {
      notes_desc: null,
      show_right_panel: null,
      bc_view: null,
      show_home: false,
      show_detail_view: true,
      show_left_panel: null,
      unpin_recent_item: null,
    },
    city: null,
    signature: null,
    sort_order_preference: 'First Name,Last Name',
    name_format: 'Salutation,First Name,Last Name',
    locale,
    personal_account: false,
    Isonline: false,
    default_tab_group: '0',
    Modified_By: { name: modifier.name, id: modifier.id },
    street: null,
    $current_shift: null,
    alias: null,
    theme: {
      normal_tab: tab,
      selected_tab: tab,
      new_background: null,
      background: '#F3F0EB',
      screen: 'fixed',
      type: 'default',
    },
    first_name: detail(u, 'first_name'),
    email: u.email,
    status_reason__s: null,
    website: null,
    Modified_Time: formatBiginTime(modifiedAt, timeZone),
    $next_shift: null,
    mobile: detail(u, 'mobile'),
    last_name: detail(u, 'last_name') ?? u.name,
    time_zone: u.timeZone,
    number_separator: 'Comma',
    confirm: confirmed(u),
    date_format: 'MM/dd/yyyy',
    category: 'regular_user',
  };
}

const MAX_IDS = 100;

/**
 * GET /bigin/v2/users: one page of the users `type` selects (default AllUsers), ids ascending,
 * with the 4-key `info`; null (204) when the page is empty. `ids` narrows to those users.
 */
export async function listUsers(deps: DirectoryDeps, principal: Principal, query: Query) {
  authorizeDirectory(principal, 'users');
  const type = query.type ?? 'AllUsers';
  const select = USER_TYPES[type];
  if (!select) throw directoryErrors.invalidParam('type');
  const { page, perPage } = pageParams(query);
  let only: Set<string> | null = null;
  if (query.ids !== undefined) {
    const ids = query.ids.split(',').map((s) => s.trim());
    if (ids.length > MAX_IDS || ids.some((id) => !/^[0-9]{1,19}$/.test(id)))
      throw directoryErrors.invalidParam('ids');
    only = new Set(ids);
  }
  const dir = await loadDirectory(deps, principal.orgId);
  const chosen = dir.users.filter(
    (u) =>
      (only === null || only.has(u.id)) &&
      select(u, dir.profiles.get(u.profileId)?.admin === true, principal.userId),
  );
  const slice = chosen.slice((page - 1) * perPage, page * perPage);
  if (slice.length === 0) return null;
  const timeZone = (await deps.catalog.userTimeZone(principal.orgId, principal.userId)) ?? 'UTC';
  const now = deps.clock.now();
  return {
    users: slice.map((u) => renderUser(u, dir, timeZone, now)),
    info: usersInfo({ perPage, page, count: slice.length, more: chosen.length > page * perPage }),
  };
}

/** GET /bigin/v2/users/{id}: `{"users":[user]}`, no `info`; null (204) for an id the org lacks. */
export async function getUser(deps: DirectoryDeps, principal: Principal, userId: string) {
  authorizeDirectory(principal, 'users');
  const dir = await loadDirectory(deps, principal.orgId);
  const user = dir.users.find((u) => u.id === userId);
  if (!user) return null;
  const timeZone = (await deps.catalog.userTimeZone(principal.orgId, principal.userId)) ?? 'UTC';
  return { users: [renderUser(user, dir, timeZone, deps.clock.now())] };
}

export { loadDirectory };
