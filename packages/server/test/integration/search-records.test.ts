import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR, errorEnvelope } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds, type UserName } from '../support/fixtures.js';
import { expectJson, expectNoContent, idOf, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Issue 13: the words under a module (D10) and GET /{module}/search (docs/search.md).

const A = orgIds(6161616, 'srch');
const ALL_MODULES = ['contacts', 'accounts', 'pipelines', 'products', 'tasks', 'events', 'calls', 'notes'];
const SEARCH_SCOPE = [
  'ZohoBigin.modules.ALL',
  ...ALL_MODULES.map((m) => `ZohoBigin.modules.${m}.ALL`),
  'ZohoSearch.securesearch.READ',
].join(',');
const searchToken = (u: UserName) => `1000.s${u.padEnd(31, '0')}.ffffffffffffffffffffffffffffffff`;
const extra = (token: string, user: string, scope: string) => ({ token, user, scope, expiresAt: FAR_FUTURE });
const READ_PAIR = '1000.readpair00000000000000000000000.ffffffffffffffffffffffffffffffff';
const NO_SEARCH = '1000.nosearch000000000000000000000000.ffffffffffffffffffffffffffffffff';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: {
      organizations: [
        orgFixture(A, {
          extraTokens: [
            ...(['admin', 'rep1', 'rep2'] as const).map((u) =>
              extra(searchToken(u), A.user[u], SEARCH_SCOPE),
            ),
            extra(READ_PAIR, A.user.admin, 'ZohoBigin.modules.contacts.READ,ZohoSearch.securesearch.READ'),
            extra(NO_SEARCH, A.user.admin, 'ZohoBigin.modules.ALL,ZohoBigin.modules.contacts.ALL'),
          ],
        }),
      ],
    },
  });
});
afterAll(() => t?.close());

const get = (path: string, token = searchToken('admin')) => call(t.url, 'GET', path, token);
const search = (q: string, token = searchToken('admin'), module = 'Contacts') =>
  get(`/bigin/v2/${module}/search?${q}`, token);
const insert = async (module: string, data: object[], user: UserName = 'admin') => {
  const res = await sendJsonBody(t.url, 'POST', `/bigin/v2/${module}`, searchToken(user), { data });
  expect(res.status, res.text).toBeLessThan(300);
  return data.map((_, i) => idOf(res, i));
};
type Page = { data: Array<Record<string, unknown>>; info: Record<string, unknown> };
const ids = (res: Awaited<ReturnType<typeof get>>) => (res.json as Page).data.map((r) => r.id);

describe('words under a module (D10)', () => {
  const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
  const notSupported = errorEnvelope('NOT_SUPPORTED', 'the requested action is not supported by this server');
  const served: Record<string, Record<string, [number, string]>> = {
    search: { GET: [400, 'EXPECTED_PARAM_MISSING'] },
    upsert: { POST: [400, 'INVALID_DATA'] },
    deleted: { GET: [400, 'NOT_SUPPORTED'] },
    // Served (docs/tags.md): POST only; without tag_names (query or body) a parameter is missing.
    'actions/add_tags': { POST: [400, 'REQUIRED_PARAM_MISSING'] },
    'actions/remove_tags': { POST: [400, 'REQUIRED_PARAM_MISSING'] },
    'actions/mass_update': {
      GET: [400, 'NOT_SUPPORTED'],
      POST: [400, 'NOT_SUPPORTED'],
      PUT: [400, 'NOT_SUPPORTED'],
      DELETE: [400, 'NOT_SUPPORTED'],
    },
  };
  // The same words on both versions (docs/v1.md): one registration per version.
  const cases = ['v2', 'v1'].flatMap((version) =>
    Object.entries(served).flatMap(([word, byMethod]) =>
      METHODS.map(
        (method) => [version, word, method, byMethod[method] ?? [400, 'INVALID_REQUEST_METHOD']] as const,
      ),
    ),
  );
  it.each(cases)(
    '%s: %s with %s is served or refused as documented, never a record read',
    async (version, word, method, [status, code]) => {
      const res = await call(t.url, method, `/bigin/${version}/Contacts/${word}`, searchToken('admin'));
      expect({ status: res.status, code: (res.json as { code?: string } | undefined)?.code }).toEqual({
        status,
        code,
      });
      if (code === 'NOT_SUPPORTED') expect(res.json).toEqual(notSupported);
    },
  );
  it.each(
    METHODS.flatMap((m) =>
      ['searc', 'Search', 'abc', 'actions', 'actions/nope', 'upsert/x'].map((w) => [w, m]),
    ),
  )('an unknown word %s (%s) is refused, never read as a record', async (word, method) => {
    const res = await call(t.url, method, `/bigin/v2/Contacts/${word}`, searchToken('admin'));
    if (word.includes('/') || method === 'GET') expectJson(res, 404, ERR.urlPattern);
    // One segment: POST and PATCH have no such route (row 2); PUT and DELETE take it for a
    // record id and refuse it (the body, or the per-item "the id given seems to be invalid").
    else if (method === 'POST' || method === 'PATCH') expectJson(res, 400, ERR.requestMethod);
    else expect(res.status).toBe(400);
  });
  it('a digit segment is still a record id: unknown → 204', async () => {
    expectNoContent(await get('/bigin/v2/Contacts/1234567'));
  });
});

