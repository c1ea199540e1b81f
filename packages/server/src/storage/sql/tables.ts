import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';
import type { AdminBaseline } from '../../domain/admin-baseline-ports.js';
import type { OrgCustomization } from '../../domain/metadata/field-model.js';
import type { ProfilePermissions, Role } from '../../domain/model.js';
import type { WatchEvent } from '../../domain/notifications-ports.js';
import type {
  AttachmentKind,
  OAuthClientType,
  OrgApiLimits,
  StoredRecord,
  UserDetails,
} from '../../domain/ports.js';
import {
  allKeys,
  bool,
  type Columns,
  clientText,
  columnList,
  int,
  intOrNull,
  json,
  jsonb,
  reader,
  type Table,
  table,
  text,
  textAs,
  textOrNull,
} from './columns.js';
import type { Row, RowDecoder, SqlDialect } from './dialect.js';

/**
 * The tables the shared repositories read and write: each column's name and codec, keyed by the
 * domain's property name. Column lists, inserts and row mappers come from here, so a new column
 * is one line here plus the migrations and the code that uses it. The schema itself is in each
 * dialect's migrations.ts (checked against each other by the schema-parity test).
 */

export const ORGANIZATIONS = table('organizations', {
  id: ['id', text],
  name: ['name', text],
  dataCenter: ['data_center', textAs<DataCenterId>()],
  idPrefix: ['id_prefix', text],
  nextSeq: ['next_seq', int],
  disabledModules: ['disabled_modules', jsonb<string[]>()],
  createdAt: ['created_at', int],
});

export const ORG_METADATA = table('org_metadata', {
  orgId: ['org_id', text],
  customization: ['customization', json<OrgCustomization>()],
  details: ['details', json<Record<string, unknown>>()],
});

export const PROFILES = table('profiles', {
  orgId: ['org_id', text],
  id: ['id', text],
  name: ['name', text],
  admin: ['is_admin', bool],
  permissions: ['permissions', jsonb<ProfilePermissions>()],
});

export const ROLES = table('roles', {
  orgId: ['org_id', text],
  id: ['id', text],
  name: ['name', text],
  reportsTo: ['reports_to', textOrNull],
  shareWithPeers: ['share_with_peers', bool],
});

export const USERS = table('users', {
  orgId: ['org_id', text],
  id: ['id', text],
  name: ['name', text],
  email: ['email', text],
  profileId: ['profile_id', text],
  roleId: ['role_id', text],
  active: ['active', bool],
  timeZone: ['time_zone', text],
  passwordHash: ['password_hash', textOrNull],
  details: ['details', json<UserDetails>()],
});

export const API_CREDIT_LIMITS = table('api_credit_limits', {
  orgId: ['org_id', text],
  enabled: ['enabled', bool],
  edition: ['edition', textAs<OrgApiLimits['edition']>()],
  licences: ['licences', int],
  concurrency: ['concurrency', intOrNull],
});

export const RECORD_LINKS = table('record_links', {
  orgId: ['org_id', text],
  a: ['a', text],
  b: ['b', text],
  createdAt: ['created_at', int],
});

/** The properties of a table's row as a domain object reads them (no org_id). */
const keysOf = <C extends Columns, K extends keyof C>(_t: Table<C>, ...keys: K[]): K[] => keys;

export const ROLE_KEYS = keysOf(ROLES, 'id', 'name', 'reportsTo', 'shareWithPeers');
export const PROFILE_KEYS = keysOf(PROFILES, 'id', 'name', 'admin', 'permissions');
export const USER_KEYS = keysOf(
  USERS,
  'id',
  'name',
  'email',
  'profileId',
  'roleId',
  'active',
  'timeZone',
  'details',
);

export const roleRow = (d: SqlDialect): ((r: Row) => Role) => reader(d, ROLES, ROLE_KEYS);

