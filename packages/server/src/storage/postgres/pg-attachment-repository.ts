import type { ModuleApiName } from '@bigin-attachments/contract';
import type pg from 'pg';
import type {
  AttachmentRepository,
  AttachmentRow,
  DeletedAttachment,
  PurgeClaim,
} from '../../domain/ports.js';
import { fromPgText, num, numOrNull, type Row, str, strOrNull } from './pg-support.js';

/** An `attachments` row (every column selected) as the port's AttachmentRow. */
export function toAttachment(r: Row): AttachmentRow {
  return {
    orgId: str(r.org_id),
    id: str(r.id),
    recordId: str(r.record_id),
    module: str(r.module) as ModuleApiName,
    kind: str(r.kind) as AttachmentRow['kind'],
    fileName: fromPgText(r.file_name),
    contentType: strOrNull(r.content_type),
    size: num(r.size),
    blobKey: strOrNull(r.blob_key),
    linkUrl: strOrNull(r.link_url),
    sha256: strOrNull(r.sha256),
    ownerId: str(r.owner_id),
    createdBy: str(r.created_by),
    modifiedBy: str(r.modified_by),
    createdAt: num(r.created_at),
    modifiedAt: num(r.modified_at),
    deletedAt: numOrNull(r.deleted_at),
    deletedBy: strOrNull(r.deleted_by),
  };
}

const ATTACHMENT_COLUMNS = `org_id, id, record_id, module, kind, file_name, content_type, size, blob_key, link_url,
  sha256, owner_id, created_by, modified_by, created_at, modified_at, deleted_at, deleted_by`;

/**
 * Attachments. Every state change is one conditional UPDATE: under READ COMMITTED a second
 * writer waits for the first's row lock and then re-checks its WHERE clause against the row the
 * first committed, so of concurrent deletes (on any number of nodes) exactly one matches.
 */
export class PgAttachmentRepository implements AttachmentRepository {
  constructor(private readonly pool: pg.Pool) {}

  async markDeleted(input: {
    orgId: string;
    recordId: string;
    attachmentId: string;
    deletedBy: string;
    at: number;
  }): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE attachments SET deleted_at = $1, deleted_by = $2
       WHERE org_id = $3 AND id = $4 AND record_id = $5 AND deleted_at IS NULL`,
      [input.at, input.deletedBy, input.orgId, input.attachmentId, input.recordId],
    );
    return rowCount === 1;
  }

  async findLive(orgId: string, recordId: string, attachmentId: string): Promise<AttachmentRow | null> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments
       WHERE org_id = $1 AND id = $2 AND record_id = $3 AND deleted_at IS NULL`,
      [orgId, attachmentId, recordId],
    );
    return rows[0] ? toAttachment(rows[0]) : null;
  }

  async existingIds(orgId: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await this.pool.query<Row>(
      'SELECT id FROM attachments WHERE org_id = $1 AND id = ANY($2::text[])',
      [orgId, ids],
    );
    return new Set(rows.map((r) => str(r.id)));
  }

  async listDeleted(input: { orgId: string; limit: number; offset: number }): Promise<DeletedAttachment[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT org_id, id, record_id, module, file_name, size, deleted_at, deleted_by FROM attachments
       WHERE org_id = $1 AND deleted_at IS NOT NULL AND purge_claimed_at IS NULL
       ORDER BY deleted_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [input.orgId, input.limit, input.offset],
    );
    return rows.map((r) => ({
      orgId: str(r.org_id),
      id: str(r.id),
      recordId: str(r.record_id),
      module: str(r.module) as ModuleApiName,
      fileName: fromPgText(r.file_name),
      size: num(r.size),
      deletedAt: num(r.deleted_at),
      deletedBy: strOrNull(r.deleted_by),
    }));
  }

  async restore(input: { orgId: string; attachmentId: string; deletedSince: number }): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE attachments SET deleted_at = NULL, deleted_by = NULL
       WHERE org_id = $1 AND id = $2 AND deleted_at IS NOT NULL AND deleted_at >= $3
         AND purge_claimed_at IS NULL AND deleted_with IS NULL`,
      [input.orgId, input.attachmentId, input.deletedSince],
    );
    return rowCount === 1;
  }

  /**
   * SKIP LOCKED: rows another node is claiming, or a restore is changing, right now are left to
   * it rather than waited for, so purges on several nodes never block each other or claim the
   * same row at the same moment. The re-check of `deleted_at` on the locked row keeps a row just
   * restored out.
   */
  async claimPurge(input: { deletedBefore: number; limit: number; at: number }): Promise<PurgeClaim[]> {
    const { rows } = await this.pool.query<Row>(
      `WITH claimable AS (
         SELECT org_id, id FROM attachments
         WHERE deleted_at IS NOT NULL AND (purge_claimed_at IS NOT NULL OR deleted_at < $1)
         ORDER BY deleted_at, org_id, id
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE attachments a SET purge_claimed_at = $3
       FROM claimable c WHERE a.org_id = c.org_id AND a.id = c.id
       RETURNING a.org_id, a.id, a.blob_key, a.deleted_at`,
      [input.deletedBefore, input.limit, input.at],
    );
    return rows
      .sort(
        (x, y) =>
          num(x.deleted_at) - num(y.deleted_at) ||
          str(x.org_id).localeCompare(str(y.org_id)) ||
          str(x.id).localeCompare(str(y.id)),
      )
      .map((r) => ({ orgId: str(r.org_id), id: str(r.id), blobKey: strOrNull(r.blob_key) }));
  }

  async finishPurge(claims: readonly PurgeClaim[]): Promise<void> {
    if (claims.length === 0) return;
    await this.pool.query(
      `DELETE FROM attachments a USING unnest($1::text[], $2::text[]) AS c (org_id, id)
       WHERE a.org_id = c.org_id AND a.id = c.id AND a.purge_claimed_at IS NOT NULL`,
      [claims.map((c) => c.orgId), claims.map((c) => c.id)],
    );
  }
}
