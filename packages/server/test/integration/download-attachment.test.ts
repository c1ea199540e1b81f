import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKeyFor } from '../../src/domain/blob-keys.js';
import { contentDisposition } from '../../src/http/content-disposition.js';
import { call, ERR, errorEnvelope, JSON_TYPE } from '../support/bigin.js';
import { filesOrg, filesOrgFixture } from '../support/files-fixture.js';
import { attachmentPath, orgIds } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import {
  filePart,
  type HttpAnswer,
  listPath,
  patternBytes,
  send,
  sha256,
  upload,
} from '../support/uploads.js';

// GET …/Attachments/{id} (decisions D6, with the D4 order of checks): streamed bytes, headers,
// Range requests, and the answers for what cannot be downloaded.

const O = filesOrg(7171717, 'down');
const B = orgIds(7272727, 'dnbb');
const contact = O.ids.contactOf.rep1;
const admin = O.ids.token('admin');

let t: TestServer;
let fileId: string;
let emptyId: string;
let linkId: string;
const content = patternBytes(100_000, 3);

beforeAll(async () => {
  t = await startTestServer({
    fixture: { organizations: [filesOrgFixture(O), filesOrgFixture(filesOrg(7272727, 'dnbb'))] },
  });
  const idOf = (res: HttpAnswer) =>
    (res.json as { data: Array<{ details: { id: string } }> }).data[0]!.details.id;
  fileId = idOf(
    await upload(t.url, listPath('Contacts', contact), admin, [
      {
        name: 'file',
        fileName: 'Résumé \\"final\\"; v2.pdf',
        contentType: 'application/pdf',
        body: content.stream,
      },
    ]),
  );
  emptyId = idOf(await upload(t.url, listPath('Contacts', contact), admin, [filePart('empty.txt', '')]));
  linkId = idOf(
    await upload(t.url, listPath('Contacts', contact), admin, [
      { name: 'attachmentUrl', value: 'https://example.com/x' },
    ]),
  );
});
afterAll(() => t?.close());

const get = (
  id: string,
  options: { token?: string; headers?: Record<string, string>; record?: string } = {},
) =>
  send(t.url, 'GET', attachmentPath('Contacts', options.record ?? contact, id), {
    token: options.token ?? admin,
    ...(options.headers ? { headers: options.headers } : {}),
  });

function expectError(res: HttpAnswer, status: number, body: unknown): void {
  expect({ status: res.status, body: res.json, contentType: res.contentType }).toEqual({
    status,
    body,
    contentType: JSON_TYPE,
  });
}

function expectNoContent(res: HttpAnswer): void {
  expect({ status: res.status, length: res.body.length, type: res.contentType }).toEqual({
    status: 204,
    length: 0,
    type: undefined,
  });
}

describe('success', () => {
  it('streams the stored bytes with media type, length and an RFC 6266 disposition', async () => {
    const res = await get(fileId);
    expect(res.status).toBe(200);
    expect(sha256(res.body)).toBe(content.sha256);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-length']).toBe('100000');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="R_sum_ _final_; v2.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%3B%20v2.pdf`,
    );
  });

  it('downloads an empty file', async () => {
    const res = await get(emptyId);
    expect({ status: res.status, length: res.headers['content-length'], body: res.body.length }).toEqual({
      status: 200,
      length: '0',
      body: 0,
    });
  });

  it('downloads a fixture attachment with its default media type', async () => {
    const id = O.ids.attachment[0]!;
    const res = await get(id);
    expect(res.status).toBe(200);
    expect(res.text).toBe(`attachment 0 of ${O.ids.org}\n`);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['content-disposition']).toBe('attachment; filename="file-0.txt"');
  });

  it('accepts the READ pair of scopes', async () => {
    expect((await get(fileId, { token: O.token.readPair })).status).toBe(200);
  });
});

