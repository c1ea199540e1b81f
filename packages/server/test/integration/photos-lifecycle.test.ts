import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreRecord } from '../../src/domain/recycle-bin.js';
import { ADMIN_KEY, admin } from '../support/admin.js';
import { call, ERR, errorEnvelope } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { expectJson, filePart, gif, photoPath, png, TOO_LARGE, UPLOADED } from '../support/photos.js';
import { idOf, sendJsonBody } from '../support/records.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';
import { type FormPart, send, upload } from '../support/uploads.js';

// Issue 13 item 6: photos in the recycle bin and the purge, the organisation photo, and photos in
// an organisation's export and import (docs/photos.md, D20). Uploads and refusals: photos.test.ts.

const A = orgIds(7373737, 'photol');
const tok = (tag: string) => `1000.${tag.padEnd(32, '0')}.ffffffffffffffffffffffffffffffff`;
const ORG_ALL = tok('orgall');
const ORG_READ = tok('orgread');
const REP_ORG_CREATE = tok('reporgcreate');
const extra = (token: string, scope: string, user = A.user.admin) => ({
  token,
  user,
  scope,
  expiresAt: FAR_FUTURE,
});
const ADMIN = A.token('admin');
const DAY = 24 * 3600 * 1000;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    settings: { ADMIN_KEY },
    fixture: {
      organizations: [
        orgFixture(A, {
          extraTokens: [
            extra(ORG_ALL, 'ZohoBigin.org.ALL'),
            extra(ORG_READ, 'ZohoBigin.org.READ', A.user.rep1),
            extra(REP_ORG_CREATE, 'ZohoBigin.org.CREATE', A.user.rep1),
          ],
        }),
      ],
    },
  });
});
afterAll(() => t?.close());

const put = (module: string, id: string, parts: FormPart[], token = ADMIN) =>
  upload(t.url, photoPath(module, id), token, parts);
async function newContact(name: string): Promise<string> {
  const res = await sendJsonBody(t.url, 'POST', '/bigin/v2/Contacts', ADMIN, { data: [{ Last_Name: name }] });
  expect(res.status).toBe(201);
  return idOf(res);
}
const recordImage = async (module: string, id: string) =>
  (
    (await call(t.url, 'GET', `/bigin/v2/${module}/${id}?fields=Record_Image`, ADMIN)).json as {
      data: Array<{ Record_Image: string | null }>;
    }
  ).data[0]!.Record_Image;

describe('recycle bin and purge', () => {
  it('a deleted record takes its photo along, a restore brings it back, the purge removes the bytes', async () => {
    const c = await newContact('Photo recycled');
    const image = png(8, 8, 'recycled');
    expect((await put('Contacts', c, [filePart(image)])).status).toBe(200);
    const photo = (await t.server.stores.metadata.recordPhotos.find(A.org, c))!;
    expect((await call(t.url, 'DELETE', `/bigin/v2/Contacts/${c}`, ADMIN)).status).toBe(200);
    expectJson(await call(t.url, 'GET', photoPath('Contacts', c), ADMIN), 400, ERR.recordNotFound);
    await t.server.purgeNow();
    expect(await t.server.stores.blobs.stat(photo.blobKey)).not.toBeNull();
    const restoreDeps = {
      recordData: t.server.stores.metadata.recordData,
      clock: t.clock,
      retentionMs: t.config.recycleBinRetentionMs,
    };
    expect(await restoreRecord(restoreDeps, { orgId: A.org, recordId: c })).not.toBeNull();
    const back = await send(t.url, 'GET', photoPath('Contacts', c), { token: ADMIN });
    expect([back.status, back.body.equals(image)]).toEqual([200, true]);

    expect((await call(t.url, 'DELETE', `/bigin/v2/Contacts/${c}`, ADMIN)).status).toBe(200);
    t.clock.set(TEST_EPOCH + t.config.recycleBinRetentionMs + DAY);
    try {
      await t.server.purgeNow();
    } finally {
      t.clock.set(TEST_EPOCH);
    }
    expect(await t.server.stores.blobs.stat(photo.blobKey)).toBeNull();
    expect(await t.server.stores.metadata.recordPhotos.find(A.org, c)).toBeNull();
    expect(await restoreRecord(restoreDeps, { orgId: A.org, recordId: c })).toBeNull();
  });
});

