import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKeyFor } from '../../src/domain/blob-keys.js';
import { listRecycleBin, purge, restoreAttachment } from '../../src/domain/recycle-bin.js';
import { ABANDONED_UPLOAD_MS } from '../../src/server.js';
import { call, deleteSuccess, ERR } from '../support/bigin.js';
import { blobKeys, sqlRows } from '../support/data-folder.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';

// D5: a delete moves the attachment to the recycle bin; an administrator can restore it within
// retention; the purge then removes metadata and bytes, and no crash point leaves live metadata
// without bytes or bytes without metadata.

const DAY = 86_400_000;
const A = orgIds(6666666, 'abab');
const admin = A.token('admin');
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({
    fixture: { organizations: [orgFixture(A)] },
    settings: { RECYCLE_BIN_RETENTION_DAYS: '2', PURGE_BATCH_SIZE: '3' },
  });
});
afterAll(() => t?.close());

const deps = () => ({
  attachments: t.server.stores.metadata.attachments,
  blobs: t.server.stores.blobs,
  blobJournal: t.server.stores.metadata.blobJournal,
  clock: t.clock,
  retentionMs: t.config.recycleBinRetentionMs,
  batchSize: t.config.purgeBatchSize,
  abandonedUploadMs: ABANDONED_UPLOAD_MS,
});
const del = (id: string) => call(t.url, 'DELETE', attachmentPath('Contacts', A.contactOf.rep1, id), admin);

/** Committed blobs in the folder or the S3 prefix, whichever the server uses. */
const blobFiles = () => blobKeys(t);

/** Every blob on disk has a row, and every live file attachment has its blob. */
async function expectConsistent(): Promise<void> {
  const rows = await sqlRows<{ blob_key: string; deleted_at: number | null }>(
    t,
    "SELECT blob_key, deleted_at FROM attachments WHERE kind = 'file'",
  );
  const files = await blobFiles();
  const keys = new Set(rows.map((r) => r.blob_key));
  expect(files.filter((f) => !keys.has(f))).toEqual([]);
  const live = rows.filter((r) => r.deleted_at === null).map((r) => r.blob_key);
  expect(live.filter((k) => !files.includes(k))).toEqual([]);
}

describe('recycle bin', () => {
  it('keeps the bytes of a deleted attachment and lists it for its organisation only', async () => {
    const id = A.attachment[0]!;
    expect((await del(id)).json).toEqual(deleteSuccess(id));
    expect(await blobFiles()).toContain(blobKeyFor(A.org, id));
    const bin = await listRecycleBin(deps(), { orgId: A.org, limit: 10, offset: 0 });
    expect(bin).toEqual([
      expect.objectContaining({
        id,
        recordId: A.contactOf.rep1,
        deletedAt: TEST_EPOCH,
        purgeAfter: TEST_EPOCH + 2 * DAY,
      }),
    ]);
    expect(await listRecycleBin(deps(), { orgId: '1', limit: 10, offset: 0 })).toEqual([]);
    await expectConsistent();
  });

  it('restores within retention, after which the API sees the attachment again', async () => {
    const id = A.attachment[0]!;
    t.clock.set(TEST_EPOCH + 2 * DAY - 1);
    expect(await restoreAttachment(deps(), { orgId: A.org, attachmentId: id })).toBe(true);
    expect(await restoreAttachment(deps(), { orgId: A.org, attachmentId: id })).toBe(false);
    t.clock.set(TEST_EPOCH);
    expect((await del(id)).json).toEqual(deleteSuccess(id));
  });

  it("refuses to restore another organisation's attachment", async () => {
    expect(await restoreAttachment(deps(), { orgId: '1', attachmentId: A.attachment[0]! })).toBe(false);
  });

  it('refuses to restore after retention', async () => {
    t.clock.set(TEST_EPOCH + 2 * DAY + 1);
    expect(await restoreAttachment(deps(), { orgId: A.org, attachmentId: A.attachment[0]! })).toBe(false);
    t.clock.set(TEST_EPOCH);
  });
});

