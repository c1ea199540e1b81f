import {
  type AttachmentModuleApiName,
  type AttachmentOperation,
  findModule,
  isId,
  UNSUPPORTED_MODULE_NAMES,
} from '@bigin-attachments/contract';
import { type AppError, errors } from '../errors.js';
import type { FilesPermissions, Principal, RecordRef } from '../model.js';
import { hasFilesPermission, moduleAccessRefusal } from '../permissions.js';
import type { RecordRepository, RoleRepository } from '../ports.js';
import { mayAccessRecord } from '../records/record-access.js';
import { scopesAllowAttachmentOperation } from '../scopes.js';

export interface AttachmentAccessDeps {
  records: RecordRepository;
  roles: RoleRepository;
}

export interface AttachmentAccessRule {
  operation: AttachmentOperation;
  filesPermission: keyof FilesPermissions;
  /** The refusal when the record exists but the user may not reach it (row 11). */
  recordNotAccessible: () => AppError;
}

/** D4 rows 5 and 6: the module must be one the attachments API serves. */
export function resolveAttachmentModule(name: string): AttachmentModuleApiName {
  const module = findModule(name);
  if (module?.attachments) return module.apiName;
  if (module || (UNSUPPORTED_MODULE_NAMES as readonly string[]).includes(name))
    throw errors.moduleNotSupported();
  throw errors.unknownModule();
}

/**
 * D4 rows 5 to 11, shared by every attachment endpoint: module, scope pair, tab permission, Files
 * permission, record existence (foreign and deleted records look missing) and record visibility.
 */
export async function authorizeAttachmentAccess(
  deps: AttachmentAccessDeps,
  principal: Principal,
  input: { module: string; recordId: string },
  rule: AttachmentAccessRule,
): Promise<{ module: AttachmentModuleApiName; record: RecordRef }> {
  const module = resolveAttachmentModule(input.module);
  if (!scopesAllowAttachmentOperation(principal.scopes, module, rule.operation)) throw errors.scopeMismatch();
  const tabRefusal = moduleAccessRefusal(principal, module);
  if (tabRefusal) throw errors.noTabPermission(tabRefusal);
  if (!hasFilesPermission(principal, rule.filesPermission))
    throw errors.noFilesPermission(rule.filesPermission);
  if (!isId(input.recordId)) throw errors.recordNotFound();
  const record = await deps.records.findLive(principal.orgId, module, input.recordId);
  if (!record) throw errors.recordNotFound();
  if (!(await mayAccessRecord(deps.roles, principal, record))) throw rule.recordNotAccessible();
  return { module, record };
}
