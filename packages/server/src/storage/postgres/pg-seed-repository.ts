import type { DataCenterId } from '@bigin-attachments/contract';
import type pg from 'pg';
import { sequenceOf } from '../../domain/ids.js';
import type { SeedCounts, SeedData, SeedRepository } from '../../domain/ports.js';
import { insertMissing } from './pg-bulk-insert.js';
import { importPgRecordPhotos } from './pg-record-photos.js';
import { importPgTags } from './pg-record-tags.js';
import { inTransaction, num, type Row, str, toPgText } from './pg-support.js';

/**
 * Imports run in one transaction with INSERT … ON CONFLICT DO NOTHING, a thousand rows a
 * statement, so that two nodes loading the same fixture at once insert each row once (the second
 * waits on the first's uncommitted rows, then skips them) and a migration of millions of rows is
 * not millions of round trips.
 */
export class PgSeedRepository implements SeedRepository {
  constructor(private readonly pool: pg.Pool) {}

  async import(d: SeedData): Promise<SeedCounts> {
    return inTransaction(this.pool, async (db) => {
      const c: SeedCounts = {
        clients: 0,
        organizations: 0,
        profiles: 0,
        roles: 0,
        users: 0,
        tokens: 0,
        records: 0,
        attachments: 0,
      };
      c.clients = await insertMissing(
        db,
        'oauth_clients',
        [
          ['id', 'text'],
          ['name', 'text'],
          ['secret_hash', 'text'],
          ['redirect_uris', 'jsonb'],
          ['created_at', 'bigint'],
          ['client_type', 'text'],
        ],
        d.clients.map((x) => [x.id, x.name, x.secretHash, x.redirectUris, x.createdAt, x.type ?? 'server']),
      );
      c.organizations = await insertMissing(
        db,
        'organizations',
        [
          ['id', 'text'],
          ['name', 'text'],
          ['data_center', 'text'],
          ['id_prefix', 'text'],
          ['next_seq', 'bigint'],
          ['disabled_modules', 'jsonb'],
          ['created_at', 'bigint'],
        ],
        d.organizations.map((x) => [
          x.id,
          x.name,
          x.dataCenter,
          x.idPrefix,
          1,
          x.disabledModules,
          x.createdAt,
        ]),
      );
      c.profiles = await insertMissing(
        db,
        'profiles',
        [
          ['org_id', 'text'],
          ['id', 'text'],
          ['name', 'text'],
          ['is_admin', 'boolean'],
          ['permissions', 'jsonb'],
        ],
        d.profiles.map((x) => [x.orgId, x.id, x.name, x.admin, x.permissions]),
      );
      c.roles = await insertMissing(
        db,
        'roles',
        [
          ['org_id', 'text'],
          ['id', 'text'],
          ['name', 'text'],
          ['reports_to', 'text'],
          ['share_with_peers', 'boolean'],
        ],
        d.roles.map((x) => [x.orgId, x.id, x.name, x.reportsTo, x.shareWithPeers]),
      );
      c.users = await insertMissing(
        db,
        'users',
        [
          ['org_id', 'text'],
          ['id', 'text'],
          ['name', 'text'],
          ['email', 'text'],
          ['profile_id', 'text'],
          ['role_id', 'text'],
          ['active', 'boolean'],
          ['time_zone', 'text'],
          ['password_hash', 'text'],
          ['details', 'json'],
        ],
        d.users.map((x) => [
          x.orgId,
          x.id,
          x.name,
          x.email,
          x.profileId,
          x.roleId,
          x.active,
          x.timeZone,
          x.passwordHash ?? null,
          x.details ?? {},
        ]),
      );
      if (d.orgMetadata)
        c.orgMetadata = await insertMissing(
          db,
          'org_metadata',
          [
            ['org_id', 'text'],
            ['customization', 'json'],
            ['details', 'json'],
          ],
          d.orgMetadata.map((x) => [x.orgId, x.customization, x.details]),
        );
      c.tokens = await insertMissing(
        db,
        'access_tokens',
        [
          ['hash', 'text'],
          ['org_id', 'text'],
          ['user_id', 'text'],
          ['client_id', 'text'],
          ['scopes', 'text'],
          ['data_center', 'text'],
          ['expires_at', 'bigint'],
          ['revoked_at', 'bigint'],
          ['created_at', 'bigint'],
          ['refresh_token_hash', 'text'],
          ['from_refresh', 'boolean'],
        ],
        d.tokens.map((x) => [
          x.hash,
          x.orgId,
          x.userId,
          x.clientId,
          x.scopes,
          x.dataCenter,
          x.expiresAt,
          x.revokedAt,
          x.createdAt,
          x.refreshTokenHash ?? null,
          x.fromRefresh ?? false,
        ]),
      );
      c.records = await insertMissing(
        db,
        'records',
        [
          ['org_id', 'text'],
          ['id', 'text'],
          ['module', 'text'],
          ['name', 'text'],
          ['owner_id', 'text'],
          ['created_at', 'bigint'],
          ['modified_at', 'bigint'],
          ['deleted_at', 'bigint'],
          ['fields', 'json'],
          ['deleted_with', 'text'],
          ['created_by', 'text'],
          ['modified_by', 'text'],
          ['deleted_by', 'text'],
        ],
        d.records.map((x) => [
          x.orgId,
          x.id,
          x.module,
          x.name,
          x.ownerId,
          x.createdAt,
          x.modifiedAt,
          x.deletedAt,
          x.fields ?? {},
          // A record seeded as deleted was deleted directly, so it can be restored by its id.
          x.deletedWith !== undefined ? x.deletedWith : x.deletedAt === null ? null : x.id,
          x.createdBy ?? null,
          x.modifiedBy ?? null,
          x.deletedBy ?? null,
        ]),
      );
      c.attachments = await insertMissing(
        db,
        'attachments',
        [
          ['org_id', 'text'],
          ['id', 'text'],
          ['record_id', 'text'],
          ['module', 'text'],
          ['kind', 'text'],
          ['file_name', 'text'],
          ['content_type', 'text'],
          ['size', 'bigint'],
          ['blob_key', 'text'],
          ['link_url', 'text'],
          ['sha256', 'text'],
          ['owner_id', 'text'],
          ['created_by', 'text'],
          ['modified_by', 'text'],
          ['created_at', 'bigint'],
          ['modified_at', 'bigint'],
          ['deleted_at', 'bigint'],
          ['deleted_by', 'text'],
          ['deleted_with', 'text'],
        ],
        d.attachments.map((a) => [
          a.orgId,
          a.id,
          a.recordId,
          a.module,
          a.kind,
          toPgText(a.fileName),
          a.contentType,
          a.size,
          a.blobKey,
          a.linkUrl,
          a.sha256,
          a.ownerId,
          a.createdBy,
          a.modifiedBy,
          a.createdAt,
          a.modifiedAt,
          a.deletedAt,
          a.deletedBy,
          a.deletedWith ?? null,
        ]),
      );
      // Only when given, so that a fixture's counts do not grow keys it never had.
      if (d.refreshTokens)
        c.refreshTokens = await insertMissing(
          db,
          'oauth_refresh_tokens',
          [
            ['hash', 'text'],
            ['client_id', 'text'],
            ['org_id', 'text'],
            ['user_id', 'text'],
            ['scopes', 'text'],
            ['data_center', 'text'],
            ['created_at', 'bigint'],
            ['revoked_at', 'bigint'],
          ],
          // Oldest first, so that issue order (which the refresh-token limit evicts by) carries over.
          [...d.refreshTokens]
            .sort((a, b) => a.createdAt - b.createdAt)
            .map((x) => [
              x.hash,
              x.clientId,
              x.orgId,
              x.userId,
              x.scopes,
              x.dataCenter,
              x.createdAt,
              x.revokedAt,
            ]),
        );
      if (d.consents)
        c.consents = await insertMissing(
          db,
          'oauth_consents',
          [
            ['org_id', 'text'],
            ['user_id', 'text'],
            ['client_id', 'text'],
            ['granted_at', 'bigint'],
          ],
          d.consents.map((x) => [x.orgId, x.userId, x.clientId, x.grantedAt]),
        );
      if (d.grantCodes)
        c.grantCodes = await insertMissing(
          db,
          'oauth_grant_codes',
          [
            ['hash', 'text'],
            ['client_id', 'text'],
            ['org_id', 'text'],
            ['user_id', 'text'],
            ['scopes', 'text'],
            ['data_center', 'text'],
            ['redirect_uri', 'text'],
            ['issue_refresh', 'boolean'],
            ['expires_at', 'bigint'],
            ['used_at', 'bigint'],
            ['created_at', 'bigint'],
          ],
          d.grantCodes.map((x) => [
            x.hash,
            x.clientId,
            x.orgId,
            x.userId,
            x.scopes,
            x.dataCenter,
            x.redirectUri,
            x.issueRefresh,
            x.expiresAt,
            x.usedAt,
            x.createdAt,
          ]),
        );
      await importPgTags(db, d, c);
      await importPgRecordPhotos(db, d, c);
      const keys = d.attachments.flatMap((a) => (a.blobKey ? [a.blobKey] : []));
      if (keys.length) await db.query('DELETE FROM blob_journal WHERE blob_key = ANY($1::text[])', [keys]);
      // Keep generated ids clear of ids the seed chose under the organisation's own prefix.
      const orgIds = [
        ...new Set(
          [...d.records, ...d.attachments, ...(d.tags ?? []), ...(d.photos ?? [])].map((x) => x.orgId),
        ),
      ];
      if (orgIds.length) {
        const { rows } = await db.query<Row>(
          'SELECT id, id_prefix FROM organizations WHERE id = ANY($1::text[])',
          [orgIds],
        );
        const prefixes = new Map(rows.map((r) => [str(r.id), str(r.id_prefix)]));
        const maxSeq = new Map<string, number>();
        for (const x of [...d.records, ...d.attachments, ...(d.tags ?? []), ...(d.photos ?? [])]) {
          const prefix = prefixes.get(x.orgId);
          const seq = prefix === undefined ? null : sequenceOf(prefix, x.id);
          if (seq !== null) maxSeq.set(x.orgId, Math.max(maxSeq.get(x.orgId) ?? 0, seq + 1));
        }
        for (const [orgId, next] of maxSeq)
          await db.query('UPDATE organizations SET next_seq = GREATEST(next_seq, $1) WHERE id = $2', [
            next,
            orgId,
          ]);
      }
      return c;
    });
  }

