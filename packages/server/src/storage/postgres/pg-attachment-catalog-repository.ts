import type pg from 'pg';
import type {
  AttachmentCatalog,
  AttachmentListEntry,
  AttachmentRow,
  UserSummary,
} from '../../domain/ports.js';
import { toAttachment } from './pg-attachment-repository.js';
import { inTransaction, type Row, str, toPgText } from './pg-support.js';

function user(r: Row, prefix: string): UserSummary {
  return { id: str(r[`${prefix}_id`]), name: str(r[`${prefix}_name`]), email: str(r[`${prefix}_email`]) };
}

function toEntry(r: Row): AttachmentListEntry {
  return {
    ...toAttachment(r),
    recordName: str(r.record_name),
    owner: user(r, 'owner'),
    creator: user(r, 'creator'),
    modifier: user(r, 'modifier'),
  };
}

/** PostgreSQL implementation of the AttachmentCatalog port. */
export class PgAttachmentCatalog implements AttachmentCatalog {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * INSERT … SELECT from the live record, which it locks FOR SHARE: a record delete that got there
   * first is waited for and then seen (the record no longer matches), and one that comes after
   * waits for this insert to commit and so marks the new attachment deleted with its record. An
   * upload racing a record delete, on any node, never leaves a live attachment on a deleted record.
   */
  async insertLive(row: AttachmentRow): Promise<boolean> {
    return inTransaction(this.pool, async (db) => {
      const { rowCount } = await db.query(
        `INSERT INTO attachments
           (org_id, id, record_id, module, kind, file_name, content_type, size, blob_key, link_url, sha256,
            owner_id, created_by, modified_by, created_at, modified_at, deleted_at, deleted_by)
         SELECT $1::text, $2::text, r.id, r.module, $5::text, $6::text, $7::text, $8::bigint, $9::text,
                $10::text, $11::text, $12::text, $13::text, $14::text, $15::bigint, $16::bigint, NULL, NULL
         FROM (SELECT id, module FROM records
               WHERE org_id = $1 AND id = $3 AND module = $4 AND deleted_at IS NULL
               FOR SHARE) r`,
        [
          row.orgId,
          row.id,
          row.recordId,
          row.module,
          row.kind,
          toPgText(row.fileName),
          row.contentType,
          row.size,
          row.blobKey,
          row.linkUrl,
          row.sha256,
          row.ownerId,
          row.createdBy,
          row.modifiedBy,
          row.createdAt,
          row.modifiedAt,
        ],
      );
      const inserted = rowCount === 1;
      if (inserted && row.blobKey)
        await db.query('DELETE FROM blob_journal WHERE blob_key = $1', [row.blobKey]);
      return inserted;
    });
  }

  // Ids are digit strings without leading zeros, so (length, bytes) orders them as numbers.
  async listLive(input: {
    orgId: string;
    recordId: string;
    limit: number;
    offset: number;
  }): Promise<AttachmentListEntry[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT a.*, r.name AS record_name,
              o.id AS owner_id, o.name AS owner_name, o.email AS owner_email,
              c.id AS creator_id, c.name AS creator_name, c.email AS creator_email,
              m.id AS modifier_id, m.name AS modifier_name, m.email AS modifier_email
       FROM attachments a
       JOIN records r ON r.org_id = a.org_id AND r.id = a.record_id
       JOIN users o ON o.org_id = a.org_id AND o.id = a.owner_id
       JOIN users c ON c.org_id = a.org_id AND c.id = a.created_by
       JOIN users m ON m.org_id = a.org_id AND m.id = a.modified_by
       WHERE a.org_id = $1 AND a.record_id = $2 AND a.deleted_at IS NULL
       ORDER BY a.created_at DESC, length(a.id) DESC, a.id COLLATE "C" DESC
       LIMIT $3 OFFSET $4`,
      [input.orgId, input.recordId, input.limit, input.offset],
    );
    return rows.map(toEntry);
  }

  async userTimeZone(orgId: string, userId: string): Promise<string | null> {
    const { rows } = await this.pool.query<Row>('SELECT time_zone FROM users WHERE org_id = $1 AND id = $2', [
      orgId,
      userId,
    ]);
    return rows[0] ? str(rows[0].time_zone) : null;
  }
}
