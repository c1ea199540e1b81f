import type { Readable } from 'node:stream';
import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';
import type { AdminBaselineRepository } from './admin-baseline-ports.js';
import type { OrgCustomization } from './metadata/field-model.js';
import type { Profile, RecordRef, Role } from './model.js';
import type { NotificationRepository } from './notifications-ports.js';

export type * from './notifications-ports.js';

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
  clients: Array<{
    id: string;
    name: string;
    secretHash: string;
    redirectUris: string[];
    createdAt: number;
    /** Default `server`. */
    type?: OAuthClientType;
  }>;
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
    /** scrypt hash (domain/passwords.ts) for signing in on the consent page; null: cannot sign in. */
    passwordHash?: string | null;
    /** What the Users API shows beyond the columns above (locale, names, status…); default {}. */
    details?: UserDetails;
  }>;
  /** Per organisation: custom fields, layouts and the Org API's details. Only when given. */
  orgMetadata?: Array<{ orgId: string; customization: OrgCustomization; details: Record<string, unknown> }>;
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
    /** The refresh token it was issued from (OAuth); null or absent for tokens issued otherwise. */
    refreshTokenHash?: string | null;
    /** Issued by a refresh grant (counts towards the refresh rate limit). Default false. */
    fromRefresh?: boolean;
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
    /** Field values by API name (records API); `{}` when absent. */
    fields?: Record<string, unknown>;
    /** Default: the owner. */
    createdBy?: string | null;
    /** Default: the creator. */
    modifiedBy?: string | null;
    deletedBy?: string | null;
    /**
     * The record whose delete took this one to the recycle bin. Default: the record itself when
     * deleted (a record seeded as deleted was deleted directly), else null.
     */
    deletedWith?: string | null;
  }>;
  /** `deletedWith`: the record whose delete took the attachment along; default null (deleted on its own). */
  attachments: Array<AttachmentRow & { deletedWith?: string | null }>;
  /** OAuth state, carried over by `bigin-server migrate`; fixtures leave these out. */
  refreshTokens?: RefreshTokenRow[];
  consents?: Array<{ orgId: string; userId: string; clientId: string; grantedAt: number }>;
  grantCodes?: GrantCodeRow[];
  /** Tags and the records they are on (docs/tags.md); only when given. */
  tags?: TagRow[];
  recordTags?: RecordTagRow[];
  /** Live record and organisation photos (docs/photos.md); only when given. Their bytes are the caller's. */
  photos?: PhotoRow[];
}

/** How many rows of each kind an import added (rows already present are left as they are). */
export type SeedCounts = { [K in keyof SeedData]: number };

/** Users API details of a user, kept as given (decimal strings, ISO times); see domain/directory. */
export type UserDetails = Record<string, unknown>;

export interface DirectoryUser {
  id: string;
  name: string;
  email: string;
  profileId: string;
  roleId: string;
  active: boolean;
  timeZone: string;
  details: UserDetails;
}

/** The organisation's directory and metadata, as the Users, Org and settings APIs read them. */
export interface DirectoryRepository {
  /** Every user of the organisation, ids ascending (as numbers). */
  users(orgId: string): Promise<DirectoryUser[]>;
  /** The organisation, or null. `details` is {} when none were given. */
  organization(orgId: string): Promise<{
    id: string;
    name: string;
    idPrefix: string;
    createdAt: number;
    details: Record<string, unknown>;
  } | null>;
  /** Profiles and roles, ids ascending. */
  profiles(orgId: string): Promise<Profile[]>;
  roles(orgId: string): Promise<Role[]>;
  /** Custom fields and layouts; no custom fields and no layouts when none were declared. */
  customization(orgId: string): Promise<OrgCustomization>;
  /**
   * Adds a user without a password (POST /users). Resolves false, changing nothing, when the
   * organisation already has a user with that id. The profile and role must be the org's.
   */
  insertUser(orgId: string, user: DirectoryUser): Promise<boolean>;
  /**
   * Replaces a user's name, email, profile, role, active flag, time zone and details (PUT and
   * DELETE /users; a deleted user keeps its row with `details.deleted`). Resolves false when the
   * organisation has no such user. The password, if any, is kept. Tokens of a user made inactive
   * stop authenticating at once (the token cache is keyed to the users table).
   */
  updateUser(orgId: string, user: DirectoryUser): Promise<boolean>;
}

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

