import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { testS3Settings } from '../support/s3.js';
import { MAIN } from '../support/spawn-server.js';

// A server on S3 writes nothing but its own log: the AWS SDK's Node-version notice is turned off
// by the SDK's own switch (s3-blob-store.ts), and no other warning (checksums, streams of unknown
// length, deprecations) appears on an upload, a download or a delete.

const A = orgIds(8383838, 'awswarn');
const CONTACT = A.contactOf.rep1;

describe('a server on S3', () => {
  it('prints no warning of the AWS SDK or of Node, starting or moving bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bigin-s3-warnings-'));
    const fixture = join(dir, 'fixture.json');
    await writeFile(fixture, JSON.stringify({ organizations: [orgFixture(A)] }));
    // Not inherited from the test run (vitest.config.ts sets it there): the server must set it.
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...testS3Settings(),
      DATA_DIR: dir,
      FIXTURE: fixture,
      DEV_SEED: 'false',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      DATA_CENTERS: 'us',
    };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const child = spawn(process.execPath, [MAIN, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString('utf8');
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      exited.then(() => reject(new Error(`exited before listening:\n${stdout}\n${stderr}`)));
    });
    const server = { url };
    try {
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(6 * 1024 * 1024, 7)]), 'big.bin');
      const up = await call(
        server.url,
        'POST',
        `/bigin/v2/Contacts/${CONTACT}/Attachments`,
        A.token('admin'),
        {
          body: form,
        },
      );
      expect(up.status).toBe(200);
      const id = (up.json as { data: Array<{ details: { id: string } }> }).data[0]!.details.id;
      const down = await call(server.url, 'GET', attachmentPath('Contacts', CONTACT, id), A.token('admin'));
      expect(down.status).toBe(200);
      expect(
        (await call(server.url, 'DELETE', attachmentPath('Contacts', CONTACT, id), A.token('admin'))).status,
      ).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    }
    // The log is JSON lines on stdout; anything on stderr (Node's warnings go there) is a failure.
    expect(stderr).toBe('');
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .filter((l) => !l.startsWith('{')),
    ).toEqual([]);
  });
});
