import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAR_FUTURE, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { APIError, BiginClient, FileSizeMoreThanAllowedSizeError } from '../src/index.js';
import { ensureBuilt, runCli } from './support/cli.js';

// Record and organisation photos through the SDK and the CLI, against the real server (docs/photos.md).

const A = orgIds(1717171, 'photoc');
const TOKEN = '1000.photosadmin00000000000000000000.ffffffffffffffffffffffffffffffff';
const SCOPE = 'ZohoBigin.modules.contacts.ALL,ZohoBigin.modules.accounts.READ,ZohoBigin.org.ALL';

/** The smallest PNG header the server accepts (signature and IHDR), then some bytes. */
function png(width: number, height: number, tail = 'png body'): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    ihdr,
    Buffer.from(tail),
  ]);
}

const bytesOf = async (stream: ReadableStream<Uint8Array>) =>
  Buffer.from(await new Response(stream).arrayBuffer());

describe('photos against the server', { timeout: 60_000 }, () => {
  let t: TestServer;
  let sdk: BiginClient;
  beforeAll(async () => {
    ensureBuilt();
    t = await startTestServer({
      fixture: {
        organizations: [
          orgFixture(A, {
            extraTokens: [{ token: TOKEN, user: A.user.admin, scope: SCOPE, expiresAt: FAR_FUTURE }],
          }),
        ],
      },
    });
    sdk = new BiginClient({ apiDomain: t.url }, TOKEN);
  }, 120_000);
  afterAll(() => t?.close());

  it('uploads, downloads and deletes a record photo and the organisation photo', async () => {
    const id = String((await sdk.records.insert('Contacts', { Last_Name: 'Photo SDK' })).details.id);
    expect(await sdk.photos.download('Contacts', id)).toBeNull();
    const image = png(2, 2);
    expect(await sdk.photos.upload('Contacts', id, { file: image, fileName: 'me.png' })).toEqual({
      code: 'SUCCESS',
      details: {},
      message: 'photo uploaded successfully',
      status: 'success',
    });
    const got = (await sdk.photos.download('Contacts', id))!;
    expect({ type: got.contentType, name: got.fileName, length: got.contentLength }).toEqual({
      type: 'image/png',
      name: 'me.png',
      length: image.length,
    });
    expect((await bytesOf(got.body)).equals(image)).toBe(true);
    expect((await sdk.photos.delete('Contacts', id))?.message).toBe('Photo deleted');
    expect(await sdk.photos.delete('Contacts', id)).toBeNull();

    const refused = await sdk.photos
      .upload('Contacts', id, Buffer.from('not an image'))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(APIError);
    expect((refused as APIError).message).toBe('Invalid file type');
    // Bigin's 415 for an oversized photo is the SDK's size-limit class, as the attachments' 413.
    const big = await sdk.photos
      .upload('Contacts', id, Buffer.concat([png(1, 1, ''), Buffer.alloc(10 * 1024 * 1024)]))
      .catch((e: unknown) => e);
    expect(big).toBeInstanceOf(FileSizeMoreThanAllowedSizeError);
    expect((big as APIError).status).toBe(415);
    // The token reads Accounts only: an upload there is refused before any byte is read.
    const scope = await sdk.photos
      .upload('Accounts', A.recordIn.Accounts, png(1, 1))
      .catch((e: unknown) => e);
    expect((scope as APIError).code).toBe('OAUTH_SCOPE_MISMATCH');

    expect(await sdk.photos.downloadOrg()).toBeNull();
    expect((await sdk.photos.uploadOrg(png(3, 3, 'logo'))).status).toBe('success');
    const logo = (await sdk.photos.downloadOrg())!;
    expect((await bytesOf(logo.body)).equals(png(3, 3, 'logo'))).toBe(true);
  });

  it('bigin records photo upload|download|delete and bigin org photo upload|download', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bigin-photos-'));
    const env = { BIGIN_CONFIG_DIR: dir, BIGIN_API_DOMAIN: t.url, BIGIN_ACCESS_TOKEN: TOKEN };
    const id = String((await sdk.records.insert('Contacts', { Last_Name: 'Photo CLI' })).details.id);
    const file = join(dir, 'face.png');
    await writeFile(file, png(4, 4, 'cli'));

    const up = await runCli(['records', 'photo', 'upload', 'Contacts', id, file], env);
    expect([up.code, up.stdout.trim()], up.stderr).toEqual([0, 'photo uploaded successfully']);
    const out = join(dir, 'back.png');
    const down = await runCli(['--json', 'records', 'photo', 'download', 'Contacts', id, '-o', out], env);
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout)).toMatchObject({ path: out, contentType: 'image/png' });
    expect((await readFile(out)).equals(png(4, 4, 'cli'))).toBe(true);
    const del = await runCli(['records', 'photo', 'delete', 'Contacts', id], env);
    expect([del.code, del.stdout.trim()]).toEqual([0, 'Photo deleted']);
    const none = await runCli(['records', 'photo', 'download', 'Contacts', id, '-o', out], env);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/has no photo/);

    const orgUp = await runCli(['org', 'photo', 'upload', file], env);
    expect(orgUp.code, orgUp.stderr).toBe(0);
    const orgOut = join(dir, 'logo.png');
    const orgDown = await runCli(['org', 'photo', 'download', '-o', orgOut], env);
    expect(orgDown.code, orgDown.stderr).toBe(0);
    expect((await readFile(orgOut)).equals(png(4, 4, 'cli'))).toBe(true);
    // `bigin org` alone still shows the organisation.
    const org = await runCli(['--json', 'org'], env);
    expect([org.code, JSON.parse(org.stdout).id]).toEqual([0, A.org]);
  });
});
