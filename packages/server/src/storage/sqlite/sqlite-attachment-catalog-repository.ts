import type { ModuleApiName } from '@bigin-attachments/contract';
import type Database from 'better-sqlite3';
import type { AttachmentCatalog, AttachmentListEntry, AttachmentRow, UserSummary } from '../ports.js';

type Row = Record<string, unknown>;

const str = (v: unknown): string => v as string;
const num = (v: unknown): number => v as number;
const numOrNull = (v: unknown): number | null => (v === null ? null : (v as number));
const strOrNull = (v: unknown): string | null => (v === null ? null : (v as string));

function user(r: Row, prefix: string): UserSummary {
  return { id: str(r[`${prefix}_id`]), name: str(r[`${prefix}_name`]), email: str(r[`${prefix}_email`]) };
}

function toEntry(r: Row): AttachmentListEntry {
  return {
    orgId: str(r.org_id),
    id: str(r.id),
    recordId: str(r.record_id),
    module: str(r.module) as ModuleApiName,
    kind: str(r.kind) as AttachmentRow['kind'],
    fileName: str(r.file_name),
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
    recordName: str(r.record_name),
    owner: user(r, 'owner'),
    creator: user(r, 'creator'),
    modifier: user(r, 'modifier'),
  };
}

/** SQLite implementation of the AttachmentCatalog port; every method is one statement or one transaction. */
export function createSqliteAttachmentCatalog(db: Database.Database): AttachmentCatalog {
  // INSERT … SELECT from the live record, so that an upload racing a record delete cannot leave a
  // live attachment on a deleted record.
  const insert = db.prepare(`
    INSERT INTO attachments
      (org_id, id, record_id, module, kind, file_name, content_type, size, blob_key, link_url, sha256,
       owner_id, created_by, modified_by, created_at, modified_at, deleted_at, deleted_by)
    SELECT @orgId, @id, r.id, r.module, @kind, @fileName, @contentType, @size, @blobKey, @linkUrl, @sha256,
           @ownerId, @createdBy, @modifiedBy, @createdAt, @modifiedAt, NULL, NULL
    FROM records r
    WHERE r.org_id = @orgId AND r.id = @recordId AND r.module = @module AND r.deleted_at IS NULL`);
  const forgetJournal = db.prepare('DELETE FROM blob_journal WHERE blob_key = ?');
  const insertTx = db.transaction((row: AttachmentRow): boolean => {
    const inserted = insert.run({ ...row }).changes === 1;
    if (inserted && row.blobKey) forgetJournal.run(row.blobKey);
    return inserted;
  });
  // Ids are digit strings without leading zeros, so (length, text) orders them as numbers.
  const list = db.prepare(`
    SELECT a.*, r.name AS record_name,
           o.id AS owner_id, o.name AS owner_name, o.email AS owner_email,
           c.id AS creator_id, c.name AS creator_name, c.email AS creator_email,
           m.id AS modifier_id, m.name AS modifier_name, m.email AS modifier_email
    FROM attachments a
    JOIN records r ON r.org_id = a.org_id AND r.id = a.record_id
    JOIN users o ON o.org_id = a.org_id AND o.id = a.owner_id
    JOIN users c ON c.org_id = a.org_id AND c.id = a.created_by
    JOIN users m ON m.org_id = a.org_id AND m.id = a.modified_by
    WHERE a.org_id = ? AND a.record_id = ? AND a.deleted_at IS NULL
    ORDER BY a.created_at DESC, length(a.id) DESC, a.id DESC
    LIMIT ? OFFSET ?`);
  const timeZone = db.prepare('SELECT time_zone FROM users WHERE org_id = ? AND id = ?');
  return {
    insertLive: async (row) => insertTx.immediate(row),
    listLive: async ({ orgId, recordId, limit, offset }) =>
      (list.all(orgId, recordId, limit, offset) as Row[]).map(toEntry),
    userTimeZone: async (orgId, userId) => {
      const r = timeZone.get(orgId, userId) as Row | undefined;
      return r ? str(r.time_zone) : null;
    },
  };
}
