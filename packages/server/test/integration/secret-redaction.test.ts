import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/bigin.js';
import { orgFixture, orgIds } from '../support/fixtures.js';
import { startTestServer, TEST_BACKEND, type TestServer } from '../support/test-server.js';

// Issue 14 F7: no secret reaches a log line or the data folder, whichever way it is sent: the
// Authorization header, a query parameter, a form body, a token-shaped value anywhere in the URL,
// or the message of a logged error.

const A = orgIds(6464646, 'rd1a');
const NAMES = [
  'authtoken',
  'oauth_token',
  'access_token',
  'refresh_token',
  'client_secret',
  'code',
  'password',
  'token',
];
const hex = (n: number) => randomBytes(n).toString('hex');
/** Each secret unique, so that any occurrence in the output is this test's. */
const secrets = new Map<string, string>();
const secret = (label: string, tokenShaped = false) => {
  const value = tokenShaped ? `1000.${hex(16)}.${hex(16)}` : `S3cr3t${label.replace(/\W/g, '')}${hex(6)}Z`;
  secrets.set(label, value);
  return value;
};

let t: TestServer;
const lines: string[] = [];
beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  t = await startTestServer({
    fixture: { organizations: [orgFixture(A)] },
    settings: { LOG_LEVEL: 'trace' },
    logStream,
  });
});
afterAll(() => t?.close());

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('secrets in requests', () => {
  it('never reach the log or the data folder', async () => {
    const paths = ['/bigin/v2/Contacts', '/oauth/v2/token', '/oauth/v2/auth', '/oauth/v2/token/revoke'];
    for (const path of paths) {
      for (const name of NAMES) {
        for (const shaped of [false, true]) {
          const q = secret(`${path} ?${name} ${shaped}`, shaped);
          await call(t.url, 'GET', `${path}?${name}=${encodeURIComponent(q)}&grant_type=authorization_code`);
          await call(t.url, 'POST', `${path}?client_id=x&${name}=${q}`);
          const b = secret(`${path} body ${name} ${shaped}`, shaped);
          await call(t.url, 'POST', path, undefined, {
            headers: form,
            body: `${name}=${encodeURIComponent(b)}&grant_type=refresh_token`,
          });
        }
      }
      const bearer = secret(`${path} bearer`, true);
      await call(t.url, 'GET', path, bearer);
      const basic = secret(`${path} basic`);
      await call(t.url, 'POST', path, undefined, {
        headers: { ...form, authorization: `Basic ${Buffer.from(`client:${basic}`).toString('base64')}` },
        body: 'grant_type=client_credentials',
      });
    }
    // A token-shaped value anywhere in the path.
    await call(t.url, 'GET', `/bigin/v2/${secret('path segment', true)}/1`);
    await call(
      t.url,
      'GET',
      `/bigin/v2/Contacts/${secret('path segment encoded', true).replace(/\./g, '%2E')}`,
    );
    // A valid token, used: it must not appear either.
    secrets.set('valid token', A.token('admin'));
    expect((await call(t.url, 'GET', '/bigin/v2/Contacts', A.token('admin'))).status).toBe(200);
    // An error whose message quotes a secret.
    const quoted = secret('error message', true);
    t.server.app.log.error(
      { err: new Error(`query failed for ${quoted}`, { cause: new Error(quoted) }) },
      `saw ${quoted}`,
    );

    const log = lines.join('');
    expect(log).toContain('[redacted]');
    expect(lines.length).toBeGreaterThan(NAMES.length * 4 * 6);
    for (const [label, value] of secrets)
      expect({ label, inLog: log.includes(value) }).toEqual({ label, inLog: false });

    if (TEST_BACKEND === 'embedded') {
      const files = (await readdir(t.dataDir, { recursive: true })).map((f) => join(t.dataDir, f));
      let read = 0;
      for (const file of files) {
        const bytes = await readFile(file).catch(() => null);
        if (!bytes || file.endsWith('fixture.json')) continue;
        read++;
        for (const [label, value] of secrets)
          expect({ label, file, found: bytes.includes(value) }).toEqual({ label, file, found: false });
      }
      expect(read).toBeGreaterThan(0);
    }
  }, 60_000);
});
