import { tracingChannel } from 'node:diagnostics_channel';
import { readdir } from 'node:fs/promises';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStoreListener } from '../../src/storage/store-events.js';
import { ERR, errorEnvelope, JSON_TYPE } from '../support/bigin.js';
import { storageSnapshot } from '../support/data-folder.js';
import { filesOrg, filesOrgFixture } from '../support/files-fixture.js';
import { orgIds } from '../support/fixtures.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';
import {
  BOUNDARY,
  bytesOf,
  type FormPart,
  filePart,
  type HttpAnswer,
  listPath,
  MULTIPART_TYPE,
  multipartBody,
  patternBytes,
  send,
  sha256,
  upload,
} from '../support/uploads.js';

// POST …/Attachments (decisions D6, with the D4 order of checks), against a server on a real
// port. Every answer asserts status, full body and content type; every refusal also proves
// that nothing was stored, by looking at the data folder and the database.

const O = filesOrg(5151515, 'upld');
const B = orgIds(5252525, 'upbb');
const LIMIT = 20 * 1024 * 1024;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: { organizations: [filesOrgFixture(O, {}), filesOrgFixture(filesOrg(5252525, 'upbb'))] },
  });
});
afterAll(() => t?.close());

const admin = O.ids.token('admin');
const contact = O.ids.contactOf.rep1;
const path = listPath('Contacts', contact);
const UPLOAD_ERR = {
  authorizationFailed: errorEnvelope(
    'AUTHORIZATION_FAILED',
    'User does not have sufficient privilege to upload attachments',
  ),
  mandatory: errorEnvelope('MANDATORY_NOT_FOUND', 'required field not found'),
  invalidData: errorEnvelope('INVALID_DATA', 'invalid data'),
  badLink: errorEnvelope('INVALID_URL_PATTERN', 'the given attachment URL is incorrect'),
  tooLarge: errorEnvelope(
    'FILE_SIZE_MORE_THAN_ALLOWED_SIZE',
    'Please check if the size of the file is in the correct range',
  ),
};

function expectAnswer(res: HttpAnswer, status: number, body: unknown): void {
  expect({ status: res.status, body: res.json, contentType: res.contentType }).toEqual({
    status,
    body,
    contentType: JSON_TYPE,
  });
}

/** Runs `act` and asserts that the blob store and the database are exactly as before. */
async function leavesNothing(act: () => Promise<void>): Promise<void> {
  const before = await storageSnapshot(t);
  await act();
  expect(await storageSnapshot(t)).toEqual(before);
}

const ID = /^[0-9]{19}$/;

function successId(res: HttpAnswer): string {
  expect(res.status).toBe(200);
  const id = (res.json as { data: Array<{ details: { id: string } }> }).data[0]!.details.id;
  expect(id).toMatch(ID);
  return id;
}

async function download(id: string, token = admin, headers: Record<string, string> = {}) {
  return send(t.url, 'GET', `${path}/${id}`, { token, headers });
}

