import type { Readable } from 'node:stream';
import type { AttachmentModuleApiName, UploadAttachmentDetails } from '@bigin-attachments/contract';
import { formatBiginTime } from '../bigin-time.js';
import { blobKeyFor } from '../blob-keys.js';
import type { Clock } from '../clock.js';
import { errors } from '../errors.js';
import { formatId } from '../ids.js';
import type { Principal, RecordRef } from '../model.js';
import {
  type AttachmentCatalog,
  type AttachmentRow,
  type BlobJournal,
  type BlobStore,
  BlobTooLargeError,
  type SeedRepository,
} from '../ports.js';
import { hasUnstorableText } from '../text.js';
import {
  type AttachmentAccessDeps,
  type AttachmentAccessRule,
  authorizeAttachmentAccess,
} from './authorize-attachment-access.js';

/** One part of an upload form, in the order the client sent them. */
export type UploadPart =
  | { kind: 'file'; name: string; fileName: string; contentType: string; body: Readable }
  | { kind: 'field'; name: string; value: string; truncated: boolean };

export interface UploadAttachmentDeps extends AttachmentAccessDeps {
  catalog: AttachmentCatalog;
  seed: Pick<SeedRepository, 'organization' | 'reserveSequence'>;
  blobs: BlobStore;
  blobJournal: BlobJournal;
  clock: Clock;
  /** Largest file accepted, in bytes (UPLOAD_MAX_BYTES). */
  maxBytes: number;
}

export interface UploadTarget {
  module: AttachmentModuleApiName;
  record: RecordRef;
}

const UPLOAD_RULE: AttachmentAccessRule = {
  operation: 'CREATE',
  filesPermission: 'create',
  recordNotAccessible: errors.uploadNotAuthorized,
};

/** Bigin's documented limits for links (CRM OpenAPI: URL up to 3000 characters, title 1–255). */
export const MAX_LINK_LENGTH = 3000;
export const MAX_TITLE_LENGTH = 255;

/** D4 rows 5–11 for an upload; runs before any byte of the body is read. */
export function authorizeUpload(
  deps: AttachmentAccessDeps,
  principal: Principal,
  input: { module: string; recordId: string },
): Promise<UploadTarget> {
  return authorizeAttachmentAccess(deps, principal, input, UPLOAD_RULE);
}

interface StoredFile {
  id: string;
  key: string;
  size: number;
  sha256: string;
  fileName: string;
  contentType: string;
}

const bothParts = () => errors.invalidData('D6 upload-parts: both file and attachmentUrl');

/**
 * Adds a file or a link to a record (D6). The file part streams straight to the blob store,
 * capped at `maxBytes`; its key is journalled first, and the metadata row is committed (and the
 * journal entry forgotten, in the same transaction) only once the bytes are durable. Any failure
 * or abort on the way removes the bytes, so nothing of a refused upload remains.
 */
