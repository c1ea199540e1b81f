import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deleteSuccess, ERR, JSON_TYPE } from '../support/bigin.js';
import { attachmentPath, FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';

// Every row of the decision table for DELETE …/Attachments/{id} (docs/decisions.md, D4), each
// asserting status, full body and content type, against a server on a real port.

const A = orgIds(1111111, 'aaaa');
const B = orgIds(2222222, 'bbbb');
const HOUR = 3_600_000;
const tok = {
  expired: '1000.expired0000000000000000000000.00000000000000000000000000000000',
  expiresSoon: '1000.expiressoon000000000000000000.00000000000000000000000000000000',
  revoked: '1000.revoked0000000000000000000000.00000000000000000000000000000000',
  eu: '1000.eu000000000000000000000000000.00000000000000000000000000000000',
};

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: {
      organizations: [
        orgFixture(A, {
          disabledModules: ['Products'],
          extraTokens: [
            {
              token: tok.expired,
              user: A.user.admin,
              scope: 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL',
              expiresAt: new Date(TEST_EPOCH - 1).toISOString(),
            },
            {
              token: tok.expiresSoon,
              user: A.user.admin,
              scope: 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL',
              expiresAt: new Date(TEST_EPOCH + HOUR).toISOString(),
            },
            {
              token: tok.revoked,
              user: A.user.admin,
              scope: 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL',
              expiresAt: FAR_FUTURE,
              revoked: true,
            },
          ],
        }),
        orgFixture(B),
        orgFixture(orgIds(3333333, 'cccc'), {
          dataCenter: 'eu',
          extraTokens: [],
        }),
      ],
    },
  });
  // The EU organisation's own admin token, renamed for readability.
  tok.eu = orgIds(3333333, 'cccc').token('admin');
});
afterAll(() => t?.close());

const del = (path: string, token?: string, headers?: Record<string, string>) =>
  call(t.url, 'DELETE', path, token, headers ? { headers } : {});

async function expectAnswer(
  res: Awaited<ReturnType<typeof call>>,
  status: number,
  body: unknown,
): Promise<void> {
  expect({ status: res.status, body: res.json, contentType: res.contentType }).toEqual({
    status,
    body,
    contentType: JSON_TYPE,
  });
}

const adminA = A.token('admin');
const rep1Contact = A.contactOf.rep1;

describe('success', () => {
  it('deletes an attachment and answers the documented body byte for byte', async () => {
    const res = await del(attachmentPath('Contacts', rep1Contact, A.attachment[0]!), adminA);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe(JSON_TYPE);
    expect(res.text).toBe(
      `{"data":[{"code":"SUCCESS","details":{"id":"${A.attachment[0]}"},"message":"record deleted","status":"success"}]}`,
    );
  });

  it('answers a second delete of the same attachment with INVALID_DATA at index 3 (row 12)', async () => {
    const path = attachmentPath('Contacts', rep1Contact, A.attachment[1]!);
    await expectAnswer(await del(path, adminA), 200, deleteSuccess(A.attachment[1]!));
    await expectAnswer(await del(path, adminA), 400, ERR.attachmentNotFound);
  });

  it('deletes in every module the attachments API serves', async () => {
    for (const [module, recordId] of Object.entries(A.recordIn)) {
      if (module === 'Products') continue; // disabled in this organisation (row 8)
      const id = A.attachmentOn[recordId]!;
      await expectAnswer(await del(attachmentPath(module, recordId, id), adminA), 200, deleteSuccess(id));
    }
  });
});

describe('row 1: INVALID_URL_PATTERN', () => {
  it.each([
    ['a wrong version', `/bigin/v3/Contacts/${rep1Contact}/Attachments/${A.attachment[2]}`],
    ['a misspelt segment', `/bigin/v2/Contacts/${rep1Contact}/Attachment/${A.attachment[2]}`],
    ['a lower-case segment', `/bigin/v2/Contacts/${rep1Contact}/attachments/${A.attachment[2]}`],
    ['an extra segment', `/bigin/v2/Contacts/${rep1Contact}/Attachments/${A.attachment[2]}/x`],
    ['a trailing slash', `/bigin/v2/Contacts/${rep1Contact}/Attachments/${A.attachment[2]}/`],
    ['the root', '/'],
    ['an unknown product', '/crm/v2/Leads'],
  ])('answers %s with 404', async (_name, path) => {
    await expectAnswer(await del(path, adminA), 404, ERR.urlPattern);
  });

  it('answers before authentication', async () => {
    await expectAnswer(await del('/bigin/v2/Contacts/1/Attachments/2/3'), 404, ERR.urlPattern);
  });
});