describe('success', () => {
  it('uploads a file and answers the documented body byte for byte', async () => {
    const res = await upload(t.url, path, admin, [filePart('report.txt', 'quarterly numbers')]);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe(JSON_TYPE);
    const id = successId(res);
    const time = '2026-01-15T10:00:00+00:00';
    const by = `{"name":"admin","id":"${O.ids.user.admin}"}`;
    expect(res.text).toBe(
      // Details in HashMap order (D9), as Bigin's write details are recorded.
      `{"data":[{"code":"SUCCESS","details":{"Modified_Time":"${time}","Modified_By":${by},"Created_Time":"${time}","id":"${id}","Created_By":${by}},"message":"attachment uploaded successfully","status":"success"}]}`,
    );
    const dl = await download(id);
    expect(dl.status).toBe(200);
    expect(dl.text).toBe('quarterly numbers');
    expect(dl.contentType).toBe('text/plain');
  });

  it("answers with times in the uploader's time zone", async () => {
    const res = await upload(t.url, path, O.token.india, [filePart('india.txt')]);
    const details = (res.json as { data: Array<{ details: Record<string, unknown> }> }).data[0]!.details;
    expect(details).toEqual({
      id: successId(res),
      Created_Time: '2026-01-15T15:30:00+05:30',
      Modified_Time: '2026-01-15T15:30:00+05:30',
      Created_By: { name: 'Priya Raman', id: O.user.india },
      Modified_By: { name: 'Priya Raman', id: O.user.india },
    });
  });

  it('uses the clock, not the wall time', async () => {
    t.clock.advance(90_061_000);
    try {
      const res = await upload(t.url, path, admin, [filePart('later.txt')]);
      const details = (res.json as { data: Array<{ details: { Created_Time: string } }> }).data[0]!.details;
      expect(details.Created_Time).toBe('2026-01-16T11:01:01+00:00');
    } finally {
      t.clock.set(TEST_EPOCH);
    }
  });

  it('stores a link with its title, never fetching it', async () => {
    const res = await upload(t.url, path, admin, [
      { name: 'attachmentUrl', value: 'http://192.0.2.1:9/never-fetched?q=1' },
      { name: 'title', value: 'Design doc' },
    ]);
    const id = successId(res);
    const list = await send(t.url, 'GET', `${path}?fields=File_Name,$type,$link_url,Size`, { token: admin });
    expect((list.json as { data: unknown[] }).data).toContainEqual({
      id,
      File_Name: 'Design doc',
      Size: '0',
      $type: 'Link URL',
      $link_url: 'http://192.0.2.1:9/never-fetched?q=1',
    });
  });

  it('names a link without a title after its URL', async () => {
    const res = await upload(t.url, path, admin, [{ name: 'attachmentUrl', value: 'https://example.com/a' }]);
    const id = successId(res);
    const list = await send(t.url, 'GET', `${path}?fields=File_Name`, { token: admin });
    expect((list.json as { data: unknown[] }).data).toContainEqual({
      id,
      File_Name: 'https://example.com/a',
    });
  });

  it('ignores unknown fields and empty file inputs, as browsers send them', async () => {
    const res = await upload(t.url, path, admin, [
      { name: 'comment', value: 'ignored' },
      { name: 'file', fileName: '', contentType: 'application/octet-stream', body: bytesOf('') },
      { name: 'attachmentUrl', value: 'https://example.com/b' },
    ]);
    successId(res);
  });

  it.each([
    ['the CREATE pair', O.token.createPair],
    ['the WRITE pair, in any letter case', O.token.writePair],
  ])('accepts %s', async (_name, token) => {
    successId(await upload(t.url, path, token, [filePart('scoped.txt')]));
  });

  it('stores the media type the client gave, and octet-stream for one it cannot use', async () => {
    const pdf = successId(await upload(t.url, path, admin, [filePart('a.pdf', '%PDF', 'Application/PDF')]));
    expect((await download(pdf)).contentType).toBe('application/pdf');
    const none = successId(
      await upload(t.url, path, admin, [{ name: 'file', fileName: 'raw.bin', body: bytesOf('x') }]),
    );
    // RFC 7578: a part without Content-Type is text/plain.
    expect((await download(none)).contentType).toBe('text/plain');
  });

  it('uploads to a record of every module the attachments API serves', async () => {
    for (const [module, recordId] of Object.entries(O.ids.recordIn)) {
      const id = successId(
        await upload(t.url, listPath(module, recordId), admin, [filePart(`${module}.txt`)]),
      );
      const dl = await send(t.url, 'GET', `${listPath(module, recordId)}/${id}`, { token: admin });
      expect({ module, status: dl.status, text: dl.text }).toEqual({ module, status: 200, text: 'hello' });
    }
  });

  it('gives every upload a new 19-digit id, never reused', async () => {
    const ids = await Promise.all(
      Array.from({ length: 10 }, async (_, i) =>
        successId(await upload(t.url, path, admin, [filePart(`c${i}.txt`)])),
      ),
    );
    expect(new Set(ids).size).toBe(10);
  });
});

