import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/domain/ports.js';
import { FsBlobStore } from '../../src/storage/fs/fs-blob-store.js';
import { PostgresMetadataStore } from '../../src/storage/postgres/postgres-metadata-store.js';
import { S3BlobStore } from '../../src/storage/s3/s3-blob-store.js';
import { SqliteMetadataStore } from '../../src/storage/sqlite/sqlite-metadata-store.js';
import { call, deleteSuccess, ERR } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';
import { idOf, recordsPath, sendJsonBody } from '../support/records.js';
import { testS3Options, testS3Settings } from '../support/s3.js';
import { runCli, spawnServer } from '../support/spawn-server.js';
import { startTestServer } from '../support/test-server.js';
import { bytesOf, upload } from '../support/uploads.js';

// `bigin-server migrate --from <data folder>`: a populated embedded deployment copied into
// PostgreSQL + S3, byte for byte, and re-runnable.

const M = orgIds(6666666, 'migr');
const BINARY_ID = '6666666000000009999';
const binary = randomBytes(300_000);
let dataDir: string;
let schema: TestSchema;
let env: Record<string, string>;
let s3Prefix: string;
/** A record made through the records API, with fields; a note on it, deleted with it. */
let withFields: string;
let note: string;
const CLIENT = 'client-migr';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function hashOf(blobs: BlobStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of (await blobs.get(key)).body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
const migrate = async () => {
  const run = await runCli(['migrate', '--from', dataDir], env);
  return { code: run.code, report: run.stdout ? JSON.parse(run.stdout) : null, stderr: run.stderr };
};

beforeAll(async () => {
  const fixture = orgFixture(M);
  (fixture.attachments as unknown[]).push({
    id: BINARY_ID,
    record: M.contactOf.rep1,
    fileName: 'photo.bin',
    content: { base64: binary.toString('base64') },
  });
  const embedded = await startTestServer({ fixture: { organizations: [fixture] } });
  dataDir = embedded.dataDir;
  const del = await call(
    embedded.url,
    'DELETE',
    attachmentPath('Contacts', M.contactOf.rep1, M.attachment[0]!),
    M.token('admin'),
  );
  expect(del.json).toEqual(deleteSuccess(M.attachment[0]!));
  // Records API state: field values in their order, a cascade delete to restore after the move.
  const admin = M.token('admin');
  withFields = idOf(
    await sendJsonBody(embedded.url, 'POST', recordsPath('Contacts'), admin, {
      data: [{ Last_Name: 'Moved', First_Name: 'Is', Email: 'moved@example.com', Tag: [{ name: 'Moved' }] }],
    }),
  );
  note = idOf(
    await sendJsonBody(embedded.url, 'POST', recordsPath('Notes'), admin, {
      data: [{ Note_Content: 'goes along', Parent_Id: { id: withFields }, se_module: 'Contacts' }],
    }),
  );
  expect((await call(embedded.url, 'DELETE', recordsPath('Contacts', withFields), admin)).status).toBe(200);
  // A record photo (D20): its row and its bytes move too.
  const photo = await upload(embedded.url, `/bigin/v2/Contacts/${M.contactOf.rep1}/photo`, admin, [
    { name: 'file', fileName: 'p.gif', body: bytesOf(Buffer.from('GIF89a\x01\x00\x01\x00\x00', 'latin1')) },
  ]);
  expect(photo.status).toBe(200);
  // OAuth state: a client, a redeemed code (refresh token, consent, an access token from it).
  const oauth = embedded.server.stores.metadata.oauth;
  const now = embedded.clock.now();
  await oauth.registerClient({
    id: CLIENT,
    name: 'C',
    secretHash: 'h',
    redirectUris: [],
    type: 'self',
    createdAt: now,
  });
  await oauth.saveGrantCode({
    hash: 'code-migr',
    clientId: CLIENT,
    orgId: M.org,
    userId: M.user.admin,
    scopes: 'ZohoBigin.modules.ALL',
    dataCenter: 'us',
    redirectUri: null,
    issueRefresh: true,
    expiresAt: now + 60_000,
    usedAt: null,
    createdAt: now,
  });
  const limits = {
    maxLiveAccessTokensPerRefreshToken: 30,
    maxRefreshTokensPerUserAndClient: 20,
    maxRefreshesPerWindow: 10,
    refreshWindowMs: 600_000,
  };
  expect(
    await oauth.redeemGrantCode({
      codeHash: 'code-migr',
      at: now,
      accessTokenHash: 'access-migr',
      accessExpiresAt: now + 3_600_000,
      refreshTokenHash: 'refresh-migr',
      limits,
    }),
  ).toBe(true);
  await embedded.server.close();

  schema = await createTestSchema();
  const s3 = testS3Settings();
  s3Prefix = s3.S3_PREFIX;
  env = { ...schema.settings, ...s3, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
});

afterAll(async () => {
  await schema?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('bigin-server migrate', () => {
  const files = () => [...M.attachment, ...Object.values(M.attachmentOn), BINARY_ID];

  it('copies every row and every blob, and verifies them', async () => {
    const { code, report, stderr } = await migrate();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(report.problems).toEqual([]);
    expect(report.inserted).toEqual(report.source);
    expect(report.source.attachments).toBe(files().length);
    // The attachments' blobs and the photo's.
    expect(report.blobs).toMatchObject({ copied: files().length + 1, alreadyThere: 0 });
    expect(report.source).toMatchObject({
      refreshTokens: 1,
      consents: 1,
      grantCodes: 1,
      tags: 1,
      recordTags: 1,
      photos: 1,
    });
  });

  it('is byte-identical: the SHA-256 of every attachment is the same in the bucket as in the folder', async () => {
    const folder = new FsBlobStore({ root: join(dataDir, 'blobs') });
    const bucket = new S3BlobStore({ ...testS3Options(), prefix: s3Prefix });
    const sqlite = new SqliteMetadataStore({ path: join(dataDir, 'bigin.sqlite'), synchronous: 'NORMAL' });
    try {
      const keys = (
        sqlite.db.prepare('SELECT blob_key FROM attachments WHERE blob_key IS NOT NULL').all() as Array<{
          blob_key: string;
        }>
      ).map((r) => r.blob_key);
      expect(keys).toHaveLength(files().length);
      for (const key of keys) expect(await hashOf(bucket, key)).toBe(await hashOf(folder, key));
      const binaryKey = keys.find((k) => k.endsWith(BINARY_ID))!;
      expect(await hashOf(bucket, binaryKey)).toBe(sha256(binary));
    } finally {
      await sqlite.close();
      await bucket.close();
    }
  });

  it('can be re-run: the second run inserts and copies nothing', async () => {
    const { code, report } = await migrate();
    expect(code).toBe(0);
    expect(Object.values(report.inserted)).toEqual(Array(15).fill(0));
    expect(report.blobs).toMatchObject({ copied: 0, alreadyThere: files().length + 1 });
    expect(report.problems).toEqual([]);
  });

  it('reports, and fails on, a row changed in the source after it was copied', async () => {
    const sqlite = new SqliteMetadataStore({ path: join(dataDir, 'bigin.sqlite'), synchronous: 'NORMAL' });
    try {
      const changed = await sqlite.attachments.markDeleted({
        orgId: M.org,
        recordId: M.contactOf.rep1,
        attachmentId: M.attachment[5]!,
        deletedBy: M.user.admin,
        at: Date.now(),
      });
      expect(changed).toBe(true);
    } finally {
      await sqlite.close();
    }
    const { code, report } = await migrate();
    expect(code).toBe(1);
    expect(report.problems).toEqual([
      `attachment ${M.org}/${M.attachment[5]} is deleted in the source but not in the target (copied before it changed)`,
    ]);
  });

  it('leaves a deployment that serves the same data', async () => {
    const node = await spawnServer([], { ...env, DEV_SEED: 'false' });
    try {
      const del = (id: string) =>
        call(node.url, 'DELETE', attachmentPath('Contacts', M.contactOf.rep1, id), M.token('admin'));
      const deleted = await del(M.attachment[0]!);
      expect({ status: deleted.status, body: deleted.json }).toEqual({
        status: 400,
        body: ERR.attachmentNotFound,
      });
      const live = await del(M.attachment[1]!);
      expect({ status: live.status, body: live.json }).toEqual({
        status: 200,
        body: deleteSuccess(M.attachment[1]!),
      });
    } finally {
      node.process.kill('SIGTERM');
      await node.exited;
    }
  });
  // Last: it changes the target (a revocation, a restore), which a re-run would report.
  it('carries over OAuth state, record fields and what a record delete took along', async () => {
    const pg = new PostgresMetadataStore({ connectionString: schema.url, poolSize: 2 });
    try {
      expect(await pg.oauth.findClient(CLIENT)).toMatchObject({ type: 'self' });
      expect(await pg.oauth.findRefreshToken('refresh-migr')).toMatchObject({ revokedAt: null });
      expect(await pg.oauth.hasOfflineConsent(M.org, M.user.admin, CLIENT)).toBe(true);
      expect((await pg.oauth.findGrantCode('code-migr'))?.usedAt).not.toBeNull();
      // The access token still belongs to its refresh token: revoking that revokes it.
      expect(await pg.oauth.revokeRefreshToken('refresh-migr', 'us', Date.now())).toBe(true);
      expect((await pg.auth.findByTokenHash('access-migr'))?.token.revokedAt).not.toBeNull();
      const restored = await pg.recordData.restoreCascade({
        orgId: M.org,
        id: withFields,
        deletedSince: 0,
        at: Date.now(),
      });
      expect(restored).toEqual({ records: 2, attachments: 0 });
      const found = await pg.recordData.findLive(M.org, 'Contacts', [withFields]);
      expect(Object.keys(found.get(withFields)!.fields)).toEqual(['Last_Name', 'First_Name', 'Email']);
      expect(found.get(withFields)!.createdBy).toBe(M.user.admin);
      expect((await pg.recordData.findLive(M.org, 'Notes', [note])).has(note)).toBe(true);
    } finally {
      await pg.close();
    }
  });
});
