import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BiginClient, DownloadNotAllowedError, Page } from '../src/index.js';
import { ensureBuilt, runCli } from './support/cli.js';
import { type FakeBigin, sha256, startFakeBigin } from './support/fake-bigin.js';

// Upload, list and download over real HTTP against a local server speaking decision D6's wire
// format (the real server's endpoints for these are being built in parallel).

const TOKEN = '1000.transfer00000000000000000000000.00000000000000000000000000000000';
const REC = '2034020000000489124';
const MB = 1024 * 1024;

let fake: FakeBigin;
let dir: string;
let bigin: BiginClient;
let big: Buffer;
let bigPath: string;

beforeAll(async () => {
  ensureBuilt();
  fake = await startFakeBigin();
  dir = await mkdtemp(join(tmpdir(), 'bigin-transfer-'));
  bigin = new BiginClient({ apiDomain: fake.url }, TOKEN);
  big = randomBytes(20 * MB);
  bigPath = join(dir, 'big.bin');
  await writeFile(bigPath, big);
}, 120_000);
afterAll(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('20 MB round trip', () => {
  it('uploads from a path and from a one-shot stream (streamed, chunked), and downloads to a file intact', async () => {
    const fromPath = await bigin.attachments.upload('Contacts', REC, bigPath);
    const fromStream = await bigin.attachments.upload('Contacts', REC, {
      file: createReadStream(bigPath),
      fileName: 'streamed.bin',
      contentType: 'application/x-test',
    });
    expect(fake.uploads.at(-1)).toEqual({ chunked: true, contentLength: undefined });
    const stored = fake.attachments.filter((a) => a.id === fromPath.id || a.id === fromStream.id);
    expect(stored.map((a) => [a.name, a.type, sha256(a.bytes!)])).toEqual([
      ['big.bin', 'application/octet-stream', sha256(big)],
      ['streamed.bin', 'application/x-test', sha256(big)],
    ]);

    const target = join(dir, 'down.bin');
    const result = await bigin.attachments.downloadToFile('Contacts', REC, fromStream.id, target);
    expect(result).toEqual({ path: target, bytes: 20 * MB, resumedFrom: 0, fileName: 'streamed.bin' });
    expect(sha256(await readFile(target))).toBe(sha256(big));
    await expect(stat(`${target}.part`)).rejects.toThrow(/ENOENT/);
  });

  it('resumes a partial download with a Range request', async () => {
    const { id } = await bigin.attachments.upload('Contacts', REC, {
      file: new Blob([big]),
      fileName: 'resumable.bin',
    });
    const target = join(dir, 'resumed.bin');
    await writeFile(`${target}.part`, big.subarray(0, 5 * MB));
    const result = await bigin.attachments.downloadToFile('Contacts', REC, id, target);
    expect(fake.ranges.at(-1)).toBe(`bytes=${5 * MB}-`);
    expect(result).toMatchObject({ bytes: 20 * MB, resumedFrom: 5 * MB });
    expect(sha256(await readFile(target))).toBe(sha256(big));
  });
});

describe('upload inputs', () => {
  it('takes bytes, a Blob, a web stream and a link with a title', async () => {
    const a = await bigin.attachments.upload('Contacts', REC, {
      file: Buffer.from('bytes'),
      fileName: 'a.txt',
      contentType: 'text/plain',
    });
    const b = await bigin.attachments.upload(
      'Contacts',
      REC,
      new File(['blob'], 'b.txt', { type: 'text/plain' }),
    );
    const c = await bigin.attachments.upload('Contacts', REC, {
      file: new Blob(['web']).stream(),
      fileName: 'naïve "quoted".txt',
    });
    const d = await bigin.attachments.upload('Contacts', REC, {
      link: 'https://example.com/x',
      title: 'Example',
    });
    expect(d).toEqual({
      id: d.id,
      Created_Time: '2026-01-15T10:00:00+00:00',
      Modified_Time: '2026-01-15T10:00:00+00:00',
      Created_By: { name: 'Admin', id: '1000000000000000001' },
      Modified_By: { name: 'Admin', id: '1000000000000000001' },
    });
    const byId = (id: string) => fake.attachments.find((x) => x.id === id)!;
    expect([a, b, c].map(({ id }) => [byId(id).name, byId(id).type, byId(id).bytes!.toString()])).toEqual([
      ['a.txt', 'text/plain', 'bytes'],
      ['b.txt', 'text/plain', 'blob'],
      ['naïve "quoted".txt', 'application/octet-stream', 'web'],
    ]);
    expect(byId(d.id)).toMatchObject({ link: 'https://example.com/x', title: 'Example', bytes: null });
  });
});

describe('list and download', () => {
  const REC2 = '2034020000000489999';

  it('answers an empty page for 204 and iterates nothing', async () => {
    const page = await bigin.attachments.list('Pipelines', REC2);
    expect(page).toBeInstanceOf(Page);
    expect({ data: page.data, info: page.info, more: page.hasNextPage() }).toEqual({
      data: [],
      info: { per_page: 200, count: 0, page: 1, more_records: false },
      more: false,
    });
    const all = [];
    for await (const a of bigin.attachments.list('Pipelines', REC2)) all.push(a);
    expect(all).toEqual([]);
  });

  it('iterates every page with for await, and gives single pages on await', async () => {
    for (let i = 0; i < 5; i++) {
      await bigin.attachments.upload('Pipelines', REC2, {
        file: Buffer.from(`file ${i}`),
        fileName: `f${i}.txt`,
      });
    }
    const names = [];
    for await (const a of bigin.attachments.list('Pipelines', REC2, { perPage: 2 })) names.push(a.File_Name);
    expect(names).toEqual(['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt']);

    const first = await bigin.attachments.list('Pipelines', REC2, { perPage: 2 });
    expect(first.info).toEqual({ per_page: 2, count: 2, page: 1, more_records: true });
    const third = await (await first.getNextPage()).getNextPage();
    expect(third.data.map((a) => a.File_Name)).toEqual(['f4.txt']);
    expect(third.hasNextPage()).toBe(false);
    expect(first.data[0]).toMatchObject({ $type: 'File', Size: '6', Parent_Id: { id: REC2 } });
  });

  it('streams a download with its metadata, a range, null for 204, and DownloadNotAllowedError for a link', async () => {
    const { id } = await bigin.attachments.upload('Contacts', REC, {
      file: Buffer.from('0123456789'),
      fileName: 'résumé.txt',
      contentType: 'text/plain',
    });
    const whole = await bigin.attachments.download('Contacts', REC, id);
    expect(whole).toMatchObject({
      fileName: 'résumé.txt',
      contentType: 'text/plain',
      contentLength: 10,
      status: 200,
    });
    expect(await new Response(whole!.body).text()).toBe('0123456789');

    const part = await bigin.attachments.download('Contacts', REC, id, { range: { start: 2, end: 4 } });
    expect(part).toMatchObject({
      status: 206,
      contentRange: { start: 2, end: 4, total: 10 },
      contentLength: 3,
    });
    expect(await new Response(part!.body).text()).toBe('234');

    expect(await bigin.attachments.download('Contacts', REC, '2034020000000000001')).toBeNull();
    expect(
      await bigin.attachments.downloadToFile('Contacts', REC, '2034020000000000001', join(dir, 'none')),
    ).toBeNull();

    const link = await bigin.attachments.upload('Contacts', REC, { link: 'https://example.com/y' });
    await expect(bigin.attachments.download('Contacts', REC, link.id)).rejects.toBeInstanceOf(
      DownloadNotAllowedError,
    );
  });
});

describe('CLI transfers', { timeout: 60_000 }, () => {
  const REC3 = '2034020000000488888';

  it('uploads files, lists them as a table and as JSON, and downloads them all into a folder', async () => {
    const env = { BIGIN_CONFIG_DIR: join(dir, 'cfg'), BIGIN_API_DOMAIN: fake.url, BIGIN_ACCESS_TOKEN: TOKEN };
    await writeFile(join(dir, 'one.txt'), 'one');
    await writeFile(join(dir, 'two.txt'), 'two two');
    const up = await runCli(
      ['attachments', 'upload', 'Contacts', REC3, join(dir, 'one.txt'), join(dir, 'two.txt')],
      env,
    );
    expect(up.code).toBe(0);
    const ids = [...up.stdout.matchAll(/as (\d+)/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    await runCli(
      ['attachments', 'upload', 'Contacts', REC3, '--link', 'https://example.com/z', '--title', 'Z'],
      env,
    );

    const ls = await runCli(['attachments', 'ls', 'Contacts', REC3], env);
    expect(ls.stdout.split('\n')[0]).toMatch(/^id\s+File_Name\s+Size\s+\$type\s+Created_Time\s+Owner$/);
    expect(ls.stdout).toMatch(new RegExp(`${ids[1]}\\s+two.txt\\s+7\\s+File`));
    const json = await runCli(['--json', 'attachments', 'ls', 'Contacts', REC3], env);
    expect(JSON.parse(json.stdout).map((a: { File_Name: string }) => a.File_Name)).toEqual([
      'one.txt',
      'two.txt',
      'Z',
    ]);

    const out = join(dir, 'out');
    const down = await runCli(['attachments', 'download', 'Contacts', REC3, '-o', out], env);
    expect(down).toMatchObject({ code: 0, stdout: 'Downloaded 2 of 2 attachments; 0 failed.\n' });
    expect((await readdir(out)).sort()).toEqual([`${ids[0]}-one.txt`, `${ids[1]}-two.txt`]);
    expect(await readFile(join(out, `${ids[1]}-two.txt`), 'utf8')).toBe('two two');

    const single = await runCli(['attachments', 'download', 'Contacts', REC3, ids[0]!, '-o', '-'], env);
    expect(single).toEqual({ code: 0, stdout: 'one', stderr: '' });
    // Every attachment of the module, one folder per record, links skipped.
    await runCli(['attachments', 'upload', 'Contacts', REC3, join(dir, 'one.txt')], env);
    const all = join(dir, 'all');
    const everything = await runCli(['--quiet', 'attachments', 'download-all', 'Contacts', '-o', all], env);
    expect(everything.code).toBe(0);
    const perRecord = await readdir(join(all, REC3));
    expect(perRecord.sort()).toEqual(
      [`${ids[0]}-one.txt`, `${ids[1]}-two.txt`, expect.stringMatching(/^\d+-one\.txt$/)].sort(),
    );
    expect(everything.stdout).toMatch(/^Downloaded (\d+) of \1 attachments; 0 failed\.\n$/);

    const missing = await runCli(
      ['attachments', 'download', 'Contacts', REC3, '2034020000000000001', '-o', join(dir, 'x')],
      env,
    );
    expect(missing.code).toBe(5);
  });
});
