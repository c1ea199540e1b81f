import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR, errorEnvelope } from '../support/bigin.js';
import { orgFixture, orgIds } from '../support/fixtures.js';
import {
  expectJson,
  idOf,
  invalidId,
  itemError,
  mandatory,
  recordsPath,
  sendJsonBody,
} from '../support/records.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';

// PUT /bigin/v2/{module}/{id} and PUT /bigin/v2/{module} (docs/records.md): partial updates with
// per-item results; the name stays in step with the fields.

const U = orgIds(7171717, 'upd1');
const NOW = '2026-01-15T10:00:00+00:00';
const LATER = '2026-01-15T10:05:00+00:00';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ fixture: { organizations: [orgFixture(U)] } });
});
afterAll(() => t?.close());

const admin = U.token('admin');
const adminRef = { name: 'admin', id: U.user.admin };
const put = (path: string, body: unknown, token = admin) => sendJsonBody(t.url, 'PUT', path, token, body);
const create = async (module: string, record: object) =>
  idOf(await sendJsonBody(t.url, 'POST', recordsPath(module), admin, { data: [record] }));
const updated = (id: string, modified = LATER) => ({
  code: 'SUCCESS',
  details: { Modified_Time: modified, Modified_By: adminRef, Created_Time: NOW, id, Created_By: adminRef },
  message: 'record updated',
  status: 'success',
});

describe('PUT /{module}/{id}', () => {
  it('changes only the fields sent, clears those sent as null, and keeps the name in step', async () => {
    const id = await create('Contacts', {
      First_Name: 'Grace',
      Last_Name: 'Hopper',
      Phone: '1',
      Title: 'RADM',
    });
    t.clock.advance(5 * 60_000);
    try {
      expectJson(
        await put(recordsPath('Contacts', id), { data: [{ Last_Name: 'Murray', Title: null }] }),
        200,
        {
          data: [updated(id)],
        },
      );
    } finally {
      t.clock.set(TEST_EPOCH);
    }
    const got = await call(
      t.url,
      'GET',
      `${recordsPath('Contacts', id)}?fields=First_Name,Last_Name,Phone,Title,Modified_Time`,
      admin,
    );
    expectJson(got, 200, {
      data: [{ id, First_Name: 'Grace', Last_Name: 'Murray', Phone: '1', Title: null, Modified_Time: LATER }],
    });
    // The display name (used by lookups) follows the fields.
    const note = await create('Notes', { Note_Content: 'n', Parent_Id: { id }, se_module: 'Contacts' });
    const n = await call(t.url, 'GET', `${recordsPath('Notes', note)}?fields=Parent_Id`, admin);
    expectJson(n, 200, { data: [{ id: note, Parent_Id: { name: 'Grace Murray', id } }] });
  });

  it('refuses clearing a mandatory field', async () => {
    const id = await create('Contacts', { Last_Name: 'Keep' });
    expectJson(await put(recordsPath('Contacts', id), { data: [{ Last_Name: null }] }), 400, {
      data: [mandatory('Last_Name', 0)],
    });
  });

  it('refuses a value another record holds in a unique field', async () => {
    const first = await create('Products', { Product_Name: 'Gadget' });
    const second = await create('Products', { Product_Name: 'Gizmo' });
    expectJson(await put(recordsPath('Products', second), { data: [{ Product_Name: 'GADGET' }] }), 400, {
      data: [
        itemError('DUPLICATE_DATA', 'duplicate data', {
          api_name: 'Product_Name',
          json_path: '$.data[0].Product_Name',
          duplicate_record: { id: first, module: { api_name: 'Products' } },
        }),
      ],
    });
    // Its own value is no duplicate of itself.
    expectJson(await put(recordsPath('Products', first), { data: [{ Product_Name: 'gadget' }] }), 200, {
      data: [updated(first, NOW)],
    });
  });

  it.each([['1234'], ['abc']])('answers the unknown id %s with 400 INVALID_DATA', async (id) => {
    expectJson(await put(recordsPath('Contacts', id), { data: [{ Last_Name: 'x' }] }), 400, {
      data: [invalidId(id)],
    });
  });

  it('takes one item only', async () => {
    const id = await create('Contacts', { Last_Name: 'One' });
    expectJson(
      await put(recordsPath('Contacts', id), { data: [{ Last_Name: 'a' }, { Last_Name: 'b' }] }),
      400,
      errorEnvelope('LIMIT_EXCEEDED', 'the number of records in the request exceeds the limit', {
        limit: 1,
        json_path: '$.data',
      }),
    );
  });

  it('does not let a user update a record they cannot see; checks the module first', async () => {
    expectJson(
      await put(recordsPath('Contacts', U.contactOf.admin), { data: [{ Last_Name: 'x' }] }, U.token('rep1')),
      400,
      {
        data: [itemError('NO_PERMISSION', 'permission denied', { id: U.contactOf.admin })],
      },
    );
    expectJson(await put(recordsPath('Leads', '1'), { data: [{}] }), 400, ERR.invalidModule);
  });
});

describe('PUT /{module}', () => {
  it('updates several records with per-item results: 207 for a mix', async () => {
    const a = await create('Tasks', { Subject: 'a' });
    const b = await create('Tasks', { Subject: 'b' });
    const res = await put(recordsPath('Tasks'), {
      data: [
        { id: a, Status: 'Completed' },
        { Subject: 'no id' },
        { id: '42', Subject: 'x' },
        { id: b, Subject: '' },
        { id: b, Priority: 'High' },
      ],
    });
    expectJson(res, 207, {
      data: [updated(a, NOW), mandatory('id', 1), invalidId('42'), mandatory('Subject', 3), updated(b, NOW)],
    });
    const got = await call(t.url, 'GET', `${recordsPath('Tasks', b)}?fields=Subject,Priority`, admin);
    expectJson(got, 200, { data: [{ id: b, Subject: 'b', Priority: 'High' }] });
  });

  it('answers 202 when every one of several succeeds, and refuses 101 items', async () => {
    const a = await create('Tasks', { Subject: 'c' });
    const b = await create('Tasks', { Subject: 'd' });
    expectJson(
      await put(recordsPath('Tasks'), {
        data: [
          { id: a, Status: 'Deferred' },
          { id: b, Status: 'In Progress' },
        ],
      }),
      202,
      {
        data: [updated(a, NOW), updated(b, NOW)],
      },
    );
    const over = Array.from({ length: 101 }, () => ({ id: a, Status: 'Completed' }));
    expectJson(
      await put(recordsPath('Tasks'), { data: over }),
      400,
      errorEnvelope('LIMIT_EXCEEDED', 'the number of records in the request exceeds the limit', {
        limit: 100,
        json_path: '$.data',
      }),
    );
    expect(
      (
        (await call(t.url, 'GET', `${recordsPath('Tasks', a)}?fields=Status`, admin)).json as {
          data: [{ Status: string }];
        }
      ).data[0].Status,
    ).toBe('Deferred');
  });
});