describe('row 2: INVALID_REQUEST_METHOD', () => {
  it.each(['PUT', 'PATCH', 'POST'])(
    'answers %s on the attachment URL with 400, before authentication',
    async (method) => {
      const path = attachmentPath('Contacts', rep1Contact, A.attachment[2]!);
      await expectAnswer(await call(t.url, method, path), 400, ERR.requestMethod);
      await expectAnswer(await call(t.url, method, path, adminA), 400, ERR.requestMethod);
    },
  );
});

describe('row 3: AUTHENTICATION_FAILURE', () => {
  const path = attachmentPath('Contacts', rep1Contact, A.attachment[2]!);
  it.each([
    ['no Authorization header', {}],
    ['an empty header', { Authorization: '' }],
    ['the Bearer scheme', { Authorization: `Bearer ${adminA}` }],
    ['a scheme without token', { Authorization: 'Zoho-oauthtoken' }],
    ['a token with spaces', { Authorization: `Zoho-oauthtoken ${adminA} extra` }],
    ['the token alone', { Authorization: adminA }],
  ])('answers %s with 401', async (_name, headers) => {
    await expectAnswer(await del(path, undefined, headers), 401, ERR.authFailure);
  });

  it('answers a duplicated Authorization header with 401 even when both are valid', async () => {
    const res = await rawRequest(
      t.url,
      `DELETE ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Zoho-oauthtoken ${adminA}\r\nAuthorization: Zoho-oauthtoken ${adminA}\r\n\r\n`,
    );
    expect({ status: res.status, body: JSON.parse(res.body), type: res.headers['content-type'] }).toEqual({
      status: 401,
      body: ERR.authFailure,
      type: JSON_TYPE,
    });
  });

  it('accepts the scheme in any letter case', async () => {
    const id = A.attachment[3]!;
    const res = await del(attachmentPath('Contacts', rep1Contact, id), undefined, {
      Authorization: `ZOHO-OAUTHTOKEN ${adminA}`,
    });
    await expectAnswer(res, 200, deleteSuccess(id));
  });
});

describe('row 4: INVALID_TOKEN', () => {
  const path = attachmentPath('Contacts', rep1Contact, A.attachment[4]!);
  it.each([
    ['an unknown token', '1000.00000000000000000000000000000000.00000000000000000000000000000000'],
    ['an expired token', tok.expired],
    ['a revoked token', tok.revoked],
    ["a deactivated user's token", A.token('inactive')],
    ['a token minted in another data center (EU token on the US domain)', tok.eu],
  ])('answers %s with 401', async (_name, token) => {
    await expectAnswer(await del(path, token), 401, ERR.invalidToken);
  });

  // fetch may not set Host, so these two speak raw HTTP.
  const onHost = async (host: string, target: string, token: string) => {
    const res = await rawRequest(
      t.url,
      `DELETE ${target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Zoho-oauthtoken ${token}\r\n\r\n`,
    );
    return { status: res.status, body: JSON.parse(res.body), type: res.headers['content-type'] };
  };

  it('refuses a US token on the EU API domain', async () => {
    expect(await onHost('www.zohoapis.eu', path, adminA)).toEqual({
      status: 401,
      body: ERR.invalidToken,
      type: JSON_TYPE,
    });
  });

  it('accepts an EU token on the EU API domain', async () => {
    const eu = orgIds(3333333, 'cccc');
    const id = eu.attachment[0]!;
    expect(
      await onHost('www.zohoapis.eu:443', attachmentPath('Contacts', eu.contactOf.rep1, id), tok.eu),
    ).toEqual({
      status: 200,
      body: deleteSuccess(id),
      type: JSON_TYPE,
    });
  });

  it('refuses a token once the clock passes its expiry, without sleeping', async () => {
    const id = A.attachment[5]!;
    await expectAnswer(
      await del(attachmentPath('Contacts', rep1Contact, id), tok.expiresSoon),
      200,
      deleteSuccess(id),
    );
    t.clock.advance(HOUR);
    try {
      await expectAnswer(await del(path, tok.expiresSoon), 401, ERR.invalidToken);
    } finally {
      t.clock.set(TEST_EPOCH);
    }
  });
});

