import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR, errorEnvelope } from '../support/bigin.js';
import { orgFixture, orgIds } from '../support/fixtures.js';
import {
  expectJson,
  ID_19,
  idOf,
  itemError,
  mandatory,
  recordsPath,
  sendJsonBody,
} from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// POST /bigin/v2/{module} (docs/records.md): per-item results, every per-item error with its
// details in single and 100-item calls, the status of each mix, and the whole-request refusals.

const A = orgIds(4141414, 'ins1');
const NOW = '2026-01-15T10:00:00+00:00';
const scoped = (scope: string) =>
  `1000.${scope
    .replace(/[^a-z]/gi, '')
    .toLowerCase()
    .padEnd(32, '0')
    .slice(0, 32)}.eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee`;
const SCOPES = [
  'ZohoBigin.modules.contacts.READ',
  'ZohoBigin.modules.contacts.CREATE',
  'ZohoBigin.modules.Contacts.ALL',
  'ZohoBigin.modules.accounts.WRITE',
];

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: {
      organizations: [
        {
          ...orgFixture(A),
          tokens: [
            ...orgFixture(A).tokens,
            ...SCOPES.map((scope) => ({
              token: scoped(scope),
              user: A.user.admin,
              scope,
              expiresAt: '2099-01-01T00:00:00Z',
            })),
          ],
        },
      ],
    },
  });
});
afterAll(() => t?.close());

const admin = A.token('admin');
const post = (module: string, body: unknown, token = admin) =>
  sendJsonBody(t.url, 'POST', recordsPath(module), token, body);
const adminRef = { name: 'admin', id: A.user.admin };
const added = (id: string) => ({
  code: 'SUCCESS',
  details: { Modified_Time: NOW, Modified_By: adminRef, Created_Time: NOW, id, Created_By: adminRef },
  message: 'record added',
  status: 'success',
});

