import { formatBiginTime } from '../bigin-time.js';
import type { Principal, Profile, Role } from '../model.js';
import { authorizeDirectory } from './directory-access.js';
import { type DirectoryDeps, loadDirectory, primaryAdmin, zuidOf } from './users.js';

const text = (v: unknown) => (typeof v === 'string' ? v : null);

/** GET /bigin/v2/org: `{"org":[org]}` with the 35 recorded keys (reference §5), no `info`. */
export async function getOrg(deps: DirectoryDeps, principal: Principal) {
  authorizeDirectory(principal, 'org');
  const [org, dir, photo] = await Promise.all([
    deps.directory.organization(principal.orgId),
    loadDirectory(deps, principal.orgId),
    deps.photos?.find(principal.orgId, principal.orgId) ?? null,
  ]);
  if (!org) throw new Error(`organisation ${principal.orgId} vanished`);
  const d = org.details;
  const admin = primaryAdmin(dir.users, dir.profiles);
  const zgid = zuidOf(org.id);
  const live = dir.users.filter((u) => u.details.deleted !== true);
  return {
    org: [
      {
        country: text(d.country),
        hierarchy_preferences: { type: 'Role_Hierarchy' },
        // The organisation photo's id (D20), null without one.
        photo_id: photo?.id ?? null,
        city: text(d.city),
        description: text(d.description),
        mc_status: false,
        gapps_enabled: false,
        lite_users_enabled: false,
        domain_name: `org${zgid}`,
        translation_enabled: false,
        street: text(d.street),
        alias: text(d.alias),
        currency: text(d.currency) ?? 'US Dollar - USD',
        deletable_org_account: false,
        id: org.id,
        state: text(d.state),
        fax: text(d.fax),
        employee_count: text(d.employeeCount),
        zip: text(d.zip),
        website: text(d.website),
        currency_symbol: text(d.currencySymbol) ?? '$',
        mobile: text(d.mobile),
        currency_locale: text(d.currencyLocale) ?? 'USD',
        primary_zuid: admin ? zuidOf(admin.id) : null,
        zia_portal_id: null,
        time_zone: text(d.timeZone) ?? admin?.timeZone ?? 'UTC',
        zgid,
        country_code: text(d.countryCode),
        license_details: {
          paid_expiry: null,
          users_license_purchased: live.length,
          trial_type: null,
          trial_expiry: null,
          paid: true,
          paid_type: 'premier',
          portal_users_license_purchased: 0,
        },
        phone: text(d.phone),
        company_name: org.name,
        privacy_settings: false,
        primary_email: text(d.primaryEmail) ?? admin?.email ?? null,
        hipaa_compliance_enabled: false,
        iso_code: text(d.currencyLocale) ?? 'USD',
      },
    ],
  };
}

/** Bigin's two built-in profiles cannot be deleted; the rest are clones (custom). */
const BUILT_IN = new Set(['Administrator', 'Standard']);

function renderProfile(p: Profile, created: string) {
  return {
    display_label: p.name,
    created_time: created,
    modified_time: created,
    name: p.name,
    modified_by: null,
    description: BUILT_IN.has(p.name) ? `${p.name} profile` : null,
    id: p.id,
    category: false,
    created_by: null,
    custom: !BUILT_IN.has(p.name),
    admin: p.admin,
  };
}

function renderRole(r: Role, roles: ReadonlyMap<string, Role>, admin: boolean) {
  const above = r.reportsTo === null ? undefined : roles.get(r.reportsTo);
  return {
    display_label: r.name,
    share_with_peers: r.shareWithPeers,
    name: r.name,
    description: null,
    id: r.id,
    reporting_to: above ? { name: above.name, id: above.id } : null,
    admin_user: admin,
  };
}

async function orgCreated(deps: DirectoryDeps, principal: Principal) {
  const org = await deps.directory.organization(principal.orgId);
  const zone = (await deps.catalog.userTimeZone(principal.orgId, principal.userId)) ?? 'UTC';
  return formatBiginTime(org?.createdAt ?? deps.clock.now(), zone);
}

/** GET /bigin/v2/settings/profiles (and /{id}): `{"profiles":[…]}`, no `info`; null (204) for an unknown id. */
export async function listProfiles(deps: DirectoryDeps, principal: Principal, id?: string) {
  authorizeDirectory(principal, 'profiles');
  const profiles = (await deps.directory.profiles(principal.orgId)).filter(
    (p) => id === undefined || p.id === id,
  );
  if (profiles.length === 0) return null;
  const created = await orgCreated(deps, principal);
  return { profiles: profiles.map((p) => renderProfile(p, created)) };
}

/** GET /bigin/v2/settings/roles (and /{id}): `{"roles":[…]}`, no `info`; null (204) for an unknown id. */
export async function listRoles(deps: DirectoryDeps, principal: Principal, id?: string) {
  authorizeDirectory(principal, 'roles');
  const all = await deps.directory.roles(principal.orgId);
  const byId = new Map(all.map((r) => [r.id, r]));
  const top = all.find((r) => r.reportsTo === null);
  const roles = all.filter((r) => id === undefined || r.id === id);
  if (roles.length === 0) return null;
  return { roles: roles.map((r) => renderRole(r, byId, r === top)) };
}
