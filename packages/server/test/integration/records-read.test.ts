import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR, errorEnvelope } from '../support/bigin.js';
import { orgFixture, orgIds, type UserName } from '../support/fixtures.js';
import { expectJson, expectNoContent, idOf, recordsPath, sendJsonBody } from '../support/records.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';

// GET /bigin/v2/{module} and /{module}/{id} (docs/records.md): 204 when nothing matches, the
// full info object, page then page_token across 2,500 records, and record visibility.

const A = orgIds(5151515, 'rd1a');
const B = orgIds(5252525, 'rd1b');
const P = orgIds(5353535, 'rd1p'); // paging organisation
const NOW = '2026-01-15T10:00:00+00:00';

let t: TestServer;
const allTasks: string[] = [];
beforeAll(async () => {
  t = await startTestServer({ fixture: { organizations: [orgFixture(A), orgFixture(B), orgFixture(P)] } });
  // The paging organisation's only fixture task goes first, so that it holds exactly the 2,500 below.
  expect((await call(t.url, 'DELETE', recordsPath('Tasks', P.recordIn.Tasks), P.token('admin'))).status).toBe(
    200,
  );
  // 2,500 tasks in 25 calls, one second apart, so that Created_Time has ties within a call.
  for (let call_ = 0; call_ < 25; call_++) {
    const res = await sendJsonBody(t.url, 'POST', recordsPath('Tasks'), P.token('admin'), {
      data: Array.from({ length: 100 }, (_, i) => ({ Subject: `task ${call_}-${i}` })),
    });
    expect(res.status).toBe(202);
    for (let i = 0; i < 100; i++) allTasks.push(idOf(res, i));
    t.clock.advance(1000);
  }
  t.clock.set(TEST_EPOCH);
}, 60_000);
afterAll(() => t?.close());

const get = (path: string, user: UserName = 'admin', ids = A) => call(t.url, 'GET', path, ids.token(user));
type Page = { data: Array<{ id: string }>; info: Record<string, unknown> };

describe('GET one record', () => {
  it('answers with the record in data[]', async () => {
    const id = A.contactOf.rep1;
    const rep1 = { name: 'rep1', id: A.user.rep1, email: `rep1@${A.org}.example.com` };
    const fields = 'Last_Name,Owner,Created_By,Modified_By,Created_Time,Modified_Time';
    expectJson(await get(`${recordsPath('Contacts', id)}?fields=${fields}`), 200, {
      data: [
        {
          id,
          Last_Name: `Contacts ${id}`,
          Owner: rep1,
          Created_By: rep1,
          Modified_By: rep1,
          Created_Time: NOW,
          Modified_Time: NOW,
        },
      ],
    });
  });

  it('returns only the requested fields, and id always', async () => {
    expectJson(await get(`${recordsPath('Contacts', A.contactOf.rep1)}?fields=Owner,Nope`), 200, {
      data: [
        {
          id: A.contactOf.rep1,
          Owner: { name: 'rep1', id: A.user.rep1, email: `rep1@${A.org}.example.com` },
        },
      ],
    });
  });

  it.each([
    ['an unknown id', () => recordsPath('Contacts', '1234567')],
    ['a 20-digit id', () => recordsPath('Contacts', '12345678901234567890')],
    ['a deleted record', () => recordsPath('Contacts', A.deletedContact)],
    ["another organisation's record", () => recordsPath('Contacts', B.contactOf.rep1)],
    ['a record of another module', () => recordsPath('Accounts', A.contactOf.rep1)],
  ])('answers %s with 204 and no body', async (_name, path) => {
    expectNoContent(await get(path()));
  });

  it('answers a segment that is no id and no word with 404 (D10), not 204', async () => {
    expectJson(await get(recordsPath('Contacts', 'abc')), 404, ERR.urlPattern);
  });
});