describe('single insert', () => {
  it('creates a contact: 201 and the documented body, key for key', async () => {
    const res = await post('Contacts', {
      data: [{ First_Name: 'Ada', Last_Name: 'Lovelace', Email: 'ada@example.com' }],
    });
    const id = idOf(res);
    expect(id).toMatch(ID_19);
    expectJson(res, 201, { data: [added(id)] });
    expect(res.text).toBe(
      `{"data":[{"code":"SUCCESS","details":{"Modified_Time":"${NOW}","Modified_By":{"name":"admin","id":"${A.user.admin}"},"Created_Time":"${NOW}","id":"${id}","Created_By":{"name":"admin","id":"${A.user.admin}"}},"message":"record added","status":"success"}]}`,
    );
    const got = await call(
      t.url,
      'GET',
      `${recordsPath('Contacts', id)}?fields=First_Name,Last_Name,Email,Owner,Created_By,Modified_By,Created_Time,Modified_Time`,
      admin,
    );
    const owner = { name: 'admin', id: A.user.admin, email: `admin@${A.org}.example.com` };
    expectJson(got, 200, {
      data: [
        {
          id,
          First_Name: 'Ada',
          Last_Name: 'Lovelace',
          Email: 'ada@example.com',
          Owner: owner,
          Created_By: owner,
          Modified_By: owner,
          Created_Time: NOW,
          Modified_Time: NOW,
        },
      ],
    });
  });

  it.each([
    ['Contacts', { First_Name: 'x' }, 'Last_Name'],
    ['Accounts', { Phone: '1' }, 'Account_Name'],
    [
      'Pipelines',
      { Stage: 'Qualification', Pipeline: { name: 'Sales' }, Sub_Pipeline: 'Standard' },
      'Deal_Name',
    ],
    ['Pipelines', { Deal_Name: 'd', Pipeline: { name: 'Sales' }, Sub_Pipeline: 'Standard' }, 'Stage'],
    ['Pipelines', { Deal_Name: 'd', Stage: 'Qualification', Sub_Pipeline: 'Standard' }, 'Pipeline'],
    ['Pipelines', { Deal_Name: 'd', Stage: 'Qualification', Pipeline: { name: 'Sales' } }, 'Sub_Pipeline'],
    ['Products', { Unit_Price: 3 }, 'Product_Name'],
    ['Tasks', { Status: 'Deferred' }, 'Subject'],
    [
      'Events',
      { Start_DateTime: '2026-01-15T10:00:00+00:00', End_DateTime: '2026-01-15T11:00:00+00:00' },
      'Event_Title',
    ],
    ['Events', { Event_Title: 'e', End_DateTime: '2026-01-15T11:00:00+00:00' }, 'Start_DateTime'],
    [
      'Calls',
      { Subject: 's', Call_Type: 'Outbound', Call_Start_Time: '2026-01-15T10:00:00+00:00' },
      'Call_Duration',
    ],
    [
      'Calls',
      { Subject: 's', Call_Start_Time: '2026-01-15T10:00:00+00:00', Call_Duration: '10:00' },
      'Call_Type',
    ],
    [
      'Notes',
      { Note_Title: 't', Parent_Id: { id: A.contactOf.admin }, se_module: 'Contacts' },
      'Note_Content',
    ],
    ['Notes', { Note_Content: 'c', se_module: 'Contacts' }, 'Parent_Id'],
    ['Contacts', { Last_Name: '   ' }, 'Last_Name'],
  ])(
    '%s without a mandatory field: 400 MANDATORY_NOT_FOUND naming it (%#)',
    async (module, record, field) => {
      expectJson(await post(module, { data: [record] }), 400, { data: [mandatory(field, 0)] });
    },
  );

  it.each([
    ['an item that is not an object', 'Contacts', 'x', { json_path: '$.data[0]' }],
    [
      'an unknown owner',
      'Contacts',
      { Last_Name: 'x', Owner: { id: '1' } },
      { api_name: 'Owner', json_path: '$.data[0].Owner' },
    ],
    [
      'a deactivated owner',
      'Contacts',
      { Last_Name: 'x', Owner: { id: A.user.inactive } },
      { api_name: 'Owner', json_path: '$.data[0].Owner' },
    ],
    [
      'an owner without id',
      'Contacts',
      { Last_Name: 'x', Owner: 'admin' },
      { api_name: 'Owner', json_path: '$.data[0].Owner' },
    ],
    [
      'a lookup to a missing company',
      'Contacts',
      { Last_Name: 'x', Account_Name: { id: '123' } },
      { api_name: 'Account_Name', json_path: '$.data[0].Account_Name' },
    ],
    [
      'a lookup to a record of another module',
      'Contacts',
      { Last_Name: 'x', Account_Name: { id: A.contactOf.admin } },
      { api_name: 'Account_Name', json_path: '$.data[0].Account_Name' },
    ],
    [
      'a lookup that is not an id',
      'Contacts',
      { Last_Name: 'x', Account_Name: { id: 'abc' } },
      { api_name: 'Account_Name', json_path: '$.data[0].Account_Name', expected_data_type: 'lookup' },
    ],
    [
      'a malformed date-time',
      'Events',
      { Event_Title: 'e', Start_DateTime: 'tomorrow', End_DateTime: '2026-01-15T11:00:00+00:00' },
      { api_name: 'Start_DateTime', json_path: '$.data[0].Start_DateTime', expected_data_type: 'datetime' },
    ],
    [
      'a last name over its field length (80)',
      'Contacts',
      { Last_Name: 'x'.repeat(81) },
      { api_name: 'Last_Name', json_path: '$.data[0].Last_Name', maximum_length: 80 },
    ],
    [
      'a field name that is not an API name',
      'Contacts',
      { Last_Name: 'x', 'Last Name': 'y' },
      { api_name: 'Last Name', json_path: '$.data[0].Last Name' },
    ],
    [
      'a note on a deleted record',
      'Notes',
      { Note_Content: 'c', Parent_Id: { id: A.deletedContact }, se_module: 'Contacts' },
      { api_name: 'Parent_Id', json_path: '$.data[0].Parent_Id' },
    ],
    [
      'a note on an unknown module',
      'Notes',
      { Note_Content: 'c', Parent_Id: { id: A.contactOf.admin }, se_module: 'Leads' },
      { api_name: 'se_module', json_path: '$.data[0].se_module' },
    ],
  ])('%s: 400 INVALID_DATA with its details', async (_name, module, record, details) => {
    expectJson(await post(module, { data: [record] }), 400, {
      data: [itemError('INVALID_DATA', 'invalid data', details)],
    });
  });

  it('refuses a product whose name another product has, ignoring case: DUPLICATE_DATA', async () => {
    const first = await post('Products', { data: [{ Product_Name: 'Widget Ω' }] });
    expect(first.status).toBe(201);
    expectJson(await post('Products', { data: [{ Product_Name: 'wIDGET ω' }] }), 400, {
      data: [
        itemError('DUPLICATE_DATA', 'duplicate data', {
          api_name: 'Product_Name',
          json_path: '$.data[0].Product_Name',
          duplicate_record: { id: idOf(first), module: { api_name: 'Products' } },
        }),
      ],
    });
  });

  it('ignores values sent for fields the server sets', async () => {
    const res = await post('Tasks', {
      data: [{ Subject: 's', id: '1', Created_Time: '2000-01-01T00:00:00+00:00' }],
    });
    expectJson(res, 201, { data: [added(idOf(res))] });
    expect(idOf(res)).not.toBe('1');
  });

  it('creates a call: Calls is a records module even though attachments do not serve it', async () => {
    const res = await post('Calls', {
      data: [
        {
          Subject: 'Intro',
          Call_Type: 'Outbound',
          Call_Start_Time: '2026-01-15T10:00:00+00:00',
          Call_Duration: '05:00',
        },
      ],
    });
    expectJson(res, 201, { data: [added(idOf(res))] });
  });
});