/** A record with its field values, as the records API stores it. */
export interface StoredRecord {
  id: string;
  module: ModuleApiName;
  name: string;
  ownerId: string;
  /** Field values by API name, in the order they were first set; lookups as `{"id": "…"}`. */
  fields: Record<string, unknown>;
  createdBy: string;
  modifiedBy: string;
  createdAt: number;
  modifiedAt: number;
}

export type RecordSortKey = 'id' | 'Created_Time' | 'Modified_Time';

/** Where a page of records starts after: the sort value and id of the last record already seen. */
export interface RecordCursor {
  value: number | null;
  id: string;
}

/** A unique field to check on write: no other live record of the module may hold `value` (case-insensitively). */
export interface UniqueCheck {
  field: string;
  value: string;
}

export type RecordWriteResult = { ok: true } | { ok: false; duplicate: { field: string; id: string } };

/** Which records go to the recycle bin with a record of `module`: records of `module` whose lookup `field` points at it. */
export type CascadeRule = (module: ModuleApiName) => ReadonlyArray<{ module: ModuleApiName; field: string }>;

export interface RecordDataRepository {
  /** Live records of `module` among `ids` (missing, deleted and foreign ones are absent from the map). */
  findLive(orgId: string, module: ModuleApiName, ids: readonly string[]): Promise<Map<string, StoredRecord>>;
  /** Display names of live records among `ids`, any module. */
  names(orgId: string, ids: readonly string[]): Promise<Map<string, { name: string; module: ModuleApiName }>>;
  /** Users of the organisation among `ids`. */
  users(
    orgId: string,
    ids: readonly string[],
  ): Promise<Map<string, { name: string; email: string; active: boolean; roleId: string }>>;
  /** Ids of the users whose role is one of `roleIds`. */
  usersInRoles(orgId: string, roleIds: readonly string[]): Promise<string[]>;
  /** Every role below `roleId` in the hierarchy (any depth). */
  rolesBelow(orgId: string, roleId: string): Promise<string[]>;
  /**
   * A page of live records of `module`, owned by one of `ownerIds` (every owner when null), sorted
   * by `sortBy` then id, numerically; starting after `after` when given, else skipping `offset`.
   */
  list(input: {
    orgId: string;
    module: ModuleApiName;
    ownerIds: readonly string[] | null;
    sortBy: RecordSortKey;
    descending: boolean;
    limit: number;
    offset: number;
    after: RecordCursor | null;
    /** Only records whose lookup `field` points at record `id` (a related list). */
    lookup?: { field: string; id: string };
  }): Promise<StoredRecord[]>;
  /**
   * Inserts the records in one transaction, each unless one of its unique checks finds a live
   * record (earlier ones of the same call included) holding the value; one result per record.
   */
  insert(
    orgId: string,
    records: ReadonlyArray<StoredRecord & { unique: readonly UniqueCheck[] }>,
  ): Promise<RecordWriteResult[]>;
  /**
   * Replaces a live record's fields, name, owner and modification stamp, unless a unique check
   * finds another live record with the value. Resolves null when the record is not live.
   */
  update(
    orgId: string,
    record: Pick<
      StoredRecord,
      'id' | 'module' | 'name' | 'ownerId' | 'fields' | 'modifiedBy' | 'modifiedAt'
    > & {
      unique: readonly UniqueCheck[];
    },
  ): Promise<RecordWriteResult | null>;
  /**
   * Moves a live record to the recycle bin in one transaction, with every live record the cascade
   * rule reaches from it (transitively) and the live attachments of all of them, all stamped with
   * the same time and with `deleted_with` = the record's id. Resolves false when it is not live.
   */
  deleteCascade(input: {
    orgId: string;
    module: ModuleApiName;
    id: string;
    deletedBy: string;
    at: number;
    cascade: CascadeRule;
  }): Promise<{ records: number; attachments: number } | false>;
  /**
   * Restores, in one transaction, a record deleted directly at or after `deletedSince` together
   * with everything its delete took along; nothing being purged is restored. Null when there is
   * no such deleted record.
   */
  restoreCascade(input: {
    orgId: string;
    id: string;
    deletedSince: number;
    /** When the restore happens (notification channels live then are told); default: now. */
    at?: number;
  }): Promise<{ records: number; attachments: number } | null>;
  /** Records deleted directly, most recent first, with how much went with each. */
  listDeleted(input: {
    orgId: string;
    limit: number;
    offset: number;
  }): Promise<
    Array<{ id: string; module: ModuleApiName; name: string; deletedAt: number; deletedBy: string | null }>
  >;
  /** Organisations that hold a record with this id, in any state. */
  organizationsOf(id: string): Promise<string[]>;
  /** Removes up to `limit` records deleted before `deletedBefore` that no attachment row refers to. */
  purge(input: { deletedBefore: number; limit: number }): Promise<number>;
}

