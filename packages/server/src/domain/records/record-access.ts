import {
  findModule,
  type ModuleApiName,
  type RecordOperation,
  recordScopes,
  UNSUPPORTED_MODULE_NAMES,
} from '@bigin-attachments/contract';
import { errors } from '../errors.js';
import type { ModulePermissions, Principal, RecordRef } from '../model.js';
import { canAccessRecord, moduleAccessRefusal } from '../permissions.js';
import type { RecordDataRepository, RoleRepository } from '../ports.js';
import { recordErrors } from './record-errors.js';

/** The profile permission each record operation needs besides viewing the module. */
const PROFILE_PERMISSION: Record<RecordOperation, keyof ModulePermissions> = {
  READ: 'view',
  CREATE: 'create',
  UPDATE: 'edit',
  DELETE: 'delete',
};

const scopeCache = new Map<string, string[]>();

function scopesAllow(principal: Principal, module: ModuleApiName, operation: RecordOperation): boolean {
  const key = `${module}:${operation}`;
  let scopes = scopeCache.get(key);
  if (!scopes) {
    scopes = recordScopes(module, operation).map((s) => s.toLowerCase());
    scopeCache.set(key, scopes);
  }
  return scopes.some((s) => principal.scopes.has(s));
}

/** Every Bigin module is a records module (Calls included); Documents and Projects are not served. */
export function resolveRecordModule(name: string): ModuleApiName {
  const module = findModule(name);
  if (module) return module.apiName;
  if ((UNSUPPORTED_MODULE_NAMES as readonly string[]).includes(name)) throw errors.moduleNotSupported();
  throw errors.unknownModule();
}

/**
 * The whole-request checks of every records call, in the attachments order (D4 rows 5–9): module,
 * scope, tab permission, then the profile permission of the operation.
 */
export function authorizeRecordOperation(
  principal: Principal,
  moduleName: string,
  operation: RecordOperation,
): ModuleApiName {
  const module = resolveRecordModule(moduleName);
  if (!scopesAllow(principal, module, operation)) throw errors.scopeMismatch();
  const tabRefusal = moduleAccessRefusal(principal, module);
  if (tabRefusal) throw errors.noTabPermission(tabRefusal);
  const permission = PROFILE_PERMISSION[operation];
  if (!principal.profile.permissions.modules[module]?.[permission])
    throw recordErrors.noModulePermission(permission);
  return module;
}

export interface VisibilityDeps {
  recordData: RecordDataRepository;
  roles: RoleRepository;
}

/**
 * Owners whose records the principal may see, or null for "everyone" (administrators). The same
 * rule as `canAccessRecord`: own records, records of users in roles below, and peers' records
 * when the principal's role shares with peers.
 */
export async function visibleOwners(deps: VisibilityDeps, principal: Principal): Promise<Set<string> | null> {
  if (principal.profile.admin) return null;
  const roles = await deps.recordData.rolesBelow(principal.orgId, principal.roleId);
  const role = await deps.roles.find(principal.orgId, principal.roleId);
  if (role?.shareWithPeers) roles.push(role.id);
  const owners = new Set(await deps.recordData.usersInRoles(principal.orgId, roles));
  owners.add(principal.userId);
  return owners;
}

export function isVisible(owners: Set<string> | null, ownerId: string): boolean {
  return owners === null || owners.has(ownerId);
}

/**
 * Whether the principal may reach one record (attachments, photos): `canAccessRecord` with the
 * owner's role and its ancestors, read only when the principal is neither administrator nor owner.
 */
export async function mayAccessRecord(
  roles: RoleRepository,
  principal: Principal,
  record: RecordRef,
): Promise<boolean> {
  if (principal.profile.admin || record.ownerId === principal.userId) return true;
  const ownerRole = await roles.find(principal.orgId, record.ownerRoleId);
  if (!ownerRole) return false;
  const ancestors =
    record.ownerRoleId === principal.roleId ? [] : await roles.ancestors(principal.orgId, ownerRole.id);
  return canAccessRecord(principal, record, ownerRole, ancestors);
}
