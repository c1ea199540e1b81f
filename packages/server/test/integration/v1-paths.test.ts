import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { expectJson, expectNoContent, ID_19, idOf, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// `/bigin/v1/` (docs/v1.md, D17): the exact call sequences of cal.com's and Pipedream's Bigin
// apps, with the scopes they ask for, and the documented v1 differences.

const A = orgIds(6262626, 'vone');
const token = (tag: string) => `1000.${tag.padEnd(32, '0')}.ffffffffffffffffffffffffffffffff`;
/** What cal.com requests: two module scopes, no `ZohoSearch.securesearch.READ`. */
const CALCOM = token('calcom');
const CALCOM_SCOPE = 'ZohoBigin.modules.events.ALL,ZohoBigin.modules.contacts.ALL';
/** What a Pipedream connection holds: every module, users, notifications. */
const PIPEDREAM = token('pipedream');
const PIPEDREAM_SCOPE = 'ZohoBigin.modules.ALL,ZohoBigin.users.ALL,ZohoBigin.notifications.ALL';
const DEALS_ONLY = token('deals');
const PIPELINES_ONLY = token('pipelines');
const COMPANIES_ONLY = token('companies');
const extra = (t: string, scope: string) => ({ token: t, user: A.user.admin, scope, expiresAt: FAR_FUTURE });

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: {
      organizations: [
        orgFixture(A, {
          extraTokens: [
            extra(CALCOM, CALCOM_SCOPE),
            extra(PIPEDREAM, PIPEDREAM_SCOPE),
            extra(DEALS_ONLY, 'ZohoBigin.modules.deals.READ'),
            extra(PIPELINES_ONLY, 'ZohoBigin.modules.pipelines.READ'),
            extra(COMPANIES_ONLY, 'ZohoBigin.modules.companies.READ'),
          ],
        }),
      ],
    },
  });
});
afterAll(() => t?.close());

const v1 = (path: string) => `/bigin/v1${path}`;
type Page = { data: Array<Record<string, unknown>>; info: Record<string, unknown> };

describe('cal.com on v1, with only module scopes', () => {
  const emails = ['ada@calcom.example', 'bob@calcom.example'];
  const criteria = `((Email:equals:${encodeURI(emails[0]!)})or(Email:equals:${encodeURI(emails[1]!)}))`;
  const searchContacts = () => call(t.url, 'GET', v1(`/Contacts/search?criteria=${criteria}`), CALCOM);

  it('books a meeting: search (none), insert contacts, search (found), insert, update and delete an event', async () => {
    expectNoContent(await searchContacts());

    const inserted = await sendJsonBody(t.url, 'POST', v1('/Contacts'), CALCOM, {
      data: [
        { First_Name: 'Ada', Last_Name: 'Lovelace', Email: emails[0] },
        { First_Name: 'Bob', Last_Name: '-', Email: emails[1] },
      ],
    });
    // Several records, all added: 202, as on v2.
    expect(inserted.status, inserted.text).toBe(202);
    const ids = [idOf(inserted, 0), idOf(inserted, 1)];
    for (const id of ids) expect(id).toMatch(ID_19);

    const found = await searchContacts();
    expect(found.status, found.text).toBe(200);
    const page = found.json as Page;
    expect(page.data.map((c) => [c.id, c.Email]).sort()).toEqual(
      [
        [ids[0], emails[0]],
        [ids[1], emails[1]],
      ].sort(),
    );
    // v1's info: 4 keys (D17), not v2 search's 6.
    expect(page.info).toEqual({ per_page: 200, count: 2, page: 1, more_records: false });

    const event = await sendJsonBody(t.url, 'POST', v1('/Events'), CALCOM, {
      data: [
        {
          Event_Title: '30 min meeting between Ann and Ada',
          Start_DateTime: '2026-01-20T10:00:00+01:00',
          End_DateTime: '2026-01-20T10:30:00+01:00',
          Description: 'notes',
          Venue: 'https://cal.example/video/abc',
          Who_Id: ids[0],
        },
      ],
    });
    expect(event.status, event.text).toBe(201);
    const eventId = idOf(event);
    expect((event.json as Page).data[0]!.status).toBe('success');

    const updated = await sendJsonBody(t.url, 'PUT', v1('/Events'), CALCOM, {
      data: [
        {
          id: eventId,
          Event_Title: '30 min meeting, moved',
          Start_DateTime: '2026-01-21T10:00:00+01:00',
          End_DateTime: '2026-01-21T10:30:00+01:00',
          Description: 'moved',
        },
      ],
    });
    expect(updated.status, updated.text).toBe(200);
    expect((updated.json as Page).data[0]).toMatchObject({ code: 'SUCCESS', details: { id: eventId } });

    const read = await call(t.url, 'GET', v1(`/Events/${eventId}`), CALCOM);
    expect((read.json as Page).data[0]).toMatchObject({ id: eventId, Event_Title: '30 min meeting, moved' });

    const removed = await call(t.url, 'DELETE', v1(`/Events?ids=${eventId}`), CALCOM);
    expectJson(removed, 200, {
      data: [{ code: 'SUCCESS', details: { id: eventId }, message: 'record deleted', status: 'success' }],
    });
    expectNoContent(await call(t.url, 'GET', v1(`/Events/${eventId}`), CALCOM));
  });

  it('the same search on v2 needs the search scope pair', async () => {
    const res = await call(t.url, 'GET', `/bigin/v2/Contacts/search?criteria=${criteria}`, CALCOM);
    expectJson(res, 401, ERR.scopeMismatch);
  });

  it('v1 search still needs a read scope on the module searched', async () => {
    expectJson(await call(t.url, 'GET', v1('/Accounts/search?word=Acme'), CALCOM), 401, ERR.scopeMismatch);
  });

  it('takes `trigger` on insert and `wf_trigger` on delete', async () => {
    const inserted = await sendJsonBody(t.url, 'POST', v1('/Contacts'), CALCOM, {
      data: [{ Last_Name: 'Triggered' }],
      trigger: [],
    });
    expect(inserted.status, inserted.text).toBe(201);
    const id = idOf(inserted);
    const res = await call(t.url, 'DELETE', v1(`/Contacts?ids=${id}&wf_trigger=false`), CALCOM);
    expect(res.status, res.text).toBe(200);
  });
});