describe('rows 5 and 6: INVALID_MODULE', () => {
  it.each(['Leads', 'contacts', 'Companies', 'Deals', 'Attachments', 'Contacts%C3%A9', '%E2%9C%93', '%20'])(
    'answers the unknown module %s with "seems to be invalid"',
    async (module) => {
      await expectAnswer(
        await del(`/bigin/v2/${module}/${rep1Contact}/Attachments/${A.attachment[6]}`, adminA),
        400,
        ERR.invalidModule,
      );
    },
  );

  it.each(['Calls', 'Documents', 'Projects'])('answers %s with "not supported in API"', async (module) => {
    const res = await del(attachmentPath(module, A.callRecord, A.attachmentOn[A.callRecord]!), adminA);
    await expectAnswer(res, 400, ERR.moduleNotSupported);
  });

  it('checks the module after authentication', async () => {
    await expectAnswer(await del(`/bigin/v2/Leads/1/Attachments/2`), 401, ERR.authFailure);
  });
});

describe('row 8: INVALID_MODULE for a module the user cannot see', () => {
  it('answers a user whose profile cannot view the module', async () => {
    const res = await del(
      attachmentPath('Contacts', A.contactOf.admin, A.attachmentOn[A.contactOf.admin]!),
      A.token('noTab'),
    );
    await expectAnswer(res, 400, ERR.invalidModule);
  });

  it('answers a module the organisation has disabled, even for an administrator', async () => {
    const rec = A.recordIn.Products;
    await expectAnswer(
      await del(attachmentPath('Products', rec, A.attachmentOn[rec]!), adminA),
      400,
      ERR.invalidModule,
    );
  });
});

describe('row 9: NO_PERMISSION', () => {
  it('answers a user whose profile lacks the Files delete permission', async () => {
    const res = await del(
      attachmentPath('Contacts', A.contactOf.rep1, A.attachment[6]!),
      A.token('standard'),
    );
    await expectAnswer(res, 403, ERR.noPermission);
  });
});

describe('row 10: INVALID_DATA for the record', () => {
  it.each([
    ['an id that does not exist', '1111111999999999999'],
    ['a deleted record', A.deletedContact],
    ['a record of another module', A.recordIn.Accounts],
    ["another organisation's record", B.contactOf.rep1],
    ['an id with letters', '12ab'],
    ['an id of 20 digits', '12345678901234567890'],
    ['an id with an encoded slash', '1%2F2'],
    ['a negative id', '-1'],
    ['an empty segment', ''],
  ])('answers %s with index 1', async (_name, recordId) => {
    await expectAnswer(
      await del(`/bigin/v2/Contacts/${recordId}/Attachments/${A.attachment[6]}`, adminA),
      400,
      ERR.recordNotFound,
    );
  });
});

describe('row 11: AUTHORIZATION_FAILED and record visibility', () => {
  const on = (owner: keyof typeof A.contactOf) =>
    attachmentPath('Contacts', A.contactOf[owner], A.attachmentOn[A.contactOf[owner]]!);

  it("refuses a peer's record when the role does not share with peers", async () => {
    await expectAnswer(await del(on('rep1'), A.token('rep2')), 400, ERR.authorizationFailed);
  });

  it("refuses a superior's record", async () => {
    await expectAnswer(await del(on('manager'), A.token('rep1')), 400, ERR.authorizationFailed);
  });

  it('refuses a record of a user in another branch of the hierarchy', async () => {
    await expectAnswer(await del(on('rep2'), A.token('peerA')), 400, ERR.authorizationFailed);
  });

  it("allows a peer's record when the role shares with peers", async () => {
    const id = A.attachmentOn[A.contactOf.peerA]!;
    await expectAnswer(await del(on('peerA'), A.token('peerB')), 200, deleteSuccess(id));
  });

  it("allows a subordinate's record to the manager above", async () => {
    const id = A.attachmentOn[A.contactOf.rep2]!;
    await expectAnswer(await del(on('rep2'), A.token('manager')), 200, deleteSuccess(id));
  });

  it('allows the owner', async () => {
    const id = A.attachment[7]!;
    await expectAnswer(
      await del(attachmentPath('Contacts', rep1Contact, id), A.token('rep1')),
      200,
      deleteSuccess(id),
    );
  });

  it('allows an administrator any record', async () => {
    const id = A.attachmentOn[A.contactOf.manager]!;
    await expectAnswer(await del(on('manager'), adminA), 200, deleteSuccess(id));
  });
});

describe('row 12: INVALID_DATA for the attachment', () => {
  it.each([
    ['an id that does not exist', '1111111999999999999'],
    ['an attachment of another record', A.attachmentOn[A.contactOf.admin]!],
    ["another organisation's attachment", B.attachment[0]!],
    ['an id with letters', 'abc'],
    ['an id of 20 digits', '12345678901234567890'],
  ])('answers %s with index 3', async (_name, attachmentId) => {
    await expectAnswer(
      await del(attachmentPath('Contacts', rep1Contact, attachmentId), adminA),
      400,
      ERR.attachmentNotFound,
    );
  });
});