describe('round trip: download gives back exactly the bytes uploaded', () => {
  it.each([
    ['0 B', 0],
    ['1 B', 1],
    ['1 MB', 1024 * 1024],
    ['exactly the limit', LIMIT],
  ])('%s', async (_name, size) => {
    const content = patternBytes(size, size % 97);
    const res = await upload(t.url, path, admin, [
      {
        name: 'file',
        fileName: `blob-${size}.bin`,
        contentType: 'application/octet-stream',
        body: content.stream,
      },
    ]);
    const id = successId(res);
    const dl = await download(id);
    expect(dl.status).toBe(200);
    expect(dl.headers['content-length']).toBe(String(size));
    expect(dl.body.length).toBe(size);
    expect(sha256(dl.body)).toBe(content.sha256);
  });

  it('refuses the limit + 1 byte with 413 and leaves no bytes and no row', async () => {
    await leavesNothing(async () => {
      const content = patternBytes(LIMIT + 1);
      const res = await upload(t.url, path, admin, [
        { name: 'file', fileName: 'too-big.bin', body: content.stream },
      ]);
      expectAnswer(res, 413, UPLOAD_ERR.tooLarge);
    });
    expect(await tmpFiles()).toEqual([]);
  });

  it('keeps serving the same connection after a 413', async () => {
    const content = patternBytes(LIMIT + 10);
    const first = await upload(t.url, path, admin, [{ name: 'file', fileName: 'big', body: content.stream }]);
    expect(first.status).toBe(413);
    successId(await upload(t.url, path, admin, [filePart('after.txt')]));
  });
});

describe('D6 errors', () => {
  it.each<[string, FormPart[], number, unknown]>([
    [
      'a file and a link',
      [filePart('a.txt'), { name: 'attachmentUrl', value: 'https://example.com' }],
      400,
      UPLOAD_ERR.invalidData,
    ],
    [
      'a link and a file',
      [{ name: 'attachmentUrl', value: 'https://example.com' }, filePart('a.txt')],
      400,
      UPLOAD_ERR.invalidData,
    ],
    ['two files', [filePart('a.txt'), filePart('b.txt')], 400, UPLOAD_ERR.invalidData],
    [
      'two links',
      [
        { name: 'attachmentUrl', value: 'https://a.example' },
        { name: 'attachmentUrl', value: 'https://b.example' },
      ],
      400,
      UPLOAD_ERR.invalidData,
    ],
    ['neither (a title alone)', [{ name: 'title', value: 'lonely' }], 400, UPLOAD_ERR.mandatory],
    ['an empty form', [], 400, UPLOAD_ERR.mandatory],
    [
      'a file under another field name',
      [{ ...(filePart('a.txt') as object), name: 'document' } as FormPart],
      400,
      UPLOAD_ERR.mandatory,
    ],
    [
      'a title longer than 255 characters',
      [
        { name: 'attachmentUrl', value: 'https://example.com' },
        { name: 'title', value: 't'.repeat(256) },
      ],
      400,
      errorEnvelope('INVALID_DATA', 'invalid data', { api_name: 'title' }),
    ],
  ])('answers %s', async (_name, parts, status, body) => {
    await leavesNothing(async () => {
      expectAnswer(await upload(t.url, path, admin, parts), status, body);
    });
  });

  it.each([
    ['an empty link', ''],
    ['a relative link', '/just/a/path'],
    ['a link without scheme', 'www.example.com'],
    ['an ftp link', 'ftp://example.com/file'],
    ['a javascript link', 'javascript:alert(1)'],
    ['a link with a space', 'https://exa mple.com'],
    ['a link with a newline', 'https://example.com/\nx'],
    ['a link of 3001 characters', `https://example.com/${'a'.repeat(2981)}`],
    ['a link longer than a field may be', `https://example.com/${'a'.repeat(20_000)}`],
    ['not a URL at all', 'http://'],
  ])('answers %s with INVALID_URL_PATTERN and status 400', async (_name, value) => {
    await leavesNothing(async () => {
      expectAnswer(
        await upload(t.url, path, admin, [{ name: 'attachmentUrl', value }]),
        400,
        UPLOAD_ERR.badLink,
      );
    });
  });

  it('accepts a link of exactly 3000 characters', async () => {
    successId(
      await upload(t.url, path, admin, [
        { name: 'attachmentUrl', value: `https://example.com/${'a'.repeat(2980)}` },
      ]),
    );
  });
});

