import { METHODS } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawRequest } from '../support/raw-http.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Issue 14 F4: a method the server does not serve (QUERY, CONNECT, WebDAV's, …) is answered as
// PATCH is on the same path, whatever its Content-Type, and never logs an error.

const SERVED = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']);
const PATHS = [
  '/health',
  '/bigin/v2/Contacts',
  '/bigin/v2/Contacts/1',
  '/bigin/v2/Contacts/1/Attachments',
  '/bigin/v2/Contacts/1/Attachments/2',
  '/oauth/v2/token',
  '/oauth/v2/auth',
  '/no/such/path',
];
const VARIANTS = ['', 'Content-Length: 2\r\n', 'Content-Type: ;;\r\nContent-Length: 2\r\n'];

let t: TestServer;
const lines: string[] = [];
beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  t = await startTestServer({ settings: { LOG_LEVEL: 'info' }, logStream });
});
afterAll(() => t.close());

const send = async (method: string, path: string, variant: string) => {
  const r = await rawRequest(
    t.url,
    `${method} ${path} HTTP/1.1\r\nHost: x\r\n${variant}\r\n${variant ? 'ab' : ''}`,
  );
  return { status: r.status, body: r.body, type: r.headers['content-type'] };
};

it.each(PATHS)('every unserved method on %s gets what PATCH gets', async (path) => {
  for (const variant of VARIANTS) {
    const patch = await send('PATCH', path, variant);
    expect(patch.status).toBeLessThan(500);
    for (const method of METHODS.filter((m) => !SERVED.has(m))) {
      expect({ method, variant, ...(await send(method, path, variant)) }).toEqual({
        method,
        variant,
        ...patch,
      });
    }
  }
  expect(lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50)).toEqual([]);
});

it('answers an authority-form CONNECT with INVALID_URL_PATTERN and closes', async () => {
  const r = await rawRequest(t.url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  expect(r.status).toBe(404);
  expect(JSON.parse(r.body).code).toBe('INVALID_URL_PATTERN');
});

it('answers a POST whose Content-Type cannot be parsed by the route, not with a 415 or 500', async () => {
  const r = await send('POST', '/bigin/v2/Contacts', 'Content-Type: ;;\r\nContent-Length: 2\r\n');
  expect(r.status).toBe(401);
  expect(JSON.parse(r.body).code).toBe('AUTHENTICATION_FAILURE');
});
