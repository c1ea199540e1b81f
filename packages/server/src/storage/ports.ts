import type { Readable } from 'node:stream';
import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';
import type { Profile, RecordRef, Role } from '../domain/model.js';

/*
 * Storage ports. Every backend implements these async interfaces; the shared contract suites in
 * `test/contract/` hold each implementation to the behaviour stated in the JSDoc here.
 * Times are milliseconds since the epoch; ids are decimal strings.
 */

/** Everything authentication needs, found by the SHA-256 of an access token. */
export interface TokenGrant {
  token: {
    hash: string;
    scopes: string;
    dataCenter: DataCenterId;
    expiresAt: number;
    revokedAt: number | null;
  };
  org: { id: string; dataCenter: DataCenterId; disabledModules: string[] };
  user: { id: string; name: string; roleId: string; active: boolean };
  profile: Profile;
}

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

export interface SeedData {
  clients: Array<{ id: string; name: string; secretHash: string; redirectUris: string[]; createdAt: number }>;
  organizations: Array<{
    id: string;
    name: string;
    dataCenter: DataCenterId;
    idPrefix: string;
    disabledModules: string[];
    createdAt: number;
  }>;
  profiles: Array<Profile & { orgId: string }>;
  roles: Array<Role & { orgId: string }>;
  users: Array<{
    orgId: string;
    id: string;
    name: string;
    email: string;
    profileId: string;
    roleId: string;
    active: boolean;
    timeZone: string;
  }>;
  tokens: Array<{
    hash: string;
    orgId: string;
    userId: string;
    clientId: string | null;
    scopes: string;
    dataCenter: DataCenterId;
    expiresAt: number;
    revokedAt: number | null;
    createdAt: number;
  }>;
  records: Array<{
    orgId: string;
    id: string;
    module: ModuleApiName;
    name: string;
    ownerId: string;
    createdAt: number;
    modifiedAt: number;
    deletedAt: number | null;
  }>;
  attachments: AttachmentRow[];
}

/** How many rows of each kind an import added (rows already present are left as they are). */
export type SeedCounts = { [K in keyof SeedData]: number };

export interface AuthRepository {
  /** The grant for a token hash, or null when no token has that hash. Expiry and revocation are
   * reported, not filtered: the caller decides. */
  findByTokenHash(hash: string): Promise<TokenGrant | null>;
}

export interface RecordRepository {
  /** A live (not deleted) record of `module` in `orgId`, with its owner's role; null otherwise. */
  findLive(orgId: string, module: ModuleApiName, recordId: string): Promise<RecordRef | null>;
}

export interface RoleRepository {
  find(orgId: string, roleId: string): Promise<Role | null>;
  /** The roles above `roleId`, nearest first (empty for a top role or an unknown one). */
  ancestors(orgId: string, roleId: string): Promise<string[]>;
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
   * Brings a deleted attachment back if it was deleted at or after `deletedSince` and is not being
   * purged. Resolves false otherwise.
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

export interface SeedRepository {
  /** Inserts everything that is not there yet (matched by id; tokens by hash) in one transaction,
   * and commits the journal entries of the attachments' blob keys. Repeatable: a second import of
   * the same data inserts nothing. */
  import(data: SeedData): Promise<SeedCounts>;
  organizationCount(): Promise<number>;
  /** An organisation's id prefix and data center, or null if it does not exist. */
  organization(orgId: string): Promise<{ idPrefix: string; dataCenter: DataCenterId } | null>;
  /** Whether an id prefix is taken in a data center. */
  idPrefixTaken(dataCenter: DataCenterId, prefix: string): Promise<boolean>;
  /** Reserves `count` consecutive sequence numbers in an organisation and returns the first. */
  reserveSequence(orgId: string, count: number): Promise<number>;
}

export interface UserSummary {
  id: string;
  name: string;
  email: string;
}

/** A live attachment with what a listing shows about it. */
export interface AttachmentListEntry extends AttachmentRow {
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

export interface MetadataStore {
  readonly auth: AuthRepository;
  readonly attachmentCatalog: AttachmentCatalog;
  readonly records: RecordRepository;
  readonly roles: RoleRepository;
  readonly attachments: AttachmentRepository;
  readonly blobJournal: BlobJournal;
  readonly seed: SeedRepository;
  /** Applies pending schema migrations, in order, each in its own transaction. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`blob not found: ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob larger than ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

export interface BlobStore {
  /**
   * Streams `body` to `key`, replacing any blob there. Resolves only once the bytes are durable.
   * Rejects with BlobTooLargeError once more than `maxBytes` arrive, and on any failure or abort
   * leaves nothing at `key` that was not there before.
   */
  put(
    key: string,
    body: Readable,
    opts?: { maxBytes?: number; signal?: AbortSignal },
  ): Promise<{ size: number; sha256: string }>;
  /** Rejects with BlobNotFoundError when absent. `range` is inclusive byte offsets. */
  get(
    key: string,
    opts?: { range?: { start: number; end: number } },
  ): Promise<{ body: Readable; size: number }>;
  /** Size of the blob, or null when absent. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Idempotent: deleting a missing key resolves. */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
