import type { ModuleApiName } from '@bigin-attachments/contract';
import type Database from 'better-sqlite3';
import type {
  AttachmentCatalog,
  AttachmentListEntry,
  AttachmentRow,
  UserSummary,
} from '../../domain/ports.js';
import { num, type Row, str, strOrNull } from './sqlite-rows.js';
import type { WriteStep } from './writer-thread.js';

/** SQLite implementation of the AttachmentCatalog port; every method is one statement or one transaction. */
export function createSqliteAttachmentCatalog(
  db: Database.Database,
  write: (steps: WriteStep[]) => Promise<number[]>,
): AttachmentCatalog {
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
  // The journal entry goes only if the row went in (ids are fresh, so the row exists iff it did):
  // an upload refused here leaves its blob journalled, for the purge to remove.
  const forgetJournal = db.prepare(`
    DELETE FROM blob_journal WHERE blob_key = ?
      AND EXISTS (SELECT 1 FROM attachments WHERE org_id = ? AND id = ?)`);
  // Ids are digit strings without leading zeros, so (length, text) orders them as numbers. The
  // page is read straight off attachments_listing; the record name and the three people are looked
  // up once per page rather than joined per row (a page usually names one or two users), which
  // halved the list's SQLite time in the benchmark.
  const list = db.prepare(`
    SELECT id, module, kind, file_name, content_type, size, blob_key, link_url, sha256,
           owner_id, created_by, modified_by, created_at, modified_at
    FROM attachments
    WHERE org_id = ? AND record_id = ? AND deleted_at IS NULL
    ORDER BY created_at DESC, length(id) DESC, id DESC
    LIMIT ? OFFSET ?`);
  const record = db.prepare('SELECT name FROM records WHERE org_id = ? AND id = ?');
  const person = db.prepare('SELECT id, name, email FROM users WHERE org_id = ? AND id = ?');
  const listTx = db.transaction(
    (orgId: string, recordId: string, limit: number, offset: number): AttachmentListEntry[] => {
      const rows = list.all(orgId, recordId, limit, offset) as Row[];
      if (rows.length === 0) return [];
      const parent = record.get(orgId, recordId) as Row;
      const people = new Map<string, UserSummary>();
      const user = (id: string): UserSummary => {
        let u = people.get(id);
        if (!u) {
          const r = person.get(orgId, id) as Row;
          u = { id: str(r.id), name: str(r.name), email: str(r.email) };
          people.set(id, u);
        }
        return u;
      };
      return rows.map((r) => ({
        orgId,
        id: str(r.id),
        recordId,
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
        deletedAt: null,
        deletedBy: null,
        recordName: str(parent.name),
        owner: user(str(r.owner_id)),
        creator: user(str(r.created_by)),
        modifier: user(str(r.modified_by)),
      }));
    },
  );
  const timeZone = db.prepare('SELECT time_zone FROM users WHERE org_id = ? AND id = ?');
  return {
    // Group-committed, off the event loop (writer thread), with the journal cleanup in the same transaction.
    insertLive: async (row) => {
      const steps: WriteStep[] = [{ sql: insert.source, params: [{ ...row }] }];
      if (row.blobKey) steps.push({ sql: forgetJournal.source, params: [row.blobKey, row.orgId, row.id] });
      const [inserted] = await write(steps);
      return inserted === 1;
    },
    // One read transaction: the page, its record and its people are one snapshot.
    listLive: async ({ orgId, recordId, limit, offset }) => listTx.deferred(orgId, recordId, limit, offset),
    userTimeZone: async (orgId, userId) => {
      const r = timeZone.get(orgId, userId) as Row | undefined;
      return r ? str(r.time_zone) : null;
    },
  };
}
