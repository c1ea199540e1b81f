import type { ModuleApiName } from '@bigin-attachments/contract';

// Record and organisation photos.

/**
 * A record's photo, or the organisation's (`module` 'org', `recordId` the organisation id); issue 13
 * item 6, docs/photos.md. A record has at most one live photo (`deletedAt` null). A photo replaced
 * or deleted keeps its row, with `deletedAt` set, until the purge has removed its bytes.
 */
export interface PhotoRow {
  orgId: string;
  id: string;
  recordId: string;
  module: ModuleApiName | 'org';
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  blobKey: string;
  createdBy: string;
  createdAt: number;
  deletedAt: number | null;
}

/** A photo claimed for purging: its row stays until `finishPurge`. */
export interface PhotoPurgeClaim {
  orgId: string;
  id: string;
  blobKey: string;
}

/** Record and organisation photos (D20). The bytes are the caller's, in the BlobStore. */
export interface RecordPhotoRepository {
  /**
   * Makes `row` the live photo of its record in one transaction: provided the record is live in
   * that organisation and module (for 'org', that the organisation exists), marks the previous
   * live photo deleted, inserts `row` and forgets the journal entry of its blob key. Resolves
   * false, writing nothing, when the record is not live. Concurrent puts on one record leave
   * exactly one live photo. Durable once it resolves.
   */
  put(row: PhotoRow): Promise<boolean>;
  /** The live photo of a record (or of the organisation), whatever the record's own state. */
  find(orgId: string, recordId: string): Promise<PhotoRow | null>;
  /** The live photo id of each record among `recordIds` that has one. */
  ofRecords(orgId: string, recordIds: readonly string[]): Promise<Map<string, string>>;
  /** Marks a record's live photo deleted; false when it has none. */
  remove(orgId: string, recordId: string, at: number): Promise<boolean>;
  /**
   * Claims up to `limit` photos whose bytes may go: photos replaced or deleted, photos of records
   * deleted before `recordDeletedBefore` or no longer stored, and photos claimed before (an
   * interrupted purge). A claimed photo is never live again.
   */
  claimPurge(input: { recordDeletedBefore: number; limit: number; at: number }): Promise<PhotoPurgeClaim[]>;
  /** Removes the claimed rows (their bytes are gone). */
  finishPurge(claims: readonly PhotoPurgeClaim[]): Promise<void>;
}
