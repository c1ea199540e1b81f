import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR, errorEnvelope, JSON_TYPE } from '../support/bigin.js';
import { filesOrg, filesOrgFixture } from '../support/files-fixture.js';
import { attachmentPath, orgIds } from '../support/fixtures.js';
import { javaHashMapOrder } from '../support/hashmap-order.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';
import { filePart, listPath, upload } from '../support/uploads.js';

// GET …/Attachments (decisions D6, with the D4 order of checks).

const O = filesOrg(6161616, 'list');
const B = orgIds(6262626, 'lsbb');

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: { organizations: [filesOrgFixture(O), filesOrgFixture(filesOrg(6262626, 'lsbb'))] },
  });
});
afterAll(() => t?.close());

const admin = O.ids.token('admin');
const get = (path: string, token: string | undefined = admin) => call(t.url, 'GET', path, token);

function expectAnswer(res: Awaited<ReturnType<typeof call>>, status: number, body: unknown): void {
  expect({ status: res.status, body: res.json, contentType: res.contentType }).toEqual({
    status,
    body,
    contentType: JSON_TYPE,
  });
}

type Page = { data: Array<Record<string, unknown>>; info: Record<string, unknown> };

const badParam = (name: string) => errorEnvelope('INVALID_DATA', 'invalid data', { param_name: name });

describe('items', () => {
  it('lists a fresh upload with every documented key, in order, with Bigin casing and time format', async () => {
    const contact = O.ids.contactOf.peerA;
    t.clock.set(Date.parse('2026-03-01T08:09:10.987Z'));
    let id: string;
    try {
      const res = await upload(t.url, listPath('Contacts', contact), O.token.india, [
        filePart('plan.pdf', 'x'.repeat(1234), 'application/pdf'),
      ]);
      id = (res.json as { data: Array<{ details: { id: string } }> }).data[0]!.details.id;
    } finally {
      t.clock.set(TEST_EPOCH);
    }
    const res = await get(listPath('Contacts', contact), O.token.india);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe(JSON_TYPE);
    const page = res.json as Page;
    const india = { name: 'Priya Raman', id: O.user.india, email: 'priya@example.com' };
    // Newest first: the upload (1 March) before the fixture's attachment (15 January).
    expect(page.data[0]).toEqual({
      id,
      File_Name: 'plan.pdf',
      Size: '1234',
      $type: 'File',
      $link_url: null,
      $se_module: 'Contacts',
      $editable: true,
      $file_id: id,
      Parent_Id: { name: `Contacts ${contact}`, id: contact },
      Owner: india,
      Created_By: india,
      Modified_By: india,
      // The caller's time zone (Asia/Kolkata), no milliseconds.
      Created_Time: '2026-03-01T13:39:10+05:30',
      Modified_Time: '2026-03-01T13:39:10+05:30',
    });
    // java.util.HashMap order (D9), from the tests' own implementation of it.
    expect(Object.keys(page.data[0]!)).toEqual(
      javaHashMapOrder([
        'id',
        'File_Name',
        'Size',
        '$type',
        '$link_url',
        '$se_module',
        '$editable',
        '$file_id',
        'Parent_Id',
        'Owner',
        'Created_By',
        'Modified_By',
        'Created_Time',
        'Modified_Time',
      ]),
    );
    expect(page.data[1]!.Created_Time).toBe('2026-01-15T15:30:00+05:30');
    expect(page.info).toEqual({ per_page: 200, count: 2, page: 1, more_records: false });
    expect(Object.keys(page)).toEqual(['data', 'info']);
  });

  it('renders times with +00:00 for a UTC user', async () => {
    const res = await get(`${listPath('Contacts', O.ids.contactOf.manager)}?fields=Created_Time`);
    expect((res.json as Page).data).toEqual([
      { id: O.ids.attachmentOn[O.ids.contactOf.manager], Created_Time: '2026-01-15T10:00:00+00:00' },
    ]);
  });

  it('answers 204 with an empty body when the record has no attachments', async () => {
    const res = await get(listPath('Contacts', O.emptyContact));
    expect({ status: res.status, text: res.text, type: res.contentType }).toEqual({
      status: 204,
      text: '',
      type: 'application/json;charset=UTF-8',
    });
  });

  it('never lists a deleted attachment, and answers 204 once the last one is gone', async () => {
    const contact = O.ids.contactOf.admin;
    const only = O.ids.attachmentOn[contact]!;
    expect(((await get(listPath('Contacts', contact))).json as Page).data.map((d) => d.id)).toEqual([only]);
    expect((await call(t.url, 'DELETE', attachmentPath('Contacts', contact, only), admin)).status).toBe(200);
    const res = await get(listPath('Contacts', contact));
    expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
  });

  it('returns only the requested fields, always with id, in wire order', async () => {
    const res = await get(
      `${listPath('Contacts', O.ids.contactOf.rep2)}?fields=Modified_Time,%24type, File_Name`,
    );
    expect((res.json as Page).data).toEqual([
      {
        id: O.ids.attachmentOn[O.ids.contactOf.rep2],
        File_Name: `on-${O.ids.contactOf.rep2}.txt`,
        $type: 'File',
        Modified_Time: '2026-01-15T10:00:00+00:00',
      },
    ]);
  });

  it('shows a link as a Link URL with its address', async () => {
    const res = await get(`${listPath('Contacts', O.pagingContact)}?per_page=1`);
    expect((res.json as Page).data[0]).toMatchObject({
      id: O.pagingLinks[0],
      File_Name: 'link 449',
      Size: '0',
      $type: 'Link URL',
      $link_url: 'https://example.com/449',
      $file_id: null,
    });
  });
});

