import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreRecord } from '../../src/domain/recycle-bin.js';
import { call, ERR, errorEnvelope, JSON_TYPE } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { idOf, sendJsonBody } from '../support/records.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';
import { bytesOf, type FormPart, patternBytes, send, upload } from '../support/uploads.js';

// Issue 13 item 6: record photos and the organisation photo (docs/photos.md, D20).

const A = orgIds(7272727, 'photos');
const tok = (tag: string) => `1000.${tag.padEnd(32, '0')}.ffffffffffffffffffffffffffffffff`;
const READ = tok('conread');
const CREATE = tok('concreate');
const DELETE = tok('condelete');
const ORG_ALL = tok('orgall');
const ORG_READ = tok('orgread');
const REP_ORG_CREATE = tok('reporgcreate');
const SEARCH = tok('search');
const extra = (token: string, scope: string, user = A.user.admin) => ({
  token,
  user,
  scope,
  expiresAt: FAR_FUTURE,
});
const ADMIN = A.token('admin');
const REP1 = A.token('rep1');
const DAY = 24 * 3600 * 1000;

/** Status, JSON body and Bigin's JSON content type, for fetch answers and streamed-upload answers alike. */
function expectJson(
  res: { status: number; json: unknown; contentType: string | null | undefined },
  status: number,
  body: unknown,
): void {
  expect({ status: res.status, body: res.json, contentType: res.contentType }).toEqual({
    status,
    body,
    contentType: JSON_TYPE,
  });
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: {
      organizations: [
        orgFixture(A, {
          extraTokens: [
            extra(READ, 'ZohoBigin.modules.contacts.READ'),
            extra(CREATE, 'ZohoBigin.modules.contacts.CREATE'),
            extra(DELETE, 'ZohoBigin.modules.contacts.DELETE'),
            extra(ORG_ALL, 'ZohoBigin.org.ALL'),
            extra(ORG_READ, 'ZohoBigin.org.READ', A.user.rep1),
            extra(REP_ORG_CREATE, 'ZohoBigin.org.CREATE', A.user.rep1),
            extra(SEARCH, 'ZohoBigin.modules.contacts.READ,ZohoSearch.securesearch.READ'),
          ],
        }),
      ],
    },
  });
});
afterAll(() => t?.close());

/** A PNG header (signature and IHDR) of the given size, then `extra` bytes: enough for any check here. */
function png(width: number, height: number, extra = 'pixels'): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr[16] = 8;
  ihdr[17] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    ihdr,
    Buffer.from(extra),
  ]);
}
const gif = (w: number, h: number) => {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(w, 6);
  b.writeUInt16LE(h, 8);
  return b;
};
const bmp = (w: number, h: number) => {
  const b = Buffer.alloc(54);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(-h, 22);
  return b;
};
/** SOI, an APP0 segment, then a baseline frame header. */
const jpeg = (w: number, h: number) => {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 0xff, w >> 8, w & 0xff, 3]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.alloc(9)]);
};

const filePart = (content: Buffer, fileName = 'face.png', contentType = 'image/png'): FormPart => ({
  name: 'file',
  fileName,
  contentType,
  body: bytesOf(content),
});
const photoPath = (module: string, id: string, v = 'v2') => `/bigin/${v}/${module}/${id}/photo`;
const put = (module: string, id: string, parts: FormPart[], token = ADMIN) =>
  upload(t.url, photoPath(module, id), token, parts);
const UPLOADED = { code: 'SUCCESS', details: {}, message: 'photo uploaded successfully', status: 'success' };
const DELETED = { code: 'SUCCESS', details: {}, message: 'Photo deleted', status: 'success' };
const NOT_ACCESSIBLE = errorEnvelope(
  'AUTHORIZATION_FAILED',
  'User does not have sufficient privilege to access the photo of this record',
);
const INVALID_TYPE = errorEnvelope('INVALID_DATA', 'Invalid file type');
const NO_FILE = errorEnvelope('INVALID_DATA', 'The request does not contain any file');
const TOO_LARGE = errorEnvelope(
  'FILE_SIZE_MORE_THAN_ALLOWED_SIZE',
  'Please check if the file size is in the correct range',
);

async function newContact(name: string, token = ADMIN): Promise<string> {
  const res = await sendJsonBody(t.url, 'POST', '/bigin/v2/Contacts', token, { data: [{ Last_Name: name }] });
  expect(res.status).toBe(201);
  return idOf(res);
}
const recordImage = async (module: string, id: string) =>
  (
    (await call(t.url, 'GET', `/bigin/v2/${module}/${id}?fields=Record_Image`, ADMIN)).json as {
      data: Array<{ Record_Image: string | null }>;
    }
  ).data[0]!.Record_Image;

