import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';
import type { ProfilePermissions } from '../../domain/model.js';
import type { AttachmentRow, OAuthClientType, SeedData } from '../../domain/ports.js';
import { photoOf } from '../shared/organization-dump.js';
import type { SqliteMetadataStore } from '../sqlite/sqlite-metadata-store.js';

type Row = Record<string, unknown>;
const s = (v: unknown) => v as string;
const n = (v: unknown) => v as number;
const sn = (v: unknown) => (v === null ? null : (v as string));
const nn = (v: unknown) => (v === null ? null : (v as number));

export interface EmbeddedSnapshot {
  data: SeedData;
  /** Next free id sequence of each organisation (may be past every id in use). */
  nextSequence: Map<string, number>;
  /** Attachments the purge had claimed: already unrestorable, so not carried over. */
  beingPurged: number;
}

/**
 * Everything in an embedded SQLite database, as the seed shape every store imports. Reads the
 * tables directly (this is the storage layer's own migration tool); one read transaction, so the
 * snapshot is consistent even while a server writes to the same file.
 */
export function readEmbedded(store: SqliteMetadataStore): EmbeddedSnapshot {
  const db = store.db;
  const all = (sql: string) => db.prepare(sql).all() as Row[];
  return db.transaction((): EmbeddedSnapshot => {
    const orgs = all('SELECT * FROM organizations ORDER BY id');
    const attachments = all('SELECT * FROM attachments ORDER BY org_id, id');
    const data: SeedData = {
      clients: all('SELECT * FROM oauth_clients ORDER BY id').map((r) => ({
        id: s(r.id),
        name: s(r.name),
        secretHash: s(r.secret_hash),
        redirectUris: JSON.parse(s(r.redirect_uris)) as string[],
        createdAt: n(r.created_at),
        type: s(r.client_type) as OAuthClientType,
      })),
      organizations: orgs.map((r) => ({
        id: s(r.id),
        name: s(r.name),
        dataCenter: s(r.data_center) as DataCenterId,
        idPrefix: s(r.id_prefix),
        disabledModules: JSON.parse(s(r.disabled_modules)) as string[],
        createdAt: n(r.created_at),
      })),
      profiles: all('SELECT * FROM profiles ORDER BY org_id, id').map((r) => ({
        orgId: s(r.org_id),
        id: s(r.id),
        name: s(r.name),
        admin: n(r.is_admin) === 1,
        permissions: JSON.parse(s(r.permissions)) as ProfilePermissions,
      })),
      roles: all('SELECT * FROM roles ORDER BY org_id, id').map((r) => ({
        orgId: s(r.org_id),
        id: s(r.id),
        name: s(r.name),
        reportsTo: sn(r.reports_to),
        shareWithPeers: n(r.share_with_peers) === 1,
      })),
      users: all('SELECT * FROM users ORDER BY org_id, id').map((r) => ({
        orgId: s(r.org_id),
        id: s(r.id),
        name: s(r.name),
        email: s(r.email),
        profileId: s(r.profile_id),
        roleId: s(r.role_id),
        active: n(r.active) === 1,
        timeZone: s(r.time_zone),
        passwordHash: sn(r.password_hash),
        details: JSON.parse(s(r.details)) as Record<string, unknown>,
      })),
      orgMetadata: all('SELECT * FROM org_metadata ORDER BY org_id').map((r) => ({
        orgId: s(r.org_id),
        customization: JSON.parse(s(r.customization)),
        details: JSON.parse(s(r.details)) as Record<string, unknown>,
      })),
      // In issue order: the token limits evict the oldest, and the target keeps that order.
      tokens: all('SELECT * FROM access_tokens ORDER BY created_at, rowid').map((r) => ({
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
        fromRefresh: n(r.from_refresh) === 1,
      })),
      records: all('SELECT * FROM records ORDER BY org_id, id').map((r) => ({
        orgId: s(r.org_id),
        id: s(r.id),
        module: s(r.module) as ModuleApiName,
        name: s(r.name),
        ownerId: s(r.owner_id),
        createdAt: n(r.created_at),
        modifiedAt: n(r.modified_at),
        deletedAt: nn(r.deleted_at),
        fields: JSON.parse(s(r.fields)) as Record<string, unknown>,
        createdBy: sn(r.created_by),
        modifiedBy: sn(r.modified_by),
        deletedBy: sn(r.deleted_by),
        deletedWith: sn(r.deleted_with),
      })),
      attachments: attachments
        .filter((r) => r.purge_claimed_at === null)
        .map((r): AttachmentRow & { deletedWith: string | null } => ({
          orgId: s(r.org_id),
          id: s(r.id),
          recordId: s(r.record_id),
          module: s(r.module) as ModuleApiName,
          kind: s(r.kind) as AttachmentRow['kind'],
          fileName: s(r.file_name),
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
      refreshTokens: all('SELECT * FROM oauth_refresh_tokens ORDER BY created_at, rowid').map((r) => ({
        hash: s(r.hash),
        clientId: s(r.client_id),
        orgId: s(r.org_id),
        userId: s(r.user_id),
        scopes: s(r.scopes),
        dataCenter: s(r.data_center) as DataCenterId,
        createdAt: n(r.created_at),
        revokedAt: nn(r.revoked_at),
      })),
      consents: all('SELECT * FROM oauth_consents ORDER BY org_id, user_id, client_id').map((r) => ({
        orgId: s(r.org_id),
        userId: s(r.user_id),
        clientId: s(r.client_id),
        grantedAt: n(r.granted_at),
      })),
      // Codes live minutes, but one issued just before the switch must still redeem after it.
      grantCodes: all('SELECT * FROM oauth_grant_codes ORDER BY hash').map((r) => ({
        hash: s(r.hash),
        clientId: s(r.client_id),
        orgId: s(r.org_id),
        userId: s(r.user_id),
        scopes: s(r.scopes),
        dataCenter: s(r.data_center) as DataCenterId,
        redirectUri: sn(r.redirect_uri),
        issueRefresh: n(r.issue_refresh) === 1,
        expiresAt: n(r.expires_at),
        usedAt: nn(r.used_at),
        createdAt: n(r.created_at),
      })),
      tags: all('SELECT * FROM tags ORDER BY org_id, id').map((r) => ({
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
      recordTags: all('SELECT * FROM record_tags ORDER BY org_id, record_id, tag_id').map((r) => ({
        orgId: s(r.org_id),
        recordId: s(r.record_id),
        tagId: s(r.tag_id),
        createdAt: n(r.created_at),
      })),
      // Live photos; replaced and deleted ones wait for the source's purge.
      photos: all('SELECT * FROM record_photos WHERE deleted_at IS NULL ORDER BY org_id, id').map((r) =>
        photoOf(r, { text: (v: unknown) => v as string }),
      ),
    };
    return {
      data,
      nextSequence: new Map(orgs.map((r) => [s(r.id), n(r.next_seq)])),
      beingPurged: attachments.length - data.attachments.length,
    };
  })();
}
