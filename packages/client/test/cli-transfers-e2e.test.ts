import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient } from '../src/index.js';
import { ensureBuilt, runCli, spawnCli } from './support/cli.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';

// The spawned CLI's transfer and bulk commands against the real server: upload, ls, download,
// download-all and delete --all, with interrupted runs resumed. A pass-through proxy injects the
// interruptions (a connection cut mid-body, requests held while Ctrl-C lands).

const A = orgIds(1717171, 'clix');
const id = (n: number) => `1717171${String(800 + n).padStart(12, '0')}`;
const UPLOADS = id(1);
const MANY = id(2);
const P_BIG = id(3);
const MB = 1024 * 1024;

let t: TestServer;
let proxy: FaultProxy;
let dir: string;
let sdk: BiginClient;
let env: Record<string, string>;

beforeAll(async () => {
  ensureBuilt();
  const org = orgFixture(A);
  org.records.push(
    { id: UPLOADS, module: 'Contacts', name: 'Uploads', owner: A.user.admin },
    { id: MANY, module: 'Contacts', name: 'Many', owner: A.user.admin },
    { id: P_BIG, module: 'Products', name: 'Big product', owner: A.user.admin },
  );
  org.attachments.push(
    ...Array.from({ length: 230 }, (_, i) => ({
      id: `1717171${String(5000 + i).padStart(12, '0')}`,
      record: MANY,
      fileName: i % 2 ? `keep-${i}.txt` : `old-${i}.log`,
      content: { text: `many ${i}` },
    })),
  );
  t = await startTestServer({ fixture: { organizations: [org] } });
  proxy = await startFaultProxy(t.url);
  dir = await mkdtemp(join(tmpdir(), 'bigin-cli-xfer-'));
  sdk = new BiginClient({ apiDomain: t.url }, A.token('admin'));
  env = { BIGIN_CONFIG_DIR: join(dir, 'cfg'), BIGIN_API_DOMAIN: t.url, BIGIN_ACCESS_TOKEN: A.token('admin') };
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('CLI transfers against the server', { timeout: 60_000 }, () => {
  it('uploads files and a link, lists them as a table and as JSON, downloads one and all of them', async () => {
    await writeFile(join(dir, 'one.txt'), 'one');
    await writeFile(join(dir, 'two.txt'), 'two two');
    const up = await runCli(
      ['attachments', 'upload', 'Contacts', UPLOADS, join(dir, 'one.txt'), join(dir, 'two.txt')],
      env,
    );
    expect(up.code).toBe(0);
    const ids = [...up.stdout.matchAll(/as (\d+)/g)].map((m) => m[1]!);
    expect(up.stdout).toBe(
      `Uploaded ${join(dir, 'one.txt')} as ${ids[0]}\nUploaded ${join(dir, 'two.txt')} as ${ids[1]}\n`,
    );
    const link = await runCli(
      [
        '--json',
        'attachments',
        'upload',
        'Contacts',
        UPLOADS,
        '--link',
        'https://example.com/z',
        '--title',
        'Z',
      ],
      env,
    );
    expect(link.code).toBe(0);
    const linkId = JSON.parse(link.stdout).id as string;
    const piped = await runCli(
      [
        'attachments',
        'upload',
        'Contacts',
        UPLOADS,
        '-',
        '--name',
        'piped.csv',
        '--content-type',
        'text/csv',
      ],
      env,
      'a,b\n1,2\n',
    );
    expect(piped.code).toBe(0);
    const pipedId = /as (\d+)/.exec(piped.stdout)![1]!;

    const ls = await runCli(['attachments', 'ls', 'Contacts', UPLOADS], env);
    const lines = ls.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+File_Name\s+Size\s+\$type\s+Created_Time\s+Owner$/);
    // Newest first (the server's clock stands still: by id, descending).
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      [pipedId, 'piped.csv', '8', 'File'],
      [linkId, 'Z', '0', 'Link'],
      [ids[1], 'two.txt', '7', 'File'],
      [ids[0], 'one.txt', '3', 'File'],
    ]);
    const json = await runCli(['--json', 'attachments', 'ls', 'Contacts', UPLOADS], env);
    expect(JSON.parse(json.stdout).map((a: { File_Name: string }) => a.File_Name)).toEqual([
      'piped.csv',
      'Z',
      'two.txt',
      'one.txt',
    ]);
    const page = await runCli(
      ['--json', 'attachments', 'ls', 'Contacts', UPLOADS, '--page', '2', '--per-page', '3'],
      env,
    );
    expect(JSON.parse(page.stdout)).toMatchObject({
      data: [{ id: ids[0], File_Name: 'one.txt' }],
      info: { per_page: 3, count: 1, page: 2, more_records: false },
    });

    const single = await runCli(['attachments', 'download', 'Contacts', UPLOADS, ids[0]!, '-o', '-'], env);
    expect(single).toEqual({ code: 0, stdout: 'one', stderr: '' });
    const toFile = await runCli(
      ['attachments', 'download', 'Contacts', UPLOADS, pipedId, '-o', join(dir, 'piped-copy.csv')],
      env,
    );
    expect(toFile).toMatchObject({
      code: 0,
      stdout: `Downloaded 8 bytes to ${join(dir, 'piped-copy.csv')}\n`,
    });
    expect(await readFile(join(dir, 'piped-copy.csv'), 'utf8')).toBe('a,b\n1,2\n');

    const out = join(dir, 'out');
    const down = await runCli(['attachments', 'download', 'Contacts', UPLOADS, '-o', out], env);
    expect(down).toMatchObject({ code: 0, stdout: 'Downloaded 3 of 3 attachments; 0 failed.\n' });
    expect((await readdir(out)).sort()).toEqual(
      [`${ids[0]}-one.txt`, `${ids[1]}-two.txt`, `${pipedId}-piped.csv`].sort(),
    );
    expect(await readFile(join(out, `${ids[1]}-two.txt`), 'utf8')).toBe('two two');

    const missing = await runCli(
      ['attachments', 'download', 'Contacts', UPLOADS, '1717171999999999999', '-o', join(dir, 'x')],
      env,
    );
    expect(missing).toMatchObject({ code: 5 });
    expect(missing.stderr).toContain('no attachment 1717171999999999999');
    const linkDownload = await runCli(
      ['attachments', 'download', 'Contacts', UPLOADS, linkId, '-o', '-'],
      env,
    );
    expect(linkDownload.code).not.toBe(0);
    expect(linkDownload.stderr).toContain('DOWNLOAD_NOT_ALLOWED');
  });

  it('downloads every attachment of a module, resuming a file cut off mid-body on the next run', async () => {
    const big = randomBytes(3 * MB);
    const { id: bigId } = await sdk.attachments.upload('Products', P_BIG, { file: big, fileName: 'big.bin' });
    const link = await sdk.attachments.upload('Products', P_BIG, { link: 'https://example.com/p' });
    const viaProxy = { ...env, BIGIN_API_DOMAIN: proxy.url };
    const all = join(dir, 'all');
    const journal = join(dir, 'download-all.jsonl');
    const args = ['--quiet', 'attachments', 'download-all', 'Products', '-o', all, '--journal', journal];

    proxy.cutBodies(new RegExp(`/Attachments/${bigId}$`), 1 * MB);
    const first = await runCli(args, viaProxy);
    expect(first.code).toBe(10);
    expect(first.stdout).toContain('Downloaded 1 of 2 attachments; 1 failed.');
    expect(first.stdout).toContain(`${bigId}: error: download interrupted;`);
    const kept = (await stat(join(all, P_BIG, `${bigId}-big.bin.part`))).size;
    expect(kept).toBeGreaterThan(0);

    const second = await runCli(args, viaProxy);
    expect(second).toMatchObject({
      code: 0,
      stdout: 'Downloaded 1 of 2 attachments; 0 failed, 1 done in an earlier run.\n',
    });
    const rangeAsked = proxy.requests.filter((r) => r.path.endsWith(`/Attachments/${bigId}`)).at(-1);
    expect(rangeAsked?.headers.range).toBe(`bytes=${kept}-`);
    // Buffer.equals: a deep toEqual over 3 MB takes half a minute.
    expect((await readFile(join(all, P_BIG, `${bigId}-big.bin`))).equals(big)).toBe(true);
    const product = A.recordIn.Products;
    expect(await readdir(join(all, product))).toEqual([`${A.attachmentOn[product]}-on-${product}.txt`]);
    expect((await readdir(join(all, P_BIG))).sort()).toEqual([`${bigId}-big.bin`]);
    expect(link.id).not.toBe(bigId);
    await expect(stat(journal)).rejects.toThrow(/ENOENT/);
  });

  it('deletes every attachment of a record matching a pattern, resuming after Ctrl-C', async () => {
    const journal = join(dir, 'delete-all.jsonl');
    const args = [
      'attachments',
      'delete',
      'Contacts',
      MANY,
      '--all',
      '--match',
      '\\.log$',
      '--journal',
      journal,
    ];
    const { firstHeld, release } = proxy.holdAfter('DELETE', 40);
    const first = spawnCli(args, { ...env, BIGIN_API_DOMAIN: proxy.url });
    await firstHeld;
    first.child.kill('SIGINT');
    await first.waitForStderr('Interrupted');
    release();
    const interrupted = await first.done;
    expect(interrupted.code).toBe(130);
    const done = Number(/Deleted (\d+) of 115/.exec(interrupted.stdout)?.[1]);
    expect(done).toBeGreaterThanOrEqual(40);
    expect(done).toBeLessThan(115);

    // The rerun lists again: what the first run deleted is no longer there to delete.
    const second = await runCli(args, env);
    expect(second.stderr.split('\n')[0]).toBe(`Resuming from ${journal}`);
    expect(second).toMatchObject({
      code: 0,
      stdout: `Deleted ${115 - done} of ${115 - done} attachments; 0 failed.\n`,
    });
    const left = [];
    for await (const a of sdk.attachments.list('Contacts', MANY)) left.push(a.File_Name);
    expect(left).toHaveLength(115);
    expect(left.every((name) => name.startsWith('keep-'))).toBe(true);

    // Then every attachment of the record, with the JSON summary scripts read.
    const rest = await runCli(
      ['--json', 'attachments', 'delete', 'Contacts', MANY, '--all', '--concurrency', '8'],
      env,
    );
    expect(rest.code).toBe(0);
    expect(JSON.parse(rest.stdout)).toMatchObject({
      total: 115,
      succeeded: 115,
      failed: 0,
      skipped: 0,
      interrupted: false,
    });
    expect((await sdk.attachments.list('Contacts', MANY)).data).toEqual([]);
    expect((await runCli(['attachments', 'ls', 'Contacts', MANY], env)).stdout).toBe('No attachments.\n');
  });
});