describe('upload, download, replace, delete', () => {
  it('stores the photo, serves its bytes with the sniffed type, and shows it in Record_Image', async () => {
    const c = await newContact('Photo one');
    expect(await recordImage('Contacts', c)).toBeNull();
    const image = png(40, 30);
    // The client's declared type is not trusted: the stored type is read from the bytes.
    const res = await put('Contacts', c, [filePart(image, 'me.png', 'application/octet-stream')]);
    expect({ status: res.status, type: res.contentType, json: res.json }).toEqual({
      status: 200,
      type: JSON_TYPE,
      json: UPLOADED,
    });
    expect(res.text).toBe(JSON.stringify(UPLOADED));
    const got = await send(t.url, 'GET', photoPath('Contacts', c), { token: READ });
    expect(got.status).toBe(200);
    expect(got.contentType).toBe('image/png');
    expect(got.headers['content-length']).toBe(String(image.length));
    expect(got.headers['content-disposition']).toBe('attachment; filename="me.png"');
    expect(got.body.equals(image)).toBe(true);
    const token = await recordImage('Contacts', c);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    // Search renders the same token (every read goes through one renderer).
    const found = await call(
      t.url,
      'GET',
      `/bigin/v2/Contacts/search?word=${encodeURIComponent('Photo one')}`,
      SEARCH,
    );
    expect(found.status).toBe(200);
    const hit = (found.json as { data: Array<{ id: string; Record_Image: string | null }> }).data.find(
      (r) => r.id === c,
    );
    expect(hit?.Record_Image).toBe(token);
  });

  it('replaces the photo on a second upload; the old bytes go with the next purge', async () => {
    const c = await newContact('Photo two');
    expect((await put('Contacts', c, [filePart(png(1, 1, 'first'))])).status).toBe(200);
    const first = (await t.server.stores.metadata.recordPhotos.find(A.org, c))!;
    const before = await recordImage('Contacts', c);
    const second = gif(2, 2);
    expect((await put('Contacts', c, [filePart(second, 'b.gif', 'image/gif')], CREATE)).status).toBe(200);
    const got = await send(t.url, 'GET', photoPath('Contacts', c), { token: ADMIN });
    expect([got.status, got.contentType, got.body.equals(second)]).toEqual([200, 'image/gif', true]);
    expect(await recordImage('Contacts', c)).not.toBe(before);
    expect(await t.server.stores.blobs.stat(first.blobKey)).not.toBeNull();
    await t.server.purgeNow();
    expect(await t.server.stores.blobs.stat(first.blobKey)).toBeNull();
    const now = (await t.server.stores.metadata.recordPhotos.find(A.org, c))!;
    expect(await t.server.stores.blobs.stat(now.blobKey)).toEqual({ size: second.length });
  });

  it('deletes the photo; without one, download and delete answer 204', async () => {
    const c = await newContact('Photo three');
    const none = await send(t.url, 'GET', photoPath('Contacts', c), { token: ADMIN });
    expect([none.status, none.text]).toEqual([204, '']);
    expect((await put('Contacts', c, [filePart(bmp(3, 3), 'x.bmp', 'image/bmp')])).status).toBe(200);
    expect((await send(t.url, 'GET', photoPath('Contacts', c), { token: ADMIN })).contentType).toBe(
      'image/bmp',
    );
    const gone = await call(t.url, 'DELETE', photoPath('Contacts', c), DELETE);
    expect({ status: gone.status, json: gone.json }).toEqual({ status: 200, json: DELETED });
    expect((await send(t.url, 'GET', photoPath('Contacts', c), { token: ADMIN })).status).toBe(204);
    expect(await recordImage('Contacts', c)).toBeNull();
    const again = await call(t.url, 'DELETE', photoPath('Contacts', c), ADMIN);
    expect([again.status, again.text]).toEqual([204, '']);
  });

  it('serves Accounts and Products, and v1 paths, with the same routes', async () => {
    expect((await put('Accounts', A.recordIn.Accounts, [filePart(jpeg(10, 10), 'a.jpg')])).json).toEqual(
      UPLOADED,
    );
    const v1 = await upload(t.url, photoPath('Products', A.recordIn.Products, 'v1'), ADMIN, [
      filePart(png(5, 5)),
    ]);
    expect(v1.json).toEqual(UPLOADED);
    const got = await send(t.url, 'GET', photoPath('Accounts', A.recordIn.Accounts, 'v1'), { token: ADMIN });
    expect([got.status, got.contentType]).toEqual([200, 'image/jpeg']);
    expect(
      (await send(t.url, 'GET', photoPath('Products', A.recordIn.Products), { token: ADMIN })).status,
    ).toBe(200);
  });
});

