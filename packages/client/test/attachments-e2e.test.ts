import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import {
  APIConnectionError,
  type APIError,
  type Attachment,
  AuthorizationFailedError,
  BadRequestError,
  BiginClient,
  DownloadNotAllowedError,
  FileSizeMoreThanAllowedSizeError,
  InvalidDataError,
  InvalidUrlPatternError,
  Page,
} from '../src/index.js';
import { ensureBuilt } from './support/cli.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';

// Upload, list, download and delete with the SDK and the spawned CLI against the real server on a
// real port. A pass-through proxy (support/fault-proxy.ts) cuts connections where a test needs an
// interrupted download; every answer is the server's own.

const A = orgIds(1616161, 'xfer');
const MB = 1024 * 1024;
const TIME = '2026-01-15T10:00:00+00:00';
const admin = { name: 'admin', id: A.user.admin };
const adminWithEmail = { ...admin, email: `admin@${A.org}.example.com` };

let t: TestServer;
let proxy: FaultProxy;
let dir: string;
let bigin: BiginClient;
let big: Buffer;
let bigPath: string;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  ensureBuilt();
  const org = orgFixture(A);
  // Records without attachments for tests that count what they upload.
  for (let i = 1; i <= 4; i++) {
    org.records.push({
      id: `1616161${String(900 + i).padStart(12, '0')}`,
      module: 'Contacts',
      name: `Empty ${i}`,
      owner: A.user.admin,
    });
  }
  t = await startTestServer({ fixture: { organizations: [org] } });
  proxy = await startFaultProxy(t.url);
  dir = await mkdtemp(join(tmpdir(), 'bigin-xfer-'));
  bigin = new BiginClient({ apiDomain: t.url }, A.token('admin'));
  big = randomBytes(20 * MB);
  bigPath = join(dir, 'big.bin');
  await writeFile(bigPath, big);
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

const empty = (i: 1 | 2 | 3 | 4) => `1616161${String(900 + i).padStart(12, '0')}`;

async function listAll(module: 'Contacts', record: string): Promise<Attachment[]> {
  const all: Attachment[] = [];
  for await (const a of bigin.attachments.list(module, record)) all.push(a);
  return all;
}

