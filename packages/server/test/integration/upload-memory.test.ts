import { readdir, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../support/bigin.js';
import { filesOrg, filesOrgFixture } from '../support/files-fixture.js';
import { startTestServer, TEST_BACKEND, type TestServer } from '../support/test-server.js';
import { until } from '../support/until.js';
import { BOUNDARY, listPath, MULTIPART_TYPE } from '../support/uploads.js';

// Uploads stream from the socket to the disk: the server holds a few chunks per upload, never a
// whole file. Proven two ways, neither by timing: bytes reach the disk while the client is still
// holding back the rest of its body, and eight concurrent uploads of the full 20 MB limit leave
// the process's resident memory within 64 MB of where it started.

const O = filesOrg(8181818, 'memo');
const MB = 1024 * 1024;
const SIZE = 20 * MB;

// Embedded only: both proofs watch the folder store (its temporary file, the process memory it
// needs). The S3 store holds a few S3_PART_SIZE_MB parts per upload in memory by design
// (multipart parts in flight; docs/deployment.md sizes it), and its streaming is pinned by the
// blob-store contract suite instead.
const describeEmbedded = describe.skipIf(TEST_BACKEND !== 'embedded');

let t: TestServer;
beforeAll(async () => {
  if (TEST_BACKEND !== 'embedded') return;
  t = await startTestServer({ fixture: { organizations: [filesOrgFixture(O)] } });
});
afterAll(() => t?.close());

const path = listPath('Contacts', O.ids.contactOf.rep1);
const admin = O.ids.token('admin');
// One chunk, sent again and again: the client allocates nothing per chunk, so what grows is the server.
const CHUNK = Buffer.alloc(64 * 1024, 0x5a);
const head = Buffer.from(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
);
const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

/** A body of `size` file bytes that waits for `gate` before sending the bytes after `holdAt`. */
function body(size: number, gate?: { holdAt: number; open: Promise<void> }): Readable {
  return Readable.from(
    (async function* () {
      yield head;
      for (let sent = 0; sent < size; sent += CHUNK.length) {
        if (gate && sent === gate.holdAt) await gate.open;
        yield CHUNK.subarray(0, Math.min(CHUNK.length, size - sent));
      }
      yield tail;
    })(),
  );
}

function post(stream: Readable): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, t.url),
      { method: 'POST', headers: { ...auth(admin), 'Content-Type': MULTIPART_TYPE } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    stream.pipe(req);
  });
}

async function tmpBytes(): Promise<number> {
  const dir = join(t.dataDir, 'blobs', '.tmp');
  const names = await readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const n of names) total += (await stat(join(dir, n)).catch(() => ({ size: 0 }))).size;
  return total;
}

describeEmbedded('uploads stream to disk', () => {
  it('writes the first bytes to disk before the client has sent the rest', async () => {
    let open!: () => void;
    const gate = { holdAt: 8 * MB, open: new Promise<void>((r) => (open = r)) };
    const done = post(body(SIZE, gate));
    // The client has sent 8 MB of 20 and waits; the server must already have most of them on disk.
    await until('the server wrote 7 MB of the 8 it received', async () => (await tmpBytes()) >= 7 * MB, {
      watch: t.dataDir,
      withinMs: 20_000,
    });
    open();
    expect(await done).toBe(200);
  });

  it('keeps resident memory within 64 MB during eight concurrent 20 MB uploads', async () => {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      const statuses = await Promise.all(Array.from({ length: 8 }, () => post(body(SIZE))));
      expect(statuses).toEqual(Array(8).fill(200));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMb = (peak - baseline) / MB;
    expect(growthMb, 'growth of resident memory, in MB').toBeLessThan(64);
  });
});