describe('organisation photo', () => {
  it('answers 204 before any upload, then serves what an administrator uploaded', async () => {
    const none = await send(t.url, 'GET', '/bigin/v2/org/photo', { token: ORG_READ });
    expect([none.status, none.text]).toEqual([204, '']);
    const photoId = async () =>
      (
        (await call(t.url, 'GET', '/bigin/v2/org', ORG_READ)).json as {
          org: Array<{ photo_id: string | null }>;
        }
      ).org[0]!.photo_id;
    expect(await photoId()).toBeNull();
    const logo = png(200, 100, 'logo');
    const res = await upload(t.url, '/bigin/v2/org/photo', ORG_ALL, [filePart(logo, 'logo.png')]);
    expect({ status: res.status, json: res.json }).toEqual({ status: 200, json: UPLOADED });
    const got = await send(t.url, 'GET', '/bigin/v1/org/photo', { token: ORG_READ });
    expect([got.status, got.contentType, got.body.equals(logo)]).toEqual([200, 'image/png', true]);
    const id = await photoId();
    expect(id).toMatch(/^[0-9]{19}$/);
    // A new logo is a new photo.
    expect((await upload(t.url, '/bigin/v2/org/photo', ORG_ALL, [filePart(gif(1, 1), 'l.gif')])).status).toBe(
      200,
    );
    expect(await photoId()).not.toBe(id);
  });

  it('is changed by administrators only, with an org scope, within 1 MB', async () => {
    expectJson(
      await upload(t.url, '/bigin/v2/org/photo', REP_ORG_CREATE, [filePart(png(1, 1))]),
      400,
      errorEnvelope(
        'AUTHORIZATION_FAILED',
        'User does not have sufficient privilege to add organization photo.',
      ),
    );
    expectJson(
      await upload(t.url, '/bigin/v2/org/photo', ORG_READ, [filePart(png(1, 1))]),
      401,
      ERR.scopeMismatch,
    );
    expectJson(
      await upload(t.url, '/bigin/v2/org/photo', ADMIN, [filePart(png(1, 1))]),
      401,
      ERR.scopeMismatch,
    );
    const big = Buffer.concat([png(10, 10, ''), Buffer.alloc(1024 * 1024)]);
    expectJson(await upload(t.url, '/bigin/v2/org/photo', ORG_ALL, [filePart(big)]), 415, TOO_LARGE);
    expectJson(await call(t.url, 'DELETE', '/bigin/v2/org/photo', ORG_ALL), 400, ERR.requestMethod);
  });
});

describe('organisation export and import', () => {
  it('carries the live photos and their bytes', async () => {
    const c = await newContact('Photo exported');
    const image = png(6, 6, 'exported');
    expect((await put('Contacts', c, [filePart(image)])).status).toBe(200);
    const token = await recordImage('Contacts', c);
    const exported = await admin<Record<string, unknown>>(t.url, 'GET', `/organizations/${A.org}/export`);
    expect(exported.status).toBe(200);
    expect((await admin(t.url, 'DELETE', `/organizations/${A.org}`)).status).toBeLessThan(300);
    expect((await call(t.url, 'GET', photoPath('Contacts', c), ADMIN)).status).toBe(401);
    const imported = await admin(t.url, 'POST', '/organizations/import', exported.json);
    expect(imported.status).toBeLessThan(300);
    const back = await send(t.url, 'GET', photoPath('Contacts', c), { token: ADMIN });
    expect([back.status, back.body.equals(image)]).toEqual([200, true]);
    expect(await recordImage('Contacts', c)).toBe(token);
  });
});