export const RECORDS = table('records', {
  orgId: ['org_id', text],
  id: ['id', text],
  module: ['module', textAs<ModuleApiName>()],
  name: ['name', text],
  ownerId: ['owner_id', text],
  createdAt: ['created_at', int],
  modifiedAt: ['modified_at', int],
  deletedAt: ['deleted_at', intOrNull],
  fields: ['fields', json<Record<string, unknown>>()],
  createdBy: ['created_by', textOrNull],
  modifiedBy: ['modified_by', textOrNull],
  deletedBy: ['deleted_by', textOrNull],
  deletedWith: ['deleted_with', textOrNull],
});

/** The columns a StoredRecord is read from, for `SELECT ${STORED_RECORD_COLUMNS}` (optionally `r.`). */
export const storedRecordColumns = (alias?: string): string =>
  columnList(
    RECORDS,
    ['id', 'module', 'name', 'ownerId', 'fields', 'createdBy', 'modifiedBy', 'createdAt', 'modifiedAt'],
    alias,
  );

/** A records row as a StoredRecord: rows written before created_by existed fall back to the owner. */
export function storedRecordRow(d: RowDecoder): (r: Row) => StoredRecord {
  const read = reader(d, RECORDS, [
    'id',
    'module',
    'name',
    'ownerId',
    'fields',
    'createdBy',
    'modifiedBy',
    'createdAt',
    'modifiedAt',
  ]);
  // Fixed in place: a spread of the mapped row into a new object cost several µs a row.
  return (r) => {
    const x = read(r) as StoredRecord;
    x.createdBy ??= x.ownerId;
    x.modifiedBy ??= x.createdBy;
    return x;
  };
}

export const OAUTH_CLIENTS = table('oauth_clients', {
  id: ['id', text],
  name: ['name', text],
  secretHash: ['secret_hash', text],
  redirectUris: ['redirect_uris', jsonb<string[]>()],
  createdAt: ['created_at', int],
  type: ['client_type', textAs<OAuthClientType>()],
});

export const GRANT_CODES = table('oauth_grant_codes', {
  hash: ['hash', text],
  clientId: ['client_id', text],
  orgId: ['org_id', text],
  userId: ['user_id', text],
  scopes: ['scopes', text],
  dataCenter: ['data_center', textAs<DataCenterId>()],
  redirectUri: ['redirect_uri', textOrNull],
  issueRefresh: ['issue_refresh', bool],
  expiresAt: ['expires_at', int],
  usedAt: ['used_at', intOrNull],
  createdAt: ['created_at', int],
});

export const REFRESH_TOKENS = table('oauth_refresh_tokens', {
  hash: ['hash', text],
  clientId: ['client_id', text],
  orgId: ['org_id', text],
  userId: ['user_id', text],
  scopes: ['scopes', text],
  dataCenter: ['data_center', textAs<DataCenterId>()],
  createdAt: ['created_at', int],
  revokedAt: ['revoked_at', intOrNull],
});

export const CONSENTS = table('oauth_consents', {
  orgId: ['org_id', text],
  userId: ['user_id', text],
  clientId: ['client_id', text],
  grantedAt: ['granted_at', int],
});

export const ACCESS_TOKENS = table('access_tokens', {
  hash: ['hash', text],
  orgId: ['org_id', text],
  userId: ['user_id', text],
  clientId: ['client_id', textOrNull],
  scopes: ['scopes', text],
  dataCenter: ['data_center', textAs<DataCenterId>()],
  expiresAt: ['expires_at', int],
  revokedAt: ['revoked_at', intOrNull],
  createdAt: ['created_at', int],
  refreshTokenHash: ['refresh_token_hash', textOrNull],
  fromRefresh: ['from_refresh', bool],
});

export const OAUTH_CLIENT_KEYS = keysOf(OAUTH_CLIENTS, 'id', 'name', 'secretHash', 'redirectUris', 'type');
export const GRANT_CODE_KEYS = allKeys(GRANT_CODES);
export const REFRESH_TOKEN_KEYS = allKeys(REFRESH_TOKENS);

