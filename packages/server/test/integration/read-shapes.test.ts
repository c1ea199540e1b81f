import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, JSON_TYPE } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { javaHashMapOrder, objectsOutOfOrder } from '../support/hashmap-order.js';
import { idOf, recordsPath, sendJsonBody } from '../support/records.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';

// D9 read shapes (reference §1): nulls, [] for Tag, $-names, unknown names dropped, the
// caller's time zone on records and attachments, info key sets, Bigin's headers on 204, and
// HashMap key order checked against the tests' own implementation of the algorithm.

const A = orgIds(7171717, 'rsha');
const FULL =
  'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL,ZohoBigin.users.ALL,ZohoBigin.org.ALL,ZohoBigin.settings.ALL';
const NAIROBI = 'nairobi-token-0000000000000000';
const LA = 'los-angeles-token-00000000000000';
const nairobiId = `${A.org.slice(0, 7)}900000000001`;
const laId = `${A.org.slice(0, 7)}900000000002`;

function fixture() {
  const org = orgFixture(A);
  org.users.push(
    {
      id: nairobiId,
      name: 'Amani N',
      email: 'amani@example.com',
      profile: 'Administrator',
      role: 'CEO',
      timeZone: 'Africa/Nairobi',
    },
    {
      id: laId,
      name: 'Sam O',
      email: 'sam@example.com',
      profile: 'Administrator',
      role: 'CEO',
      timeZone: 'America/Los_Angeles',
    },
  );
  org.tokens.push(
    { token: NAIROBI, user: nairobiId, scope: FULL, expiresAt: FAR_FUTURE },
    { token: LA, user: laId, scope: FULL, expiresAt: FAR_FUTURE },
  );
  return {
    ...org,
    customFields: [
      {
        module: 'Contacts',
        apiName: 'Loyalty_Tier',
        label: 'Loyalty Tier',
        dataType: 'picklist',
        picklist: ['Gold', 'Silver'],
      },
    ],
  };
}

let t: TestServer;
let contact: string;
beforeAll(async () => {
  t = await startTestServer({ fixture: { organizations: [fixture()] } });
  const res = await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), NAIROBI, {
    data: [{ First_Name: 'Ada', Last_Name: 'Lovelace', Loyalty_Tier: 'Gold', Unknown_Thing: 'dropped' }],
  });
  expect(res.status).toBe(201);
  contact = idOf(res);
});
afterAll(() => t?.close());

const get = (path: string, token = NAIROBI) => call(t.url, 'GET', path, token);
const one = async (fields: string, token = NAIROBI) =>
  (
    (await get(`${recordsPath('Contacts', contact)}?fields=${fields}`, token)).json as {
      data: Array<Record<string, unknown>>;
    }
  ).data[0];

describe('fields', () => {
  it('answers every requested field the module has, null when empty, Tag as [], id always', async () => {
    expect(await one('First_Name,Title,Email,Tag,Mailing_Zip,Loyalty_Tier')).toEqual({
      id: contact,
      First_Name: 'Ada',
      Title: null,
      Email: null,
      Tag: [],
      Mailing_Zip: null,
      Loyalty_Tier: 'Gold',
    });
  });

  it('computes $-names and system fields', async () => {
    expect(
      await one(
        '$editable,$approval_state,$currency_symbol,$sharing_permission,$state,Full_Name,Record_Image,Last_Activity_Time,Email_Opt_Out,Locked__s',
      ),
    ).toEqual({
      id: contact,
      $editable: true,
      $approval_state: 'approved',
      $currency_symbol: '$',
      $sharing_permission: 'full_access',
      $state: 'save',
      Full_Name: 'Ada Lovelace',
      Record_Image: null,
      Last_Activity_Time: '2026-01-15T13:00:00+03:00',
      Email_Opt_Out: null,
      Locked__s: false,
    });
  });

  it('drops names the module does not have, silently (no 400)', async () => {
    const res = await get(
      `${recordsPath('Contacts', contact)}?fields=Last_Name,$followed,Department,Unknown_Thing,Nope`,
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: [{ id: contact, Last_Name: 'Lovelace' }] });
  });

  it('answers the whole record without fields, $-keys included, as search does', async () => {
    const r = (await get(recordsPath('Contacts', contact))).json as { data: Array<Record<string, unknown>> };
    const keys = Object.keys(r.data[0]!);
    for (const k of [
      'id',
      'Owner',
      'Full_Name',
      'Tag',
      'Record_Image',
      '$approval',
      '$layout_id',
      '$review',
      'Loyalty_Tier',
      'Record_Creation_Source_ID__s',
    ])
      expect(keys).toContain(k);
    expect(keys).not.toContain('Unknown_Thing');
    expect(r.data[0]!.$approval).toEqual({
      delegate: false,
      takeover: false,
      approve: false,
      reject: false,
      resubmit: false,
    });
    expect(r.data[0]!.Record_Creation_Source_ID__s).toBe('0');
  });
});