/**
 * A search filter over records (issue 13, docs/search.md), built by the domain from `criteria`,
 * `email`, `phone`, `word` or a COQL `where` (docs/coql.md). Text compares case-insensitively
 * (`lower()` on both sides); a leaf on a missing or mistyped value is false, except `ne` and
 * `null`, which are true there. `not` is true exactly where its filter is not (never unknown).
 */
export interface FilterLeaf {
  target:
    | { field: string; as: 'text' | 'date' | 'number' | 'boolean' | 'lookup' }
    | { column: 'id' | 'owner_id' | 'created_by' | 'modified_by' | 'created_at' | 'modified_at' | 'name' };
  /** `ends`: a suffix (COQL `like '%x'`); `null`: no value of the target's kind (takes no values). */
  op: 'eq' | 'ne' | 'starts' | 'ends' | 'contains' | 'in' | 'gt' | 'ge' | 'lt' | 'le' | 'between' | 'null';
  values: ReadonlyArray<string | number | boolean>;
}
export type RecordFilter =
  | FilterLeaf
  | { and: RecordFilter[] }
  | { or: RecordFilter[] }
  | { not: RecordFilter };

/**
 * The order of a search (COQL `order by`): by the target's value (text folded as in filters),
 * missing values first when ascending and last when descending, ties by id ascending. Ids order
 * numerically (shorter first).
 */
export interface RecordOrder {
  by: FilterLeaf['target'];
  desc: boolean;
}

export interface RecordSearchRepository {
  /**
   * Live records of `module` matching `filter`, owned by one of `ownerIds` (every owner when
   * null), newest id first unless `order` says otherwise, `limit` after skipping `offset`.
   * Equality and prefix conditions on the indexed name, email and phone fields use indexes (never
   * a scan of the module).
   */
  search(input: {
    orgId: string;
    module: ModuleApiName;
    filter: RecordFilter;
    ownerIds: readonly string[] | null;
    order?: RecordOrder;
    limit: number;
    offset: number;
  }): Promise<StoredRecord[]>;
  /** The query plan of the same search, for tests that pin index use. */
  explain(input: Parameters<RecordSearchRepository['search']>[0]): Promise<string>;
}

/** Many-to-many links between records (Products with Contacts, Pipelines and Accounts). */
export interface RecordLinkRepository {
  /**
   * Links `a` with each of `others` (order-free pairs); true per pair newly linked, false when it
   * was linked already. One transaction.
   */
  link(orgId: string, a: string, others: readonly string[], at: number): Promise<boolean[]>;
  /** Removes the links; true per pair that was linked. */
  unlink(orgId: string, a: string, others: readonly string[]): Promise<boolean[]>;
  /**
   * A page of the live records of `module` linked with `id`, owned by one of `ownerIds` (every
   * owner when null), newest id first. Links with records in the recycle bin are kept, and hidden,
   * so that a restore brings them back.
   */
  linked(input: {
    orgId: string;
    id: string;
    module: ModuleApiName;
    ownerIds: readonly string[] | null;
    limit: number;
    offset: number;
  }): Promise<StoredRecord[]>;
}