describe('GET records: parameters and info', () => {
  it('answers the full info object, keys in the recorded order', async () => {
    const res = await get('/bigin/v2/Contacts?per_page=2&fields=Last_Name');
    const body = res.json as Page;
    expect(res.status).toBe(200);
    expect(Object.keys(body.info)).toEqual([
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
    expect(body.info).toEqual({
      per_page: 2,
      next_page_token: expect.stringMatching(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/),
      count: 2,
      sort_by: 'id',
      page: 1,
      previous_page_token: null,
      page_token_expiry: '2026-01-16T10:00:00+00:00',
      sort_order: 'desc',
      more_records: true,
    });
    const ids = Object.values(A.contactOf).sort().reverse();
    expect(body.data).toEqual(ids.slice(0, 2).map((id) => ({ id, Last_Name: `Contacts ${id}` })));
  });

  it('answers the last page with more_records false and no token', async () => {
    const body = (await get('/bigin/v2/Contacts?per_page=2&page=3&sort_order=asc&fields=Last_Name'))
      .json as Page;
    expect(body.info).toMatchObject({
      count: 1,
      page: 3,
      more_records: false,
      next_page_token: null,
      page_token_expiry: null,
      sort_order: 'asc',
    });
    expect(body.data.map((r) => r.id)).toEqual([Object.values(A.contactOf).sort().at(-1)]);
  });

  it('answers a page past the end with 204', async () => {
    expectNoContent(await get('/bigin/v2/Contacts?page=5&per_page=2'));
  });

  it('answers with 204 when the module holds no record the caller may see', async () => {
    expectNoContent(await get('/bigin/v2/Calls', 'rep2'));
  });

  it.each([
    ['per_page=201', 'per_page'],
    ['per_page=0', 'per_page'],
    ['per_page=x', 'per_page'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['sort_by=Last_Name', 'sort_by'],
    ['sort_order=up', 'sort_order'],
    ['fields=', 'fields'],
    ['page_token=!!', 'page_token'],
    ['page_token=abc&page=2', 'page_token'],
  ])('refuses %s with INVALID_DATA naming the parameter', async (query, param) => {
    expectJson(
      await get(`/bigin/v2/Contacts?${query}`),
      400,
      errorEnvelope('INVALID_DATA', 'invalid data', { param_name: param }),
    );
  });

  it('refuses a token made for another module or organisation', async () => {
    const token = ((await get('/bigin/v2/Contacts?per_page=1')).json as Page).info.next_page_token as string;
    const invalid = errorEnvelope('INVALID_DATA', 'invalid data', { param_name: 'page_token' });
    expectJson(await get(`/bigin/v2/Accounts?page_token=${token}`), 400, invalid);
    expectJson(await get(`/bigin/v2/Contacts?page_token=${token}`, 'admin', B), 400, invalid);
  });

  it('refuses a token after it expires, a day later', async () => {
    const token = ((await get('/bigin/v2/Contacts?per_page=1')).json as Page).info.next_page_token as string;
    expect((await get(`/bigin/v2/Contacts?page_token=${token}`)).status).toBe(200);
    t.clock.advance(24 * 3_600_000);
    try {
      expectJson(
        await get(`/bigin/v2/Contacts?page_token=${token}`),
        400,
        errorEnvelope('INVALID_DATA', 'invalid data', { param_name: 'page_token' }),
      );
    } finally {
      t.clock.set(TEST_EPOCH);
    }
  });

  it('answers the checks before the parameters, as on every call', async () => {
    expectJson(await get('/bigin/v2/Leads?per_page=999'), 400, ERR.invalidModule);
    expectJson(await get('/bigin/v2/Contacts?per_page=999', 'noTab'), 400, ERR.invalidModule);
  });
});

describe('paging across 2,500 records', () => {
  const walk = async (query: string, perPage: number, pages: number) => {
    const seen: string[] = [];
    let last: Page | undefined;
    for (let page = 1; page <= pages; page++) {
      const res = await get(
        `/bigin/v2/Tasks?${query}&per_page=${perPage}&page=${page}&fields=Subject`,
        'admin',
        P,
      );
      expect(res.status).toBe(200);
      last = res.json as Page;
      expect(last.info).toMatchObject({ page, count: perPage, more_records: true });
      seen.push(...last.data.map((r) => r.id));
    }
    const limit = await get(`/bigin/v2/Tasks?${query}&per_page=${perPage}&page=${pages + 1}`, 'admin', P);
    expectJson(
      limit,
      400,
      errorEnvelope(
        'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
        'You can only get the first 2000 records without using page_token param.',
        {
          limit: 2000,
        },
      ),
    );
    let token = last!.info.next_page_token as string | null;
    let page = pages;
    while (token) {
      const res = await get(`/bigin/v2/Tasks?page_token=${token}`, 'admin', P);
      expect(res.status).toBe(200);
      const body = res.json as Page;
      expect(body.info).toMatchObject({ page: ++page, per_page: perPage });
      seen.push(...body.data.map((r) => r.id));
      token = body.info.next_page_token as string | null;
      expect(body.info.more_records).toBe(token !== null);
    }
    return seen;
  };

  it('reaches every record once with page up to 2,000 and then page_token (id, descending)', async () => {
    const seen = await walk('sort_by=id', 200, 10);
    expect(seen.length).toBe(2500);
    expect(new Set(seen).size).toBe(2500);
    expect(seen).toEqual([...allTasks].sort((a, b) => (BigInt(a) < BigInt(b) ? 1 : -1)));
  });

  it('reaches every record once sorting by Created_Time ascending, with ties, 150 a page', async () => {
    const seen = await walk('sort_by=Created_Time&sort_order=asc', 150, 13);
    expect(seen.length).toBe(2500);
    expect(new Set(seen).size).toBe(2500);
    // Created in order, one call per second: ascending creation order is insertion order.
    expect(seen).toEqual(allTasks);
  });

  it('does not repeat or skip records inserted while paging by token', async () => {
    const first = (await get('/bigin/v2/Tasks?sort_by=id&sort_order=asc&per_page=200&page=10', 'admin', P))
      .json as Page;
    const inserted = await sendJsonBody(t.url, 'POST', recordsPath('Tasks'), P.token('admin'), {
      data: [{ Subject: 'late' }],
    });
    const late = idOf(inserted);
    const seen: string[] = [];
    let token = first.info.next_page_token as string | null;
    while (token) {
      const body = (await get(`/bigin/v2/Tasks?page_token=${token}`, 'admin', P)).json as Page;
      seen.push(...body.data.map((r) => r.id));
      token = body.info.next_page_token as string | null;
    }
    expect(seen).toEqual([...allTasks.slice(2000), late]);
    expectJson(await call(t.url, 'DELETE', recordsPath('Tasks', late), P.token('admin')), 200, {
      data: [{ code: 'SUCCESS', details: { id: late }, message: 'record deleted', status: 'success' }],
    });
  });
});

describe('visibility (D7)', () => {
  const visible = async (user: UserName) => {
    const res = await get('/bigin/v2/Contacts?fields=Last_Name', user);
    return res.status === 204 ? [] : (res.json as Page).data.map((r) => r.id).sort();
  };

  it('shows an administrator every record', async () => {
    expect(await visible('admin')).toEqual(Object.values(A.contactOf).sort());
  });

  it("shows a Standard user only their own records, not an administrator's", async () => {
    expect(await visible('standard')).toEqual([]);
    expectNoContent(await get(recordsPath('Contacts', A.contactOf.admin), 'standard'));
  });

  it("shows a sales rep their own records but not a non-sharing peer's", async () => {
    expect(await visible('rep1')).toEqual([A.contactOf.rep1]);
    expectNoContent(await get(recordsPath('Contacts', A.contactOf.rep2), 'rep1'));
  });

  it('shows a manager the records of the roles below, not those above', async () => {
    expect(await visible('manager')).toEqual(
      [A.contactOf.rep1, A.contactOf.rep2, A.contactOf.peerA, A.contactOf.manager].sort(),
    );
  });

  it("shows a sharing peer their peer's records", async () => {
    expect(await visible('peerB')).toEqual([A.contactOf.peerA]);
    expect((await get(recordsPath('Contacts', A.contactOf.peerA), 'peerB')).status).toBe(200);
  });
});

describe('related lists', () => {
  it("lists a record's notes, a company's contacts and deals, a contact's deals", async () => {
    const post = (module: string, record: object) =>
      sendJsonBody(t.url, 'POST', recordsPath(module), A.token('admin'), { data: [record] }).then((r) =>
        idOf(r),
      );
    const company = await post('Accounts', { Account_Name: 'Related Co' });
    const contact = await post('Contacts', { Last_Name: 'Related', Account_Name: { id: company } });
    const deal = await post('Pipelines', {
      Deal_Name: 'Related deal',
      Pipeline: { name: 'Sales' },
      Sub_Pipeline: 'Standard',
      Stage: 'Won',
      Account_Name: { id: company },
      Contact_Name: { id: contact },
    });
    const note = await post('Notes', {
      Note_Content: 'hi',
      Parent_Id: { id: contact },
      se_module: 'Contacts',
    });
    const ids = async (path: string) => ((await get(path)).json as Page).data.map((r) => r.id);
    expect(await ids(`/bigin/v2/Contacts/${contact}/Notes?fields=Note_Content`)).toEqual([note]);
    expect(await ids(`/bigin/v2/Accounts/${company}/Contacts`)).toEqual([contact]);
    expect(await ids(`/bigin/v2/Accounts/${company}/Pipelines`)).toEqual([deal]);
    expect(await ids(`/bigin/v2/Contacts/${contact}/Pipelines`)).toEqual([deal]);
    const page = (await get(`/bigin/v2/Contacts/${contact}/Notes?fields=Note_Content`)).json as Page;
    expect(page).toEqual({
      data: [{ id: note, Note_Content: 'hi' }],
      // A related list's info has 7 keys: no sort keys (reference §1.10).
      info: {
        per_page: 200,
        next_page_token: null,
        count: 1,
        page: 1,
        previous_page_token: null,
        page_token_expiry: null,
        more_records: false,
      },
    });
    expectNoContent(await get(`/bigin/v2/Accounts/${company}/Notes`));
  });

  it('answers an unknown related list as a URL that does not exist, before the method and the token', async () => {
    for (const path of [
      '/bigin/v2/Contacts/1/Foo',
      '/bigin/v2/Tasks/1/Contacts',
      '/bigin/v2/Contacts/1/Contacts',
      '/bigin/v2/Notes/1/Notes',
    ])
      expectJson(await call(t.url, 'GET', path), 404, ERR.urlPattern);
    expectJson(
      await call(t.url, 'PUT', `/bigin/v2/Accounts/${A.recordIn.Accounts}/Contacts`),
      400,
      ERR.requestMethod,
    );
  });

  it('refuses a parent that is missing or invisible like the attachments API, and an unknown module', async () => {
    expectJson(await get(`/bigin/v2/Contacts/${A.deletedContact}/Notes`), 400, ERR.recordNotFound);
    expectJson(await get(`/bigin/v2/Contacts/${A.contactOf.admin}/Notes`, 'rep1'), 400, ERR.recordNotFound);
    expectJson(await get('/bigin/v2/Leads/1/Notes'), 400, ERR.invalidModule);
  });
});