describe('Pipedream on v1', () => {
  it('reads the current user, subscribes a channel named by the user id, and PATCHes it', async () => {
    const me = await call(t.url, 'GET', v1('/users?type=CurrentUser'), PIPEDREAM);
    expect(me.status, me.text).toBe(200);
    const users = (me.json as { users: Array<{ id: string }> }).users;
    expect(users.map((u) => u.id)).toEqual([A.user.admin]);

    const subscribed = await sendJsonBody(t.url, 'POST', v1('/actions/watch'), PIPEDREAM, {
      watch: [{ notify_url: 'http://127.0.0.1:9/hook', events: ['Deals.create'], channel_id: users[0]!.id }],
    });
    expect(subscribed.status, subscribed.text).toBe(201);
    const item = (subscribed.json as { watch: Array<{ details: { events: Array<Record<string, string>> } }> })
      .watch[0]!;
    const entry = item.details.events[0]!;
    expect(entry).toMatchObject({ resource_name: 'Deals', channel_id: A.user.admin });
    expect(entry.resource_uri).toMatch(/\/bigin\/v1\/Deals$/);
    // v1's default channel lifetime is one hour (the test clock starts at 2026-01-15T10:00:00Z).
    expect(Date.parse(entry.channel_expiry!) - t.clock.now()).toBe(3_600_000);

    const listed = await call(t.url, 'GET', v1('/actions/watch'), PIPEDREAM);
    expect(listed.status, listed.text).toBe(200);
    expect((listed.json as { watch: Array<{ events: string[] }> }).watch[0]!.events).toEqual([
      'Deals.create',
    ]);
    expect(Object.keys((listed.json as Page).info).sort()).toEqual([
      'count',
      'more_records',
      'page',
      'per_page',
    ]);

    // Pipedream's deactivate: PATCH without `_delete_events`, which (as documented) removes nothing.
    const patched = await sendJsonBody(t.url, 'PATCH', v1('/actions/watch'), PIPEDREAM, {
      watch: [{ events: ['Deals.create'], channel_id: users[0]!.id }],
    });
    expect(patched.status, patched.text).toBe(200);
    expect((await call(t.url, 'GET', v1('/actions/watch'), PIPEDREAM)).status).toBe(200);

    const dropped = await sendJsonBody(t.url, 'PATCH', v1('/actions/watch'), PIPEDREAM, {
      watch: [{ events: ['Deals.create'], channel_id: users[0]!.id, _delete_events: true }],
    });
    expect(dropped.status, dropped.text).toBe(200);
    expectNoContent(await call(t.url, 'GET', v1('/actions/watch'), PIPEDREAM));
  });

  it('lists contacts without `fields`, pages them, and reads, updates one', async () => {
    const list = await call(t.url, 'GET', v1('/Contacts?page=1'), PIPEDREAM);
    expect(list.status, list.text).toBe(200);
    const page = list.json as Page;
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data[0]).toHaveProperty('Last_Name');
    expect(page.info).toEqual({ per_page: 200, count: page.data.length, page: 1, more_records: false });

    const sorted = await call(
      t.url,
      'GET',
      v1('/Contacts?sort_by=id&sort_order=asc&per_page=2&page=2'),
      PIPEDREAM,
    );
    const all = await call(t.url, 'GET', v1('/Contacts?sort_by=id&sort_order=asc'), PIPEDREAM);
    const ids = (all.json as Page).data.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
    expect((sorted.json as Page).data.map((c) => c.id)).toEqual(ids.slice(2, 4));
    expect((sorted.json as Page).info).toEqual({ per_page: 2, count: 2, page: 2, more_records: true });

    const id = A.contactOf.rep1;
    const one = await call(t.url, 'GET', v1(`/Contacts/${id}`), PIPEDREAM);
    expect((one.json as Page).data[0]).toMatchObject({ id });
    const updated = await sendJsonBody(t.url, 'PUT', v1(`/Contacts/${id}`), PIPEDREAM, {
      data: [{ Last_Name: 'Renamed on v1' }],
    });
    expect(updated.status, updated.text).toBe(200);
    const again = await call(t.url, 'GET', `/bigin/v2/Contacts/${id}?fields=Last_Name`, PIPEDREAM);
    expect((again.json as Page).data[0]).toMatchObject({ Last_Name: 'Renamed on v1' });
  });

  it('reads a deal by id at /Deals, and calls at /Calls', async () => {
    const deal = await call(t.url, 'GET', v1(`/Deals/${A.recordIn.Pipelines}`), PIPEDREAM);
    expect(deal.status, deal.text).toBe(200);
    expect((deal.json as Page).data[0]).toMatchObject({ id: A.recordIn.Pipelines });
    const callRecord = await call(t.url, 'GET', v1(`/Calls/${A.callRecord}`), PIPEDREAM);
    expect((callRecord.json as Page).data[0]).toMatchObject({ id: A.callRecord });
  });
});

