import {
  findModule,
  isId,
  ORG_PHOTO_SCOPES,
  PHOTO_MODULES,
  type PhotoModuleApiName,
  photoScopes,
  UNSUPPORTED_MODULE_NAMES,
} from '@bigin-attachments/contract';
import type { UploadPart } from '../attachments/upload-attachment.js';
import { blobKeyFor } from '../blob-keys.js';
import type { Clock } from '../clock.js';
import { AppError, errors } from '../errors.js';
import { formatId } from '../ids.js';
import type { Principal } from '../model.js';
import { moduleAccessRefusal } from '../permissions.js';
import {
  type BlobJournal,
  type BlobStore,
  BlobTooLargeError,
  type PhotoRow,
  type RecordPhotoRepository,
  type RecordRepository,
  type RoleRepository,
  type SeedRepository,
} from '../ports.js';
import { mayAccessRecord } from '../records/record-access.js';
import { recordErrors } from '../records/record-errors.js';
import { inspectImage, readHead } from './image-check.js';

/**
 * Record photos (Contacts, Accounts, Products) and the organisation's photo: issue 13 item 6,
 * docs/photos.md, decision D20. One live photo per record; an upload replaces it. Bytes stream to
 * the blob store under a journalled key and the row is committed only once they are durable; a
 * replaced or deleted photo keeps its row until the purge has removed its bytes.
 */

/** Zoho's photo limits: 10 MB for a record's photo (CRM pages), 1 MB for the organisation's (Bigin), 10 MP both. */
export const RECORD_PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const ORG_PHOTO_MAX_BYTES = 1024 * 1024;
export const PHOTO_MAX_PIXELS = 10_000_000;

export interface PhotoAccessDeps {
  records: RecordRepository;
  roles: RoleRepository;
}

export interface PhotoDeps extends PhotoAccessDeps {
  photos: RecordPhotoRepository;
  seed: Pick<SeedRepository, 'organization' | 'reserveSequence'>;
  blobs: BlobStore;
  blobJournal: BlobJournal;
  clock: Clock;
}

export type PhotoOperation = 'READ' | 'CREATE' | 'DELETE';

export interface PhotoTarget {
  orgId: string;
  /** The record, or the organisation itself (module 'org'). */
  recordId: string;
  module: PhotoModuleApiName | 'org';
}

const photoErrors = {
  tooLarge: (why: string) => new AppError('PHOTO_TOO_LARGE', `D20 photo-size: ${why}`),
  invalidType: (why: string) => new AppError('PHOTO_INVALID_TYPE', `D20 photo-type: ${why}`),
  noFile: (why: string) => new AppError('PHOTO_NO_FILE', `D20 photo-parts: ${why}`),
  moreThanOne: () => new AppError('PHOTO_MORE_THAN_ONE_FILE', 'D20 photo-parts: more than one file'),
  notAccessible: () => new AppError('AUTHORIZATION_FAILED_PHOTO', 'D4.11 record-access: photo'),
  notOrgAdmin: () => new AppError('AUTHORIZATION_FAILED_ORG_PHOTO', 'D20 org-photo: not an administrator'),
};

/** The profile permission each photo call needs: a photo is part of the record, so changing it is an edit. */
const PERMISSION = { READ: 'view', CREATE: 'edit', DELETE: 'edit' } as const;

/**
 * D4 rows 5–11 for a record photo call, on the headers alone: module (Contacts, Accounts,
 * Products; any other is INVALID_MODULE), scope, tab, profile permission, record, visibility.
 */
export async function authorizeRecordPhoto(
  deps: PhotoAccessDeps,
  principal: Principal,
  input: { module: string; recordId: string },
  operation: PhotoOperation,
): Promise<PhotoTarget> {
  const found = findModule(input.module);
  const module = PHOTO_MODULES.find((m) => m === found?.apiName);
  if (!module) {
    if ((UNSUPPORTED_MODULE_NAMES as readonly string[]).includes(input.module))
      throw errors.moduleNotSupported();
    throw errors.unknownModule();
  }
  if (!photoScopes(module, operation).some((s) => principal.scopes.has(s.toLowerCase())))
    throw errors.scopeMismatch();
  const tabRefusal = moduleAccessRefusal(principal, module);
  if (tabRefusal) throw errors.noTabPermission(tabRefusal);
  const permission = PERMISSION[operation];
  if (!principal.profile.permissions.modules[module]?.[permission])
    throw recordErrors.noModulePermission(permission);
  if (!isId(input.recordId)) throw errors.recordNotFound();
  const record = await deps.records.findLive(principal.orgId, module, input.recordId);
  if (!record) throw errors.recordNotFound();
  if (!(await mayAccessRecord(deps.roles, principal, record))) throw photoErrors.notAccessible();
  return { orgId: principal.orgId, recordId: record.id, module };
}