/** A tag of one module (issue 13 item 5, docs/tags.md). Names are unique per module, in any case. */
export interface TagRow {
  orgId: string;
  id: string;
  module: ModuleApiName;
  name: string;
  colourCode: string | null;
  createdBy: string;
  createdAt: number;
  modifiedBy: string;
  modifiedAt: number;
}

/** A tag on a record. Kept while the record is in the recycle bin, so that a restore needs nothing. */
export interface RecordTagRow {
  orgId: string;
  recordId: string;
  tagId: string;
  createdAt: number;
}

/** Tags and the records they are on. */
export interface TagRepository {
  /** The module's tags, by name (case-insensitive) then id; only those `createdBy` made when given. */
  list(orgId: string, module: ModuleApiName, createdBy: string | null): Promise<TagRow[]>;
  /** Tags of `module` among `ids`. */
  byIds(orgId: string, module: ModuleApiName, ids: readonly string[]): Promise<Map<string, TagRow>>;
  /** Tags of `module` named one of `names` in any case, keyed by the lower-cased name. */
  byNames(orgId: string, module: ModuleApiName, names: readonly string[]): Promise<Map<string, TagRow>>;
  /**
   * Inserts each tag unless its module already has one of that name in any case (earlier rows of
   * the same call included); per row, the tag that holds the name afterwards and whether it is the
   * new one. One transaction; safe under concurrent creates of one name.
   */
  create(orgId: string, rows: readonly TagRow[]): Promise<Array<{ tag: TagRow; created: boolean }>>;
  /** Renames (and recolours, when `colourCode` is given) a tag of `module`. */
  update(
    orgId: string,
    input: {
      module: ModuleApiName;
      id: string;
      name: string;
      colourCode?: string | null | undefined;
      modifiedBy: string;
      modifiedAt: number;
    },
  ): Promise<
    | { ok: true; tag: TagRow }
    | { ok: false; reason: 'missing' }
    | { ok: false; reason: 'duplicate'; id: string }
  >;
  /** Each record's tags, by name (case-insensitive); records without tags are absent. */
  ofRecords(
    orgId: string,
    recordIds: readonly string[],
  ): Promise<Map<string, Array<{ name: string; id: string }>>>;
  /** Puts the tags on each record, first taking every tag off it when `overwrite`. One transaction. */
  tagRecords(
    orgId: string,
    recordIds: readonly string[],
    tagIds: readonly string[],
    overwrite: boolean,
    at: number,
  ): Promise<void>;
  /** Takes the tags off each record. One transaction. */
  untagRecords(orgId: string, recordIds: readonly string[], tagIds: readonly string[]): Promise<void>;
}

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

export type OAuthClientType = 'server' | 'self';

export interface OAuthClientRow {
  id: string;
  name: string;
  secretHash: string;
  redirectUris: string[];
  type: OAuthClientType;
}

export interface GrantCodeRow {
  hash: string;
  clientId: string;
  orgId: string;
  userId: string;
  scopes: string;
  dataCenter: DataCenterId;
  /** The redirect URI the code was issued for; null for self-client codes. */
  redirectUri: string | null;
  /** Whether redeeming the code also issues a refresh token. */
  issueRefresh: boolean;
  expiresAt: number;
  usedAt: number | null;
  createdAt: number;
}

export interface RefreshTokenRow {
  hash: string;
  clientId: string;
  orgId: string;
  userId: string;
  scopes: string;
  dataCenter: DataCenterId;
  createdAt: number;
  revokedAt: number | null;
}

/** A user who may sign in on a data center's consent page. */
export interface SignInCandidate {
  orgId: string;
  userId: string;
  name: string;
  active: boolean;
  passwordHash: string;
}

/** Zoho's documented token limits, passed in so the rules stay in the domain. */
export interface TokenLimits {
  /** Live access tokens per refresh token; issuing one more revokes the oldest. */
  maxLiveAccessTokensPerRefreshToken: number;
  /** Live refresh tokens per user and client; issuing one more revokes the oldest with its access tokens. */
  maxRefreshTokensPerUserAndClient: number;
  /** At most `maxRefreshesPerWindow` refresh grants per refresh token in any `refreshWindowMs`. */
  maxRefreshesPerWindow: number;
  refreshWindowMs: number;
}

