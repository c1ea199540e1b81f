import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, JSON_TYPE } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { recordsPath, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// D22: Bigin's response headers (reference §1.11–1.12) on every JSON answer, 200, 201, 204 and
// errors alike; x-accesstoken-reset is the token's expiry in the caller's time zone.

const A = orgIds(7373737, 'hdrs');
const SCOPE = 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL,ZohoBigin.users.ALL,ZohoBigin.org.ALL';
const NAIROBI = 'headers-nairobi-token-000000000';
const LA = 'headers-la-token-00000000000000';
// The test clock stands at 2026-01-15T10:00:00Z; these tokens expire an hour later.
const EXPIRES = '2026-01-15T11:00:00Z';

const STATIC = {
  'content-type': JSON_TYPE,
  'content-disposition': 'attachment; filename=response.json',
  server: 'ZGS',
  'cache-control': 'no-store, no-cache, must-revalidate, private',
  pragma: 'no-cache',
  expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
  'content-language': 'en-US',
  vary: 'Sec-Fetch-Dest,Sec-Fetch-Mode,Sec-Fetch-Site,Sec-Fetch-User',
};

let t: TestServer;
beforeAll(async () => {
  const org = orgFixture(A);
  const nairobi = `${A.org.slice(0, 7)}900000000001`;
  const la = `${A.org.slice(0, 7)}900000000002`;
  org.users.push(
    {
      id: nairobi,
      name: 'N',
      email: 'n@example.com',
      profile: 'Administrator',
      role: 'CEO',
      timeZone: 'Africa/Nairobi',
    },
    {
      id: la,
      name: 'L',
      email: 'l@example.com',
      profile: 'Administrator',
      role: 'CEO',
      timeZone: 'America/Los_Angeles',
    },
  );
  org.tokens.push(
    { token: NAIROBI, user: nairobi, scope: SCOPE, expiresAt: EXPIRES },
    { token: LA, user: la, scope: SCOPE, expiresAt: FAR_FUTURE },
  );
  t = await startTestServer({ fixture: { organizations: [org] } });
});
afterAll(() => t?.close());

const staticOf = (h: Headers) => Object.fromEntries(Object.keys(STATIC).map((k) => [k, h.get(k)]));

function expectBiginHeaders(h: Headers): void {
  expect(staticOf(h)).toEqual(STATIC);
  expect(h.get('clientversion')).toMatch(/^[0-9]{8}$/);
  expect(h.get('clientsubversion')).toMatch(/^[0-9a-f]{32}$/);
  expect(h.get('server-timing')).toMatch(
    /^totalTime;desc="Total Execution Time";dur=[0-9]+,murphySpanId;desc="";dur=0$/,
  );
  expect(h.get('set-cookie')).toBeNull();
}

describe('Bigin headers', () => {
  it('are on a 204, whose body is empty and has no Content-Length', async () => {
    const res = await call(t.url, 'GET', `${recordsPath('Calls')}?page=9`, NAIROBI);
    expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
    expectBiginHeaders(res.headers);
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('x-accesstoken-reset')).toBe('2026-01-15T14:00:00+03:00');
  });

  it('are on a 200, a 201 and an error after the token', async () => {
    const read = await call(t.url, 'GET', '/bigin/v2/org', NAIROBI);
    expect(read.status).toBe(200);
    expectBiginHeaders(read.headers);
    const created = await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), NAIROBI, {
      data: [{ Last_Name: 'Header' }],
    });
    expect(created.status).toBe(201);
    expectBiginHeaders(created.headers);
    const refused = await call(t.url, 'GET', '/bigin/v2/settings/roles', NAIROBI);
    expect(refused.status).toBe(401);
    expectBiginHeaders(refused.headers);
    for (const res of [read, created, refused])
      expect(res.headers.get('x-accesstoken-reset')).toBe('2026-01-15T14:00:00+03:00');
  });

  it("show the token's expiry in the caller's own zone", async () => {
    const res = await call(t.url, 'GET', '/bigin/v2/org', LA);
    expect(res.headers.get('x-accesstoken-reset')).toBe('2098-12-31T16:00:00-08:00');
  });

  it('are on errors before the token, without x-accesstoken-reset', async () => {
    for (const res of [
      await call(t.url, 'GET', '/bigin/v2/org'),
      await call(t.url, 'GET', '/bigin/v3/org', NAIROBI),
      await call(t.url, 'PATCH', '/bigin/v2/org', NAIROBI),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expectBiginHeaders(res.headers);
      expect(res.headers.get('x-accesstoken-reset')).toBeNull();
    }
  });

  it('are not on an attachment download (a file, not JSON)', async () => {
    const res = await call(
      t.url,
      'GET',
      `/bigin/v2/Contacts/${A.contactOf.rep1}/Attachments/${A.attachment[0]}`,
      A.token('admin'),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).not.toBe('attachment; filename=response.json');
    expect(res.headers.get('x-accesstoken-reset')).toBeNull();
  });
});
