import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR, errorEnvelope, JSON_TYPE } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import {
  bmp,
  DELETED,
  expectJson,
  filePart,
  gif,
  INVALID_TYPE,
  jpeg,
  NO_FILE,
  NOT_ACCESSIBLE,
  photoPath,
  png,
  TOO_LARGE,
  UPLOADED,
} from '../support/photos.js';
import { idOf, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { bytesOf, type FormPart, patternBytes, send, upload } from '../support/uploads.js';

// Issue 13 item 6: record photos, uploads and refusals (docs/photos.md, D20). The recycle bin,
// the purge, the organisation photo and exports: photos-lifecycle.test.ts.

const A = orgIds(7272727, 'photos');
const tok = (tag: string) => `1000.${tag.padEnd(32, '0')}.ffffffffffffffffffffffffffffffff`;
const READ = tok('conread');
const CREATE = tok('concreate');
const DELETE = tok('condelete');
const SEARCH = tok('search');
const COQL = tok('coql');
const extra = (token: string, scope: string, user = A.user.admin) => ({
  token,
  user,
  scope,
  expiresAt: FAR_FUTURE,
});
const ADMIN = A.token('admin');
const REP1 = A.token('rep1');

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
            extra(SEARCH, 'ZohoBigin.modules.contacts.READ,ZohoSearch.securesearch.READ'),
            extra(COQL, 'ZohoBigin.coql.READ,ZohoBigin.modules.contacts.READ'),
          ],
        }),
      ],
    },
  });
});
afterAll(() => t?.close());

const put = (module: string, id: string, parts: FormPart[], token = ADMIN) =>
  upload(t.url, photoPath(module, id), token, parts);
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
    // And so does COQL.
    const queried = await sendJsonBody(t.url, 'POST', '/bigin/v2/coql', COQL, {
      select_query: `select Record_Image from Contacts where id = '${c}'`,
    });
    expect(queried.status).toBe(200);
    expect((queried.json as { data: Array<{ Record_Image: string | null }> }).data).toEqual([
      { Record_Image: token, id: c },
    ]);
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
    // v1 names Accounts `Companies` too (docs/v1.md).
    const companies = await send(t.url, 'GET', photoPath('Companies', A.recordIn.Accounts, 'v1'), {
      token: ADMIN,
    });
    expect([companies.status, companies.contentType]).toEqual([200, 'image/jpeg']);
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

  it.each(
    ['v2', 'v1'].flatMap((v) =>
      ['PUT', 'PATCH'].flatMap((m) => [
        [v, m, `Contacts/${A.contactOf.rep1}/photo`],
        [v, m, 'org/photo'],
      ]),
    ),
  )('%s: %s on %s is not served (INVALID_REQUEST_METHOD), whatever the token', async (v, method, path) => {
    expectJson(await call(t.url, method, `/bigin/${v}/${path}`), 400, ERR.requestMethod);
  });

  it('spells the segment as the docs do: Photo or photos are no URL', async () => {
    for (const word of ['Photo', 'photos', 'photo/1'])
      expectJson(
        await call(t.url, 'GET', `/bigin/v2/Contacts/${A.contactOf.rep1}/${word}`, ADMIN),
        404,
        ERR.urlPattern,
      );
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
