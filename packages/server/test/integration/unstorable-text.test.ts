import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/bigin.js';
import { orgFixture, orgIds } from '../support/fixtures.js';
import { recordsPath, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Issue 14 F3, decision D-14: a NUL or an unpaired UTF-16 surrogate is refused as INVALID_DATA
// (Accounts: invalid_request) on both stores alike, before anything is written. This file runs
// on SQLite (`npm test`) and on PostgreSQL + S3 (the scale-out project) with the same answers.

const A = orgIds(6666161, 'ut1a');
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ fixture: { organizations: [orgFixture(A)] } });
});
afterAll(() => t?.close());
const admin = A.token('admin');

describe('records and notes', () => {
  it.each([
    ['a NUL', String.raw`"a\u0000b"`],
    ['a lone high surrogate', String.raw`"\ud800"`],
    ['a lone low surrogate', String.raw`"x\udc00"`],
  ])('refuse %s in a field with INVALID_DATA', async (_n, json) => {
    for (const [module, body] of [
      ['Contacts', `{"data":[{"Last_Name":${json}}]}`],
      [
        'Notes',
        `{"data":[{"Note_Content":${json},"Parent_Id":{"id":"${A.contactOf.rep1}"},"se_module":"Contacts"}]}`,
      ],
    ] as const) {
      const res = await sendJsonBody(t.url, 'POST', recordsPath(module), admin, body);
      expect({ module, status: res.status, item: (res.json as { data: unknown[] }).data[0] }).toMatchObject({
        module,
        status: 400,
        item: {
          code: 'INVALID_DATA',
          details: { api_name: module === 'Notes' ? 'Note_Content' : 'Last_Name' },
        },
      });
    }
  });

  it('still take a well-formed surrogate pair', async () => {
    const res = await sendJsonBody(
      t.url,
      'POST',
      recordsPath('Contacts'),
      admin,
      String.raw`{"data":[{"Last_Name":"\ud83d\ude00"}]}`,
    );
    expect(res.status).toBe(201);
  });
});

describe('Zoho Accounts', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  it.each([
    ['/oauth/v2/token', 'POST', 'grant_type=authorization_code&code=x&client_secret=y&client_id=a%00b'],
    ['/oauth/v2/auth', 'POST', 'response_type=code&scope=ZohoBigin.modules.ALL&client_id=a%00b'],
  ])('%s refuses a client_id with a NUL as invalid_request', async (path, method, body) => {
    for (const res of [
      await call(t.url, method, path, undefined, { headers: form, body }),
      await call(t.url, method, `${path}?${body}`),
    ]) {
      expect({ status: res.status, body: res.json }).toEqual({
        status: 400,
        body: { error: 'invalid_request' },
      });
    }
  });

  it('refuses Basic credentials with a NUL', async () => {
    const res = await call(t.url, 'POST', '/oauth/v2/token', undefined, {
      headers: { ...form, authorization: `Basic ${Buffer.from('a%00b:secret').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect({ status: res.status, body: res.json }).toEqual({
      status: 400,
      body: { error: 'invalid_request' },
    });
  });
});

describe('attachments', () => {
  it('refuses a link title with a NUL', async () => {
    const res = await call(t.url, 'POST', `/bigin/v2/Contacts/${A.contactOf.rep1}/Attachments`, admin, {
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      body:
        '--b\r\nContent-Disposition: form-data; name="attachmentUrl"\r\n\r\nhttps://example.com/\r\n' +
        '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\na\u0000b\r\n--b--\r\n',
    });
    expect(res.status).toBe(400);
    expect((res.json as { code: string }).code).toBe('INVALID_DATA');
  });
});