describe('20 MB round trip', () => {
  it('uploads 20 MB from a path and from a one-shot stream, and downloads both to files intact', async () => {
    const record = empty(1);
    const fromPath = await bigin.attachments.upload('Contacts', record, bigPath);
    // The stream goes through the proxy to show it is sent as it is read: chunked, no length.
    const viaProxy = new BiginClient({ apiDomain: proxy.url }, A.token('admin'));
    const fromStream = await viaProxy.attachments.upload('Contacts', record, {
      file: createReadStream(bigPath),
      fileName: 'streamed.bin',
      contentType: 'application/x-test',
    });
    const sent = proxy.requests.at(-1)!;
    expect([sent.method, sent.headers['transfer-encoding'], sent.headers['content-length']]).toEqual([
      'POST',
      'chunked',
      undefined,
    ]);
    const listed = await listAll('Contacts', record);
    expect(listed.map((a) => [a.id, a.File_Name, a.Size, a.$type])).toEqual([
      [fromStream.id, 'streamed.bin', String(20 * MB), 'File'],
      [fromPath.id, 'big.bin', String(20 * MB), 'File'],
    ]);

    for (const [id, name, type] of [
      [fromPath.id, 'big.bin', 'application/octet-stream'],
      [fromStream.id, 'streamed.bin', 'application/x-test'],
    ] as const) {
      const target = join(dir, `down-${name}`);
      const result = await bigin.attachments.downloadToFile('Contacts', record, id, target);
      expect(result).toEqual({ path: target, bytes: 20 * MB, resumedFrom: 0, fileName: name });
      expect(sha256(await readFile(target))).toBe(sha256(big));
      await expect(stat(`${target}.part`)).rejects.toThrow(/ENOENT/);
      const head = await bigin.attachments.download('Contacts', record, id, { range: { start: 0, end: 0 } });
      expect(head?.contentType).toBe(type);
      await head?.body.cancel();
    }
  });

  it('resumes a download cut off mid-body with a Range request for the rest', async () => {
    const record = empty(1);
    const { id } = await bigin.attachments.upload('Contacts', record, {
      file: new Blob([big]),
      fileName: 'resumable.bin',
    });
    const viaProxy = new BiginClient({ apiDomain: proxy.url }, A.token('admin'));
    const target = join(dir, 'resumed.bin');
    proxy.cutBodies(new RegExp(`/Attachments/${id}$`), 7 * MB);
    const cut = await viaProxy.attachments.downloadToFile('Contacts', record, id, target).catch((e) => e);
    expect(cut).toBeInstanceOf(APIConnectionError);
    expect((cut as Error).message).toBe(`download interrupted; ${target}.part is kept for resuming`);
    const kept = (await stat(`${target}.part`)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(7 * MB);
    await expect(stat(target)).rejects.toThrow(/ENOENT/);

    const result = await viaProxy.attachments.downloadToFile('Contacts', record, id, target);
    expect(proxy.requests.at(-1)?.headers.range).toBe(`bytes=${kept}-`);
    expect(result).toEqual({ path: target, bytes: 20 * MB, resumedFrom: kept, fileName: 'resumable.bin' });
    expect(sha256(await readFile(target))).toBe(sha256(big));
  });
});

describe('upload inputs', () => {
  it('takes bytes, a Blob, a web stream and a link with a title, and answers with the server details', async () => {
    const record = empty(2);
    const a = await bigin.attachments.upload('Contacts', record, {
      file: Buffer.from('bytes'),
      fileName: 'a.txt',
      contentType: 'text/plain',
    });
    const b = await bigin.attachments.upload(
      'Contacts',
      record,
      new File(['blob'], 'b.txt', { type: 'text/csv' }),
    );
    const c = await bigin.attachments.upload('Contacts', record, {
      file: new Blob(['web']).stream(),
      fileName: 'naïve "quoted".txt',
    });
    // Names a quoted multipart filename cannot carry go as RFC 5987 filename* too, kept exactly.
    const e = await bigin.attachments.upload('Contacts', record, {
      file: Buffer.from('odd'),
      fileName: 'C:\\temp\\"x"\r\nnamé.txt',
    });
    const d = await bigin.attachments.upload('Contacts', record, {
      link: 'https://example.com/x',
      title: 'Example',
    });
    expect(d).toEqual({
      id: d.id,
      Created_Time: TIME,
      Modified_Time: TIME,
      Created_By: admin,
      Modified_By: admin,
    });
    expect(new Set([a.id, b.id, c.id, d.id, e.id]).size).toBe(5);

    const byId = new Map((await listAll('Contacts', record)).map((x) => [x.id, x]));
    expect(byId.get(d.id)).toEqual({
      id: d.id,
      File_Name: 'Example',
      Size: '0',
      $type: 'Link URL',
      $link_url: 'https://example.com/x',
      $se_module: 'Contacts',
      $editable: true,
      $file_id: null,
      Parent_Id: { name: 'Empty 2', id: record },
      Owner: adminWithEmail,
      Created_By: adminWithEmail,
      Modified_By: adminWithEmail,
      Created_Time: TIME,
      Modified_Time: TIME,
    });
    const files = [];
    for (const { id } of [a, b, c, e]) {
      const item = byId.get(id)!;
      const download = await bigin.attachments.download('Contacts', record, id);
      files.push([
        item.File_Name,
        item.Size,
        item.$file_id,
        download?.contentType,
        await new Response(download?.body).text(),
      ]);
    }
    expect(files).toEqual([
      ['a.txt', '5', a.id, 'text/plain', 'bytes'],
      ['b.txt', '4', b.id, 'text/csv', 'blob'],
      ['naïve "quoted".txt', '3', c.id, 'application/octet-stream', 'web'],
      ['C:\\temp\\"x"\r\nnamé.txt', '3', e.id, 'application/octet-stream', 'odd'],
    ]);
  });
});

describe('list, download and delete', () => {
  it('answers an empty page for 204 and iterates nothing', async () => {
    const page = await bigin.attachments.list('Contacts', empty(3));
    expect(page).toBeInstanceOf(Page);
    expect({ data: page.data, info: page.info, more: page.hasNextPage() }).toEqual({
      data: [],
      info: { per_page: 200, count: 0, page: 1, more_records: false },
      more: false,
    });
    const all = [];
    for await (const x of bigin.attachments.list('Contacts', empty(3))) all.push(x);
    expect(all).toEqual([]);
  });

  it('iterates every page with for await, gives single pages on await, and selects fields', async () => {
    const record = empty(4);
    const ids = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (
          await bigin.attachments.upload('Contacts', record, {
            file: Buffer.from(`file ${i}`),
            fileName: `f${i}.txt`,
          })
        ).id,
      );
    }
    // Newest first; the server's clock stands still, so ties go by id, descending.
    const names = [];
    for await (const x of bigin.attachments.list('Contacts', record, { perPage: 2 })) names.push(x.File_Name);
    expect(names).toEqual(['f4.txt', 'f3.txt', 'f2.txt', 'f1.txt', 'f0.txt']);

    const first = await bigin.attachments.list('Contacts', record, { perPage: 2 });
    expect(first.info).toEqual({ per_page: 2, count: 2, page: 1, more_records: true });
    const third = await (await first.getNextPage()).getNextPage();
    expect(third.info).toEqual({ per_page: 2, count: 1, page: 3, more_records: false });
    expect(third.data.map((x) => x.File_Name)).toEqual(['f0.txt']);
    expect(third.hasNextPage()).toBe(false);
    const fourth = await bigin.attachments.list('Contacts', record, { perPage: 2, page: 4 });
    expect(fourth.data).toEqual([]);

    const slim = await bigin.attachments.list('Contacts', record, {
      fields: ['File_Name', 'Size'],
      perPage: 1,
    });
    expect(slim.data).toEqual([{ id: ids[4], File_Name: 'f4.txt', Size: '6' }]);
    const wrong = await bigin.attachments.list('Contacts', record, { perPage: 201 }).catch((e) => e);
    expect(wrong).toBeInstanceOf(InvalidDataError);
    expect((wrong as InvalidDataError).details).toEqual({ param_name: 'per_page' });
  });

  it('streams a download with its metadata and a range, null for 204, DownloadNotAllowedError for a link, and deletes', async () => {
    const record = A.contactOf.admin;
    const { id } = await bigin.attachments.upload('Contacts', record, {
      file: Buffer.from('0123456789'),
      fileName: 'résumé.txt',
      contentType: 'text/plain',
    });
    const whole = await bigin.attachments.download('Contacts', record, id);
    expect(whole).toMatchObject({
      fileName: 'résumé.txt',
      contentType: 'text/plain',
      contentLength: 10,
      status: 200,
      contentRange: undefined,
    });
    expect(whole?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await new Response(whole?.body).text()).toBe('0123456789');

    const part = await bigin.attachments.download('Contacts', record, id, { range: { start: 2, end: 4 } });
    expect(part).toMatchObject({
      status: 206,
      contentRange: { start: 2, end: 4, total: 10 },
      contentLength: 3,
    });
    expect(await new Response(part?.body).text()).toBe('234');

    // A complete .part: the server answers 416 and the file is finished without a transfer.
    const target = join(dir, 'complete.txt');
    await writeFile(`${target}.part`, '0123456789');
    expect(await bigin.attachments.downloadToFile('Contacts', record, id, target)).toEqual({
      path: target,
      bytes: 10,
      resumedFrom: 10,
      fileName: undefined,
    });
    expect(await readFile(target, 'utf8')).toBe('0123456789');

    // An empty file is an empty download, not a missing one.
    const empty0 = await bigin.attachments.upload('Contacts', record, {
      file: new Uint8Array(0),
      fileName: 'empty.txt',
    });
    const none = await bigin.attachments.download('Contacts', record, empty0.id);
    expect(none).toMatchObject({ status: 200, contentLength: 0, fileName: 'empty.txt' });
    expect(await new Response(none?.body).text()).toBe('');
    expect(
      await bigin.attachments.downloadToFile('Contacts', record, empty0.id, join(dir, 'empty.txt')),
    ).toEqual({
      path: join(dir, 'empty.txt'),
      bytes: 0,
      resumedFrom: 0,
      fileName: 'empty.txt',
    });

    expect(await bigin.attachments.download('Contacts', record, '1616161999999999999')).toBeNull();
    expect(
      await bigin.attachments.downloadToFile('Contacts', record, '1616161999999999999', join(dir, 'none')),
    ).toBeNull();

    const link = await bigin.attachments.upload('Contacts', record, { link: 'https://example.com/y' });
    const refused = await bigin.attachments.download('Contacts', record, link.id).catch((e) => e);
    expect(refused).toBeInstanceOf(DownloadNotAllowedError);
    expect(refused).toMatchObject({
      status: 400,
      code: 'DOWNLOAD_NOT_ALLOWED',
      message: 'As it is a linked attachment, you can not download it',
    });

    expect(await bigin.attachments.delete('Contacts', record, id)).toEqual({
      code: 'SUCCESS',
      details: { id },
      message: 'record deleted',
      status: 'success',
    });
    expect(await bigin.attachments.download('Contacts', record, id)).toBeNull();
    expect((await listAll('Contacts', record)).map((x) => x.id)).not.toContain(id);
  });
});