describe('bulk insert', () => {
  it('inserts 100 records: 202 with 100 successes and 100 distinct ids', async () => {
    const res = await post('Tasks', {
      data: Array.from({ length: 100 }, (_, i) => ({ Subject: `task ${i}` })),
    });
    const data = (res.json as { data: unknown[] }).data;
    const ids = data.map((_, i) => idOf(res, i));
    expectJson(res, 202, { data: ids.map(added) });
    expect(new Set(ids).size).toBe(100);
  });

  it('answers a 100-item call where some succeed and some fail with 207 and each item in order', async () => {
    const company = idOf(await post('Accounts', { data: [{ Account_Name: 'Bulk Co' }] }));
    const data = Array.from({ length: 100 }, (_, i) => {
      switch (i % 5) {
        case 0:
          return { First_Name: `no last name ${i}` };
        case 1:
          return { Last_Name: `ok ${i}`, Account_Name: { id: company } };
        case 2:
          return { Last_Name: `bad lookup ${i}`, Account_Name: { id: '9' } };
        case 3:
          return { Last_Name: `dup ${i}`, Email: 'same@example.com' };
        default:
          return 42;
      }
    });
    const res = await post('Contacts', { data });
    const got = (res.json as { data: Array<{ details: { id?: string } }> }).data;
    const firstDup = got[3]!.details.id!;
    const expected = data.map((_, i) => {
      switch (i % 5) {
        case 0:
          return mandatory('Last_Name', i);
        case 1:
          return added(got[i]!.details.id!);
        case 2:
          return itemError('INVALID_DATA', 'invalid data', {
            api_name: 'Account_Name',
            json_path: `$.data[${i}].Account_Name`,
          });
        case 3:
          return i === 3
            ? added(firstDup)
            : itemError('DUPLICATE_DATA', 'duplicate data', {
                api_name: 'Email',
                json_path: `$.data[${i}].Email`,
                duplicate_record: { id: firstDup, module: { api_name: 'Contacts' } },
              });
        default:
          return itemError('INVALID_DATA', 'invalid data', { json_path: `$.data[${i}]` });
      }
    });
    expectJson(res, 207, { data: expected });
    // The good ones are there, with their company's name on the lookup.
    const one = await call(
      t.url,
      'GET',
      `${recordsPath('Contacts', got[1]!.details.id!)}?fields=Last_Name,Account_Name`,
      admin,
    );
    expectJson(one, 200, {
      data: [{ id: got[1]!.details.id, Last_Name: 'ok 1', Account_Name: { name: 'Bulk Co', id: company } }],
    });
  });

  it('answers a multi-item call where every item fails with 400', async () => {
    expectJson(await post('Contacts', { data: [{}, { First_Name: 'x' }] }), 400, {
      data: [mandatory('Last_Name', 0), mandatory('Last_Name', 1)],
    });
  });

  it('refuses 101 items as a whole, inserting none', async () => {
    const data = Array.from({ length: 101 }, (_, i) => ({ Subject: `over ${i}` }));
    expectJson(
      await post('Tasks', { data }),
      400,
      errorEnvelope('LIMIT_EXCEEDED', 'the number of records in the request exceeds the limit', {
        limit: 100,
        json_path: '$.data',
      }),
    );
    const list = await call(t.url, 'GET', '/bigin/v2/Tasks?fields=Subject&sort_by=Created_Time', admin);
    expect(
      (list.json as { data: Array<{ Subject: string }> }).data.some((r) => r.Subject.startsWith('over')),
    ).toBe(false);
  });
});