describe('time zones', () => {
  it('shows one record to a user in UTC+03:00 and one in UTC−08:00 in their own zone', async () => {
    expect(await one('Created_Time,Modified_Time')).toEqual({
      id: contact,
      Created_Time: '2026-01-15T13:00:00+03:00',
      Modified_Time: '2026-01-15T13:00:00+03:00',
    });
    expect(await one('Created_Time,Modified_Time', LA)).toEqual({
      id: contact,
      Created_Time: '2026-01-15T02:00:00-08:00',
      Modified_Time: '2026-01-15T02:00:00-08:00',
    });
  });

  it('writes insert details and attachment times in the same zone', async () => {
    const ins = await sendJsonBody(t.url, 'POST', recordsPath('Accounts'), LA, {
      data: [{ Account_Name: 'Zone Co' }],
    });
    const details = (ins.json as { data: Array<{ details: Record<string, unknown> }> }).data[0]!.details;
    expect(details.Created_Time).toBe('2026-01-15T02:00:00-08:00');
    const form = new FormData();
    form.append('file', new Blob(['hi']), 'hi.txt');
    expect(
      (await call(t.url, 'POST', `/bigin/v2/Contacts/${contact}/Attachments`, NAIROBI, { body: form }))
        .status,
    ).toBe(200);
    const times = async (token: string) =>
      (
        (await get(`/bigin/v2/Contacts/${contact}/Attachments?fields=Created_Time`, token)).json as {
          data: Array<{ Created_Time: string }>;
        }
      ).data[0]!.Created_Time;
    expect(await times(NAIROBI)).toBe('2026-01-15T13:00:00+03:00');
    expect(await times(LA)).toBe('2026-01-15T02:00:00-08:00');
  });
});

describe('insert details', () => {
  it('end with $approval_state on Accounts and Products, not on Contacts, in HashMap order', async () => {
    t.clock.set(TEST_EPOCH);
    const ins = await sendJsonBody(t.url, 'POST', recordsPath('Products'), NAIROBI, {
      data: [{ Product_Name: 'Order Widget' }],
    });
    const id = idOf(ins);
    const me = `{"name":"Amani N","id":"${nairobiId}"}`;
    const at = '2026-01-15T13:00:00+03:00';
    expect(ins.text).toBe(
      `{"data":[{"code":"SUCCESS","details":{"Modified_Time":"${at}","Modified_By":${me},"Created_Time":"${at}","id":"${id}","Created_By":${me},"$approval_state":"approved"},"message":"record added","status":"success"}]}`,
    );
    const c = await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), NAIROBI, {
      data: [{ Last_Name: 'No approval' }],
    });
    expect(Object.keys((c.json as { data: Array<{ details: object }> }).data[0]!.details)).not.toContain(
      '$approval_state',
    );
  });
});

describe('info', () => {
  it('has 9 keys on a records list, 7 on a related list, in the recorded order', async () => {
    const list = await get(`${recordsPath('Contacts')}?fields=Last_Name&per_page=1`);
    const info = (list.json as { info: Record<string, unknown> }).info;
    expect(Object.keys(info)).toEqual(
      javaHashMapOrder([
        'per_page',
        'next_page_token',
        'count',
        'sort_by',
        'page',
        'previous_page_token',
        'page_token_expiry',
        'sort_order',
        'more_records',
      ]),
    );
    expect(Object.keys(info)).toEqual([
      'per_page',
      'next_page_token',
      'count',
      'sort_by',
      'page',
      'previous_page_token',
      'page_token_expiry',
      'sort_order',
      'more_records',
    ]);
    expect(info.next_page_token).toMatch(/^.+$/);
    expect(info.page_token_expiry).toBe('2026-01-16T13:00:00+03:00');
    const note = await sendJsonBody(t.url, 'POST', recordsPath('Notes'), NAIROBI, {
      data: [{ Note_Content: 'n', Parent_Id: { id: contact }, se_module: 'Contacts' }],
    });
    expect(note.status).toBe(201);
    const related = await get(`/bigin/v2/Contacts/${contact}/Notes?fields=Note_Content`);
    expect(Object.keys((related.json as { info: object }).info)).toEqual([
      'per_page',
      'next_page_token',
      'count',
      'page',
      'previous_page_token',
      'page_token_expiry',
      'more_records',
    ]);
  });
});

