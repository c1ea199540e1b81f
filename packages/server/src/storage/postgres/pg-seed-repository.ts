import type { DataCenterId } from '@bigin-attachments/contract';
import type pg from 'pg';
import { sequenceOf } from '../../domain/ids.js';
import type { SeedCounts, SeedData, SeedRepository } from '../ports.js';
import { inTransaction, num, type Row, str } from './pg-support.js';

const json = (value: unknown) => JSON.stringify(value);

/**
 * Imports run in one transaction with INSERT … ON CONFLICT DO NOTHING, so that two nodes loading
 * the same fixture at once insert each row once (the second waits on the first's uncommitted
 * rows, then skips them).
 */
export class PgSeedRepository implements SeedRepository {
  constructor(private readonly pool: pg.Pool) {}

  async import(d: SeedData): Promise<SeedCounts> {
    return inTransaction(this.pool, async (db) => {
      const run = async (sql: string, values: unknown[]) => (await db.query(sql, values)).rowCount ?? 0;
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
      for (const x of d.clients)
        c.clients += await run(
          `INSERT INTO oauth_clients (id, name, secret_hash, redirect_uris, created_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [x.id, x.name, x.secretHash, json(x.redirectUris), x.createdAt],
        );
      for (const x of d.organizations)
        c.organizations += await run(
          `INSERT INTO organizations (id, name, data_center, id_prefix, next_seq, disabled_modules, created_at)
           VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT DO NOTHING`,
          [x.id, x.name, x.dataCenter, x.idPrefix, json(x.disabledModules), x.createdAt],
        );
      for (const x of d.profiles)
        c.profiles += await run(
          `INSERT INTO profiles (org_id, id, name, is_admin, permissions)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [x.orgId, x.id, x.name, x.admin, json(x.permissions)],
        );
      for (const x of d.roles)
        c.roles += await run(
          `INSERT INTO roles (org_id, id, name, reports_to, share_with_peers)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [x.orgId, x.id, x.name, x.reportsTo, x.shareWithPeers],
        );
      for (const x of d.users)
        c.users += await run(
          `INSERT INTO users (org_id, id, name, email, profile_id, role_id, active, time_zone)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [x.orgId, x.id, x.name, x.email, x.profileId, x.roleId, x.active, x.timeZone],
        );
      for (const x of d.tokens)
        c.tokens += await run(
          `INSERT INTO access_tokens
             (hash, org_id, user_id, client_id, scopes, data_center, expires_at, revoked_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [
            x.hash,
            x.orgId,
            x.userId,
            x.clientId,
            x.scopes,
            x.dataCenter,
            x.expiresAt,
            x.revokedAt,
            x.createdAt,
          ],
        );
      for (const x of d.records)
        c.records += await run(
          `INSERT INTO records (org_id, id, module, name, owner_id, created_at, modified_at, deleted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [x.orgId, x.id, x.module, x.name, x.ownerId, x.createdAt, x.modifiedAt, x.deletedAt],
        );
      for (const a of d.attachments)
        c.attachments += await run(
          `INSERT INTO attachments
             (org_id, id, record_id, module, kind, file_name, content_type, size, blob_key, link_url, sha256,
              owner_id, created_by, modified_by, created_at, modified_at, deleted_at, deleted_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
           ON CONFLICT DO NOTHING`,
          [
            a.orgId,
            a.id,
            a.recordId,
            a.module,
            a.kind,
            a.fileName,
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
          ],
        );
      const keys = d.attachments.flatMap((a) => (a.blobKey ? [a.blobKey] : []));
      if (keys.length) await db.query('DELETE FROM blob_journal WHERE blob_key = ANY($1::text[])', [keys]);
      // Keep generated ids clear of ids the seed chose under the organisation's own prefix.
      const orgIds = [...new Set([...d.records, ...d.attachments].map((x) => x.orgId))];
      if (orgIds.length) {
        const { rows } = await db.query<Row>(
          'SELECT id, id_prefix FROM organizations WHERE id = ANY($1::text[])',
          [orgIds],
        );
        const prefixes = new Map(rows.map((r) => [str(r.id), str(r.id_prefix)]));
        const maxSeq = new Map<string, number>();
        for (const x of [...d.records, ...d.attachments]) {
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