describe('purge', () => {
  it('removes nothing within retention', async () => {
    t.clock.set(TEST_EPOCH + DAY);
    expect(await purge(deps())).toEqual({ attachments: 0, abandonedBlobs: 0, records: 0 });
    t.clock.set(TEST_EPOCH);
  });

  it('removes metadata and bytes past retention, in batches, and leaves live ones alone', async () => {
    for (const id of A.attachment.slice(1, 8)) expect((await del(id)).status).toBe(200);
    const before = await blobFiles();
    t.clock.set(TEST_EPOCH + 3 * DAY);
    const report = await purge(deps());
    t.clock.set(TEST_EPOCH);
    expect(report).toEqual({ attachments: 8, abandonedBlobs: 0, records: 0 });
    const after = await blobFiles();
    expect(before.length - after.length).toBe(8);
    for (const id of A.attachment.slice(0, 8)) expect(after).not.toContain(blobKeyFor(A.org, id));
    const [rows] = await sqlRows<{ n: number }>(
      t,
      'SELECT COUNT(*) AS n FROM attachments WHERE deleted_at IS NOT NULL',
    );
    expect(rows!.n).toBe(0);
    // A purged attachment answers exactly like one that never existed.
    expect((await del(A.attachment[0]!)).json).toEqual(ERR.attachmentNotFound);
    expect((await del(A.attachment[8]!)).json).toEqual(deleteSuccess(A.attachment[8]!));
    await expectConsistent();
  });

  it('finishes a batch that a crash interrupted after claiming it, and the claim blocks restores', async () => {
    const id = A.attachment[9]!;
    expect((await del(id)).status).toBe(200);
    const claims = await t.server.stores.metadata.attachments.claimPurge({
      deletedBefore: TEST_EPOCH + 1,
      limit: 10,
      at: TEST_EPOCH,
    });
    expect(claims.map((c) => c.id)).toContain(id);
    // "Crash": the bytes of one claimed attachment are gone, its row is not.
    await t.server.stores.blobs.delete(blobKeyFor(A.org, id));
    expect(await restoreAttachment(deps(), { orgId: A.org, attachmentId: id })).toBe(false);
    expect(await listRecycleBin(deps(), { orgId: A.org, limit: 100, offset: 0 })).not.toContainEqual(
      expect.objectContaining({ id }),
    );
    const report = await purge(deps());
    expect(report.attachments).toBeGreaterThanOrEqual(1);
    expect(await sqlRows(t, 'SELECT 1 FROM attachments WHERE org_id = ? AND id = ?', [A.org, id])).toEqual(
      [],
    );
    await expectConsistent();
  });

  it('removes the bytes of an upload whose metadata never got committed', async () => {
    const key = blobKeyFor(A.org, '6666666000000999999');
    await t.server.stores.metadata.blobJournal.begin(key, TEST_EPOCH);
    await t.server.stores.blobs.put(key, Readable.from([Buffer.from('orphan')]));
    expect(await blobFiles()).toContain(key);
    expect((await purge(deps())).abandonedBlobs).toBe(0);
    t.clock.set(TEST_EPOCH + ABANDONED_UPLOAD_MS + 1);
    expect((await purge(deps())).abandonedBlobs).toBe(1);
    t.clock.set(TEST_EPOCH);
    expect(await blobFiles()).not.toContain(key);
    await expectConsistent();
  });

  it("runs from the server's own worker too", async () => {
    const id = A.attachment[10]!;
    expect((await del(id)).status).toBe(200);
    t.clock.set(TEST_EPOCH + 3 * DAY);
    await t.server.purgeNow();
    t.clock.set(TEST_EPOCH);
    expect(await blobFiles()).not.toContain(blobKeyFor(A.org, id));
    await expectConsistent();
  });
});