describe('D4 rows for upload', () => {
  const up = (p: string, token?: string) => upload(t.url, p, token, [filePart('x.txt')]);

  it.each([
    ['a wrong version', `/bigin/v3/Contacts/${contact}/Attachments`],
    ['a lower-case segment', `/bigin/v2/Contacts/${contact}/attachments`],
    ['an extra segment', `/bigin/v2/Contacts/${contact}/Attachments/1/x`],
  ])('row 1: answers %s with 404', async (_name, p) => {
    expectAnswer(await up(p, admin), 404, ERR.urlPattern);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])(
    'row 2: answers %s on the list URL with 400, before authentication',
    async (method) => {
      expectAnswer(await send(t.url, method, path), 400, ERR.requestMethod);
      expectAnswer(await send(t.url, method, path, { token: admin }), 400, ERR.requestMethod);
    },
  );

  it('row 3: answers a missing Authorization header with 401', async () => {
    expectAnswer(await up(path), 401, ERR.authFailure);
  });

  it('row 4: answers an unknown token with 401', async () => {
    expectAnswer(
      await up(path, '1000.00000000000000000000000000000000.00000000000000000000000000000000'),
      401,
      ERR.invalidToken,
    );
  });

  it('row 5: answers an unknown module', async () => {
    expectAnswer(await up(listPath('Leads', contact), admin), 400, ERR.invalidModule);
  });

  it('row 6: answers a module the attachments API does not serve', async () => {
    expectAnswer(await up(listPath('Calls', O.ids.callRecord), admin), 400, ERR.moduleNotSupported);
  });

  it.each([
    ['the READ pair', O.token.readPair],
    ['the DELETE pair', O.token.deletePair],
    ['ZohoBigin.modules.ALL alone', O.token.modulesAllOnly],
    ["another module's pair", O.token.otherModulePair],
  ])('row 7: answers a token holding only %s with OAUTH_SCOPE_MISMATCH', async (_name, token) => {
    expectAnswer(await up(path, token), 401, ERR.scopeMismatch);
  });

  it('row 8: answers a user whose profile cannot view the module', async () => {
    expectAnswer(
      await up(listPath('Contacts', O.ids.contactOf.admin), O.ids.token('noTab')),
      400,
      ERR.invalidModule,
    );
  });

  it('row 9: answers a user without the Files create permission with NO_PERMISSION', async () => {
    expectAnswer(await up(path, O.token.noFiles), 403, ERR.noPermission);
  });

  it.each([
    ['an id that does not exist', '5151515999999999999'],
    ['a deleted record', O.ids.deletedContact],
    ['a record of another module', O.ids.recordIn.Accounts],
    ["another organisation's record", B.contactOf.rep1],
    ['an id with letters', '12ab'],
  ])('row 10: answers %s with INVALID_DATA at index 1', async (_name, recordId) => {
    await leavesNothing(async () => {
      expectAnswer(await up(listPath('Contacts', recordId), admin), 400, ERR.recordNotFound);
    });
  });

  it("row 11: answers a peer's record with the upload wording of AUTHORIZATION_FAILED", async () => {
    await leavesNothing(async () => {
      expectAnswer(await up(path, O.ids.token('rep2')), 400, UPLOAD_ERR.authorizationFailed);
    });
  });

  it('row 11: lets the owner and the manager above upload', async () => {
    successId(await up(path, O.ids.token('rep1')));
    successId(await up(path, O.ids.token('manager')));
  });

  it('refuses on the headers and stores nothing of a body it will not use', async () => {
    // 10 MB to a record the caller may not reach: refused by the checks on the headers; the
    // server only reads and drops the body so that the client gets to read the answer.
    await leavesNothing(async () => {
      const res = await upload(t.url, path, O.ids.token('rep2'), [
        { name: 'file', fileName: 'x', body: patternBytes(10 * 1024 * 1024).stream },
      ]);
      expectAnswer(res, 400, UPLOAD_ERR.authorizationFailed);
    });
    expect(await tmpFiles()).toEqual([]);
  });

  it('lets a client that keeps sending a refused body reach the end and reuse the connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      let allSent!: () => void;
      const sent = new Promise<void>((resolve) => {
        allSent = resolve;
      });
      const body = multipartBody([
        { name: 'file', fileName: 'x', body: patternBytes(5 * 1024 * 1024).stream },
      ]);
      const res = await send(t.url, 'POST', path, {
        headers: { 'Content-Type': MULTIPART_TYPE },
        body: Readable.from(
          (async function* () {
            for await (const chunk of body) yield chunk;
            allSent();
          })(),
        ),
        agent,
      });
      expectAnswer(res, 401, ERR.authFailure);
      await sent;
      successId(await upload(t.url, path, admin, [filePart('next.txt')]));
    } finally {
      agent.destroy();
    }
  });
});

