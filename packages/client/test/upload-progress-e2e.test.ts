import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { UPLOAD_PROGRESS_MIN_BYTES } from '../src/cli/attachments-commands.js';
import { BiginClient, type UploadProgress } from '../src/index.js';
import { ensureBuilt, runCli } from './support/cli.js';

// Upload progress against the real server: the SDK's onProgress for every kind of source, and
// the CLI's progress lines for a single large file.

const A = orgIds(1919191, 'progr');
const RECORD = `1919191${String(900).padStart(12, '0')}`;
const MB = 1024 * 1024;

let t: TestServer;
let dir: string;
let sdk: BiginClient;
beforeAll(async () => {
  ensureBuilt();
  const org = orgFixture(A);
  org.records.push({ id: RECORD, module: 'Contacts', name: 'Progress', owner: A.user.admin });
  t = await startTestServer({ fixture: { organizations: [org] } });
  dir = await mkdtemp(join(tmpdir(), 'bigin-progress-'));
  sdk = new BiginClient({ apiDomain: t.url }, A.token('admin'));
}, 60_000);
afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The stored bytes, read back through the API. */
async function stored(id: string): Promise<Buffer> {
  const file = await sdk.attachments.download('Contacts', RECORD, id);
  return Buffer.from(await new Response(file!.body).arrayBuffer());
}

/** What a well-behaved progress run looks like: from 0, never backwards, ending at the size. */
function expectRun(events: UploadProgress[], size: number, total: number | undefined) {
  expect(events[0]).toEqual({ sent: 0, total });
  expect(events.at(-1)).toEqual({ sent: size, total });
  for (let i = 1; i < events.length; i++) expect(events[i]!.sent).toBeGreaterThanOrEqual(events[i - 1]!.sent);
  // A multi-megabyte file goes out in many chunks, each reported.
  expect(events.length).toBeGreaterThan(3);
}

describe('the SDK reports upload progress', () => {
  const bytes = randomBytes(5 * MB + 123);

  it('for bytes: from 0 to the size, and the server stores every byte', async () => {
    const events: UploadProgress[] = [];
    const up = await sdk.attachments.upload(
      'Contacts',
      RECORD,
      { file: bytes, fileName: 'big.bin' },
      { onProgress: (p) => events.push(p) },
    );
    expectRun(events, bytes.length, bytes.length);
    expect(sha(await stored(up.id))).toBe(sha(bytes));
  });

  it('for a file path and a name that needs filename*, with the file’s own size', async () => {
    const path = join(dir, 'path.bin');
    await writeFile(path, bytes);
    const events: UploadProgress[] = [];
    const up = await sdk.attachments.upload(
      'Contacts',
      RECORD,
      { file: path, fileName: 'say "hi".bin' },
      { onProgress: (p) => events.push(p) },
    );
    expectRun(events, bytes.length, bytes.length);
    const list = await sdk.attachments.list('Contacts', RECORD);
    expect(list.data.find((a) => a.id === up.id)?.File_Name).toBe('say "hi".bin');
    expect(sha(await stored(up.id))).toBe(sha(bytes));
  });

  it('for a stream: total as the caller gives it, else undefined', async () => {
    const chunks = () =>
      Readable.from(
        Array.from({ length: 20 }, (_, i) => bytes.subarray(i * 256 * 1024, (i + 1) * 256 * 1024)),
      );
    const sized: UploadProgress[] = [];
    await sdk.attachments.upload(
      'Contacts',
      RECORD,
      { file: chunks(), size: 5 * MB },
      { onProgress: (p) => sized.push(p) },
    );
    expectRun(sized, 5 * MB, 5 * MB);
    const unsized: UploadProgress[] = [];
    const up = await sdk.attachments.upload(
      'Contacts',
      RECORD,
      { file: chunks() },
      { onProgress: (p) => unsized.push(p) },
    );
    expectRun(unsized, 5 * MB, undefined);
    expect(sha(await stored(up.id))).toBe(sha(bytes.subarray(0, 5 * MB)));
  });

  it('is not called for a link', async () => {
    const events: UploadProgress[] = [];
    await sdk.attachments.upload(
      'Contacts',
      RECORD,
      { link: 'https://example.com/' },
      { onProgress: (p) => events.push(p) },
    );
    expect(events).toEqual([]);
  });
});

describe('`bigin attachments upload` shows progress', { timeout: 60_000 }, () => {
  const env = () => ({
    BIGIN_CONFIG_DIR: join(dir, 'cfg'),
    BIGIN_API_DOMAIN: t.url,
    BIGIN_ACCESS_TOKEN: A.token('admin'),
  });

  it('for a single large file: a line at every tenth off a terminal, ending at 100%', async () => {
    const path = join(dir, 'large.bin');
    await writeFile(path, randomBytes(3 * MB));
    const up = await runCli(['attachments', 'upload', 'Contacts', RECORD, path], env());
    expect(up.code).toBe(0);
    const lines = up.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`Uploading ${path}: 0.0 MB of 3.0 MB 0%`);
    expect(lines.at(-1)).toBe(`Uploading ${path}: 3.0 MB of 3.0 MB 100%`);
    const percents = lines.map((l) => Number(/ (\d+)%$/.exec(l)?.[1]));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(percents).size).toBe(lines.length);
    expect(up.stdout).toMatch(/^Uploaded .* as \d+\n$/);
  });

  it('not with --quiet, nor for a file under the threshold', async () => {
    const path = join(dir, 'large.bin');
    expect((await runCli(['--quiet', 'attachments', 'upload', 'Contacts', RECORD, path], env())).stderr).toBe(
      '',
    );
    const small = join(dir, 'small.bin');
    await writeFile(small, randomBytes(UPLOAD_PROGRESS_MIN_BYTES - 1));
    const up = await runCli(['attachments', 'upload', 'Contacts', RECORD, small], env());
    expect({ code: up.code, stderr: up.stderr }).toEqual({ code: 0, stderr: '' });
  });
});
