import type { ModuleApiName } from '@bigin-attachments/contract';
import type pg from 'pg';
import type { PhotoPurgeClaim, PhotoRow, RecordPhotoRepository } from '../../domain/ports.js';
import { fromPgText, inTransaction, num, type Row, str, toPgText } from './pg-support.js';

const toPhoto = (r: Row): PhotoRow => ({
  orgId: str(r.org_id),
  id: str(r.id),
  recordId: str(r.record_id),
  module: str(r.module) as ModuleApiName | 'org',
  fileName: fromPgText(r.file_name),
  contentType: str(r.content_type),
  size: num(r.size),
  sha256: str(r.sha256),
  blobKey: str(r.blob_key),
  createdBy: str(r.created_by),
  createdAt: num(r.created_at),
  deletedAt: r.deleted_at === null ? null : num(r.deleted_at),
});

/**
 * PostgreSQL implementation of RecordPhotoRepository (D20). A put holds an advisory lock on its
 * record for the transaction, so that two uploads of one record's photo run one after the other
 * and the partial unique index never sees two live photos.
 */
export class PgRecordPhotos implements RecordPhotoRepository {
  constructor(private readonly pool: pg.Pool) {}

  async put(row: PhotoRow): Promise<boolean> {
    return inTransaction(this.pool, async (db) => {
      await db.query("SELECT pg_advisory_xact_lock(hashtextextended('photo:' || $1 || ':' || $2, 0))", [
        row.orgId,
        row.recordId,
      ]);
      const exists =
        row.module === 'org'
          ? row.recordId === row.orgId &&
            ((await db.query('SELECT 1 FROM organizations WHERE id = $1', [row.orgId])).rowCount ?? 0) > 0
          : ((
              await db.query(
                'SELECT 1 FROM records WHERE org_id = $1 AND id = $2 AND module = $3 AND deleted_at IS NULL',
                [row.orgId, row.recordId, row.module],
              )
            ).rowCount ?? 0) > 0;
      if (!exists) return false;
      await db.query(
        'UPDATE record_photos SET deleted_at = $1 WHERE org_id = $2 AND record_id = $3 AND deleted_at IS NULL',
        [row.createdAt, row.orgId, row.recordId],
      );
      await db.query(
        `INSERT INTO record_photos
          (org_id, id, record_id, module, file_name, content_type, size, sha256, blob_key, created_by, created_at, deleted_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL)`,
        [
          row.orgId,
          row.id,
          row.recordId,
          row.module,
          toPgText(row.fileName),
          row.contentType,
          row.size,
          row.sha256,
          row.blobKey,
          row.createdBy,
          row.createdAt,
        ],
      );
      await db.query('DELETE FROM blob_journal WHERE blob_key = $1', [row.blobKey]);
      return true;
    });
  }

  async find(orgId: string, recordId: string): Promise<PhotoRow | null> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM record_photos WHERE org_id = $1 AND record_id = $2 AND deleted_at IS NULL',
      [orgId, recordId],
    );
    return rows[0] ? toPhoto(rows[0]) : null;
  }

  async ofRecords(orgId: string, recordIds: readonly string[]): Promise<Map<string, string>> {
    if (recordIds.length === 0) return new Map();
    const { rows } = await this.pool.query<Row>(
      `SELECT record_id, id FROM record_photos
        WHERE org_id = $1 AND deleted_at IS NULL AND record_id = ANY($2::text[])`,
      [orgId, [...new Set(recordIds)]],
    );
    return new Map(rows.map((r) => [str(r.record_id), str(r.id)]));
  }

  async remove(orgId: string, recordId: string, at: number): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE record_photos SET deleted_at = $1 WHERE org_id = $2 AND record_id = $3 AND deleted_at IS NULL',
      [at, orgId, recordId],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async claimPurge(input: {
    recordDeletedBefore: number;
    limit: number;
    at: number;
  }): Promise<PhotoPurgeClaim[]> {
    return inTransaction(this.pool, async (db) => {
      // Photos of records whose recycle-bin time is over go with them (the record purge runs after).
      await db.query(
        `UPDATE record_photos p SET deleted_at = $1
          WHERE p.deleted_at IS NULL AND p.module <> 'org' AND EXISTS (
            SELECT 1 FROM records r WHERE r.org_id = p.org_id AND r.id = p.record_id
              AND r.deleted_at IS NOT NULL AND r.deleted_at < $2)`,
        [input.at, input.recordDeletedBefore],
      );
      const { rows } = await db.query<Row>(
        `SELECT org_id, id, blob_key FROM record_photos WHERE deleted_at IS NOT NULL
          ORDER BY deleted_at, org_id COLLATE "C", id COLLATE "C" LIMIT $1`,
        [input.limit],
      );
      return rows.map((r) => ({ orgId: str(r.org_id), id: str(r.id), blobKey: str(r.blob_key) }));
    });
  }

  async finishPurge(claims: readonly PhotoPurgeClaim[]): Promise<void> {
    if (claims.length === 0) return;
    await this.pool.query(
      `DELETE FROM record_photos p USING unnest($1::text[], $2::text[]) AS c(org_id, id)
        WHERE p.org_id = c.org_id AND p.id = c.id AND p.deleted_at IS NOT NULL`,
      [claims.map((c) => c.orgId), claims.map((c) => c.id)],
    );
  }
}