describe('whole-request refusals', () => {
  const invalidJson = errorEnvelope('INVALID_DATA', 'the request body is not a valid JSON object');
  it.each([
    ['malformed JSON', '{"data":[', invalidJson],
    ['an empty body', '', invalidJson],
    ['a JSON array', '[]', invalidJson],
    [
      'no data key',
      '{}',
      errorEnvelope('MANDATORY_NOT_FOUND', 'required field not found', {
        api_name: 'data',
        json_path: '$.data',
      }),
    ],
    [
      'data that is not an array',
      '{"data":{}}',
      errorEnvelope('INVALID_DATA', 'invalid data', {
        api_name: 'data',
        json_path: '$.data',
        expected_data_type: 'jsonarray',
      }),
    ],
    [
      'an empty data array',
      '{"data":[]}',
      errorEnvelope('INVALID_DATA', 'invalid data', { api_name: 'data', json_path: '$.data' }),
    ],
  ])('answers %s with 400', async (_name, body, expected) => {
    expectJson(await post('Contacts', body), 400, expected);
  });

  it('refuses a body over 8 MiB', async () => {
    const body = `{"data":[{"Last_Name":"${'x'.repeat(8 * 1024 * 1024)}"}]}`;
    expectJson(
      await post('Contacts', body),
      400,
      errorEnvelope('INVALID_DATA', 'the request body exceeds the allowed size', { limit: 8 * 1024 * 1024 }),
    );
  });

  it('answers an unserved method on the module URL before authentication', async () => {
    expectJson(await call(t.url, 'PATCH', recordsPath('Contacts')), 400, ERR.requestMethod);
  });

  it('authenticates before reading the body', async () => {
    expectJson(
      await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), 'nope', '{'),
      401,
      ERR.invalidToken,
    );
  });

  it.each([
    ['Leads', ERR.invalidModule],
    ['contacts', ERR.invalidModule],
    ['Documents', ERR.moduleNotSupported],
  ])('answers the module %s as the attachments API does', async (module, expected) => {
    expectJson(await post(module, { data: [{ Last_Name: 'x' }] }), 400, expected);
  });

  it('checks the scope before reading the body', async () => {
    expectJson(
      await post('Contacts', '{', scoped('ZohoBigin.modules.contacts.READ')),
      401,
      ERR.scopeMismatch,
    );
  });

  it.each(['ZohoBigin.modules.contacts.CREATE', 'ZohoBigin.modules.Contacts.ALL'])(
    'accepts %s alone',
    async (scope) => {
      const res = await post('Contacts', { data: [{ Last_Name: scope }] }, scoped(scope));
      expectJson(res, 201, { data: [added(idOf(res))] });
    },
  );

  it('does not let a contacts scope create companies', async () => {
    expectJson(
      await post('Accounts', { data: [{ Account_Name: 'x' }] }, scoped('ZohoBigin.modules.contacts.CREATE')),
      401,
      ERR.scopeMismatch,
    );
  });

  it('answers a profile that cannot view the module with INVALID_MODULE', async () => {
    expectJson(
      await post('Contacts', { data: [{ Last_Name: 'x' }] }, A.token('noTab')),
      400,
      ERR.invalidModule,
    );
  });
});

describe('notes', () => {
  it('attaches a note to a record with POST /Notes and with POST /{module}/{id}/Notes', async () => {
    const viaNotes = await post('Notes', {
      data: [
        {
          Note_Title: 'Call back',
          Note_Content: 'Tuesday',
          Parent_Id: { id: A.contactOf.admin },
          se_module: 'Contacts',
        },
      ],
    });
    expectJson(viaNotes, 201, { data: [added(idOf(viaNotes))] });
    const viaRecord = await sendJsonBody(
      t.url,
      'POST',
      `/bigin/v2/Accounts/${A.recordIn.Accounts}/Notes`,
      admin,
      {
        data: [{ Note_Content: 'Met at the fair' }],
      },
    );
    expectJson(viaRecord, 201, { data: [added(idOf(viaRecord))] });
    const note = await call(
      t.url,
      'GET',
      `${recordsPath('Notes', idOf(viaRecord))}?fields=Note_Content,Parent_Id,se_module`,
      admin,
    );
    expectJson(note, 200, {
      data: [
        {
          id: idOf(viaRecord),
          Note_Content: 'Met at the fair',
          Parent_Id: { name: `Accounts ${A.recordIn.Accounts}`, id: A.recordIn.Accounts },
          se_module: 'Accounts',
        },
      ],
    });
  });

  it('refuses notes on a record that does not exist as the attachments API refuses a missing record', async () => {
    expectJson(
      await sendJsonBody(t.url, 'POST', `/bigin/v2/Contacts/${A.deletedContact}/Notes`, admin, {
        data: [{ Note_Content: 'x' }],
      }),
      400,
      ERR.recordNotFound,
    );
  });

  it('refuses notes on a record the user cannot see', async () => {
    expectJson(
      await sendJsonBody(t.url, 'POST', `/bigin/v2/Contacts/${A.contactOf.admin}/Notes`, A.token('rep1'), {
        data: [{ Note_Content: 'x' }],
      }),
      400,
      ERR.recordNotFound,
    );
  });
});
