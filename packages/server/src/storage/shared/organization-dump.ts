import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';
import type { OrgCustomization } from '../../domain/metadata/field-model.js';
import type { ProfilePermissions } from '../../domain/model.js';
import type { AttachmentRow, OAuthClientType, OrganizationDump, SeedData } from '../../domain/ports.js';

/*
 * One organisation's rows, read the same way from SQLite and PostgreSQL: the same statements (the
 * organisation id is their only parameter, written `$1`, which both dialects accept) and one
 * mapper, told how its dialect returns booleans, JSON and file names.
 */

type Row = Record<string, unknown>;

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
} as const;

export type DumpRows = { [K in keyof typeof DUMP_QUERIES]: Row[] } & { clients: Row[] };

export interface Dialect {
  bool(v: unknown): boolean;
  /** A JSON column's value. */
  json<T>(v: unknown): T;
  /** A file name column's value. */
  text(v: unknown): string;
}

const s = (v: unknown) => v as string;
const n = (v: unknown) => Number(v);
const sn = (v: unknown) => (v === null || v === undefined ? null : (v as string));
const nn = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The ids of the OAuth clients the organisation's rows refer to. */
export function referencedClients(rows: Omit<DumpRows, 'clients' | 'organization'>): string[] {
  const ids = new Set<string>();
  for (const r of [...rows.tokens, ...rows.refreshTokens, ...rows.consents, ...rows.grantCodes])
    if (typeof r.client_id === 'string') ids.add(r.client_id);
  return [...ids].sort();
}

export function toDump(rows: DumpRows, d: Dialect): OrganizationDump | null {
  const org = rows.organization[0];
  if (!org) return null;
  const data: SeedData = {
    clients: rows.clients.map((r) => ({
      id: s(r.id),
      name: s(r.name),
      secretHash: s(r.secret_hash),
      redirectUris: d.json<string[]>(r.redirect_uris),
      createdAt: n(r.created_at),
      type: s(r.client_type) as OAuthClientType,
    })),
    organizations: [
      {
        id: s(org.id),
        name: s(org.name),
        dataCenter: s(org.data_center) as DataCenterId,
        idPrefix: s(org.id_prefix),
        disabledModules: d.json<string[]>(org.disabled_modules),
        createdAt: n(org.created_at),
      },
    ],
    profiles: rows.profiles.map((r) => ({
      orgId: s(r.org_id),
      id: s(r.id),
      name: s(r.name),
      admin: d.bool(r.is_admin),
      permissions: d.json<ProfilePermissions>(r.permissions),
    })),
    roles: rows.roles.map((r) => ({
      orgId: s(r.org_id),
      id: s(r.id),
      name: s(r.name),
      reportsTo: sn(r.reports_to),
      shareWithPeers: d.bool(r.share_with_peers),
    })),
    users: rows.users.map((r) => ({
      orgId: s(r.org_id),
      id: s(r.id),
      name: s(r.name),
      email: s(r.email),
      profileId: s(r.profile_id),
      roleId: s(r.role_id),
      active: d.bool(r.active),
      timeZone: s(r.time_zone),
      passwordHash: sn(r.password_hash),
      details: d.json<Record<string, unknown>>(r.details),
    })),
    tokens: rows.tokens.map((r) => ({
      hash: s(r.hash),
      orgId: s(r.org_id),
      userId: s(r.user_id),
      clientId: sn(r.client_id),
      scopes: s(r.scopes),
      dataCenter: s(r.data_center) as DataCenterId,
      expiresAt: n(r.expires_at),
      revokedAt: nn(r.revoked_at),
      createdAt: n(r.created_at),
      refreshTokenHash: sn(r.refresh_token_hash),
      fromRefresh: d.bool(r.from_refresh),
    })),
    records: rows.records.map((r) => ({
      orgId: s(r.org_id),
      id: s(r.id),
      module: s(r.module) as ModuleApiName,
      name: s(r.name),
      ownerId: s(r.owner_id),
      createdAt: n(r.created_at),
      modifiedAt: n(r.modified_at),
      deletedAt: nn(r.deleted_at),
      fields: d.json<Record<string, unknown>>(r.fields),
      createdBy: sn(r.created_by),
      modifiedBy: sn(r.modified_by),
      deletedBy: sn(r.deleted_by),
      deletedWith: sn(r.deleted_with),
    })),
    attachments: rows.attachments.map((r): AttachmentRow & { deletedWith: string | null } => ({
      orgId: s(r.org_id),
      id: s(r.id),
      recordId: s(r.record_id),
      module: s(r.module) as ModuleApiName,
      kind: s(r.kind) as AttachmentRow['kind'],
      fileName: d.text(r.file_name),
      contentType: sn(r.content_type),
      size: n(r.size),
      blobKey: sn(r.blob_key),
      linkUrl: sn(r.link_url),
      sha256: sn(r.sha256),
      ownerId: s(r.owner_id),
      createdBy: s(r.created_by),
      modifiedBy: s(r.modified_by),
      createdAt: n(r.created_at),
      modifiedAt: n(r.modified_at),
      deletedAt: nn(r.deleted_at),
      deletedBy: sn(r.deleted_by),
      deletedWith: sn(r.deleted_with),
    })),
    refreshTokens: rows.refreshTokens.map((r) => ({
      hash: s(r.hash),
      clientId: s(r.client_id),
      orgId: s(r.org_id),
      userId: s(r.user_id),
      scopes: s(r.scopes),
      dataCenter: s(r.data_center) as DataCenterId,
      createdAt: n(r.created_at),
      revokedAt: nn(r.revoked_at),
    })),
    consents: rows.consents.map((r) => ({
      orgId: s(r.org_id),
      userId: s(r.user_id),
      clientId: s(r.client_id),
      grantedAt: n(r.granted_at),
    })),
    grantCodes: rows.grantCodes.map((r) => ({
      hash: s(r.hash),
      clientId: s(r.client_id),
      orgId: s(r.org_id),
      userId: s(r.user_id),
      scopes: s(r.scopes),
      dataCenter: s(r.data_center) as DataCenterId,
      redirectUri: sn(r.redirect_uri),
      issueRefresh: d.bool(r.issue_refresh),
      expiresAt: n(r.expires_at),
      usedAt: nn(r.used_at),
      createdAt: n(r.created_at),
    })),
    tags: rows.tags.map((r) => ({
      orgId: s(r.org_id),
      id: s(r.id),
      module: s(r.module) as ModuleApiName,
      name: s(r.name),
      colourCode: sn(r.colour_code),
      createdBy: s(r.created_by),
      createdAt: n(r.created_at),
      modifiedBy: s(r.modified_by),
      modifiedAt: n(r.modified_at),
    })),
    recordTags: rows.recordTags.map((r) => ({
      orgId: s(r.org_id),
      recordId: s(r.record_id),
      tagId: s(r.tag_id),
      createdAt: n(r.created_at),
    })),
  };
  // Only when stored, as the fixture loader writes it: an organisation without reads as the standard model.
  if (rows.orgMetadata.length)
    data.orgMetadata = rows.orgMetadata.map((r) => ({
      orgId: s(r.org_id),
      customization: d.json<OrgCustomization>(r.customization),
      details: d.json<Record<string, unknown>>(r.details),
    }));
  return {
    data,
    nextSequence: n(org.next_seq),
    recordLinks: rows.recordLinks.map((r) => ({ a: s(r.a), b: s(r.b), createdAt: n(r.created_at) })),
  };
}