export async function uploadAttachment(
  deps: UploadAttachmentDeps,
  principal: Principal,
  target: UploadTarget,
  parts: AsyncIterable<UploadPart>,
  options: { signal?: AbortSignal } = {},
): Promise<UploadAttachmentDetails> {
  let stored: StoredFile | null = null;
  let fileSeen = false;
  let link: string | null = null;
  let title: string | null = null;
  try {
    for await (const part of parts) {
      if (part.kind === 'field') {
        if (part.name === 'attachmentUrl') {
          if (link !== null) throw errors.invalidData('D6 upload-parts: attachmentUrl given twice');
          if (fileSeen) throw bothParts();
          if (part.truncated) throw errors.invalidAttachmentUrl('too long');
          if (hasUnstorableText(part.value)) throw errors.invalidAttachmentUrl('NUL character');
          link = part.value;
        } else if (part.name === 'title') {
          if (part.truncated || [...part.value].length > MAX_TITLE_LENGTH)
            throw errors.invalidData('D6 upload-title: longer than 255 characters', { api_name: 'title' });
          if (hasUnstorableText(part.value))
            throw errors.invalidData('D6 upload-title: NUL character (D-14)', { api_name: 'title' });
          title = part.value;
        }
        continue;
      }
      // A file input left empty in a browser form arrives as a part with an empty file name.
      if (part.name !== 'file' || part.fileName === '') {
        part.body.resume();
        continue;
      }
      if (fileSeen) throw errors.invalidData('D6 upload-parts: more than one file');
      fileSeen = true;
      if (link !== null) throw bothParts();
      stored = await storeBytes(deps, principal.orgId, part, options.signal);
    }
    if (fileSeen && link !== null) throw bothParts();
    if (!fileSeen && link === null) throw errors.mandatoryNotFound('neither file nor attachmentUrl');

    const at = deps.clock.now();
    const base = {
      orgId: principal.orgId,
      recordId: target.record.id,
      module: target.module,
      ownerId: principal.userId,
      createdBy: principal.userId,
      modifiedBy: principal.userId,
      createdAt: at,
      modifiedAt: at,
      deletedAt: null,
      deletedBy: null,
    };
    let row: AttachmentRow;
    if (stored) {
      row = {
        ...base,
        id: stored.id,
        kind: 'file',
        fileName: stored.fileName,
        contentType: stored.contentType,
        size: stored.size,
        blobKey: stored.key,
        linkUrl: null,
        sha256: stored.sha256,
      };
    } else {
      const url = checkLink(link!);
      row = {
        ...base,
        id: await newAttachmentId(deps, principal.orgId),
        kind: 'link',
        fileName: title === null || title.trim() === '' ? url : title,
        contentType: null,
        size: 0,
        blobKey: null,
        linkUrl: url,
        sha256: null,
      };
    }
    // The record may have been deleted while the bytes were arriving.
    if (!(await deps.catalog.insertLive(row))) throw errors.recordNotFound();
    stored = null;
    const timeZone = (await deps.catalog.userTimeZone(principal.orgId, principal.userId)) ?? 'UTC';
    const time = formatBiginTime(at, timeZone);
    const by = { name: principal.userName, id: principal.userId };
    return { id: row.id, Created_Time: time, Modified_Time: time, Created_By: by, Modified_By: { ...by } };
  } catch (error) {
    if (stored) await discardBytes(deps, stored.key);
    throw error;
  }
}

async function newAttachmentId(deps: UploadAttachmentDeps, orgId: string): Promise<string> {
  const org = await deps.seed.organization(orgId);
  if (!org) throw errors.internal(new Error(`organisation ${orgId} vanished`));
  return formatId(org.idPrefix, await deps.seed.reserveSequence(orgId, 1));
}

async function storeBytes(
  deps: UploadAttachmentDeps,
  orgId: string,
  part: Extract<UploadPart, { kind: 'file' }>,
  signal: AbortSignal | undefined,
): Promise<StoredFile> {
  const id = await newAttachmentId(deps, orgId);
  const key = blobKeyFor(orgId, id);
  await deps.blobJournal.begin(key, deps.clock.now());
  try {
    const { size, sha256 } = await deps.blobs.put(key, part.body, {
      maxBytes: deps.maxBytes,
      ...(signal ? { signal } : {}),
    });
    return { id, key, size, sha256, fileName: part.fileName, contentType: part.contentType };
  } catch (error) {
    await discardBytes(deps, key);
    if (error instanceof BlobTooLargeError) throw errors.fileTooLarge(deps.maxBytes);
    throw error;
  }
}

/**
 * Removes the bytes of an upload that will not be committed. If that fails, the journal entry
 * stays and the purge removes the bytes later.
 */
async function discardBytes(deps: UploadAttachmentDeps, key: string): Promise<void> {
  try {
    await deps.blobs.delete(key);
    await deps.blobJournal.forget([key]);
  } catch {
    // Left to the purge, which finds the key in the journal.
  }
}

/** A link is stored as given, never fetched: it must be an absolute http(s) URL of sane length. */
function checkLink(value: string): string {
  if (value.length === 0) throw errors.invalidAttachmentUrl('empty');
  if (value.length > MAX_LINK_LENGTH) throw errors.invalidAttachmentUrl('too long');
  // Whitespace and control characters are refused rather than silently stripped by the URL parser.
  if ([...value].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f || /\s/u.test(c)))
    throw errors.invalidAttachmentUrl('whitespace or control character');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw errors.invalidAttachmentUrl('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw errors.invalidAttachmentUrl('not http(s)');
  if (url.hostname === '') throw errors.invalidAttachmentUrl('no host');
  return value;
}
