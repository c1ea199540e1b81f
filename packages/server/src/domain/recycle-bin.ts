import type { AttachmentRepository, BlobJournal, BlobStore, DeletedAttachment } from '../storage/ports.js';
import type { Clock } from './clock.js';

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

export interface PurgeDeps extends RecycleBinDeps {
  blobs: BlobStore;
  blobJournal: BlobJournal;
  batchSize: number;
  /** Journal entries older than this are uploads that never committed. */
  abandonedUploadMs: number;
}

export interface PurgeReport {
  attachments: number;
  abandonedBlobs: number;
}

/**
 * Removes attachments past retention, bytes first and rows after, in batches. Claiming a batch
 * makes it unrestorable, and an interrupted batch is claimed again by the next run, so a crash at
 * any point leaves neither live metadata without bytes nor bytes without metadata for long.
 * Also removes bytes of uploads whose metadata never got committed.
 */
export async function purge(deps: PurgeDeps): Promise<PurgeReport> {
  const report: PurgeReport = { attachments: 0, abandonedBlobs: 0 };
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
  return report;
}
