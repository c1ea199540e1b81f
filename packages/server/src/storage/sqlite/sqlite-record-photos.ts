import type { ModuleApiName } from '@bigin-attachments/contract';
import type Database from 'better-sqlite3';
import type { PhotoPurgeClaim, PhotoRow, RecordPhotoRepository } from '../../domain/ports.js';

type Row = Record<string, unknown>;
const str = (v: unknown): string => v as string;
const num = (v: unknown): number => v as number;

const toPhoto = (r: Row): PhotoRow => ({
  orgId: str(r.org_id),
  id: str(r.id),
  recordId: str(r.record_id),
  module: str(r.module) as ModuleApiName | 'org',
  fileName: str(r.file_name),
  contentType: str(r.content_type),
  size: num(r.size),
  sha256: str(r.sha256),
  blobKey: str(r.blob_key),
  createdBy: str(r.created_by),
  createdAt: num(r.created_at),
  deletedAt: r.deleted_at === null ? null : num(r.deleted_at),
});

/**
 * SQLite implementation of RecordPhotoRepository (D20). Every method is one statement or one
 * IMMEDIATE transaction, so concurrent puts on one record are serialised by SQLite's write lock.
 */
export function createSqliteRecordPhotos(db: Database.Database): RecordPhotoRepository {
  const liveRecord = db.prepare(
    'SELECT 1 FROM records WHERE org_id = ? AND id = ? AND module = ? AND deleted_at IS NULL',
  );
  const org = db.prepare('SELECT 1 FROM organizations WHERE id = ?');
  const retire = db.prepare(
    'UPDATE record_photos SET deleted_at = ? WHERE org_id = ? AND record_id = ? AND deleted_at IS NULL',
  );
  const insert = db.prepare(`INSERT INTO record_photos
    (org_id, id, record_id, module, file_name, content_type, size, sha256, blob_key, created_by, created_at, deleted_at)
    VALUES (@orgId, @id, @recordId, @module, @fileName, @contentType, @size, @sha256, @blobKey, @createdBy, @createdAt, NULL)`);
  const forget = db.prepare('DELETE FROM blob_journal WHERE blob_key = ?');
  const find = db.prepare(
    'SELECT * FROM record_photos WHERE org_id = ? AND record_id = ? AND deleted_at IS NULL',
  );
  const ofRecords = db.prepare(`SELECT record_id, id FROM record_photos
    WHERE org_id = ? AND deleted_at IS NULL AND record_id IN (SELECT value FROM json_each(?))`);
  // Photos of records whose recycle-bin time is over go with them (the record purge runs after).
  const expire = db.prepare(`UPDATE record_photos SET deleted_at = ?
    WHERE deleted_at IS NULL AND module <> 'org' AND EXISTS (
      SELECT 1 FROM records r WHERE r.org_id = record_photos.org_id AND r.id = record_photos.record_id
        AND r.deleted_at IS NOT NULL AND r.deleted_at < ?)`);
  const gone = db.prepare(`SELECT org_id, id, blob_key FROM record_photos
    WHERE deleted_at IS NOT NULL ORDER BY deleted_at, org_id, id LIMIT ?`);
  const drop = db.prepare('DELETE FROM record_photos WHERE org_id = ? AND id = ? AND deleted_at IS NOT NULL');

  const putTx = db.transaction((row: PhotoRow): boolean => {
    const exists =
      row.module === 'org'
        ? org.get(row.orgId) !== undefined && row.recordId === row.orgId
        : liveRecord.get(row.orgId, row.recordId, row.module) !== undefined;
    if (!exists) return false;
    retire.run(row.createdAt, row.orgId, row.recordId);
    insert.run({ ...row });
    forget.run(row.blobKey);
    return true;
  });
  const claimTx = db.transaction((recordDeletedBefore: number, limit: number, at: number) => {
    expire.run(at, recordDeletedBefore);
    return (gone.all(limit) as Row[]).map(
      (r): PhotoPurgeClaim => ({ orgId: str(r.org_id), id: str(r.id), blobKey: str(r.blob_key) }),
    );
  });
  const finishTx = db.transaction((claims: readonly PhotoPurgeClaim[]) => {
    for (const c of claims) drop.run(c.orgId, c.id);
  });

  return {
    put: async (row) => putTx.immediate(row),
    find: async (orgId, recordId) => {
      const r = find.get(orgId, recordId) as Row | undefined;
      return r ? toPhoto(r) : null;
    },
    ofRecords: async (orgId, recordIds) => {
      if (recordIds.length === 0) return new Map();
      const rows = ofRecords.all(orgId, JSON.stringify([...new Set(recordIds)])) as Row[];
      return new Map(rows.map((r) => [str(r.record_id), str(r.id)]));
    },
    remove: async (orgId, recordId, at) => retire.run(at, orgId, recordId).changes > 0,
    claimPurge: async ({ recordDeletedBefore, limit, at }) =>
      claimTx.immediate(recordDeletedBefore, limit, at),
    finishPurge: async (claims) => {
      finishTx.immediate(claims);
    },
  };
}
