import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreRecord } from '../../src/domain/recycle-bin.js';
import { call, ERR, errorEnvelope } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { expectJson, expectNoContent, idOf, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { upload } from '../support/uploads.js';

// Issue 13: POST /{module}/upsert (docs/upsert.md), related records (docs/related-records.md),
// and the flow a meeting-booking integration runs.

const A = orgIds(6262626, 'upsr');
const MODULES = ['contacts', 'accounts', 'pipelines', 'products', 'tasks', 'events', 'calls', 'notes'];
const SCOPE = [
  ...MODULES.map((m) => `ZohoBigin.modules.${m}.ALL`),
  'ZohoBigin.modules.attachments.ALL',
  'ZohoSearch.securesearch.READ',
].join(',');
const TOKEN = '1000.upsertadmin00000000000000000000.ffffffffffffffffffffffffffffffff';
const REP = '1000.upsertrep1000000000000000000000.ffffffffffffffffffffffffffffffff';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: {
      organizations: [
        orgFixture(A, {
          extraTokens: [
            { token: TOKEN, user: A.user.admin, scope: SCOPE, expiresAt: FAR_FUTURE },
            { token: REP, user: A.user.rep1, scope: SCOPE, expiresAt: FAR_FUTURE },
          ],
        }),
      ],
    },
  });
});
afterAll(() => t?.close());

const send = (method: string, path: string, body: unknown, token = TOKEN) =>
  sendJsonBody(t.url, method, `/bigin/v2/${path}`, token, body);
const get = (path: string, token = TOKEN) => call(t.url, 'GET', `/bigin/v2/${path}`, token);
type Item = {
  code: string;
  action?: string;
  duplicate_field?: string | null;
  details: { id: string };
  message: string;
};
const items = (res: { json: unknown }) => (res.json as { data: Item[] }).data;

describe('upsert', () => {
  it('inserts when no record holds the key, updates when one does (case-insensitively)', async () => {
    const first = await send('POST', 'Contacts/upsert', {
      data: [{ Last_Name: 'Up', Email: 'up@example.com' }],
    });
    expect(first.status).toBe(201);
    const [ins] = items(first);
    expect(Object.keys(ins!)).toEqual(['code', 'duplicate_field', 'action', 'details', 'message', 'status']);
    expect(ins).toMatchObject({
      code: 'SUCCESS',
      duplicate_field: null,
      action: 'insert',
      message: 'record added',
    });
    const second = await send('POST', 'Contacts/upsert', {
      data: [{ Last_Name: 'Upper', Email: 'UP@example.com' }],
    });
    expect(second.status).toBe(200);
    expect(items(second)[0]).toMatchObject({
      code: 'SUCCESS',
      duplicate_field: 'Email',
      action: 'update',
      message: 'record updated',
      details: { id: ins!.details.id },
    });
    const read = await get(`Contacts/${ins!.details.id}?fields=Last_Name,Email`);
    expect((read.json as { data: unknown[] }).data[0]).toEqual({
      id: ins!.details.id,
      Last_Name: 'Upper',
      Email: 'UP@example.com',
    });
  });

  it('follows duplicate_check_fields in order, and each item on its own', async () => {
    const [a] = items(
      await send('POST', 'Contacts', {
        data: [{ Last_Name: 'Order', Email: 'o1@example.com', Phone: '777' }],
      }),
    );
    const res = await send('POST', 'Contacts/upsert', {
      duplicate_check_fields: ['Phone', 'Email'],
      data: [
        { Last_Name: 'Order2', Phone: '777' },
        { Last_Name: 'Order3', Phone: '778' },
        { Email: 'x@example.com' },
      ],
    });
    expect(res.status).toBe(207);
    const [u, i, bad] = items(res);
    expect(u).toMatchObject({ action: 'update', duplicate_field: 'Phone', details: { id: a!.details.id } });
    expect(i).toMatchObject({ action: 'insert', duplicate_field: null });
    expect(bad).toMatchObject({ code: 'MANDATORY_NOT_FOUND' });
  });

  it('refuses bad duplicate_check_fields and more than 100 records', async () => {
    expectJson(
      await send('POST', 'Contacts/upsert', { duplicate_check_fields: ['Nope'], data: [{ Last_Name: 'x' }] }),
      400,
      errorEnvelope('INVALID_DATA', 'invalid data', { param_name: 'duplicate_check_fields' }),
    );
    const res = await send('POST', 'Contacts/upsert', {
      data: Array.from({ length: 101 }, () => ({ Last_Name: 'x' })),
    });
    expect((res.json as { code: string }).code).toBe('LIMIT_EXCEEDED');
  });

  it('of concurrent upserts of one key, exactly one inserts', async () => {
    for (const round of [1, 2, 3]) {
      const email = `race${round}@example.com`;
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          send('POST', 'Contacts/upsert', { data: [{ Last_Name: `Racer ${i}`, Email: email }] }),
        ),
      );
      const actions = answers.map((r) => items(r)[0]!.action);
      expect(actions.filter((a) => a === 'insert')).toHaveLength(1);
      expect(actions.filter((a) => a === 'update')).toHaveLength(7);
      expect(new Set(answers.map((r) => items(r)[0]!.details.id)).size).toBe(1);
      const found = await get(`Contacts/search?email=${email}`);
      expect((found.json as { data: unknown[] }).data).toHaveLength(1);
    }
  });
});

