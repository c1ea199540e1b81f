import type { ModuleApiName } from '@bigin-attachments/contract';

// Attachments: their rows, delete and purge, the blob journal, upload and list.

export type AttachmentKind = 'file' | 'link';

export interface AttachmentRow {
  orgId: string;
  id: string;
  recordId: string;
  module: ModuleApiName;
  kind: AttachmentKind;
  fileName: string;
  contentType: string | null;
  size: number;
  blobKey: string | null;
  linkUrl: string | null;
  sha256: string | null;
  ownerId: string;
  createdBy: string;
  modifiedBy: string;
  createdAt: number;
  modifiedAt: number;
  deletedAt: number | null;
  deletedBy: string | null;
}

export interface DeletedAttachment {
  orgId: string;
  id: string;
  recordId: string;
  module: ModuleApiName;
  fileName: string;
  size: number;
  deletedAt: number;
  deletedBy: string | null;
}

/** An attachment claimed for purging: its row still exists until `finishPurge`. */
export interface PurgeClaim {
  orgId: string;
  id: string;
  blobKey: string | null;
}

export interface AttachmentRepository {
  /**
   * Moves a live attachment of that record to the recycle bin. Resolves true for exactly one of
   * any number of concurrent calls for the same attachment; false when the attachment is not a
   * live attachment of that record in that organisation. Durable once it resolves.
   */
  markDeleted(input: {
    orgId: string;
    recordId: string;
    attachmentId: string;
    deletedBy: string;
    at: number;
  }): Promise<boolean>;
  /** The live attachment, or null. */
  findLive(orgId: string, recordId: string, attachmentId: string): Promise<AttachmentRow | null>;
  /** Ids among `ids` that exist in `orgId` in any state (live, deleted or being purged). */
  existingIds(orgId: string, ids: readonly string[]): Promise<Set<string>>;
  /** Recycle bin of one organisation, most recently deleted first; never includes items being purged. */
  listDeleted(input: { orgId: string; limit: number; offset: number }): Promise<DeletedAttachment[]>;
  /**
   * Brings a deleted attachment back if it was deleted at or after `deletedSince`, is not being
   * purged, and was deleted on its own (one that went with its record comes back only with the
   * record: `RecordDataRepository.restoreCascade`). Resolves false otherwise.
   */
  restore(input: { orgId: string; attachmentId: string; deletedSince: number }): Promise<boolean>;
  /**
   * Claims up to `limit` attachments deleted before `deletedBefore`, plus any claimed earlier and
   * never finished (a purge that crashed), so that they can no longer be restored. Repeatable.
   */
  claimPurge(input: { deletedBefore: number; limit: number; at: number }): Promise<PurgeClaim[]>;
  /** Removes the rows of claimed attachments. Call only after their bytes are gone. */
  finishPurge(claims: readonly PurgeClaim[]): Promise<void>;
}

/**
 * A journal of blob keys being written, so that bytes whose metadata never got committed (a
 * crash between the two) are found and removed rather than kept forever.
 */
export interface BlobJournal {
  /** Records that `key` is about to be written. Idempotent. */
  begin(key: string, at: number): Promise<void>;
  /** Keys begun before `before` and never committed. */
  stale(before: number, limit: number): Promise<string[]>;
  /** Forgets keys (after their bytes were removed). */
  forget(keys: readonly string[]): Promise<void>;
}

export interface UserSummary {
  id: string;
  name: string;
  email: string;
}

/** The columns of a live attachment that a listing answers with (the list is a hot path). */
export type AttachmentListColumns = Pick<
  AttachmentRow,
  | 'id'
  | 'recordId'
  | 'module'
  | 'kind'
  | 'fileName'
  | 'size'
  | 'linkUrl'
  | 'ownerId'
  | 'createdBy'
  | 'modifiedBy'
  | 'createdAt'
  | 'modifiedAt'
>;

/** A live attachment with what a listing shows about it. */
export interface AttachmentListEntry extends AttachmentListColumns {
  recordName: string;
  owner: UserSummary;
  creator: UserSummary;
  modifier: UserSummary;
}

/** Uploading and listing attachments. */
export interface AttachmentCatalog {
  /**
   * Inserts a new live attachment, and forgets the journal entry of its blob key, in one
   * transaction, provided its record is still live in that organisation and module. Resolves
   * false, writing nothing, when the record is gone. Durable once it resolves.
   */
  insertLive(row: AttachmentRow): Promise<boolean>;
  /**
   * One page of a record's live attachments, newest first (creation time, then id, both
   * descending; ids compare as numbers). Deleted attachments never appear.
   */
  listLive(input: {
    orgId: string;
    recordId: string;
    limit: number;
    offset: number;
  }): Promise<AttachmentListEntry[]>;
  /** A user's IANA time zone, or null when there is no such user. */
  userTimeZone(orgId: string, userId: string): Promise<string | null>;
}
