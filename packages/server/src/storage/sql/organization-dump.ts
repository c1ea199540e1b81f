import type { OrganizationDump, PhotoRow, SeedData } from '../../domain/ports.js';
import { allKeys, reader } from './columns.js';
import type { Row, RowDecoder, SqlDialect } from './dialect.js';
import {
  ACCESS_TOKENS,
  ATTACHMENTS,
  CONSENTS,
  GRANT_CODES,
  OAUTH_CLIENTS,
  ORG_METADATA,
  ORGANIZATIONS,
  PROFILES,
  RECORD_LINKS,
  RECORD_PHOTOS,
  RECORD_TAGS,
  RECORDS,
  REFRESH_TOKENS,
  ROLES,
  TAG_KEYS,
  TAGS,
  USERS,
} from './tables.js';

/*
 * One organisation's rows (admin API: export, move, remove): the same statements on both
 * dialects (the organisation id is their only parameter) and the row mappers of tables.ts.
 */

/** The per-organisation tables, children before parents: the order `remove` deletes in. */
export const ORGANIZATION_TABLES = [
  'notification_outbox',
  'watch_events',
  'watch_channels',
  'api_credit_calls',
  'api_credit_limits',
  'org_metadata',
  'record_links',
  'record_photos',
  'record_tags',
  'tags',
  'attachments',
  'access_tokens',
  'oauth_grant_codes',
  'oauth_consents',
  'oauth_refresh_tokens',
  'records',
  'users',
  'roles',
  'profiles',
] as const;

/** The reads of a dump; each orders by a unique key, so equal states give equal dumps. */
export const DUMP_QUERIES = {
  organization: 'SELECT * FROM organizations WHERE id = $1',
  profiles: 'SELECT * FROM profiles WHERE org_id = $1 ORDER BY id',
  roles: 'SELECT * FROM roles WHERE org_id = $1 ORDER BY id',
  users: 'SELECT * FROM users WHERE org_id = $1 ORDER BY id',
  // Issue order first: the token limits evict the oldest.
  tokens: 'SELECT * FROM access_tokens WHERE org_id = $1 ORDER BY created_at, hash',
  records: 'SELECT * FROM records WHERE org_id = $1 ORDER BY id',
  attachments: 'SELECT * FROM attachments WHERE org_id = $1 AND purge_claimed_at IS NULL ORDER BY id',
  refreshTokens: 'SELECT * FROM oauth_refresh_tokens WHERE org_id = $1 ORDER BY created_at, hash',
  consents: 'SELECT * FROM oauth_consents WHERE org_id = $1 ORDER BY user_id, client_id',
  grantCodes: 'SELECT * FROM oauth_grant_codes WHERE org_id = $1 ORDER BY hash',
  tags: 'SELECT * FROM tags WHERE org_id = $1 ORDER BY id',
  recordTags: 'SELECT * FROM record_tags WHERE org_id = $1 ORDER BY record_id, tag_id',
  orgMetadata: 'SELECT * FROM org_metadata WHERE org_id = $1',
  recordLinks: 'SELECT * FROM record_links WHERE org_id = $1 ORDER BY a, b',
  // Live photos only: replaced and deleted ones wait for the purge and are not carried over.
  photos: 'SELECT * FROM record_photos WHERE org_id = $1 AND deleted_at IS NULL ORDER BY id',
} as const;

export type DumpRows = { [K in keyof typeof DUMP_QUERIES]: Row[] } & { clients: Row[] };

/** The ids of the OAuth clients the organisation's rows refer to. */
export function referencedClients(rows: Omit<DumpRows, 'clients' | 'organization'>): string[] {
  const ids = new Set<string>();
  for (const r of [...rows.tokens, ...rows.refreshTokens, ...rows.consents, ...rows.grantCodes])
    if (typeof r.client_id === 'string') ids.add(r.client_id);
  return [...ids].sort();
}

/** Maps a dump's rows, made once per repository. */
export function dumpMapper(d: SqlDialect): (rows: DumpRows) => OrganizationDump | null {
  const org = reader(d, ORGANIZATIONS, allKeys(ORGANIZATIONS));
  const clients = reader(d, OAUTH_CLIENTS, ['id', 'name', 'secretHash', 'redirectUris', 'createdAt', 'type']);
  const profiles = reader(d, PROFILES, allKeys(PROFILES));
  const roles = reader(d, ROLES, allKeys(ROLES));
  const users = reader(d, USERS, [
    'orgId',
    'id',
    'name',
    'email',
    'profileId',
    'roleId',
    'active',
    'timeZone',
    'passwordHash',
    'details',
  ]);
  const tokens = reader(d, ACCESS_TOKENS, allKeys(ACCESS_TOKENS));
  const records = reader(d, RECORDS, allKeys(RECORDS));
  const attachments = reader(
    d,
    ATTACHMENTS,
    allKeys(ATTACHMENTS).filter((k) => k !== 'purgeClaimedAt'),
  );
  const refreshTokens = reader(d, REFRESH_TOKENS, allKeys(REFRESH_TOKENS));
  const consents = reader(d, CONSENTS, allKeys(CONSENTS));
  const grantCodes = reader(d, GRANT_CODES, allKeys(GRANT_CODES));
  const tags = reader(d, TAGS, TAG_KEYS);
  const recordTags = reader(d, RECORD_TAGS, allKeys(RECORD_TAGS));
  const orgMetadata = reader(d, ORG_METADATA, allKeys(ORG_METADATA));
  const recordLinks = reader(d, RECORD_LINKS, ['a', 'b', 'createdAt']);
  const photos = photoMapper(d);
  return (rows) => {
    const first = rows.organization[0];
    if (!first) return null;
    const { nextSeq, ...organization } = org(first);
    const data: SeedData = {
      clients: rows.clients.map(clients),
      organizations: [organization],
      profiles: rows.profiles.map(profiles),
      roles: rows.roles.map(roles),
      users: rows.users.map(users),
      tokens: rows.tokens.map(tokens),
      records: rows.records.map(records),
      attachments: rows.attachments.map(attachments),
      refreshTokens: rows.refreshTokens.map(refreshTokens),
      consents: rows.consents.map(consents),
      grantCodes: rows.grantCodes.map(grantCodes),
      tags: rows.tags.map(tags),
      recordTags: rows.recordTags.map(recordTags),
      photos: rows.photos.map(photos),
    };
    // Only when stored, as the fixture loader writes it: an organisation without reads as the standard model.
    if (rows.orgMetadata.length) data.orgMetadata = rows.orgMetadata.map(orgMetadata);
    return { data, nextSequence: nextSeq, recordLinks: rows.recordLinks.map(recordLinks) };
  };
}

/** A `record_photos` row as a PhotoRow (dumps and the embedded reader). */
export const photoMapper = (d: RowDecoder): ((r: Row) => PhotoRow) =>
  reader(d, RECORD_PHOTOS, allKeys(RECORD_PHOTOS));