describe('headers and key order', () => {
  const BIGIN_HEADERS = {
    'content-type': JSON_TYPE,
    'content-disposition': 'attachment; filename=response.json',
    'cache-control': 'no-store, no-cache, must-revalidate, private',
    pragma: 'no-cache',
    expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
    'content-language': 'en-US',
  };
  const headersOf = (h: Headers) => Object.fromEntries(Object.keys(BIGIN_HEADERS).map((k) => [k, h.get(k)]));

  it('carries Bigin headers on a 204, with an empty body', async () => {
    const res = await get(`${recordsPath('Calls')}?page=9`);
    expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
    expect(headersOf(res.headers)).toEqual(BIGIN_HEADERS);
  });

  it('carries them on 200s and errors too', async () => {
    expect(headersOf((await get(recordsPath('Contacts', contact))).headers)).toEqual(BIGIN_HEADERS);
    expect(headersOf((await get('/bigin/v2/Nope')).headers)).toEqual(BIGIN_HEADERS);
  });

  it.each([
    [
      'records list',
      () =>
        `${recordsPath('Contacts')}?fields=First_Name,Last_Name,Email,Owner,Created_By,Created_Time,Tag,$editable`,
    ],
    ['single record', () => recordsPath('Contacts', contact)],
    ['a user', () => `/bigin/v2/users/${nairobiId}`],
    ['the users list', () => '/bigin/v2/users'],
    ['the org', () => '/bigin/v2/org'],
    ['field metadata', () => '/bigin/v2/settings/fields?module=Contacts'],
    ['module metadata', () => '/bigin/v2/settings/modules'],
    ['the attachment list', () => `/bigin/v2/Contacts/${contact}/Attachments`],
    ['an error', () => '/bigin/v2/Contacts/1/Attachments'],
  ])('writes every object of the %s in HashMap order', async (_name, path) => {
    const res = await get(path());
    expect(res.status).toBeLessThan(500);
    expect(res.json).toBeDefined();
    expect(objectsOutOfOrder(res.json)).toEqual([]);
  });

  it('has an order check that catches a JSON.stringify order', () => {
    expect(objectsOutOfOrder({ id: '1', Created_Time: 't', Modified_Time: 't' })).toEqual(['$']);
    expect(objectsOutOfOrder({ data: [{ status: 's', code: 'c' }] })).toEqual(['$.data[0]']);
  });

  it('orders a record with known insertion order exactly as the algorithm says', async () => {
    const r = await get(
      `${recordsPath('Contacts', contact)}?fields=Email,Last_Name,Owner,First_Name,Created_Time`,
    );
    const item = (r.json as { data: Array<Record<string, unknown>> }).data[0]!;
    // Insertion order: id, then the module's field order (Owner, First_Name, Last_Name, Email, Created_Time).
    expect(Object.keys(item)).toEqual(
      javaHashMapOrder(['id', 'Owner', 'First_Name', 'Last_Name', 'Email', 'Created_Time']),
    );
    expect(Object.keys(item.Owner as object)).toEqual(['name', 'id', 'email']);
  });

  it("pins the spec's DELETE sample order: code, details, message, status", async () => {
    const list = (await get(`/bigin/v2/Contacts/${contact}/Attachments?fields=id`)).json as {
      data: Array<{ id: string }>;
    };
    const id = list.data[0]!.id;
    const res = await call(t.url, 'DELETE', `/bigin/v2/Contacts/${contact}/Attachments/${id}`, NAIROBI);
    expect(res.text).toBe(
      `{"data":[{"code":"SUCCESS","details":{"id":"${id}"},"message":"record deleted","status":"success"}]}`,
    );
  });
});