describe('refusals, in the order of checks', () => {
  it('answers the route table rows first', async () => {
    const c = A.contactOf.rep1;
    expectJson(await call(t.url, 'PUT', photoPath('Contacts', c), ADMIN), 400, ERR.requestMethod);
    expectJson(await call(t.url, 'GET', photoPath('Contacts', c)), 401, ERR.authFailure);
  });

  it('serves Contacts, Accounts and Products only', async () => {
    for (const module of ['Pipelines', 'Tasks', 'Calls', 'Notes', 'Leads', 'contacts'])
      expectJson(await put(module, A.recordIn.Pipelines, [filePart(png(1, 1))]), 400, ERR.invalidModule);
    expectJson(
      await call(t.url, 'GET', photoPath('Events', A.recordIn.Events), ADMIN),
      400,
      ERR.invalidModule,
    );
  });

  it('needs the operation’s scope', async () => {
    const c = A.contactOf.admin;
    expectJson(await put('Contacts', c, [filePart(png(1, 1))], READ), 401, ERR.scopeMismatch);
    expectJson(await call(t.url, 'GET', photoPath('Contacts', c), CREATE), 401, ERR.scopeMismatch);
    expectJson(await call(t.url, 'DELETE', photoPath('Contacts', c), READ), 401, ERR.scopeMismatch);
    // A contacts scope says nothing about Accounts.
    expectJson(
      await call(t.url, 'GET', photoPath('Accounts', A.recordIn.Accounts), READ),
      401,
      ERR.scopeMismatch,
    );
  });

  it('hides the module from a profile without its tab, and refuses records the user may not reach', async () => {
    expectJson(
      await call(t.url, 'GET', photoPath('Contacts', A.contactOf.rep1), A.token('noTab')),
      400,
      ERR.invalidModule,
    );
    expectJson(await put('Contacts', A.contactOf.rep2, [filePart(png(1, 1))], REP1), 400, NOT_ACCESSIBLE);
    expectJson(await call(t.url, 'GET', photoPath('Contacts', A.contactOf.rep2), REP1), 400, NOT_ACCESSIBLE);
    expect((await put('Contacts', A.contactOf.rep1, [filePart(png(1, 1))], REP1)).json).toEqual(UPLOADED);
  });

  it('answers INVALID_DATA for ids that are no live record of the module', async () => {
    for (const id of ['abc', '1'.repeat(20), '9999999000000000001', A.deletedContact, A.recordIn.Accounts])
      expectJson(await put('Contacts', id, [filePart(png(1, 1))]), 400, ERR.recordNotFound);
  });

  it('refuses what is not one photo of an allowed format and size, storing nothing', async () => {
    const c = await newContact('Photo refusals');
    const refusals: Array<[FormPart[], number, unknown]> = [
      [[filePart(Buffer.from('%PDF-1.7 not an image'), 'a.pdf', 'image/png')], 400, INVALID_TYPE],
      [[filePart(Buffer.alloc(0))], 400, INVALID_TYPE],
      [[filePart(Buffer.from([0x89, 0x50, 0x4e, 0x47]))], 400, INVALID_TYPE],
      [[{ name: 'title', value: 'no file' }], 400, NO_FILE],
      [[{ name: 'photo', fileName: 'a.png', body: bytesOf(png(1, 1)) }], 400, NO_FILE],
      [
        [filePart(png(1, 1)), filePart(png(2, 2))],
        400,
        errorEnvelope('INVALID_DATA', 'The request contains more than one file'),
      ],
      // 10 MP is the limit: 4000 × 2500 passes, one row more does not.
      [[filePart(png(4000, 2501))], 415, TOO_LARGE],
      [[filePart(gif(65535, 200))], 415, TOO_LARGE],
      [[filePart(jpeg(5000, 5000), 'big.jpg')], 415, TOO_LARGE],
    ];
    for (const [parts, status, body] of refusals) expectJson(await put('Contacts', c, parts), status, body);
    const notForm = await call(t.url, 'POST', photoPath('Contacts', c), ADMIN, {
      headers: { 'content-type': 'image/png' },
      body: png(1, 1),
    });
    expectJson(notForm, 400, NO_FILE);
    expect((await send(t.url, 'GET', photoPath('Contacts', c), { token: ADMIN })).status).toBe(204);
    expect((await put('Contacts', c, [filePart(png(4000, 2500))])).status).toBe(200);
  });

  it('refuses a record photo over 10 MB with 415, streaming, and keeps no bytes', async () => {
    const c = await newContact('Photo too big');
    const rest = patternBytes(10 * 1024 * 1024);
    const res = await put('Contacts', c, [
      {
        name: 'file',
        fileName: 'big.png',
        body: () =>
          Readable.from(
            (async function* () {
              yield png(100, 100, '');
              for await (const chunk of rest.stream()) yield chunk as Buffer;
            })(),
          ),
      },
    ]);
    expectJson(res, 415, TOO_LARGE);
    expect(await t.server.stores.metadata.recordPhotos.find(A.org, c)).toBeNull();
  });
});

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
    const logo = png(200, 100, 'logo');
    const res = await upload(t.url, '/bigin/v2/org/photo', ORG_ALL, [filePart(logo, 'logo.png')]);
    expect({ status: res.status, json: res.json }).toEqual({ status: 200, json: UPLOADED });
    const got = await send(t.url, 'GET', '/bigin/v1/org/photo', { token: ORG_READ });
    expect([got.status, got.contentType, got.body.equals(logo)]).toEqual([200, 'image/png', true]);
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