describe('related records', () => {
  it('links, relinks, lists with the 7-key info, and delinks products of a contact', async () => {
    const contact = idOf(await send('POST', 'Contacts', { data: [{ Last_Name: 'Linker' }] }));
    const p = await send('POST', 'Products', { data: [{ Product_Name: 'P1' }, { Product_Name: 'P2' }] });
    const [p1, p2] = [idOf(p, 0), idOf(p, 1)];
    expectNoContent(await get(`Contacts/${contact}/Products`));
    const linked = await send('PUT', `Contacts/${contact}/Products`, {
      data: [{ id: p1 }, { id: p2 }, { id: '123' }, {}],
    });
    expect(linked.status).toBe(207);
    expect(items(linked).map((i) => i.message)).toEqual([
      'relation added',
      'relation added',
      'the related id given seems to be invalid',
      'the related id given seems to be invalid',
    ]);
    expectJson(await send('PUT', `Contacts/${contact}/Products/${p1}`, { data: [{}] }), 200, {
      data: [{ code: 'SUCCESS', details: { id: p1 }, message: 'relation updated', status: 'success' }],
    });
    const list = await get(`Contacts/${contact}/Products?fields=Product_Name&per_page=1`);
    expect(list.json).toEqual({
      data: [{ id: p2, Product_Name: 'P2' }],
      info: {
        per_page: 1,
        next_page_token: null,
        count: 1,
        page: 1,
        previous_page_token: null,
        page_token_expiry: null,
        more_records: true,
      },
    });
    // The link reads from the product's side too.
    expect((await get(`Products/${p1}/Contacts`)).json).toMatchObject({ data: [{ id: contact }] });
    expectJson(
      await call(t.url, 'DELETE', `/bigin/v2/Contacts/${contact}/Products?ids=${p1},${p2},999`, TOKEN),
      207,
      {
        data: [
          { code: 'SUCCESS', details: { id: p1 }, message: 'relation removed', status: 'success' },
          { code: 'SUCCESS', details: { id: p2 }, message: 'relation removed', status: 'success' },
          {
            code: 'INVALID_DATA',
            details: { id: '999' },
            message: 'the related id given seems to be invalid',
            status: 'error',
          },
        ],
      },
    );
    expectNoContent(await get(`Contacts/${contact}/Products`));
    expect((await call(t.url, 'DELETE', `/bigin/v2/Contacts/${contact}/Products`, TOKEN)).json).toMatchObject(
      {
        code: 'REQUIRED_PARAM_MISSING',
      },
    );
  });

  it('lookup lists answer with the 7-key info; unknown lists are 404; a missing parent is INVALID_DATA', async () => {
    const account = idOf(await send('POST', 'Accounts', { data: [{ Account_Name: 'Rel Co' }] }));
    await send('POST', 'Contacts', { data: [{ Last_Name: 'Emp', Account_Name: { id: account } }] });
    const res = await get(`Accounts/${account}/Contacts`);
    expect(Object.keys((res.json as { info: object }).info)).toEqual([
      'per_page',
      'next_page_token',
      'count',
      'page',
      'previous_page_token',
      'page_token_expiry',
      'more_records',
    ]);
    expectJson(await call(t.url, 'GET', `/bigin/v2/Tasks/${A.recordIn.Tasks}/Products`), 404, ERR.urlPattern);
    expectJson(await get('Contacts/1234567/Products'), 400, ERR.recordNotFound);
  });

  it('links only records the caller can see', async () => {
    const theirs = idOf(
      await send('POST', 'Products', { data: [{ Product_Name: 'Admin only', Owner: { id: A.user.admin } }] }),
    );
    const mine = idOf(await send('POST', 'Contacts', { data: [{ Last_Name: 'Rep contact' }] }, REP));
    expect(
      items(await send('PUT', `Contacts/${mine}/Products`, { data: [{ id: theirs }] }, REP))[0]!.code,
    ).toBe('INVALID_DATA');
  });
});

