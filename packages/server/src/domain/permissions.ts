import type { ModuleApiName } from '@bigin-attachments/contract';
import { MODULE_API_NAMES } from '@bigin-attachments/contract';
import type {
  FilesPermissions,
  ModulePermissions,
  Principal,
  ProfilePermissions,
  RecordRef,
} from './model.js';

const all = (value: boolean): ModulePermissions => ({
  view: value,
  create: value,
  edit: value,
  delete: value,
});

function everyModule(permissions: ModulePermissions): Record<ModuleApiName, ModulePermissions> {
  return Object.fromEntries(MODULE_API_NAMES.map((m) => [m, { ...permissions }])) as Record<
    ModuleApiName,
    ModulePermissions
  >;
}

/** Bigin's two built-in profiles: Administrator has everything, Standard everything but delete. */
export const PROFILE_TEMPLATES = {
  Administrator: {
    admin: true,
    permissions: { modules: everyModule(all(true)), files: { view: true, create: true, delete: true } },
  },
  Standard: {
    admin: false,
    permissions: {
      modules: everyModule({ view: true, create: true, edit: true, delete: false }),
      files: { view: true, create: true, delete: false },
    },
  },
} as const satisfies Record<string, { admin: boolean; permissions: ProfilePermissions }>;

export type ProfileTemplate = keyof typeof PROFILE_TEMPLATES;

/** Tab permission: the profile may see the module, and the organisation has not disabled it. */
export function moduleAccessRefusal(principal: Principal, module: ModuleApiName): string | null {
  if (principal.disabledModules.has(module)) return 'module disabled in organisation';
  if (!principal.profile.permissions.modules[module]?.view) return 'profile cannot view module';
  return null;
}

export function hasFilesPermission(principal: Principal, permission: keyof FilesPermissions): boolean {
  return principal.profile.permissions.files[permission] === true;
}

/**
 * Record visibility: administrators see everything; others see records they own, records owned
 * by users whose role is below theirs in the hierarchy, and records of peers (same role) when
 * that role shares data with peers.
 *
 * `ancestorsOfOwnerRole` lists the roles above the owner's role, nearest first.
 */
export function canAccessRecord(
  principal: Principal,
  record: RecordRef,
  ownerRole: { shareWithPeers: boolean },
  ancestorsOfOwnerRole: readonly string[],
): boolean {
  if (principal.profile.admin) return true;
  if (record.ownerId === principal.userId) return true;
  if (record.ownerRoleId === principal.roleId) return ownerRole.shareWithPeers;
  return ancestorsOfOwnerRole.includes(principal.roleId);
}