/** Zoho Accounts state: clients, grant codes, refresh tokens, consents, passwords. */
export interface OAuthRepository {
  findClient(id: string): Promise<OAuthClientRow | null>;
  /** Inserts a client; false (and nothing changes) when the id exists. */
  registerClient(client: OAuthClientRow & { createdAt: number }): Promise<boolean>;
  /** Active or not, the users with that e-mail (case-insensitive) and a password, in organisations of `dataCenter`. */
  signInCandidates(dataCenter: DataCenterId, email: string): Promise<SignInCandidate[]>;
  /** Sets a user's password hash; false when the user does not exist. */
  setPassword(orgId: string, userId: string, passwordHash: string): Promise<boolean>;
  /** Whether the user has been issued a refresh token for this client before (Zoho's "first offline consent"). */
  hasOfflineConsent(orgId: string, userId: string, clientId: string): Promise<boolean>;
  saveGrantCode(code: GrantCodeRow): Promise<void>;
  /** The code with that hash, used or expired included; null when unknown. */
  findGrantCode(hash: string): Promise<GrantCodeRow | null>;
  /**
   * Atomically marks the code used (only if it is unused and unexpired at `at`) and issues its
   * tokens: the refresh token when `refreshTokenHash` is given (recording the offline consent and
   * evicting the user's oldest refresh tokens for the client over the limit, with their access
   * tokens), then the access token (evicting the refresh token's oldest live access tokens over the
   * limit). False when the code was already used or expired: nothing is issued.
   */
  redeemGrantCode(input: {
    codeHash: string;
    at: number;
    accessTokenHash: string;
    accessExpiresAt: number;
    refreshTokenHash: string | null;
    limits: TokenLimits;
  }): Promise<boolean>;
  findRefreshToken(hash: string): Promise<RefreshTokenRow | null>;
  /**
   * Atomically issues an access token from a live refresh token, unless that refresh token already
   * had `maxRefreshesPerWindow` refresh grants in the window ending at `at`; evicts the oldest live
   * access tokens over the limit.
   */
  refreshAccessToken(input: {
    refreshTokenHash: string;
    at: number;
    accessTokenHash: string;
    accessExpiresAt: number;
    limits: TokenLimits;
  }): Promise<'issued' | 'revoked' | 'rate-limited'>;
  /** Revokes a live refresh token of `dataCenter` and, at once, every access token issued from it. */
  revokeRefreshToken(hash: string, dataCenter: DataCenterId, at: number): Promise<boolean>;
  /** Revokes a live access token of `dataCenter`. */
  revokeAccessToken(hash: string, dataCenter: DataCenterId, at: number): Promise<boolean>;
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

/** One organisation's rows in the seed shape, so that any store can import them back exactly. */
export interface OrganizationDump {
  /** Only this organisation's rows; `clients` holds the OAuth clients its rows refer to. */
  data: SeedData;
  /** The organisation's next free id sequence (may be past every id in use). */
  nextSequence: number;
  /** Its related-record links, each pair once (smaller id first), as RecordLinkRepository keeps them. */
  recordLinks: Array<{ a: string; b: string; createdAt: number }>;
}

export interface OrganizationSummary {
  id: string;
  name: string;
  dataCenter: DataCenterId;
  createdAt: number;
}

/** Whole organisations, for the admin API: list, export, delete (reset and import build on these). */
export interface OrganizationRepository {
  /** Every organisation, by id. */
  list(): Promise<OrganizationSummary[]>;
  /**
   * Everything of one organisation, read in one transaction, in a fixed order (so that two dumps
   * of the same state are equal); attachments being purged are left out. Null when absent.
   */
  dump(orgId: string): Promise<OrganizationDump | null>;
  /**
   * Removes the organisation and every row that belongs to it, in one transaction, and returns the
   * blob keys its attachments held (their bytes are the caller's to delete). OAuth clients stay.
   * Null when there is no such organisation.
   */
  remove(orgId: string): Promise<{ blobKeys: string[] } | null>;
  /** Sets the organisation's next id sequence, as a dump recorded it. */
  setNextSequence(orgId: string, next: number): Promise<void>;
}

/**
 * Secrets of this installation (the page-token signing key), made once and then the same for
 * every process sharing the store, across restarts.
 */
export interface InstallationSecrets {
  /** The secret stored under `name`; when there is none yet, stores `candidate` and returns it. Concurrent callers all get the one that won. */
  getOrCreate(name: string, candidate: string): Promise<string>;
}

export interface MetadataStore {
  readonly secrets: InstallationSecrets;
  readonly auth: AuthRepository;
  readonly organizations: OrganizationRepository;
  readonly attachmentCatalog: AttachmentCatalog;
  readonly records: RecordRepository;
  readonly recordData: RecordDataRepository;
  readonly recordSearch: RecordSearchRepository;
  readonly recordLinks: RecordLinkRepository;
  /** Tags and record tags (issue 13 item 5). */
  readonly tags: TagRepository;
  /** Record and organisation photos (issue 13 item 6). */
  readonly recordPhotos: RecordPhotoRepository;
  readonly roles: RoleRepository;
  readonly attachments: AttachmentRepository;
  readonly blobJournal: BlobJournal;
  readonly seed: SeedRepository;
  readonly oauth: OAuthRepository;
  readonly apiCredits: ApiCreditLedger;
  /** Notification channels and their outbox (issue 18, notifications-ports.ts). */
  readonly notifications: NotificationRepository;
  readonly directory: DirectoryRepository;
  /** What the admin API's reset restores (admin-baseline-ports.ts). */
  readonly adminBaselines: AdminBaselineRepository;
  /** Applies pending schema migrations, in order, each in its own transaction. */
  migrate(): Promise<void>;
  /** Resolves once the store answered a trivial query; rejects when it cannot (readiness). */
  ping(): Promise<void>;
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
  ): Promise<{
    body: Readable;
    size: number;
    /** The requested bytes, when the store already holds them in memory: sent without a stream. */
    bytes?: Buffer;
  }>;
  /** Size of the blob, or null when absent. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Idempotent: deleting a missing key resolves. */
  delete(key: string): Promise<void>;
  /** Resolves once the store is reachable and writable as far as can be told cheaply (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Stores that stage uploads locally (the folder store's `.tmp`) remove staged files that no
   * live upload owns and that are older than `olderThanMs`; returns how many. Absent elsewhere.
   */
  sweepTemporary?(olderThanMs: number): Promise<number>;
}