describe('Content-Disposition survives any file name', () => {
  it.each([
    ['plain.txt', 'attachment; filename="plain.txt"'],
    ['a "quoted" name', `attachment; filename="a _quoted_ name"; filename*=UTF-8''a%20%22quoted%22%20name`],
    ['semi;colon', 'attachment; filename="semi;colon"'],
    ['back\\slash', `attachment; filename="back_slash"; filename*=UTF-8''back%5Cslash`],
    ['new\r\nline', `attachment; filename="new__line"; filename*=UTF-8''new%0D%0Aline`],
    ['nul\u0000byte', `attachment; filename="nul_byte"; filename*=UTF-8''nul%00byte`],
    ['😀.png', `attachment; filename="_.png"; filename*=UTF-8''%F0%9F%98%80.png`],
    ["it's (1) *.txt", `attachment; filename="it's (1) *.txt"`],
    ["o'neil é", `attachment; filename="o'neil _"; filename*=UTF-8''o%27neil%20%C3%A9`],
    ['', 'attachment; filename="download"; filename*=UTF-8\'\''],
  ])('%j', (name, header) => {
    expect(contentDisposition(name)).toBe(header);
  });
});

describe('Range requests', () => {
  const slice = async (range: string) => {
    const res = await get(fileId, { headers: { Range: range } });
    return res;
  };
  const bytes = async () => (await get(fileId)).body;

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=10-', 10, 99_999],
    ['bytes=-5', 99_995, 99_999],
    ['bytes=99990-200000', 99_990, 99_999],
    ['bytes=-200000', 0, 99_999],
    ['bytes=99999-99999', 99_999, 99_999],
  ])('serves %s as 206 with Content-Range', async (range, start, end) => {
    const res = await slice(range);
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/100000`);
    expect(res.headers['content-length']).toBe(String(end - start + 1));
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.body.equals((await bytes()).subarray(start, end + 1))).toBe(true);
  });

  it.each(['bytes=100000-', 'bytes=100000-100010', 'bytes=-0'])(
    'answers the unsatisfiable %s with 416',
    async (range) => {
      const res = await slice(range);
      expect({ status: res.status, range: res.headers['content-range'], body: res.body.length }).toEqual({
        status: 416,
        range: 'bytes */100000',
        body: 0,
      });
    },
  );

  it('answers any range of an empty file with 416', async () => {
    const res = await get(emptyId, { headers: { Range: 'bytes=0-' } });
    expect({ status: res.status, range: res.headers['content-range'] }).toEqual({
      status: 416,
      range: 'bytes */0',
    });
  });

  it.each(['bytes=0-1,5-6', 'bytes=abc', 'items=0-5', 'bytes=9-3', 'bytes=-'])(
    'ignores %s and sends the whole file',
    async (range) => {
      const res = await slice(range);
      expect(res.status).toBe(200);
      expect(sha256(res.body)).toBe(content.sha256);
    },
  );

  it('lets a client resume an interrupted download', async () => {
    const first = await slice('bytes=0-41999');
    const rest = await slice('bytes=42000-');
    expect(sha256(Buffer.concat([first.body, rest.body]))).toBe(content.sha256);
  });
});

describe('a client that goes away mid-download', () => {
  it('does not disturb the server, which goes on serving', async () => {
    const big = patternBytes(8 * 1024 * 1024, 5);
    const up = await upload(t.url, listPath('Contacts', contact), admin, [
      { name: 'file', fileName: 'big.bin', body: big.stream },
    ]);
    const id = (up.json as { data: Array<{ details: { id: string } }> }).data[0]!.details.id;
    const { hostname, port } = new URL(t.url);
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) });
      socket.on('error', reject);
      socket.once('data', () => {
        // The first bytes arrived: hang up with megabytes still to come.
        socket.destroy();
        resolve();
      });
      socket.write(
        `GET ${attachmentPath('Contacts', contact, id)} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Zoho-oauthtoken ${admin}\r\n\r\n`,
      );
    });
    const again = await get(id);
    expect(again.status).toBe(200);
    expect(sha256(again.body)).toBe(big.sha256);
  });
});

describe('what cannot be downloaded', () => {
  it('answers a link attachment with DOWNLOAD_NOT_ALLOWED', async () => {
    expectError(
      await get(linkId),
      400,
      errorEnvelope('DOWNLOAD_NOT_ALLOWED', 'As it is a linked attachment, you can not download it'),
    );
  });

  it.each([
    ['an unknown id', '7171717999999999999'],
    ['a malformed id', 'abc'],
    ['an id of 20 digits', '12345678901234567890'],
    ['an attachment of another record', O.ids.attachmentOn[O.ids.contactOf.admin]!],
    ["another organisation's attachment", B.attachment[0]!],
  ])('answers %s with 204 and no body', async (_name, id) => {
    expectNoContent(await get(id));
  });

  it('answers a deleted attachment with 204, exactly like one that never existed', async () => {
    const id = O.ids.attachment[1]!;
    expect((await get(id)).status).toBe(200);
    expect((await call(t.url, 'DELETE', attachmentPath('Contacts', contact, id), admin)).status).toBe(200);
    const deleted = await get(id);
    const never = await get('7171717999999999998');
    expectNoContent(deleted);
    expect(Object.keys(deleted.headers).sort()).toEqual(Object.keys(never.headers).sort());
  });

  it('answers a live row whose bytes are missing with a bare INTERNAL_ERROR', async () => {
    const id = O.ids.attachment[2]!;
    await t.server.stores.blobs.delete(blobKeyFor(O.ids.org, id));
    expectError(await get(id), 500, ERR.internal);
  });
});

describe('D4 rows for download', () => {
  it.each(['PUT', 'PATCH', 'POST', 'HEAD'])(
    'row 2: answers %s on the attachment URL with 400',
    async (method) => {
      const res = await send(t.url, method, attachmentPath('Contacts', contact, fileId));
      expect(res.status).toBe(400);
      if (method !== 'HEAD') expectError(res, 400, ERR.requestMethod);
    },
  );

  it('rows 3 and 4', async () => {
    expectError(await send(t.url, 'GET', attachmentPath('Contacts', contact, fileId)), 401, ERR.authFailure);
    expectError(await get(fileId, { token: '1000.x.y' }), 401, ERR.invalidToken);
  });

  it('rows 5 and 6', async () => {
    expectError(
      await send(t.url, 'GET', attachmentPath('Leads', contact, fileId), { token: admin }),
      400,
      ERR.invalidModule,
    );
    expectError(
      await send(t.url, 'GET', attachmentPath('Calls', O.ids.callRecord, fileId), { token: admin }),
      400,
      ERR.moduleNotSupported,
    );
  });

  it.each([
    ['the CREATE pair', O.token.createPair],
    ['the DELETE pair', O.token.deletePair],
    ['ZohoBigin.modules.ALL alone', O.token.modulesAllOnly],
  ])('row 7: refuses %s', async (_name, token) => {
    expectError(await get(fileId, { token }), 401, ERR.scopeMismatch);
  });

  it('row 8', async () => {
    expectError(await get(fileId, { token: O.ids.token('noTab') }), 400, ERR.invalidModule);
  });

  it('row 9: a user without the Files view permission', async () => {
    expectError(await get(fileId, { token: O.token.noFiles }), 403, ERR.noPermission);
  });

  it.each([
    ['an unknown record', '7171717999999999999'],
    ['a deleted record', O.ids.deletedContact],
    ["another organisation's record", B.contactOf.rep1],
  ])('row 10: %s', async (_name, record) => {
    expectError(await get(fileId, { record }), 400, ERR.recordNotFound);
  });

  it("row 11: a peer's record, with the view wording", async () => {
    expectError(
      await get(fileId, { token: O.ids.token('rep2') }),
      400,
      errorEnvelope('AUTHORIZATION_FAILED', 'User does not have sufficient privilege to view attachments'),
    );
  });
});
