import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../support/fixtures.js';
import { spawnServer } from '../support/spawn-server.js';
import { TEST_BACKEND } from '../support/test-server.js';
import { until } from '../support/until.js';

// Issue 14 F2: kill -9 during concurrent uploads leaves their partial files in blobs/.tmp; the
// next process sweeps them (at start, then on every purge run) once they are older than the safe
// age, so after the sweep no byte is left without metadata.

const A = orgIds(6363636, 'sw1a');
let dataDir: string;
let fixturePath: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'bigin-sweep-'));
  fixturePath = join(dataDir, 'fixture.json');
  await writeFile(fixturePath, JSON.stringify({ organizations: [orgFixture(A)] }));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const env = {
  PURGE_INTERVAL_SECONDS: '1',
  UPLOAD_TMP_MAX_AGE_SECONDS: '1',
  HTTP_BODY_IDLE_TIMEOUT_SECONDS: '1',
};
const tmpFiles = () => readdir(join(dataDir, 'blobs', '.tmp')).catch(() => [] as string[]);

function slowUpload(url: string, n: number): Socket {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  socket.on('error', () => {});
  socket.write(
    `POST /bigin/v2/Contacts/${A.contactOf.rep1}/Attachments HTTP/1.1\r\nHost: x\r\n` +
      `Authorization: Zoho-oauthtoken ${A.token('admin')}\r\n` +
      'Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000000\r\n\r\n' +
      `--b\r\nContent-Disposition: form-data; name="file"; filename="f${n}.bin"\r\n\r\n${'x'.repeat(65536)}`,
  );
  const timer = setInterval(() => socket.writable && socket.write('y'.repeat(1024)), 100);
  socket.on('close', () => clearInterval(timer));
  return socket;
}

describe.skipIf(TEST_BACKEND !== 'embedded')('temporary upload files after kill -9', () => {
  it('are all removed by the next process', async () => {
    const first = await spawnServer(['--data-dir', dataDir, '--fixture', fixturePath], env);
    const uploads = Array.from({ length: 8 }, (_, i) => slowUpload(first.url, i));
    try {
      await until('8 uploads staged', async () => (await tmpFiles()).length === 8, { watch: dataDir });
      first.process.kill('SIGKILL');
      expect(await first.exited).toBe(null);
    } finally {
      for (const s of uploads) s.destroy();
    }
    // The crash left them: nothing of the dead process removes them.
    expect((await tmpFiles()).length).toBe(8);

    const second = await spawnServer(['--data-dir', dataDir, '--fixture', fixturePath], env);
    try {
      // The next process's sweep removes them once they are older than the safe age (1 s here),
      // and logs it once they are gone: its log line is the event to wait for.
      await second.waitFor(/removed abandoned temporary upload files/);
      expect(await tmpFiles()).toEqual([]);
    } finally {
      second.process.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 40_000);
});