/** An organisation's API limits switch and edition (docs/credits.md). */
export interface OrgApiLimits {
  /** Counted and enforced even while API_LIMITS is off. */
  enabled: boolean;
  edition: 'free' | 'paid';
  /** User licences: a paid edition's allowance grows by 250 per licence. */
  licences: number;
  /** Calls in flight at once; null: the edition's default. */
  concurrency: number | null;
}

/**
 * The rolling 24-hour API credit ledger, shared by every node on the same store. A call is kept
 * with its time and its cost; it counts while its time is after the window's start and is freed
 * once the window has moved past it.
 */
export interface ApiCreditLedger {
  limits(orgId: string): Promise<OrgApiLimits | null>;
  /** Sets (or, with null, removes) an organisation's limits. */
  setLimits(orgId: string, limits: OrgApiLimits | null): Promise<void>;
  /** Whether any organisation has limits enabled. */
  anyEnabled(): Promise<boolean>;
  /**
   * Atomically, across nodes: forgets the organisation's calls at or before `since`, then, if the
   * credits of its calls after `since` plus `credits` stay within `allowance`, records `credits`
   * at `at`. Answers whether they were recorded and the credits used afterwards.
   */
  charge(
    orgId: string,
    at: number,
    credits: number,
    since: number,
    allowance: number,
  ): Promise<{ granted: boolean; used: number }>;
  /** Credits and calls after `since`, and the time of the oldest such call (null if none). */
  usage(orgId: string, since: number): Promise<{ used: number; calls: number; oldest: number | null }>;
  /** Forgets every recorded call of the organisation (limits stay). */
  resetUsage(orgId: string): Promise<void>;
}
