import type { Clock } from './clock.js';
import type {
  AttachmentRepository,
  BlobJournal,
  BlobStore,
  DeletedAttachment,
  RecordDataRepository,
  RecordPhotoRepository,
} from './ports.js';

export interface RecycleBinDeps {
  attachments: AttachmentRepository;
  clock: Clock;
  retentionMs: number;
}

export async function listRecycleBin(
  deps: RecycleBinDeps,
  input: { orgId: string; limit: number; offset: number },
): Promise<Array<DeletedAttachment & { purgeAfter: number }>> {
  const items = await deps.attachments.listDeleted(input);
  return items.map((i) => ({ ...i, purgeAfter: i.deletedAt + deps.retentionMs }));
}

/** Restores a deleted attachment that is still within retention; false if there is none. */
export async function restoreAttachment(
  deps: RecycleBinDeps,
  input: { orgId: string; attachmentId: string },
): Promise<boolean> {
  return deps.attachments.restore({ ...input, deletedSince: deps.clock.now() - deps.retentionMs });
}

export interface RecordRecycleBinDeps {
  recordData: RecordDataRepository;
  clock: Clock;
  retentionMs: number;
}

/** Records deleted directly (not by a cascade), most recent first. */
export async function listDeletedRecords(
  deps: RecordRecycleBinDeps,
  input: { orgId: string; limit: number; offset: number },
) {
  const items = await deps.recordData.listDeleted(input);
  return items.map((i) => ({ ...i, purgeAfter: i.deletedAt + deps.retentionMs }));
}

/**
 * Restores a record deleted within retention together with everything its delete took along:
 * cascaded records and the attachments of all of them (D5). Attachments deleted on their own
 * before stay deleted. Null when there is no such deleted record.
 */
export async function restoreRecord(
  deps: RecordRecycleBinDeps,
  input: { orgId: string; recordId: string },
): Promise<{ records: number; attachments: number } | null> {
  return deps.recordData.restoreCascade({
    orgId: input.orgId,
    id: input.recordId,
    deletedSince: deps.clock.now() - deps.retentionMs,
    at: deps.clock.now(),
  });
}

export interface PurgeDeps extends RecycleBinDeps {
  /** When given, deleted records past retention are removed once no attachment row refers to them. */
  recordData?: RecordDataRepository;
  /** When given, photos replaced, deleted or of records past retention lose their bytes, then their rows (D20). */
  photos?: RecordPhotoRepository;
  blobs: BlobStore;
  blobJournal: BlobJournal;
  batchSize: number;
  /** Journal entries older than this are uploads that never committed. */
  abandonedUploadMs: number;
}

export interface PurgeReport {
  attachments: number;
  abandonedBlobs: number;
  records: number;
  /** Photos whose bytes and rows were removed (absent when `photos` was not given). */
  photos?: number;
}

/**
 * Removes attachments past retention, bytes first and rows after, in batches. Claiming a batch
 * makes it unrestorable, and an interrupted batch is claimed again by the next run, so a crash at
 * any point leaves neither live metadata without bytes nor bytes without metadata for long.
 * Also removes bytes of uploads whose metadata never got committed.
 */
export async function purge(deps: PurgeDeps): Promise<PurgeReport> {
  const report: PurgeReport = { attachments: 0, abandonedBlobs: 0, records: 0 };
  const now = deps.clock.now();
  for (;;) {
    const claims = await deps.attachments.claimPurge({
      deletedBefore: now - deps.retentionMs,
      limit: deps.batchSize,
      at: now,
    });
    if (claims.length === 0) break;
    for (const c of claims) if (c.blobKey) await deps.blobs.delete(c.blobKey);
    await deps.attachments.finishPurge(claims);
    report.attachments += claims.length;
    if (claims.length < deps.batchSize) break;
  }
  for (;;) {
    const keys = await deps.blobJournal.stale(now - deps.abandonedUploadMs, deps.batchSize);
    if (keys.length === 0) break;
    for (const k of keys) await deps.blobs.delete(k);
    await deps.blobJournal.forget(keys);
    report.abandonedBlobs += keys.length;
    if (keys.length < deps.batchSize) break;
  }
  // Photos before records: a record's photo is claimed (so never live again) while the record
  // row still says when it was deleted; bytes first, rows after, as for attachments.
  for (;;) {
    if (!deps.photos) break;
    const claims = await deps.photos.claimPurge({
      recordDeletedBefore: now - deps.retentionMs,
      limit: deps.batchSize,
      at: now,
    });
    if (claims.length === 0) break;
    for (const c of claims) await deps.blobs.delete(c.blobKey);
    await deps.photos.finishPurge(claims);
    report.photos = (report.photos ?? 0) + claims.length;
    if (claims.length < deps.batchSize) break;
  }
  // After the attachments, so that a record's rows go only once its attachments' rows are gone.
  for (;;) {
    if (!deps.recordData) break;
    const n = await deps.recordData.purge({ deletedBefore: now - deps.retentionMs, limit: deps.batchSize });
    report.records += n;
    if (n < deps.batchSize) break;
  }
  return report;
}