describe('malformed requests: a documented 4xx, never a 5xx, never a partial file', () => {
  const raw = (headers: Record<string, string>, body: string | Buffer) =>
    send(t.url, 'POST', path, { token: admin, headers, body: bytesOf(body)() });

  it.each<[string, Record<string, string>, string, number, unknown]>([
    [
      'a JSON body',
      { 'Content-Type': 'application/json' },
      '{"attachmentUrl":"https://example.com"}',
      400,
      UPLOAD_ERR.mandatory,
    ],
    [
      'a URL-encoded form',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      'attachmentUrl=https%3A%2F%2Fexample.com',
      400,
      UPLOAD_ERR.mandatory,
    ],
    ['no content type', {}, 'hello', 400, UPLOAD_ERR.mandatory],
    [
      'multipart without a boundary',
      { 'Content-Type': 'multipart/form-data' },
      '--x\r\n',
      400,
      UPLOAD_ERR.invalidData,
    ],
    [
      'a boundary that never appears',
      { 'Content-Type': MULTIPART_TYPE },
      'garbage garbage',
      400,
      UPLOAD_ERR.invalidData,
    ],
    [
      'a body cut before the closing boundary',
      { 'Content-Type': MULTIPART_TYPE },
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="cut.txt"\r\n\r\nsome bytes but no end`,
      400,
      UPLOAD_ERR.invalidData,
    ],
    [
      'a part header with a NUL byte',
      { 'Content-Type': MULTIPART_TYPE },
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a\0b"\r\n\r\nx\r\n--${BOUNDARY}--\r\n`,
      400,
      UPLOAD_ERR.invalidData,
    ],
    [
      'too many parts',
      { 'Content-Type': MULTIPART_TYPE },
      `${Array.from({ length: 30 }, (_, i) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`).join('')}--${BOUNDARY}--\r\n`,
      400,
      UPLOAD_ERR.invalidData,
    ],
  ])('answers %s', async (_name, headers, body, status, expected) => {
    await leavesNothing(async () => {
      expectAnswer(await raw(headers, body), status, expected);
    });
  });
});

describe('a client that goes away mid-upload leaves no trace', () => {
  it.each([
    ['resets the connection', 'destroy'],
    ['half-closes after part of the body', 'end'],
  ] as const)('when it %s', async (_name, how) => {
    const before = await storageSnapshot(t);
    const { hostname, port } = new URL(t.url);
    const started = blobWriteStarted();
    const settled = uploadHandlerSettled();
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('error', () => {});
    const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="partial.bin"\r\n\r\n`;
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Zoho-oauthtoken ${admin}\r\nContent-Type: ${MULTIPART_TYPE}\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n${head}`,
    );
    for await (const chunk of patternBytes(1024 * 1024).stream()) socket.write(chunk);
    // The upload really started: its first bytes reached the blob store, after its key was journalled.
    await started;
    if (how === 'destroy') socket.destroy();
    else socket.end();
    // The handler has finished (its cleanup is awaited inside it): nothing of the upload is left.
    await settled;
    expect(await storageSnapshot(t)).toEqual(before);
    // And after the purge for abandoned uploads has run, still nothing.
    t.clock.advance(25 * 3_600_000);
    try {
      await t.server.purgeNow();
    } finally {
      t.clock.set(TEST_EPOCH);
    }
    expect(await storageSnapshot(t)).toEqual(before);
    expect(await tmpFiles()).toEqual([]);
    socket.destroy();
  });
});

/** The folder store's temporary files (none ever exist with S3, which has no local files). */
async function tmpFiles(): Promise<string[]> {
  return readdir(join(t.dataDir, 'blobs', '.tmp')).catch(() => []);
}

/** Resolves when the blob store reports the first bytes of an upload (see store-events.ts). */
function blobWriteStarted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = addStoreListener({
      blobWriteStarted() {
        stop();
        resolve();
      },
    });
  });
}

/**
 * Resolves when Fastify reports that the handler of the next upload (POST) has finished, its
 * promise settled either way: Fastify publishes this on its `fastify.request.handler` tracing
 * channel, so the test waits on the server's own event rather than on a duration.
 */
function uploadHandlerSettled(): Promise<void> {
  const channel = tracingChannel<string, { request: { method: string } }>('fastify.request.handler');
  return new Promise((resolve) => {
    const onEnd = (store: { request: { method: string } }) => {
      if (store.request.method !== 'POST') return;
      unsubscribe();
      resolve();
    };
    const handlers = {
      start() {},
      end() {},
      asyncStart() {},
      asyncEnd: onEnd,
      error() {},
    };
    const unsubscribe = () => channel.unsubscribe(handlers);
    channel.subscribe(handlers);
  });
}

describe('file names are stored and returned faithfully, never used as paths', () => {
  const names: Array<[string, Partial<FormPart> & { expected: string }]> = [
    ['double quotes (escaped as curl does)', { fileName: 'say \\"hi\\".txt', expected: 'say "hi".txt' }],
    ['a path climbing out', { fileName: '../../../etc/passwd', expected: '../../../etc/passwd' }],
    ['a Windows path', { fileName: 'C:\\\\temp\\\\x.txt', expected: 'C:\\temp\\x.txt' }],
    ['semicolons and equals', { fileName: 'a;b=c; filename=evil.exe', expected: 'a;b=c; filename=evil.exe' }],
    ['a NUL byte (RFC 5987 form)', { fileNameStar: "UTF-8''a%00b.txt", expected: 'a\u0000b.txt' }],
    [
      'a newline (RFC 5987 form)',
      { fileNameStar: "UTF-8''line1%0D%0Aline2.txt", expected: 'line1\r\nline2.txt' },
    ],
    ['emoji', { fileName: '📎 notes 🚀.md', expected: '📎 notes 🚀.md' }],
    ['300 bytes of UTF-8', { fileName: 'ж'.repeat(150), expected: 'ж'.repeat(150) }],
    ['percent signs', { fileName: '100%25 sure %41.txt', expected: '100%25 sure %41.txt' }],
  ];

  it.each(names)('%s', async (_name, spec) => {
    const { expected, ...given } = spec;
    const part = { name: 'file', contentType: 'text/plain', body: bytesOf('named'), ...given } as FormPart;
    const before = await storageSnapshot(t);
    const id = successId(await upload(t.url, path, admin, [part]));
    // Bytes are stored under the server's own key, whatever the name.
    const after = await storageSnapshot(t);
    const added = after.files.filter((f) => !before.files.includes(f));
    expect(added).toEqual([`${O.ids.org}/${id.slice(-3)}/${id}`]);

    const list = await send(t.url, 'GET', `${path}?fields=File_Name`, { token: admin });
    expect((list.json as { data: unknown[] }).data).toContainEqual({ id, File_Name: expected });

    const dl = await download(id);
    expect(dl.status).toBe(200);
    expect(decodeDispositionName(String(dl.headers['content-disposition']))).toBe(expected);
  });
});

/** What a client following RFC 6266 takes as the file name: `filename*` if present, else `filename`. */
function decodeDispositionName(header: string): string {
  const star = /;\s*filename\*=UTF-8''([^;\s]*)/i.exec(header);
  if (star) return decodeURIComponent(star[1]!);
  const plain = /;\s*filename="((?:[^"\\]|\\.)*)"/.exec(header);
  return plain ? plain[1]!.replace(/\\(.)/g, '$1') : '';
}
