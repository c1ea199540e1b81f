import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';
import type { OrgCustomization } from '../metadata/field-model.js';
import type { Profile, Role } from '../model.js';
import type { AttachmentRow } from './attachments.js';
import type { UserDetails } from './directory.js';
import type { GrantCodeRow, OAuthClientType, RefreshTokenRow } from './oauth.js';
import type { PhotoRow } from './photos.js';
import type { RecordTagRow, TagRow } from './tags.js';

// Whole organisations: fixture import (seed), export, list and delete.

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
