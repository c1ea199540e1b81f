import { readdir } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../support/fixtures.js';
import { startTestServer, TEST_BACKEND, type TestServer } from '../support/test-server.js';
import { until } from '../support/until.js';

// Issue 14 F1: every phase of a request has a deadline (configured short here: 1 s each), so a
// slow or stalled client cannot hold a connection; a closed slow upload leaves no temporary file.

const A = orgIds(6262626, 'to1a');
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: { organizations: [orgFixture(A)] },
    settings: {
      HTTP_HEADERS_TIMEOUT_SECONDS: '1',
      HTTP_BODY_IDLE_TIMEOUT_SECONDS: '1',
      HTTP_REQUEST_TIMEOUT_SECONDS: '2',
      HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '1',
      HTTP_DRAIN_TIMEOUT_SECONDS: '1',
    },
  });
});
afterAll(() => t?.close());

/** Opens a connection and resolves, once the server closes it, with what it answered and how long that took. */
function open(): { socket: Socket; closed: Promise<{ ms: number; received: string }> } {
  const { hostname, port } = new URL(t.url);
  const socket = connect({ host: hostname, port: Number(port) });
  const started = Date.now();
  let received = '';
  socket.on('data', (c) => {
    received += String(c);
  });
  socket.on('error', () => {});
  const closed = new Promise<{ ms: number; received: string }>((resolve) =>
    socket.on('close', () => resolve({ ms: Date.now() - started, received })),
  );
  return { socket, closed };
}

/** Writes one byte every 100 ms until the socket closes: a body that is never idle, but never ends. */
function trickle(socket: Socket): void {
  const timer = setInterval(() => {
    if (socket.writable) socket.write('z');
  }, 100);
  socket.on('close', () => clearInterval(timer));
}

const uploadPath = `/bigin/v2/Contacts/${A.contactOf.rep1}/Attachments`;

describe('slow clients are closed within the configured time', () => {
  it('headers that never end (1 s headers timeout)', async () => {
    const { socket, closed } = open();
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    trickle(socket);
    const { ms } = await closed;
    expect(ms).toBeLessThan(3000);
  });

  it('a body trickled a byte at a time, with no token (refused upload: drain deadline, then close)', async () => {
    const { socket, closed } = open();
    socket.write(`POST ${uploadPath} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n`);
    trickle(socket);
    const { ms, received } = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 401 /);
    expect(received).toMatch(/connection: close/i);
    expect(ms).toBeLessThan(3000);
  });

  it('a body that stops arriving (1 s body inactivity)', async () => {
    const { socket, closed } = open();
    socket.write(
      `POST ${uploadPath} HTTP/1.1\r\nHost: x\r\nAuthorization: Zoho-oauthtoken ${A.token('admin')}\r\n` +
        'Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n--b\r\n',
    );
    const { ms } = await closed;
    expect(ms).toBeLessThan(3000);
  });

  it('an idle keep-alive connection (1 s keep-alive timeout)', async () => {
    const { socket, closed } = open();
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const { ms, received } = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(ms).toBeLessThan(3000);
  });
});

describe.skipIf(TEST_BACKEND !== 'embedded')('a slow upload closed by the request timeout', () => {
  it('leaves no temporary file behind', async () => {
    const tmp = join(t.dataDir, 'blobs', '.tmp');
    const { socket, closed } = open();
    socket.write(
      `POST ${uploadPath} HTTP/1.1\r\nHost: x\r\nAuthorization: Zoho-oauthtoken ${A.token('admin')}\r\n` +
        'Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n' +
        '--b\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\n\r\n',
    );
    trickle(socket);
    // The upload is under way: its temporary file exists before the deadline.
    const staged = async () => (await readdir(tmp).catch(() => [])).length > 0;
    await until(
      'the temporary file exists, or the socket closed',
      async () => socket.closed || (await staged()),
      {
        watch: t.dataDir,
        on: [[socket, 'close']],
      },
    );
    expect(await staged()).toBe(true);
    const { ms } = await closed;
    expect(ms).toBeLessThan(4000);
    // Removal follows the close by at most a few event-loop turns.
    await until('.tmp empty after the close', async () => (await readdir(tmp)).length === 0, {
      watch: t.dataDir,
      withinMs: 1000,
    });
  });
});