  async organizationCount(): Promise<number> {
    const { rows } = await this.pool.query<Row>('SELECT COUNT(*)::bigint AS n FROM organizations');
    return num(rows[0]!.n);
  }

  async organization(orgId: string): Promise<{ idPrefix: string; dataCenter: DataCenterId } | null> {
    const { rows } = await this.pool.query<Row>(
      'SELECT id_prefix, data_center FROM organizations WHERE id = $1',
      [orgId],
    );
    const r = rows[0];
    return r ? { idPrefix: str(r.id_prefix), dataCenter: str(r.data_center) as DataCenterId } : null;
  }

  async idPrefixTaken(dataCenter: DataCenterId, prefix: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM organizations WHERE data_center = $1 AND id_prefix = $2',
      [dataCenter, prefix],
    );
    return (rowCount ?? 0) > 0;
  }

  /** One UPDATE … RETURNING: the row lock makes concurrent reservations, on any node, disjoint. */
  async reserveSequence(orgId: string, count: number): Promise<number> {
    const { rows } = await this.pool.query<Row>(
      'UPDATE organizations SET next_seq = next_seq + $1 WHERE id = $2 RETURNING next_seq',
      [count, orgId],
    );
    const row = rows[0];
    if (!row) throw new Error(`unknown organisation ${orgId}`);
    return num(row.next_seq) - count;
  }
}