describe('search by email, phone, word', () => {
  let ann: string;
  let bob: string;
  beforeAll(async () => {
    [ann, bob] = (await insert('Contacts', [
      { Last_Name: 'Annsworth', First_Name: 'Ann', Email: 'Ann@Example.com', Phone: '+1 555 0101' },
      { Last_Name: 'Bobbins', First_Name: 'Bob', Email: 'bob@example.com', Mobile: '555-0202' },
    ])) as [string, string];
  });

  it('finds a contact by email case-insensitively, with the 6-key info', async () => {
    const res = await search('email=ann@example.COM');
    expect(res.status).toBe(200);
    const page = res.json as Page;
    expect(page.data.map((r) => r.id)).toEqual([ann]);
    expect(page.data[0]).toMatchObject({ Email: 'Ann@Example.com', Last_Name: 'Annsworth' });
    expect(Object.keys(page.info)).toEqual([
      'per_page',
      'count',
      'sort_by',
      'page',
      'sort_order',
      'more_records',
    ]);
    expect(page.info).toEqual({
      per_page: 200,
      count: 1,
      sort_by: 'id',
      page: 1,
      sort_order: 'desc',
      more_records: false,
    });
  });
  it('answers 204 when nothing matches', async () => {
    expectNoContent(await search('email=nobody@example.com'));
  });
  it('searches every phone field', async () => {
    expect(ids(await search(`phone=${encodeURIComponent('555-0202')}`))).toEqual([bob]);
    expect(ids(await search(`phone=${encodeURIComponent('+1 555 0101')}`))).toEqual([ann]);
  });
  it('word matches inside the name; fewer than 2 characters is INVALID_DATA', async () => {
    expect(ids(await search('word=bobbin'))).toEqual([bob]);
    expectJson(
      await search('word=a'),
      400,
      errorEnvelope('INVALID_DATA', 'invalid data', { param_name: 'word' }),
    );
  });
  it('criteria wins over email; fields selects keys and id always', async () => {
    const res = await search(
      `criteria=${encodeURIComponent('(Last_Name:equals:Bobbins)')}&email=ann@example.com&fields=Email`,
    );
    expect((res.json as Page).data).toEqual([{ id: bob, Email: 'bob@example.com' }]);
  });
  it('none of criteria, email, phone, word → EXPECTED_PARAM_MISSING', async () => {
    expectJson(
      await search('fields=Email'),
      400,
      errorEnvelope('EXPECTED_PARAM_MISSING', 'mandatory param missing'),
    );
  });
});

