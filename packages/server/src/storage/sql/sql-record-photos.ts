import type { PhotoPurgeClaim, PhotoRow, RecordPhotoRepository } from '../../domain/ports.js';
import { allKeys, columnList, reader, writer } from './columns.js';
import type { SqlDialect } from './dialect.js';
import { RECORD_PHOTOS } from './tables.js';

const PHOTO_KEYS = allKeys(RECORD_PHOTOS);
// What a put writes: every column but deleted_at, which a new photo has NULL.
const INSERT_KEYS = PHOTO_KEYS.filter((k) => k !== 'deletedAt') as Exclude<
  (typeof PHOTO_KEYS)[number],
  'deletedAt'
>[];

/**
 * RecordPhotoRepository (D20). A put is one write transaction that takes a lock on its record
 * (PostgreSQL: an advisory lock; SQLite: the immediate transaction itself), so that two uploads
 * of one record's photo run one after the other and the partial unique index never sees two live
 * photos.
 */
export function createSqlRecordPhotos(d: SqlDialect): RecordPhotoRepository {
  const f = d.fragments;
  const cols = columnList(RECORD_PHOTOS, PHOTO_KEYS);
  const liveRecord = d.prepare(
    'SELECT 1 FROM records WHERE org_id = $1 AND id = $2 AND module = $3 AND deleted_at IS NULL',
  );
  const org = d.prepare('SELECT 1 FROM organizations WHERE id = $1');
  const retire = d.prepare(
    'UPDATE record_photos SET deleted_at = $1 WHERE org_id = $2 AND record_id = $3 AND deleted_at IS NULL',
  );
  const insert = d.prepare(
    `INSERT INTO record_photos (${columnList(RECORD_PHOTOS, INSERT_KEYS)}, deleted_at)
      VALUES (${INSERT_KEYS.map((_k, i) => `$${i + 1}`).join(', ')}, NULL)`,
  );
  const forget = d.prepare('DELETE FROM blob_journal WHERE blob_key = $1');
  const find = d.prepare(
    `SELECT ${cols} FROM record_photos WHERE org_id = $1 AND record_id = $2 AND deleted_at IS NULL`,
  );
  const ofRecords = d.prepare(`SELECT record_id, id FROM record_photos
    WHERE org_id = $1 AND deleted_at IS NULL AND ${f.inList('record_id', '$2')}`);
  // Photos of records whose recycle-bin time is over go with them (the record purge runs after).
  const expire = d.prepare(`UPDATE record_photos SET deleted_at = $1
    WHERE deleted_at IS NULL AND module <> 'org' AND EXISTS (
      SELECT 1 FROM records r WHERE r.org_id = record_photos.org_id AND r.id = record_photos.record_id
        AND r.deleted_at IS NOT NULL AND r.deleted_at < $2)`);
  const gone = d.prepare(`SELECT org_id, id, blob_key FROM record_photos WHERE deleted_at IS NOT NULL
    ORDER BY deleted_at, org_id${f.collateC}, id${f.collateC} LIMIT $1`);
  const drop = d.prepare(
    `DELETE FROM record_photos WHERE org_id = $1 AND ${f.inList('id', '$2')} AND deleted_at IS NOT NULL`,
  );
  const toPhoto = reader(d, RECORD_PHOTOS, PHOTO_KEYS);
  const photoValues = writer(d, RECORD_PHOTOS, INSERT_KEYS);

  return {
    put: (row) =>
      d.transaction(function* (tx) {
        yield* d.lock(tx, `photo:${row.orgId}:${row.recordId}`);
        const exists =
          row.module === 'org'
            ? row.recordId === row.orgId && (yield* tx.get(org, [row.orgId])) !== undefined
            : (yield* tx.get(liveRecord, [row.orgId, row.recordId, row.module])) !== undefined;
        if (!exists) return false;
        yield* tx.run(retire, [row.createdAt, row.orgId, row.recordId]);
        yield* tx.run(insert, photoValues(row));
        yield* tx.run(forget, [row.blobKey]);
        return true;
      }),
    find: async (orgId, recordId): Promise<PhotoRow | null> => {
      const r = await d.get(find, [orgId, recordId]);
      return r ? toPhoto(r) : null;
    },
    ofRecords: async (orgId, recordIds) => {
      if (recordIds.length === 0) return new Map();
      const rows = await d.all(ofRecords, [orgId, d.list([...new Set(recordIds)])]);
      return new Map(rows.map((r) => [r.record_id as string, r.id as string]));
    },
    remove: async (orgId, recordId, at) => (await d.run(retire, [at, orgId, recordId])) > 0,
    claimPurge: ({ recordDeletedBefore, limit, at }) =>
      d.transaction(function* (tx) {
        yield* tx.run(expire, [at, recordDeletedBefore]);
        return (yield* tx.all(gone, [limit])).map(
          (r): PhotoPurgeClaim => ({
            orgId: r.org_id as string,
            id: r.id as string,
            blobKey: r.blob_key as string,
          }),
        );
      }),
    finishPurge: async (claims) => {
      if (claims.length === 0) return;
      const byOrg = new Map<string, string[]>();
      for (const c of claims) byOrg.set(c.orgId, [...(byOrg.get(c.orgId) ?? []), c.id]);
      await d.transaction(function* (tx) {
        for (const [orgId, ids] of byOrg) yield* tx.run(drop, [orgId, d.list(ids)]);
      });
    },
  };
}