describe('two organisations of the same shape', () => {
  it('answers every attempt on the other organisation exactly as for a missing id', async () => {
    const missingRecord = await del(
      attachmentPath('Contacts', '2222222999999999999', B.attachment[8]!),
      adminA,
    );
    const foreignRecord = await del(attachmentPath('Contacts', B.contactOf.rep1, B.attachment[8]!), adminA);
    expect(foreignRecord.status).toBe(missingRecord.status);
    expect(foreignRecord.text).toBe(missingRecord.text);
    expect([...foreignRecord.headers.keys()].sort()).toEqual([...missingRecord.headers.keys()].sort());

    const missingAttachment = await del(
      attachmentPath('Contacts', rep1Contact, '1111111999999999998'),
      adminA,
    );
    const foreignAttachment = await del(attachmentPath('Contacts', rep1Contact, B.attachment[8]!), adminA);
    expect(foreignAttachment.status).toBe(missingAttachment.status);
    expect(foreignAttachment.text).toBe(missingAttachment.text);

    // And the foreign attachment is still there for its own organisation.
    const own = await del(attachmentPath('Contacts', B.contactOf.rep1, B.attachment[8]!), B.token('admin'));
    await expectAnswer(own, 200, deleteSuccess(B.attachment[8]!));
  });
});

describe('concurrency', () => {
  it('gives exactly one SUCCESS among 50 concurrent deletes of one attachment', async () => {
    const id = A.attachment[9]!;
    const path = attachmentPath('Contacts', rep1Contact, id);
    const results = await Promise.all(Array.from({ length: 50 }, () => del(path, adminA)));
    const successes = results.filter((r) => r.status === 200);
    expect(successes).toHaveLength(1);
    expect(successes[0]!.json).toEqual(deleteSuccess(id));
    for (const r of results.filter((x) => x.status !== 200)) {
      expect({ status: r.status, body: r.json }).toEqual({ status: 400, body: ERR.attachmentNotFound });
    }
  });
});

describe('bad input never gets a 5xx', () => {
  const send = (target: string, headers = `Authorization: Zoho-oauthtoken ${adminA}\r\n`) =>
    rawRequest(t.url, `DELETE ${target} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`);

  it.each([
    ['a dot-dot record id', `/bigin/v2/Contacts/../Attachments/1`, 400, 'INVALID_DATA'],
    ['a dot-dot module', `/bigin/v2/../1/Attachments/1`, 400, 'INVALID_MODULE'],
    [
      'dot-dot climbing out of the pattern',
      `/bigin/v2/Contacts/../x/Attachments/1`,
      404,
      'INVALID_URL_PATTERN',
    ],
    ['a malformed percent-encoding', `/bigin/v2/Contacts/%zz/Attachments/1`, 404, 'INVALID_URL_PATTERN'],
    ['an encoded slash in the module', `/bigin/v2/Con%2Ftacts/1/Attachments/1`, 400, 'INVALID_MODULE'],
    [
      'a Unicode module name',
      `/bigin/v2/%D0%9A%D0%BE%D0%BD%D1%82%D0%B0%D0%BA%D1%82%D1%8B/1/Attachments/1`,
      400,
      'INVALID_MODULE',
    ],
    ['a 64 KB record id', `/bigin/v2/Contacts/${'9'.repeat(65536)}/Attachments/1`, 400, 'INVALID_DATA'],
    ['a 200 KB path', `/bigin/v2/Contacts/${'9'.repeat(200_000)}/Attachments/1`, 404, 'INVALID_URL_PATTERN'],
    [
      'a query string',
      `/bigin/v2/Contacts/${rep1Contact}/Attachments/1111111999999999999?x=%00&y`,
      400,
      'INVALID_DATA',
    ],
  ])('answers %s with a documented 4xx', async (_name, target, status, code) => {
    const res = await send(target);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe(JSON_TYPE);
    const body = JSON.parse(res.body);
    expect(body.code).toBe(code);
    expect(Object.keys(body)).toEqual(['code', 'details', 'message', 'status']);
  });

  it('answers a malformed request line with a documented 4xx', async () => {
    const res = await rawRequest(t.url, 'DELETE /bigin v2 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(res.status).toBeLessThan(500);
    expect(JSON.parse(res.body).status).toBe('error');
  });

  it('ignores a body sent with the DELETE', async () => {
    const id = A.attachment[10]!;
    const res = await call(t.url, 'DELETE', attachmentPath('Contacts', rep1Contact, id), adminA, {
      headers: { 'Content-Type': 'application/json' },
      body: '{not json',
    });
    await expectAnswer(res, 200, deleteSuccess(id));
  });
});