describe('the meeting-booking flow', () => {
  it('search 204 → insert → search finds → attach → link → delete takes all → restore brings all back', async () => {
    const email = 'booker@example.com';
    const criteria = encodeURIComponent(`((Email:equals:${email})or(Email:equals:other@example.com))`);
    expectNoContent(await get(`Contacts/search?criteria=${criteria}`));
    const contact = idOf(await send('POST', 'Contacts', { data: [{ Last_Name: 'Booker', Email: email }] }));
    expect((await get(`Contacts/search?criteria=${criteria}`)).json).toMatchObject({
      data: [{ id: contact, Email: email }],
    });
    const up = await upload(t.url, `/bigin/v2/Contacts/${contact}/Attachments`, TOKEN, [
      {
        name: 'file',
        fileName: 'invite.ics',
        contentType: 'text/calendar',
        body: () => Readable.from([Buffer.from('BEGIN:VCALENDAR')]),
      },
    ]);
    expect(up.status).toBe(200);
    const product = idOf(await send('POST', 'Products', { data: [{ Product_Name: 'Consultation' }] }));
    expect(
      items(await send('PUT', `Contacts/${contact}/Products/${product}`, { data: [{}] }))[0]!.message,
    ).toBe('relation added');

    expect((await call(t.url, 'DELETE', `/bigin/v2/Contacts/${contact}`, TOKEN)).status).toBe(200);
    expectNoContent(await get(`Contacts/search?criteria=${criteria}`));
    expectNoContent(await get(`Products/${product}/Contacts`));
    expectJson(await get(`Contacts/${contact}/Attachments`), 400, ERR.recordNotFound);
    expectJson(await get(`Contacts/${contact}/Products`), 400, ERR.recordNotFound);

    const restored = await restoreRecord(
      {
        recordData: t.server.stores.metadata.recordData,
        clock: t.clock,
        retentionMs: t.config.recycleBinRetentionMs,
      },
      { orgId: A.org, recordId: contact },
    );
    expect(restored).toEqual({ records: 1, attachments: 1 });
    expect((await get(`Contacts/search?email=${email}`)).json).toMatchObject({ data: [{ id: contact }] });
    expect((await get(`Contacts/${contact}/Products`)).json).toMatchObject({ data: [{ id: product }] });
    expect((await get(`Products/${product}/Contacts`)).json).toMatchObject({ data: [{ id: contact }] });
    expect((await get(`Contacts/${contact}/Attachments`)).json).toMatchObject({
      data: [{ File_Name: 'invite.ics' }],
    });
  });
});