describe('criteria', () => {
  let zed: string[];
  beforeAll(async () => {
    zed = await insert('Contacts', [
      { Last_Name: 'Zed (one), two', First_Name: 'Mia', Email: 'z1@example.com' },
      { Last_Name: 'Zedson', First_Name: 'Max', Email: 'z2@example.com' },
      { Last_Name: 'Zedd', First_Name: 'Mo', Email: 'z3@example.com' },
    ]);
  });
  const q = (criteria: string) => search(`criteria=${encodeURIComponent(criteria)}`);

  it.each([
    ['((Email:equals:z1@example.com)or(Email:equals:z2@example.com))', [1, 0]],
    ['((Last_Name:starts_with:zed)and(First_Name:starts_with:M))', [2, 1, 0]],
    ['((Last_Name:starts_with:zed)and((First_Name:equals:Max)or(First_Name:equals:Mo)))', [2, 1]],
    ['(Last_Name:equals:Zed \\(one\\)\\, two)', [0]],
    ['(Email:in:z1@example.com,z3@example.com)', [2, 0]],
    ['((Last_Name:starts_with:Zed)and(First_Name:not_equal:Mia))', [2, 1]],
  ])('%s', async (criteria, expected) => {
    expect(ids(await q(criteria))).toEqual(expected.map((i) => zed[i]));
  });

  it.each([
    ['(Last_Name:equals:Zed)x', 'unexpected text after the criteria', 22],
    ['(Last_Name:equals:Zed', "expected ')' but the criteria ended", 21],
    [
      '((Last_Name:equals:A)and(Last_Name:equals:B)or(Last_Name:equals:C))',
      "'or' mixed with 'and' at one level; add parentheses",
      46,
    ],
    ['(Last_Name:equals:a(b)', "unescaped '(' in a value", 19],
    ['(Last_Name:equals:)', 'empty value', 18],
    ['(:equals:x)', 'expected a field API name', 1],
  ])('%s is INVALID_QUERY with its position', async (criteria, reason, position) => {
    expectJson(
      await q(criteria),
      400,
      errorEnvelope('INVALID_QUERY', 'invalid query formed', { position, reason }),
    );
  });

  it.each([
    ['(Nope:equals:x)', 'invalid field found', { api_name: 'Nope', operator: 'equals', position: 1 }],
    [
      '(Last_Name:greater_than:x)',
      'invalid operator found',
      { api_name: 'Last_Name', operator: 'greater_than', position: 1 },
    ],
    [
      '(Email_Opt_Out:equals:maybe)',
      'invalid value found',
      { api_name: 'Email_Opt_Out', operator: 'equals', position: 1, value: 'maybe' },
    ],
    [
      '(Last_Name:equals:a,b)',
      'the operator takes one value',
      { api_name: 'Last_Name', operator: 'equals', position: 1 },
    ],
  ])('%s: %s', async (criteria, reason, details) => {
    expectJson(
      await q(criteria),
      400,
      errorEnvelope('INVALID_QUERY', 'invalid query formed', { ...details, reason }),
    );
  });

  it('caps criteria at 10', async () => {
    const eleven = `(${Array.from({ length: 11 }, (_, i) => `(Last_Name:equals:n${i})`).join('or')})`;
    const ten = `(${Array.from({ length: 10 }, (_, i) => `(Last_Name:equals:n${i})`).join('or')})`;
    expectNoContent(await q(ten));
    const res = await q(eleven);
    expect((res.json as { details: { reason: string } }).details.reason).toBe('more than 10 criteria');
  });

  it('Created_Time takes date-times, Owner takes user ids', async () => {
    expect(ids(await q(`((Owner:equals:${A.user.admin})and(Last_Name:starts_with:Zed))`))).toEqual(
      [...zed].reverse(),
    );
    expect(
      ids(await q('((Created_Time:greater_equal:2026-01-15T10:00:00+00:00)and(Last_Name:starts_with:Zed))')),
    ).toEqual([...zed].reverse());
    expectNoContent(
      await q('((Created_Time:greater_than:2026-01-15T10:00:00+00:00)and(Last_Name:starts_with:Zed))'),
    );
  });
});

describe('scopes, visibility, paging', () => {
  it('the module scope and ZohoSearch.securesearch.READ form a pair; modules.ALL is not enough', async () => {
    expect((await search('email=ann@example.com', READ_PAIR)).status).toBe(200);
    expectJson(await search('email=ann@example.com', NO_SEARCH), 401, ERR.scopeMismatch);
    expectJson(await search('email=ann@example.com', A.token('admin')), 401, ERR.scopeMismatch);
    expectJson(await search('email=ann@example.com', READ_PAIR, 'Accounts'), 401, ERR.scopeMismatch);
  });
  it('a user finds only records they may see', async () => {
    const [mine] = await insert('Contacts', [{ Last_Name: 'Visible', Email: 'vis1@example.com' }], 'rep1');
    const [theirs] = await insert('Contacts', [{ Last_Name: 'Visible', Email: 'vis2@example.com' }], 'rep2');
    expect(
      ids(await search(`criteria=${encodeURIComponent('(Last_Name:equals:Visible)')}`, searchToken('rep1'))),
    ).toEqual([mine]);
    expect(ids(await search(`criteria=${encodeURIComponent('(Last_Name:equals:Visible)')}`))).toEqual([
      theirs,
      mine,
    ]);
  });
  it('pages with page/per_page and refuses beyond 2,000 records', async () => {
    const made = await insert(
      'Tasks',
      Array.from({ length: 5 }, (_, i) => ({ Subject: `paged ${i}` })),
    );
    const first = await search(`word=paged&per_page=2`, undefined, 'Tasks');
    expect(ids(first)).toEqual([made[4], made[3]]);
    expect((first.json as Page).info).toEqual({
      per_page: 2,
      count: 2,
      sort_by: 'id',
      page: 1,
      sort_order: 'desc',
      more_records: true,
    });
    const last = await search(`word=paged&per_page=2&page=3`, undefined, 'Tasks');
    expect(ids(last)).toEqual([made[0]]);
    expect((last.json as Page).info.more_records).toBe(false);
    expectJson(
      await search('word=paged&per_page=200&page=11', undefined, 'Tasks'),
      400,
      errorEnvelope('LIMIT_REACHED', 'Maximum response iteration limit reached', { limit: 2000 }),
    );
  });
});