describe('v1 names', () => {
  it('Pipelines is `Deals` on v1: the v2 name is an unknown module there, after the token', async () => {
    expectJson(
      await call(t.url, 'GET', v1(`/Pipelines/${A.recordIn.Pipelines}`), PIPEDREAM),
      400,
      ERR.invalidModule,
    );
    expectJson(await call(t.url, 'GET', v1(`/Pipelines/${A.recordIn.Pipelines}`)), 401, ERR.authFailure);
    expectJson(
      await call(t.url, 'GET', `/bigin/v2/Deals/${A.recordIn.Pipelines}`, PIPEDREAM),
      400,
      ERR.invalidModule,
    );
  });

  it('a v1 scope named `deals` or `companies` grants the module; v2 names work too', async () => {
    for (const tk of [DEALS_ONLY, PIPELINES_ONLY])
      expect((await call(t.url, 'GET', v1(`/Deals/${A.recordIn.Pipelines}`), tk)).status).toBe(200);
    expect((await call(t.url, 'GET', v1(`/Accounts/${A.recordIn.Accounts}`), COMPANIES_ONLY)).status).toBe(
      200,
    );
    expect((await call(t.url, 'GET', v1(`/Companies/${A.recordIn.Accounts}`), COMPANIES_ONLY)).status).toBe(
      200,
    );
    // On v2 the v1 scope name grants nothing.
    expectJson(
      await call(t.url, 'GET', `/bigin/v2/Pipelines/${A.recordIn.Pipelines}`, DEALS_ONLY),
      401,
      ERR.scopeMismatch,
    );
  });

  it('links and delinks a product on a deal, and lists attachments, on v1', async () => {
    const product = A.recordIn.Products;
    const path = v1(`/Deals/${A.recordIn.Pipelines}/Products/${product}`);
    const linked = await sendJsonBody(t.url, 'PUT', path, PIPEDREAM, { data: [{}] });
    expect(linked.status, linked.text).toBe(200);
    const list = await call(t.url, 'GET', v1(`/Deals/${A.recordIn.Pipelines}/Products`), PIPEDREAM);
    expect(list.status, list.text).toBe(200);
    expect((list.json as Page).data.map((r) => r.id)).toEqual([product]);
    expect(Object.keys((list.json as Page).info).sort()).toEqual([
      'count',
      'more_records',
      'page',
      'per_page',
    ]);
    const delinked = await call(t.url, 'DELETE', path, PIPEDREAM);
    expect(delinked.status, delinked.text).toBe(200);

    const files = await call(
      t.url,
      'GET',
      v1(`/Contacts/${A.contactOf.rep1}/Attachments?fields=id`),
      A.token('admin'),
    );
    expect(files.status, files.text).toBe(200);
    expect(Object.keys((files.json as Page).info).sort()).toEqual([
      'count',
      'more_records',
      'page',
      'per_page',
    ]);
  });

  it('settings stay v2 only, and sort_by takes the v2 keys only', async () => {
    expectJson(await call(t.url, 'GET', v1('/settings/modules'), PIPEDREAM), 404, ERR.urlPattern);
    const res = await call(t.url, 'GET', v1('/Contacts?sort_by=Last_Name'), PIPEDREAM);
    expect({ status: res.status, body: res.json }).toMatchObject({
      status: 400,
      body: { code: 'INVALID_DATA', details: { param_name: 'sort_by' } },
    });
  });

  it('an unserved method on a v1 path is INVALID_REQUEST_METHOD, as on v2', async () => {
    expectJson(await call(t.url, 'PATCH', v1('/Contacts'), PIPEDREAM), 400, ERR.requestMethod);
  });
});