/** The organisation photo's checks: scope, then (to change it) an administrator's profile. */
export function authorizeOrgPhoto(principal: Principal, operation: 'READ' | 'CREATE'): PhotoTarget {
  if (!ORG_PHOTO_SCOPES[operation].some((s) => principal.scopes.has(s.toLowerCase())))
    throw errors.scopeMismatch();
  if (operation === 'CREATE' && !principal.profile.admin) throw photoErrors.notOrgAdmin();
  return { orgId: principal.orgId, recordId: principal.orgId, module: 'org' };
}

/**
 * Stores the form's `file` part as the target's photo, replacing any. Other fields and parts of
 * other names are ignored; a second `file` part refuses the whole upload. The format is read from
 * the bytes (PNG, JPEG, GIF, BMP) and checked with the pixel limit before anything is stored.
 */
export async function uploadPhoto(
  deps: PhotoDeps,
  principal: Principal,
  target: PhotoTarget,
  parts: AsyncIterable<UploadPart>,
  options: { maxBytes: number; signal?: AbortSignal },
): Promise<void> {
  let stored: PhotoRow | null = null;
  try {
    for await (const part of parts) {
      if (part.kind === 'field') continue;
      if (part.name !== 'file' || part.fileName === '') {
        part.body.resume();
        continue;
      }
      if (stored) throw photoErrors.moreThanOne();
      stored = await storePhoto(deps, principal, target, part, options);
    }
    if (!stored) throw photoErrors.noFile('no file part');
    // The record may have been deleted while the bytes were arriving.
    if (!(await deps.photos.put(stored))) throw errors.recordNotFound();
    stored = null;
  } catch (error) {
    if (stored) await discardBytes(deps, stored.blobKey);
    throw error;
  }
}

async function storePhoto(
  deps: PhotoDeps,
  principal: Principal,
  target: PhotoTarget,
  part: Extract<UploadPart, { kind: 'file' }>,
  options: { maxBytes: number; signal?: AbortSignal },
): Promise<PhotoRow> {
  const { head, whole } = await readHead(part.body);
  const image = inspectImage(head);
  if (!image) {
    whole.destroy();
    throw photoErrors.invalidType(head.length === 0 ? 'empty file' : 'not PNG, JPEG, GIF or BMP');
  }
  if (image.width !== null && image.height !== null && image.width * image.height > PHOTO_MAX_PIXELS) {
    whole.destroy();
    throw photoErrors.tooLarge(`${image.width}x${image.height} pixels`);
  }
  const org = await deps.seed.organization(principal.orgId);
  if (!org) throw errors.internal(new Error(`organisation ${principal.orgId} vanished`));
  const id = formatId(org.idPrefix, await deps.seed.reserveSequence(principal.orgId, 1));
  const key = blobKeyFor(principal.orgId, id);
  await deps.blobJournal.begin(key, deps.clock.now());
  try {
    const { size, sha256 } = await deps.blobs.put(key, whole, {
      maxBytes: options.maxBytes,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      orgId: principal.orgId,
      id,
      recordId: target.recordId,
      module: target.module,
      fileName: part.fileName,
      contentType: image.contentType,
      size,
      sha256,
      blobKey: key,
      createdBy: principal.userId,
      createdAt: deps.clock.now(),
      deletedAt: null,
    };
  } catch (error) {
    await discardBytes(deps, key);
    if (error instanceof BlobTooLargeError) throw photoErrors.tooLarge(`over ${options.maxBytes} bytes`);
    throw error;
  }
}

/** Removes bytes that will not be committed; if that fails, the journal entry leaves them to the purge. */
async function discardBytes(deps: PhotoDeps, key: string): Promise<void> {
  try {
    await deps.blobs.delete(key);
    await deps.blobJournal.forget([key]);
  } catch {
    // Left to the purge, which finds the key in the journal.
  }
}

/** The target's live photo, or null (the caller answers 204). */
export async function findPhoto(
  deps: Pick<PhotoDeps, 'photos'>,
  target: PhotoTarget,
): Promise<PhotoRow | null> {
  return deps.photos.find(target.orgId, target.recordId);
}

/** Deletes the target's photo at once (a photo has no recycle bin); false when it has none. */
export async function deletePhoto(
  deps: Pick<PhotoDeps, 'photos' | 'clock'>,
  target: PhotoTarget,
): Promise<boolean> {
  return deps.photos.remove(target.orgId, target.recordId, deps.clock.now());
}
