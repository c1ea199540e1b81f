import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR, errorEnvelope } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds, type UserName } from '../support/fixtures.js';
import { expectJson, expectNoContent, idOf, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Issue 13 item 7: POST /bigin/v2/coql (docs/coql.md, decision D21), over HTTP.

const A = orgIds(7171717, 'coql');
const tok = (name: string) => `1000.q${name.padEnd(31, '0')}.ffffffffffffffffffffffffffffffff`;
const extra = (name: string, user: string, scope: string) => ({
  token: tok(name),
  user,
  scope,
  expiresAt: FAR_FUTURE,
});
const FULL = 'ZohoBigin.coql.READ,ZohoBigin.modules.ALL';
const userToken = (u: UserName) => tok(`u${u}`);

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: {
      organizations: [
        orgFixture(A, {
          extraTokens: [
            ...(['admin', 'rep1', 'rep2', 'noTab'] as const).map((u) => extra(`u${u}`, A.user[u], FULL)),
            extra('contactsread', A.user.admin, 'ZohoBigin.coql.READ,ZohoBigin.modules.contacts.READ'),
            extra('contactsall', A.user.admin, 'zohobigin.coql.read,ZohoBigin.modules.Contacts.ALL'),
            extra('nocoql', A.user.admin, 'ZohoBigin.modules.ALL'),
            extra('coqlonly', A.user.admin, 'ZohoBigin.coql.READ'),
            extra('writeonly', A.user.admin, 'ZohoBigin.coql.READ,ZohoBigin.modules.contacts.WRITE'),
          ],
        }),
      ],
    },
  });
});
afterAll(() => t?.close());

const coql = (query: unknown, token = userToken('admin')) =>
  sendJsonBody(
    t.url,
    'POST',
    '/bigin/v2/coql',
    token,
    typeof query === 'string' ? { select_query: query } : query,
  );
const insert = async (module: string, data: object[], user: UserName = 'admin') => {
  const res = await sendJsonBody(t.url, 'POST', `/bigin/v2/${module}`, userToken(user), { data });
  expect(res.status, res.text).toBeLessThan(300);
  return data.map((_, i) => idOf(res, i));
};
type Page = { data: Array<Record<string, unknown>>; info: { count: number; more_records: boolean } };
const page = (res: Awaited<ReturnType<typeof coql>>) => {
  expect(res.status, res.text).toBe(200);
  return res.json as Page;
};
const byId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : 1);

