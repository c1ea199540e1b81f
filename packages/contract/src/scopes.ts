import type { AttachmentModuleApiName, ModuleApiName } from './modules.js';
import { findModule } from './modules.js';

/** An operation on attachments, named as in the scope's operator. */
export type AttachmentOperation = 'READ' | 'CREATE' | 'DELETE';

/** Operators that grant each attachment operation, module side and attachments side (Bigin v2 docs). */
const MODULE_SIDE: Record<AttachmentOperation, readonly string[]> = {
  READ: ['ALL', 'READ'],
  CREATE: ['ALL', 'WRITE', 'CREATE'],
  DELETE: ['ALL', 'DELETE'],
};
const ATTACHMENT_SIDE: Record<AttachmentOperation, readonly string[]> = {
  READ: ['ALL', 'READ'],
  CREATE: ['ALL', 'WRITE', 'CREATE'],
  DELETE: ['ALL', 'DELETE'],
};

/**
 * The scope pairs the docs list for an attachment operation on a module: one module-side scope
 * and one attachments-side scope. `ZohoBigin.modules.ALL` counts on the module side only.
 */
export function attachmentScopePairs(
  module: AttachmentModuleApiName,
  operation: AttachmentOperation,
): Array<[moduleSide: string, attachmentSide: string]> {
  const scopeName = findModule(module)?.scopeName;
  const moduleSide = [
    'ZohoBigin.modules.ALL',
    ...MODULE_SIDE[operation].map((op) => `ZohoBigin.modules.${scopeName}.${op}`),
  ];
  const attachmentSide = ATTACHMENT_SIDE[operation].map((op) => `ZohoBigin.modules.attachments.${op}`);
  return moduleSide.flatMap((m) => attachmentSide.map((a): [string, string] => [m, a]));
}

/** Splits a comma-separated scope string into normalised (lower-case, trimmed) scopes. */
export function parseScopes(scope: string): Set<string> {
  return new Set(
    scope
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s.length > 0),
  );
}

/** An operation on records, named after the scope operator that grants it. */
export type RecordOperation = 'READ' | 'CREATE' | 'UPDATE' | 'DELETE';

/** Operators that grant each record operation (Bigin v2 records pages; UPDATE from the notes pages). */
const RECORD_OPERATORS: Record<RecordOperation, readonly string[]> = {
  READ: ['ALL', 'READ'],
  CREATE: ['ALL', 'WRITE', 'CREATE'],
  UPDATE: ['ALL', 'WRITE', 'UPDATE'],
  DELETE: ['ALL', 'DELETE'],
};

/** The scopes any one of which authorises a record operation on a module (no pairs: records need one). */
export function recordScopes(module: ModuleApiName, operation: RecordOperation): string[] {
  const scopeName = findModule(module)?.scopeName;
  return [
    'ZohoBigin.modules.ALL',
    ...RECORD_OPERATORS[operation].map((op) => `ZohoBigin.modules.${scopeName}.${op}`),
  ];
}

/** What a tag settings call needs: any one of these (Bigin get-tag-list, create-tags, update-tags pages). */
export const TAG_SETTINGS_SCOPES = {
  READ: ['ZohoBigin.settings.ALL', 'ZohoBigin.settings.tags.ALL', 'ZohoBigin.settings.tags.READ'],
  CREATE: [
    'ZohoBigin.settings.ALL',
    'ZohoBigin.settings.tags.ALL',
    'ZohoBigin.settings.tags.WRITE',
    'ZohoBigin.settings.tags.CREATE',
  ],
  UPDATE: [
    'ZohoBigin.settings.ALL',
    'ZohoBigin.settings.tags.ALL',
    'ZohoBigin.settings.tags.WRITE',
    'ZohoBigin.settings.tags.UPDATE',
  ],
} as const;

/**
 * The scopes any one of which authorises adding tags to (ALL, WRITE, CREATE) or removing them
 * from (ALL, WRITE) a module's records (Bigin add-tags-records and remove-tags pages).
 */
export function tagActionScopes(module: ModuleApiName, action: 'add' | 'remove'): string[] {
  const scopeName = findModule(module)?.scopeName;
  const ops = action === 'add' ? ['ALL', 'WRITE', 'CREATE'] : ['ALL', 'WRITE'];
  return ['ZohoBigin.modules.ALL', ...ops.map((op) => `ZohoBigin.modules.${scopeName}.${op}`)];
}

/** The modules whose records have a photo (Bigin upload-image, download-image, delete-image pages). */
export const PHOTO_MODULES = ['Contacts', 'Accounts', 'Products'] as const satisfies readonly ModuleApiName[];
export type PhotoModuleApiName = (typeof PHOTO_MODULES)[number];

/**
 * The scopes any one of which authorises a record photo call: upload takes the record-create
 * operators (ALL, WRITE, CREATE), download READ's, delete DELETE's; `ZohoBigin.modules.ALL` too.
 */
export function photoScopes(module: PhotoModuleApiName, operation: 'READ' | 'CREATE' | 'DELETE'): string[] {
  return recordScopes(module, operation);
}

/** The organisation photo: upload (Bigin upload-org-img page) and download (Zoho CRM's GET org/photo). */
export const ORG_PHOTO_SCOPES = {
  READ: ['ZohoBigin.org.ALL', 'ZohoBigin.org.READ'],
  CREATE: ['ZohoBigin.org.ALL', 'ZohoBigin.org.CREATE', 'ZohoBigin.org.WRITE'],
} as const;