describe('errors of upload, list and download', () => {
  it('surfaces each as its class with the code, status, message and details the server sends', async () => {
    const rep1 = new BiginClient({ apiDomain: t.url }, A.token('rep1'));
    const theirs = A.contactOf.rep2;
    const tooBig = Buffer.alloc(20 * MB + 1);
    const cases: Array<[string, () => Promise<unknown>, new (...a: never[]) => APIError, object]> = [
      [
        'too large, from bytes',
        () => bigin.attachments.upload('Contacts', empty(3), { file: tooBig, fileName: 'big' }),
        FileSizeMoreThanAllowedSizeError,
        {
          status: 413,
          code: 'FILE_SIZE_MORE_THAN_ALLOWED_SIZE',
          message: 'Please check if the size of the file is in the correct range',
        },
      ],
      [
        'too large, from a one-shot stream',
        () =>
          bigin.attachments.upload('Contacts', empty(3), {
            file: new Blob([tooBig]).stream(),
            fileName: 'big',
          }),
        FileSizeMoreThanAllowedSizeError,
        { status: 413, code: 'FILE_SIZE_MORE_THAN_ALLOWED_SIZE' },
      ],
      [
        // The link's INVALID_URL_PATTERN is a 400: the family class, not the routing 404's class.
        'a link that is not http(s)',
        () => bigin.attachments.upload('Contacts', empty(3), { link: 'ftp://example.com/x' }),
        BadRequestError,
        { status: 400, code: 'INVALID_URL_PATTERN', message: 'the given attachment URL is incorrect' },
      ],
      [
        'upload to a record the user cannot reach',
        () => rep1.attachments.upload('Contacts', theirs, { file: Buffer.from('x'), fileName: 'x.txt' }),
        AuthorizationFailedError,
        {
          status: 400,
          code: 'AUTHORIZATION_FAILED',
          message: 'User does not have sufficient privilege to upload attachments',
        },
      ],
      [
        'list of a record the user cannot reach',
        () => rep1.attachments.list('Contacts', theirs),
        AuthorizationFailedError,
        {
          status: 400,
          code: 'AUTHORIZATION_FAILED',
          message: 'User does not have sufficient privilege to view attachments',
        },
      ],
      [
        'download from a record the user cannot reach',
        () => rep1.attachments.download('Contacts', theirs, A.attachmentOn[theirs]!),
        AuthorizationFailedError,
        {
          status: 400,
          code: 'AUTHORIZATION_FAILED',
          message: 'User does not have sufficient privilege to view attachments',
        },
      ],
      [
        'upload to a record that does not exist',
        () => bigin.attachments.upload('Contacts', '1616161999999999999', { link: 'https://example.com' }),
        InvalidDataError,
        { status: 400, code: 'INVALID_DATA', details: { resource_path_index: 1 } },
      ],
    ];
    for (const [name, call, Class, expected] of cases) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(Class);
      expect(error, name).toMatchObject({ ...expected, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      if (Class === BadRequestError) expect(error, name).not.toBeInstanceOf(InvalidUrlPatternError);
    }
    expect(await listAll('Contacts', empty(3))).toEqual([]);
  });
});

describe('connection faults on the way to the real server', () => {
  it('retries an idempotent call whose answer was cut mid-body, and not a one-shot stream upload', async () => {
    const viaProxy = new BiginClient({ apiDomain: proxy.url }, A.token('admin'), {
      retry: { initialDelayMs: 1 },
    });
    const record = A.contactOf.rep1;
    const listPath = new RegExp(`/Contacts/${record}/Attachments\\?`);
    proxy.cutBodies(listPath, 10);
    const before = proxy.requests.length;
    const page = await viaProxy.attachments.list('Contacts', record, { perPage: 3 });
    expect(page.data).toHaveLength(3);
    expect(proxy.requests.slice(before).map((r) => r.method)).toEqual(['GET', 'GET']);

    proxy.cutBodies(/\/Attachments$/, 10);
    const upload = viaProxy.attachments.upload('Contacts', record, {
      file: new Blob(['one shot']).stream(),
      fileName: 'once.txt',
    });
    await expect(upload).rejects.toBeInstanceOf(APIConnectionError);
  });
});