describe('answers', () => {
  it('selects the named fields and id of the matching records, by id ascending, with a 2-key info', async () => {
    const ids = await insert('Contacts', [
      { Last_Name: 'Watson', First_Name: 'Ann', Email: 'ann.watson@coql.example' },
      { Last_Name: 'Watson', First_Name: 'Bob', Email: 'bob.watson@coql.example' },
      { Last_Name: 'Holmes', First_Name: 'Sam' },
    ]);
    const res = await coql("select Last_Name, First_Name from Contacts where Last_Name = 'watson'");
    expectJson(res, 200, {
      data: [
        { id: ids[0], Last_Name: 'Watson', First_Name: 'Ann' },
        { id: ids[1], Last_Name: 'Watson', First_Name: 'Bob' },
      ].sort((a, b) => byId(a.id!, b.id!)),
      info: { count: 2, more_records: false },
    });
    // HashMap order (D9): `info` is count, more_records; each record's keys by bucket.
    expect(res.text).toMatch(/"info":\{"count":2,"more_records":false\}\}$/);
    expect(res.text).toMatch(
      /^\{"data":\[\{"First_Name":"(Ann|Bob)","Last_Name":"Watson","id":"[0-9]{19}"\}/,
    );
  });

  it('answers 204 with an empty body when nothing matches', async () => {
    expectNoContent(await coql("select Last_Name from Contacts where Last_Name = 'Nobody-at-all'"));
  });

  it('writes a lookup as its id alone and a requested empty field as null', async () => {
    const [account] = await insert('Accounts', [{ Account_Name: 'Coql Lookup Co' }]);
    const [contact] = await insert('Contacts', [{ Last_Name: 'Looked', Account_Name: { id: account } }]);
    const res = await coql(`select Account_Name, Title, Owner from Contacts where id = ${contact}`);
    expectJson(res, 200, {
      data: [{ id: contact, Account_Name: { id: account }, Title: null, Owner: { id: A.user.admin } }],
      info: { count: 1, more_records: false },
    });
  });

  it('joins one level through a record lookup in select, and shows null where the caller may not see the record', async () => {
    const [account] = await insert('Accounts', [{ Account_Name: 'Coql Join Co', Phone: '555-0100' }]);
    const [contact] = await insert(
      'Contacts',
      [{ Last_Name: 'Joined', Account_Name: { id: account } }],
      'rep1',
    );
    const q = `select Last_Name, Account_Name.Account_Name, Account_Name.Phone from Contacts where id = ${contact}`;
    const res = await coql(q);
    expectJson(res, 200, {
      data: [
        {
          id: contact,
          Last_Name: 'Joined',
          'Account_Name.Account_Name': 'Coql Join Co',
          'Account_Name.Phone': '555-0100',
        },
      ],
      info: { count: 1, more_records: false },
    });
    // rep1 owns the contact but not the admin's account.
    expect(page(await coql(q, userToken('rep1'))).data).toEqual([
      { id: contact, Last_Name: 'Joined', 'Account_Name.Account_Name': null, 'Account_Name.Phone': null },
    ]);
    expectJson(
      await coql('select Account_Name.Nope from Contacts'),
      400,
      errorEnvelope('INVALID_QUERY', 'invalid query formed', {
        column_name: 'Account_Name.Nope',
        position: 7,
        reason: 'invalid column',
      }),
    );
    expectJson(
      await coql('select Owner.first_name from Contacts'),
      400,
      errorEnvelope('NOT_SUPPORTED', 'the requested action is not supported by this server', {
        column_name: 'Owner.first_name',
      }),
    );
  });

  it('orders by a field either way, pages with limit and offset (both spellings) and says when more remain', async () => {
    const names = ['Pg-c', 'Pg-a', 'Pg-e', 'Pg-b', 'Pg-d'];
    await insert(
      'Contacts',
      names.map((n) => ({ Last_Name: n })),
    );
    const names_ = async (q: string) => page(await coql(q)).data.map((r) => r.Last_Name);
    expect(
      await names_("select Last_Name from Contacts where Last_Name like 'pg-%' order by Last_Name"),
    ).toEqual(['Pg-a', 'Pg-b', 'Pg-c', 'Pg-d', 'Pg-e']);
    expect(
      await names_(
        "select Last_Name from Contacts where Last_Name like 'Pg-%' order by Last_Name desc limit 2",
      ),
    ).toEqual(['Pg-e', 'Pg-d']);
    const second = page(
      await coql(
        "select Last_Name from Contacts where Last_Name like 'Pg-%' order by Last_Name asc limit 2 offset 2",
      ),
    );
    expect(second.data.map((r) => r.Last_Name)).toEqual(['Pg-c', 'Pg-d']);
    expect(second.info).toEqual({ count: 2, more_records: true });
    const third = page(
      await coql("select Last_Name from Contacts where Last_Name like 'Pg-%' order by Last_Name limit 4, 2"),
    );
    expect(third.data.map((r) => r.Last_Name)).toEqual(['Pg-e']);
    expect(third.info).toEqual({ count: 1, more_records: false });
  });

  it('applies like, not like, in, not in, is null and bracketed and/or as documented', async () => {
    await insert('Contacts', [
      { Last_Name: 'Cmp-alpha', First_Name: 'X', Title: 'Boss' },
      { Last_Name: 'Cmp-beta', First_Name: 'Y' },
      { Last_Name: 'Cmp-gamma', Title: 'Clerk' },
    ]);
    const names = async (where: string) =>
      page(await coql(`select Last_Name from Contacts where ${where} order by Last_Name`)).data.map(
        (r) => r.Last_Name,
      );
    expect(await names("Last_Name like '%-beta'")).toEqual(['Cmp-beta']);
    expect(await names("(Last_Name like 'cmp-%' and Last_Name not like '%amm%')")).toEqual([
      'Cmp-alpha',
      'Cmp-beta',
    ]);
    expect(await names("Last_Name in ('Cmp-alpha', 'cmp-gamma')")).toEqual(['Cmp-alpha', 'Cmp-gamma']);
    expect(await names("(Last_Name like 'Cmp-%' and Last_Name not in ('Cmp-alpha'))")).toEqual([
      'Cmp-beta',
      'Cmp-gamma',
    ]);
    expect(await names("(Last_Name like 'Cmp-%' and Title is null)")).toEqual(['Cmp-beta']);
    expect(await names("((Last_Name like 'Cmp-%' and Title is not null) and First_Name = 'x')")).toEqual([
      'Cmp-alpha',
    ]);
    expect(await names("(Title = 'Clerk' or (First_Name = 'Y' and Last_Name like 'Cmp%'))")).toEqual([
      'Cmp-beta',
      'Cmp-gamma',
    ]);
  });

  it('compares the fields reads compute on what they are computed from, and refuses the constant ones', async () => {
    const [id] = await insert('Contacts', [{ First_Name: 'Ada', Last_Name: 'Computed-Lovelace' }]);
    const found = page(await coql("select Full_Name from Contacts where Full_Name like 'ada computed-%'"));
    expect(found.data).toEqual([{ id, Full_Name: 'Ada Computed-Lovelace' }]);
    const recent = page(
      await coql(
        `select Last_Name from Contacts where (id = ${id} and Last_Activity_Time >= '2000-01-01T00:00:00+00:00')`,
      ),
    );
    expect(recent.data.map((r) => r.id)).toEqual([id]);
    expectJson(
      await coql('select Last_Name from Contacts where Locked__s = false'),
      400,
      errorEnvelope('NOT_SUPPORTED', 'the requested action is not supported by this server'),
    );
  });

  it('compares numbers, dates and booleans by value', async () => {
    await insert('Products', [
      { Product_Name: 'Num-1', Unit_Price: 5, Product_Active: true },
      { Product_Name: 'Num-2', Unit_Price: 50, Product_Active: false },
      { Product_Name: 'Num-3', Unit_Price: 500 },
    ]);
    const names = async (where: string) =>
      page(await coql(`select Product_Name from Products where ${where} order by Unit_Price desc`)).data.map(
        (r) => r.Product_Name,
      );
    expect(await names("(Product_Name like 'Num-%' and Unit_Price > 5)")).toEqual(['Num-3', 'Num-2']);
    expect(await names("(Product_Name like 'Num-%' and Unit_Price between 5 and 50)")).toEqual([
      'Num-2',
      'Num-1',
    ]);
    expect(await names("(Product_Name like 'Num-%' and Unit_Price not between 5 and 50)")).toEqual(['Num-3']);
    expect(await names("(Product_Name like 'Num-%' and Product_Active = true)")).toEqual(['Num-1']);
    await insert('Pipelines', [
      {
        Deal_Name: 'Day-1',
        Stage: 'Qualification',
        Pipeline: 'Sales Pipeline Standard',
        Sub_Pipeline: 'Sales Pipeline Standard',
        Closing_Date: '2026-01-10',
      },
      {
        Deal_Name: 'Day-2',
        Stage: 'Qualification',
        Pipeline: 'Sales Pipeline Standard',
        Sub_Pipeline: 'Sales Pipeline Standard',
        Closing_Date: '2026-03-10',
      },
    ]);
    const deals = page(
      await coql(
        "select Deal_Name from Pipelines where (Deal_Name like 'Day-%' and Closing_Date < '2026-02-01')",
      ),
    );
    expect(deals.data.map((r) => r.Deal_Name)).toEqual(['Day-1']);
  });

  it('shows each caller only the records search would show them, and no deleted record', async () => {
    const [mine] = await insert('Contacts', [{ Last_Name: 'Vis-rep1' }], 'rep1');
    const [theirs] = await insert('Contacts', [{ Last_Name: 'Vis-rep2' }], 'rep2');
    const q = "select Last_Name from Contacts where Last_Name like 'Vis-%'";
    expect(page(await coql(q, userToken('rep1'))).data.map((r) => r.id)).toEqual([mine]);
    expect(page(await coql(q, userToken('admin'))).data.map((r) => r.id)).toEqual(
      [mine!, theirs!].sort(byId),
    );
    expectNoContent(await coql(`select Last_Name from Contacts where id = ${A.deletedContact}`));
  });
});

describe('scopes and permissions', () => {
  const Q = "select Last_Name from Contacts where Last_Name = 'Watson'";
  it.each([
    ['nocoql', 'a module scope without ZohoBigin.coql.READ'],
    ['coqlonly', 'ZohoBigin.coql.READ without a module scope'],
    ['writeonly', 'ZohoBigin.coql.READ with a module scope that does not read'],
  ])('%s: %s answers 401 OAUTH_SCOPE_MISMATCH', async (name) => {
    expectJson(await coql(Q, tok(name)), 401, ERR.scopeMismatch);
  });

  it('takes ZohoBigin.coql.READ with the module’s READ or ALL scope, in any case, for that module only', async () => {
    expect((await coql(Q, tok('contactsread'))).status).toBe(200);
    expect((await coql(Q, tok('contactsall'))).status).toBe(200);
    expectJson(await coql('select Account_Name from Accounts', tok('contactsread')), 401, ERR.scopeMismatch);
  });

  it('checks the coql scope before the body, so that a token without it learns nothing of its query', async () => {
    expectJson(await coql('not a query', tok('nocoql')), 401, ERR.scopeMismatch);
  });

  it('treats a module the profile cannot view as one that does not exist', async () => {
    expectJson(await coql(Q, userToken('noTab')), 400, {
      code: 'INVALID_QUERY',
      details: { module_name: 'Contacts', reason: 'invalid module' },
      message: 'invalid query formed',
      status: 'error',
    });
  });

  it('needs a token and a POST, and is not a v1 path', async () => {
    expectJson(await call(t.url, 'POST', '/bigin/v2/coql'), 401, ERR.authFailure);
    expectJson(await call(t.url, 'GET', '/bigin/v2/coql', userToken('admin')), 400, ERR.requestMethod);
    const v1 = await sendJsonBody(t.url, 'POST', '/bigin/v1/coql', userToken('admin'), { select_query: Q });
    expectJson(v1, 400, ERR.invalidModule);
  });
});

describe('errors', () => {
  const syntax = (reason: string, position: number) =>
    expect.objectContaining({
      code: 'SYNTAX_ERROR',
      message: 'syntax error in the query',
      status: 'error',
      details: expect.objectContaining({ reason, position }),
    });
  const invalid = (details: Record<string, unknown>) =>
    errorEnvelope('INVALID_QUERY', 'invalid query formed', details);
  const limit = (by: string, n: number) =>
    errorEnvelope('LIMIT_EXCEEDED', 'limit exceeded', { by, limit: n });

  it.each<[string, number, unknown]>([
    ['update Contacts set Last_Name = 1', 400, syntax('only a select query is allowed', 0)],
    [
      'select Last_Name where Last_Name = 1',
      400,
      syntax("expected ',' or 'from' after the selected fields", 17),
    ],
    ['select Last_Name from Contacts where (Last_Name = 1', 400, syntax("expected ')'", 51)],
    [
      "select Last_Name from Contacts where Last_Name = 'a' and Last_Name = 'b' and Last_Name = 'c'",
      400,
      syntax('more than two criteria must be enclosed in brackets, as in (A and (B and C))', 73),
    ],
    ["select Last_Name from Contacts where Last_Name = 'a", 400, syntax('unterminated string', 49)],
    ['select * from Contacts', 400, syntax("'*' is not allowed: name the fields to select", 7)],
    ['', 400, syntax('the query is empty', 0)],
    [
      "select Last_Name from Contacts where LAST_NAME = 'x'",
      400,
      invalid({ column_name: 'LAST_NAME', position: 37, reason: 'invalid column' }),
    ],
    [
      'select Nope from Contacts',
      400,
      invalid({ column_name: 'Nope', position: 7, reason: 'invalid column' }),
    ],
    ['select Last_Name from Leads', 400, invalid({ module_name: 'Leads', reason: 'invalid module' })],
    ['select Note_Title from Notes', 400, invalid({ module_name: 'Notes', reason: 'invalid module' })],
    [
      "select Last_Name from Contacts where Description = 'x'",
      400,
      invalid({ column_name: 'Description', reason: 'multi-line fields are not allowed in criteria' }),
    ],
    [
      "select Last_Name from Contacts where Email_Opt_Out like '%x%'",
      400,
      invalid({
        column_name: 'Email_Opt_Out',
        operator: 'like',
        reason: 'the comparator is not allowed for the field',
      }),
    ],
    [
      "select Last_Name from Contacts where Created_Time > 'yesterday'",
      400,
      invalid({ column_name: 'Created_Time', value: 'yesterday', reason: 'invalid value' }),
    ],
    [
      "select Last_Name from Contacts where Last_Name not like 'x%'",
      400,
      invalid({ column_name: 'Last_Name', value: 'x%', reason: "'not like' takes only '%value%'" }),
    ],
    [
      "select Last_Name from Contacts where Last_Name like '%a%a%'",
      400,
      invalid({
        column_name: 'Last_Name',
        value: '%a%a%',
        reason: "'like' takes '%' only at the start or the end",
      }),
    ],
    ['select Last_Name from Contacts limit 201', 400, limit('limit', 200)],
    [
      'select Last_Name from Contacts limit 200 offset 9801',
      400,
      errorEnvelope('LIMIT_EXCEEDED', 'Max records limit exceeded', { limit: 10000 }),
    ],
    [
      'select Last_Name, Last_Name from Contacts',
      400,
      errorEnvelope('DUPLICATE_DATA', 'duplicate data', { column_name: 'Last_Name' }),
    ],
    ['select Owner.first_name.x.y from Contacts', 400, limit('joins', 2)],
    [
      `select Last_Name from Contacts where Last_Name in (${Array.from({ length: 51 }, (_, i) => `'v${i}'`).join(',')})`,
      400,
      limit('in', 50),
    ],
    [
      `select ${Array.from({ length: 51 }, (_, i) => `F${i}`).join(', ')} from Contacts`,
      400,
      limit('columns', 50),
    ],
  ])('%s → %i', async (query, status, body) => {
    const res = await coql(query);
    expect({ status: res.status, body: res.json }).toEqual({ status, body });
  });

  it('refuses 26 criteria however they are bracketed', async () => {
    const where = (n: number) => {
      let w = "Last_Name = 'c0'";
      for (let i = 1; i < n; i++) w = `(${w} or Last_Name = 'c${i}')`;
      return w;
    };
    expectJson(await coql(`select Last_Name from Contacts where ${where(26)}`), 400, limit('criteria', 25));
    expectNoContent(await coql(`select Last_Name from Contacts where ${where(25)}`));
  });

  it('wants select_query as a string in a JSON body', async () => {
    expectJson(
      await coql({}),
      400,
      errorEnvelope('MANDATORY_NOT_FOUND', 'required field not found', {
        api_name: 'select_query',
        json_path: '$.select_query',
      }),
    );
    expectJson(
      await coql({ select_query: 5 }),
      400,
      errorEnvelope('INVALID_DATA', 'invalid data', {
        api_name: 'select_query',
        json_path: '$.select_query',
        expected_data_type: 'string',
      }),
    );
    const res = await sendJsonBody(t.url, 'POST', '/bigin/v2/coql', userToken('admin'), '{not json');
    expect({ status: res.status, code: (res.json as { code: string }).code }).toEqual({
      status: 400,
      code: 'INVALID_DATA',
    });
  });
});

describe('hostile queries', () => {
  const WORDS = [
    'select',
    'from',
    'where',
    'Contacts',
    'Products',
    'Last_Name',
    'Unit_Price',
    'id',
    'Owner',
    'Owner.x',
    'Created_Time',
    '(',
    ')',
    ',',
    "'x'",
    "'%a%'",
    "'2026-01-01'",
    '"q"',
    '=',
    '!=',
    '<',
    '>=',
    'and',
    'or',
    'not',
    'like',
    'in',
    'is',
    'null',
    'between',
    'true',
    'order',
    'by',
    'desc',
    'limit',
    'offset',
    '5',
    '-1',
    '1.5',
    '201',
    '99999999999999999999',
    '*',
    ';',
    '\\',
    "'",
    '%',
  ];
  it('answers every random query with a Bigin answer, never a 5xx', async () => {
    const query = fc.oneof(
      fc.array(fc.constantFrom(...WORDS), { maxLength: 24 }).map((w) => w.join(' ')),
      fc
        .array(fc.constantFrom(...WORDS), { maxLength: 24 })
        .map((w) => `select Last_Name from Contacts where ${w.join(' ')}`),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const res = await coql(q);
        expect(res.status, `${q} → ${res.text}`).toBeLessThan(500);
        expect([200, 204, 400]).toContain(res.status);
      }),
      { numRuns: 250, seed: 777 },
    );
  });
});