describe('paging', () => {
  const pageOf = async (query: string) => {
    const res = await get(`${listPath('Contacts', O.pagingContact)}${query}`);
    expect(res.status).toBe(200);
    return res.json as Page;
  };

  it('splits 450 attachments into pages of 200, 200 and 50 with correct more_records', async () => {
    const p1 = await pageOf('');
    const p2 = await pageOf('?page=2');
    const p3 = await pageOf('?page=3&per_page=200');
    expect(p1.info).toEqual({ per_page: 200, count: 200, page: 1, more_records: true });
    expect(p2.info).toEqual({ per_page: 200, count: 200, page: 2, more_records: true });
    expect(p3.info).toEqual({ per_page: 200, count: 50, page: 3, more_records: false });
    // Newest first, ties (same creation time) by id, descending; nothing repeated or skipped.
    expect([...p1.data, ...p2.data, ...p3.data].map((d) => d.id)).toEqual(O.pagingLinks);
  });

  it('answers 204 past the last page', async () => {
    const res = await get(`${listPath('Contacts', O.pagingContact)}?page=4`);
    expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
  });

  it('honours a smaller per_page, and the boundary page', async () => {
    expect((await pageOf('?per_page=50&page=9')).info).toEqual({
      per_page: 50,
      count: 50,
      page: 9,
      more_records: false,
    });
    expect((await pageOf('?per_page=1&page=450')).data.map((d) => d.id)).toEqual([O.pagingLinks[449]]);
  });

  it.each([
    ['per_page=201', 'per_page'],
    ['per_page=0', 'per_page'],
    ['per_page=-1', 'per_page'],
    ['per_page=abc', 'per_page'],
    ['per_page=1.5', 'per_page'],
    ['per_page=', 'per_page'],
    ['per_page=10&per_page=20', 'per_page'],
    ['page=0', 'page'],
    ['page=x', 'page'],
    ['page=99999999999999999999', 'page'],
    ['fields=id,Nope', 'fields'],
    ['fields=file_name', 'fields'],
  ])('refuses %s with INVALID_DATA naming the parameter', async (query, param) => {
    expectAnswer(await get(`${listPath('Contacts', O.pagingContact)}?${query}`), 400, badParam(param));
  });
});

describe('D4 rows for list', () => {
  const path = listPath('Contacts', O.ids.contactOf.rep1);

  it('row 1: answers a wrong path with 404', async () => {
    expectAnswer(await get(`/bigin/v2/Contacts/${O.ids.contactOf.rep1}/Attachment`), 404, ERR.urlPattern);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('row 2: answers %s with 400 before authentication', async (method) => {
    expectAnswer(await call(t.url, method, path), 400, ERR.requestMethod);
  });

  it('row 3 and 4: authentication', async () => {
    expectAnswer(await call(t.url, 'GET', path), 401, ERR.authFailure);
    expectAnswer(await get(path, '1000.0.0'), 401, ERR.invalidToken);
  });

  it('rows 5 and 6: modules', async () => {
    expectAnswer(await get(listPath('Leads', O.ids.contactOf.rep1)), 400, ERR.invalidModule);
    expectAnswer(await get(listPath('Calls', O.ids.callRecord)), 400, ERR.moduleNotSupported);
  });

  it.each([
    ['the CREATE pair', O.token.createPair],
    ['the DELETE pair', O.token.deletePair],
    ['ZohoBigin.modules.ALL alone', O.token.modulesAllOnly],
  ])('row 7: refuses %s', async (_name, token) => {
    expectAnswer(await get(path, token), 401, ERR.scopeMismatch);
  });

  it('row 7: accepts the READ pair', async () => {
    expect((await get(path, O.token.readPair)).status).toBe(200);
  });

  it('row 8: a module the user cannot see', async () => {
    expectAnswer(
      await get(listPath('Contacts', O.ids.contactOf.admin), O.ids.token('noTab')),
      400,
      ERR.invalidModule,
    );
  });

  it('row 9: a user without the Files view permission', async () => {
    expectAnswer(await get(path, O.token.noFiles), 403, ERR.noPermission);
  });

  it.each([
    ['an unknown id', '6161616999999999999'],
    ['a deleted record', O.ids.deletedContact],
    ["another organisation's record", B.contactOf.rep1],
    ['a malformed id', 'abc'],
  ])('row 10: %s', async (_name, id) => {
    expectAnswer(await get(listPath('Contacts', id)), 400, ERR.recordNotFound);
  });

  it("row 11: a peer's record, with the view wording", async () => {
    expectAnswer(
      await get(path, O.ids.token('rep2')),
      400,
      errorEnvelope('AUTHORIZATION_FAILED', 'User does not have sufficient privilege to view attachments'),
    );
  });

  it('checks access before the parameters', async () => {
    expectAnswer(
      await get(`${listPath('Contacts', B.contactOf.rep1)}?per_page=999`),
      400,
      ERR.recordNotFound,
    );
  });
});