export const WATCH_CHANNELS = table('watch_channels', {
  orgId: ['org_id', text],
  channelId: ['channel_id', text],
  userId: ['user_id', text],
  dataCenter: ['data_center', textAs<DataCenterId>()],
  notifyUrl: ['notify_url', text],
  token: ['token', textOrNull],
  expiresAt: ['expires_at', int],
  returnAffectedFieldValues: ['return_affected_field_values', bool],
  notifyOnRelatedAction: ['notify_on_related_action', bool],
  events: ['events', json<WatchEvent[]>()],
  createdAt: ['created_at', int],
});

/** The outbox's columns as toOutboxEntry (outbox-change.ts) reads them. */
export const OUTBOX_COLUMNS =
  'seq, org_id, channel_id, module, operation, ids, affected_fields, affected_values, created_at, status, attempts, next_attempt_at, last_response_code, last_latency_ms, last_error, finished_at';

export const TAGS = table('tags', {
  orgId: ['org_id', text],
  id: ['id', text],
  module: ['module', textAs<ModuleApiName>()],
  name: ['name', text],
  nameKey: ['name_key', text],
  colourCode: ['colour_code', textOrNull],
  createdBy: ['created_by', text],
  createdAt: ['created_at', int],
  modifiedBy: ['modified_by', text],
  modifiedAt: ['modified_at', int],
});

export const RECORD_TAGS = table('record_tags', {
  orgId: ['org_id', text],
  recordId: ['record_id', text],
  tagId: ['tag_id', text],
  createdAt: ['created_at', int],
});

/** A tag as TagRow (its lower-case name key is the store's own). */
export const TAG_KEYS = keysOf(
  TAGS,
  'orgId',
  'id',
  'module',
  'name',
  'colourCode',
  'createdBy',
  'createdAt',
  'modifiedBy',
  'modifiedAt',
);
export const tagNameKey = (name: string): string => name.toLowerCase();

export const ATTACHMENTS = table('attachments', {
  orgId: ['org_id', text],
  id: ['id', text],
  recordId: ['record_id', text],
  module: ['module', textAs<ModuleApiName>()],
  kind: ['kind', textAs<AttachmentKind>()],
  fileName: ['file_name', clientText],
  contentType: ['content_type', textOrNull],
  size: ['size', int],
  blobKey: ['blob_key', textOrNull],
  linkUrl: ['link_url', textOrNull],
  sha256: ['sha256', textOrNull],
  ownerId: ['owner_id', text],
  createdBy: ['created_by', text],
  modifiedBy: ['modified_by', text],
  createdAt: ['created_at', int],
  modifiedAt: ['modified_at', int],
  deletedAt: ['deleted_at', intOrNull],
  deletedBy: ['deleted_by', textOrNull],
  deletedWith: ['deleted_with', textOrNull],
  purgeClaimedAt: ['purge_claimed_at', intOrNull],
});

/** An AttachmentRow's properties, in its declared order. */
export const ATTACHMENT_KEYS = keysOf(
  ATTACHMENTS,
  'orgId',
  'id',
  'recordId',
  'module',
  'kind',
  'fileName',
  'contentType',
  'size',
  'blobKey',
  'linkUrl',
  'sha256',
  'ownerId',
  'createdBy',
  'modifiedBy',
  'createdAt',
  'modifiedAt',
  'deletedAt',
  'deletedBy',
);

/** Record and organisation photos (migration 15, docs/photos.md); written by the per-dialect repositories. */
export const RECORD_PHOTOS = table('record_photos', {
  orgId: ['org_id', text],
  id: ['id', text],
  recordId: ['record_id', text],
  module: ['module', textAs<ModuleApiName | 'org'>()],
  fileName: ['file_name', clientText],
  contentType: ['content_type', text],
  size: ['size', int],
  sha256: ['sha256', text],
  blobKey: ['blob_key', text],
  createdBy: ['created_by', text],
  createdAt: ['created_at', int],
  deletedAt: ['deleted_at', intOrNull],
});

export const ADMIN_BASELINES = table('admin_baselines', {
  orgId: ['org_id', text],
  kind: ['kind', textAs<AdminBaseline['kind']>()],
  snapshot: ['snapshot', text],
  template: ['template', textOrNull],
  fixtureSha256: ['fixture_sha256', textOrNull],
  recordedAt: ['recorded_at', int],
});
