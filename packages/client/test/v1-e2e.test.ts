import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAR_FUTURE, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient } from '../src/index.js';

// The SDK unchanged on `/bigin/v1/` (`apiVersion: 'v1'`, docs/v1.md): cal.com's calls with
// cal.com's scopes, and Pipelines through v1's `Deals`.

const A = orgIds(1616161, 'sdkv1');
const CALCOM = '1000.sdkv1calcom000000000000000000000.ffffffffffffffffffffffffffffffff';
const ALL = '1000.sdkv1all00000000000000000000000.ffffffffffffffffffffffffffffffff';
const extra = (token: string, scope: string) => ({ token, user: A.user.admin, scope, expiresAt: FAR_FUTURE });

describe('the SDK on v1 paths', { timeout: 60_000 }, () => {
  let t: TestServer;
  const requested: string[] = [];
  const sdk = (token: string) =>
    new BiginClient({ apiDomain: t.url }, token, {
      apiVersion: 'v1',
      fetch: (input, init) => {
        requested.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
        return fetch(input, init);
      },
    });
  beforeAll(async () => {
    t = await startTestServer({
      fixture: {
        organizations: [
          orgFixture(A, {
            extraTokens: [
              extra(CALCOM, 'ZohoBigin.modules.events.ALL,ZohoBigin.modules.contacts.ALL'),
              extra(ALL, 'ZohoBigin.modules.ALL,ZohoBigin.users.ALL,ZohoBigin.notifications.ALL'),
            ],
          }),
        ],
      },
    });
  }, 120_000);
  afterAll(() => t?.close());

  it('searches, inserts contacts and events, updates and deletes with module scopes only', async () => {
    const bigin = sdk(CALCOM);
    expect(bigin.apiVersion).toBe('v1');
    const criteria = '((Email:equals:ada@sdk.example)or(Email:equals:bob@sdk.example))';
    expect((await bigin.records.search('Contacts', { criteria })).data).toEqual([]);
    const contact = await bigin.records.insert('Contacts', { Last_Name: 'Ada', Email: 'ada@sdk.example' });
    const found = await bigin.records.search('Contacts', { criteria });
    expect(found.data.map((r) => r.id)).toEqual([contact.details.id]);
    expect(found.info).toEqual({ per_page: 200, count: 1, page: 1, more_records: false });
    const event = await bigin.records.insert('Events', {
      Event_Title: 'Meeting',
      Start_DateTime: '2026-01-20T10:00:00+01:00',
      End_DateTime: '2026-01-20T10:30:00+01:00',
    });
    const id = String(event.details.id);
    await bigin.records.updateMany('Events', [{ id, Event_Title: 'Moved' }]);
    expect((await bigin.records.get('Events', id))?.Event_Title).toBe('Moved');
    await bigin.records.deleteMany('Events', [id]);
    expect(await bigin.records.get('Events', id)).toBeNull();
    expect(requested.every((r) => r.includes(' /bigin/v1/'))).toBe(true);
  });

  it('names Pipelines `Deals` on v1, in paths and watch events; metadata stays on v2', async () => {
    const bigin = sdk(ALL);
    requested.length = 0;
    expect((await bigin.records.get('Pipelines', A.recordIn.Pipelines))?.id).toBe(A.recordIn.Pipelines);
    expect(requested).toEqual([`GET /bigin/v1/Deals/${A.recordIn.Pipelines}`]);
    const me = await bigin.users.current();
    expect(me?.id).toBe(A.user.admin);
    const [watched] = await bigin.notifications.watch({
      channelId: A.user.admin,
      events: ['Pipelines.create'],
      notifyUrl: 'http://127.0.0.1:9/hook',
    });
    expect(watched).toMatchObject({ code: 'SUCCESS' });
    await bigin.notifications.removeEvents(A.user.admin, ['Pipelines.create']);
    expect(await bigin.notifications.list()).toEqual([]);
    requested.length = 0;
    await bigin.settings.modules().catch(() => null);
    expect(requested).toEqual(['GET /bigin/v2/settings/modules']);
  });
});
