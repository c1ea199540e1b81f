import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreRecord } from '../../src/domain/recycle-bin.js';
import { ADMIN_KEY, admin } from '../support/admin.js';
import { call, ERR, errorEnvelope } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { objectsOutOfOrder } from '../support/hashmap-order.js';
import { expectJson, ID_19, idOf, invalidId, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Issue 13 item 5: tag settings, add_tags and remove_tags, Tag in reads and writes (docs/tags.md).

const A = orgIds(7171717, 'tags');
const tok = (tag: string) => `1000.${tag.padEnd(32, '0')}.ffffffffffffffffffffffffffffffff`;
const FULL = tok('full');
const SETTINGS_READ = tok('setread');
const SETTINGS_CREATE = tok('setcreate');
const SETTINGS_UPDATE = tok('setupdate');
const CONTACTS_CREATE = tok('concreate');
const CONTACTS_WRITE = tok('conwrite');
const CONTACTS_READ = tok('conread');
const REP_SETTINGS = tok('repset');
const NO_TAB_SETTINGS = tok('notabset');
const extra = (token: string, scope: string, user = A.user.admin) => ({
  token,
  user,
  scope,
  expiresAt: FAR_FUTURE,
});

const FIXTURE_TAGGED = `7171717${'9'.repeat(12)}`;
let t: TestServer;
let fixtureOrg: ReturnType<typeof orgFixture>;
beforeAll(async () => {
  fixtureOrg = withTaggedRecord(
    orgFixture(A, {
      extraTokens: [
        extra(FULL, 'ZohoBigin.modules.ALL,ZohoBigin.settings.ALL'),
        extra(SETTINGS_READ, 'ZohoBigin.settings.tags.READ'),
        extra(SETTINGS_CREATE, 'ZohoBigin.settings.tags.CREATE'),
        extra(SETTINGS_UPDATE, 'ZohoBigin.settings.tags.UPDATE'),
        extra(CONTACTS_CREATE, 'ZohoBigin.modules.contacts.CREATE'),
        extra(CONTACTS_WRITE, 'ZohoBigin.modules.contacts.WRITE'),
        extra(CONTACTS_READ, 'ZohoBigin.modules.contacts.READ'),
        extra(REP_SETTINGS, 'ZohoBigin.settings.ALL,ZohoBigin.modules.ALL', A.user.rep1),
        extra(NO_TAB_SETTINGS, 'ZohoBigin.settings.ALL,ZohoBigin.modules.ALL', A.user.noTab),
      ],
    }),
  );
  t = await startTestServer({
    settings: { ADMIN_KEY, API_LIMITS: 'on' },
    fixture: { organizations: [fixtureOrg] },
  });
  await admin(t.url, 'PUT', `/credits/${A.org}`, { edition: 'paid', licences: 10, concurrency: 20 });
});
afterAll(() => t?.close());

/** The standard organisation plus a contact whose fixture fields carry `Tag`. */
function withTaggedRecord(org: ReturnType<typeof orgFixture>) {
  return {
    ...org,
    records: [
      ...org.records,
      {
        id: FIXTURE_TAGGED,
        module: 'Contacts',
        name: 'Fixture tagged',
        owner: A.user.rep1,
        fields: { Last_Name: 'Fixture tagged', Tag: [{ name: 'From fixture' }, { name: 'Seeded' }] },
      },
    ],
  };
}

type Item = { code: string; details: Record<string, unknown>; message: string; status: string };
type Tag = { id: string; name: string; colour_code: string | null; created_by: { name: string; id: string } };

const send = (method: string, path: string, body: unknown, token = FULL) =>
  sendJsonBody(t.url, method, `/bigin/v2/${path}`, token, body);
const post = (path: string, token = FULL) => call(t.url, 'POST', `/bigin/v2/${path}`, token);
const get = (path: string, token = FULL) => call(t.url, 'GET', `/bigin/v2/${path}`, token);
const listTags = async (module = 'Contacts') =>
  ((await get(`settings/tags?module=${module}`)).json as { tags: Tag[] }).tags;
const tagsOf = async (module: string, id: string) =>
  ((await get(`${module}/${id}?fields=Tag`)).json as { data: Array<{ Tag: unknown }> }).data[0]!.Tag;
const newContacts = async (n: number, owner?: string) => {
  const data = Array.from({ length: n }, (_, i) => ({
    Last_Name: `Tagged ${i}`,
    ...(owner ? { Owner: { id: owner } } : {}),
  }));
  const ids: string[] = [];
  for (let i = 0; i < data.length; i += 100) {
    const res = await send('POST', 'Contacts', { data: data.slice(i, i + 100) });
    expect(res.status, res.text).toBeLessThan(300);
    ids.push(...(res.json as { data: Item[] }).data.map((d) => d.details.id as string));
  }
  return ids;
};

describe('tag settings: scopes', () => {
  it.each([
    ['GET', SETTINGS_READ, 200],
    ['GET', SETTINGS_CREATE, 401],
    ['GET', A.token('admin'), 401],
    ['POST', SETTINGS_CREATE, 201],
    ['POST', SETTINGS_READ, 401],
    ['POST', SETTINGS_UPDATE, 401],
    ['PUT', SETTINGS_UPDATE, 400],
    ['PUT', SETTINGS_CREATE, 401],
  ])('%s settings/tags with a token of one scope: %s → %i', async (method, token, status) => {
    const body = method === 'GET' ? undefined : { tags: [{ name: `Scope ${token.slice(5, 14)}`, id: '1' }] };
    const res =
      body === undefined
        ? await call(t.url, method, '/bigin/v2/settings/tags?module=Accounts', token)
        : await send(method, 'settings/tags?module=Accounts', body, token);
    expect(res.status, res.text).toBe(status);
    if (status === 401) expectJson(res, 401, ERR.scopeMismatch);
  });

  it.each([
    ['add_tags', CONTACTS_CREATE, 200],
    ['add_tags', CONTACTS_WRITE, 200],
    ['add_tags', CONTACTS_READ, 401],
    ['remove_tags', CONTACTS_WRITE, 200],
    ['remove_tags', CONTACTS_CREATE, 401],
    ['remove_tags', CONTACTS_READ, 401],
  ])('%s with a token of one scope: %s → %i', async (action, token, status) => {
    const res = await post(`Contacts/${A.contactOf.admin}/actions/${action}?tag_names=Scoped`, token);
    expect(res.status, res.text).toBe(status);
    if (status === 401) expectJson(res, 401, ERR.scopeMismatch);
  });
});

describe('tag settings: list, create, update', () => {
  it('refuses a missing, unknown or untaggable module and a bad my_tags', async () => {
    expectJson(
      await get('settings/tags'),
      400,
      errorEnvelope('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
        param_name: 'module',
      }),
    );
    for (const m of ['Nope', 'Notes'])
      expectJson(
        await get(`settings/tags?module=${m}`),
        400,
        errorEnvelope('INVALID_MODULE', 'the module name given seems to be invalid', {
          param_name: 'module',
        }),
      );
    expect((await get('settings/tags?module=Contacts&my_tags=maybe')).json).toMatchObject({
      code: 'INVALID_DATA',
      details: { param_name: 'my_tags' },
    });
    expectJson(
      await call(t.url, 'DELETE', '/bigin/v2/settings/tags?module=Contacts', FULL),
      400,
      ERR.requestMethod,
    );
  });

  it('refuses a profile that cannot see the module: settings 403, tag actions INVALID_MODULE', async () => {
    expectJson(
      await call(t.url, 'GET', '/bigin/v2/settings/tags?module=Contacts', NO_TAB_SETTINGS),
      403,
      ERR.noPermission,
    );
    expect(
      (await call(t.url, 'GET', '/bigin/v2/settings/tags?module=Accounts', NO_TAB_SETTINGS)).status,
    ).toBe(200);
    const add = await post(`Contacts/${A.contactOf.admin}/actions/add_tags?tag_names=X`, NO_TAB_SETTINGS);
    expect({ status: add.status, code: (add.json as { code: string }).code }).toEqual({
      status: 400,
      code: 'INVALID_MODULE',
    });
  });

  it('an empty module: 200 with no tags and the info', async () => {
    expectJson(await get('settings/tags?module=Products'), 200, {
      tags: [],
      info: { count: 0, allowed_count: 100 },
    });
  });

  it('creates tags: one result per item, the tag in HashMap key order, duplicates refused in any case', async () => {
    const res = await send('POST', 'settings/tags?module=Events', {
      tags: [
        { name: 'Hot' },
        { name: 'hot' },
        { name: 'Cold', color_code: '#57b1fd' },
        {},
        { name: 'x'.repeat(26) },
      ],
    });
    expect(res.status).toBe(207);
    const items = (res.json as { tags: Item[] }).tags;
    expect(items[0]).toMatchObject({
      code: 'SUCCESS',
      message: 'tags created successfully',
      status: 'success',
    });
    const hot = items[0]!.details;
    expect(Object.keys(hot).sort()).toEqual(
      ['colour_code', 'created_by', 'created_time', 'id', 'modified_by', 'modified_time'].sort(),
    );
    expect(hot).toMatchObject({ colour_code: null, created_by: { name: 'admin', id: A.user.admin } });
    expect(hot.id).toMatch(ID_19);
    expect(items[1]).toEqual({
      code: 'DUPLICATE_DATA',
      details: { api_name: 'name', json_path: '$.tags[1].name', id: hot.id },
      message: 'duplicate data',
      status: 'error',
    });
    expect(items[2]).toMatchObject({ code: 'SUCCESS', details: { colour_code: '#57B1FD' } });
    expect(items[3]).toMatchObject({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'name', json_path: '$.tags[3].name' },
    });
    expect(items[4]).toMatchObject({ code: 'INVALID_DATA', details: { maximum_length: 25 } });
    expect(objectsOutOfOrder(res.json)).toEqual([]);

    const list = await get('settings/tags?module=Events');
    expect(list.status).toBe(200);
    expect(objectsOutOfOrder(list.json)).toEqual([]);
    expect((list.json as { tags: Tag[] }).tags.map((x) => x.name)).toEqual(['Cold', 'Hot']);
    expect((list.json as { info: unknown }).info).toEqual({ count: 2, allowed_count: 100 });
    expect(Object.keys((list.json as { tags: Tag[] }).tags[0]!).sort()).toEqual(
      ['colour_code', 'created_by', 'created_time', 'id', 'modified_by', 'modified_time', 'name'].sort(),
    );
  });

  it('refuses bodies without a tags array, and more than 50 tags', async () => {
    expect((await post('settings/tags?module=Tasks')).json).toMatchObject({ code: 'INVALID_DATA' });
    expect((await send('POST', 'settings/tags?module=Tasks', {})).json).toEqual(
      errorEnvelope('MANDATORY_NOT_FOUND', 'required field not found', {
        api_name: 'tags',
        json_path: '$.tags',
      }),
    );
    expect((await send('POST', 'settings/tags?module=Tasks', { tags: {} })).json).toMatchObject({
      code: 'INVALID_DATA',
      details: { api_name: 'tags', expected_data_type: 'jsonarray' },
    });
    const many = Array.from({ length: 51 }, (_, i) => ({ name: `T${i}` }));
    expectJson(
      await send('POST', 'settings/tags?module=Tasks', { tags: many }),
      400,
      errorEnvelope('LIMIT_EXCEEDED', 'the number of tags in the request exceeds the limit', {
        limit: 50,
        json_path: '$.tags',
      }),
    );
  });

  it('my_tags lists only the caller’s tags', async () => {
    expect(
      (await send('POST', 'settings/tags?module=Calls', { tags: [{ name: 'Admin made' }] })).status,
    ).toBe(201);
    const rep = await send(
      'POST',
      'settings/tags?module=Calls',
      { tags: [{ name: 'Rep made' }] },
      REP_SETTINGS,
    );
    expect(rep.status, rep.text).toBe(201);
    const names = async (q: string, token = FULL) =>
      (
        (await call(t.url, 'GET', `/bigin/v2/settings/tags?module=Calls${q}`, token)).json as { tags: Tag[] }
      ).tags.map((x) => x.name);
    expect(await names('&my_tags=true')).toEqual(['Admin made']);
    expect(await names('&my_tags=true', REP_SETTINGS)).toEqual(['Rep made']);
    expect(await names('&my_tags=false')).toEqual(['Admin made', 'Rep made']);
  });

  it('renames a tag by the list or by its id; the name shows in every record at once', async () => {
    const [c1, c2] = await newContacts(2);
    const add = await post(`Contacts/actions/add_tags?ids=${c1},${c2}&tag_names=Prospect`);
    expect(add.status, add.text).toBe(200);
    const prospect = (await listTags()).find((x) => x.name === 'Prospect')!;
    const byList = await send('PUT', 'settings/tags?module=Contacts', {
      tags: [{ id: prospect.id, name: 'Client' }],
    });
    expect(byList.status, byList.text).toBe(200);
    expect((byList.json as { tags: Item[] }).tags[0]).toMatchObject({
      code: 'SUCCESS',
      message: 'tags updated successfully',
      details: { id: prospect.id },
    });
    expect(await tagsOf('Contacts', c1!)).toEqual([{ name: 'Client', id: prospect.id }]);
    expect(await tagsOf('Contacts', c2!)).toEqual([{ name: 'Client', id: prospect.id }]);
    const byId = await send('PUT', `settings/tags/${prospect.id}?module=Contacts`, {
      tags: [{ name: 'Customer' }],
    });
    expect(byId.status, byId.text).toBe(200);
    expect(await tagsOf('Contacts', c2!)).toEqual([{ name: 'Customer', id: prospect.id }]);
  });

  it('update: per-item errors for a missing id, an unknown id, a taken name', async () => {
    await send('POST', 'settings/tags?module=Pipelines', { tags: [{ name: 'Won' }, { name: 'Lost' }] });
    const tags = await listTags('Pipelines');
    const won = tags.find((x) => x.name === 'Won')!;
    const res = await send('PUT', 'settings/tags?module=Pipelines', {
      tags: [
        { name: 'No id' },
        { id: '123', name: 'Unknown' },
        { id: won.id, name: 'LOST' },
        { id: won.id, name: 'Won big' },
      ],
    });
    expect(res.status).toBe(207);
    const items = (res.json as { tags: Item[] }).tags;
    expect(items[0]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'id' } });
    expect(items[1]).toEqual(invalidId('123'));
    expect(items[2]).toMatchObject({ code: 'DUPLICATE_DATA', details: { api_name: 'name' } });
    expect(items[3]).toMatchObject({ code: 'SUCCESS' });
    // A tag of another module is no tag of this one.
    const other = await send('PUT', `settings/tags/${won.id}?module=Contacts`, {
      tags: [{ name: 'Elsewhere' }],
    });
    expect((other.json as { tags: Item[] }).tags[0]).toEqual(invalidId(won.id));
  });
});

describe('add_tags and remove_tags', () => {
  it('one record: add by query, read shows Tag, add by JSON body, over_write, remove', async () => {
    const [c] = await newContacts(1);
    expect(await tagsOf('Contacts', c!)).toEqual([]);
    const res = await post(`Contacts/${c}/actions/add_tags?tag_names=Alpha,Beta`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      data: [
        {
          code: 'SUCCESS',
          details: { id: c, tags: ['Alpha', 'Beta'] },
          message: 'tags updated successfully',
          status: 'success',
        },
      ],
      wf_scheduler: 'false',
      success_count: '1',
    });
    expect(objectsOutOfOrder(res.json)).toEqual([]);
    const tags = await listTags();
    const alpha = tags.find((x) => x.name === 'Alpha')!;
    // Tags a call names and the module lacks are created, by the caller.
    expect(alpha.created_by).toEqual({ name: 'admin', id: A.user.admin });
    expect(await tagsOf('Contacts', c!)).toEqual([
      { name: 'Alpha', id: alpha.id },
      { name: 'Beta', id: tags.find((x) => x.name === 'Beta')!.id },
    ]);
    // CRM v7's JSON body: tags by id or name.
    const body = await send('POST', `Contacts/${c}/actions/add_tags`, {
      tags: [{ id: alpha.id }, { name: 'gamma' }],
    });
    expect((body.json as { data: Item[] }).data[0]!.details.tags).toEqual(['Alpha', 'Beta', 'gamma']);
    const over = await post(`Contacts/${c}/actions/add_tags?tag_names=Delta&over_write=true`);
    expect((over.json as { data: Item[] }).data[0]!.details.tags).toEqual(['Delta']);
    await post(`Contacts/${c}/actions/add_tags?tag_names=Alpha`);
    const removed = await post(`Contacts/${c}/actions/remove_tags?tag_names=delta,Nothing`);
    expect(removed.json).toMatchObject({
      data: [{ code: 'SUCCESS', details: { id: c, tags: ['Alpha'] }, message: 'tags removed successfully' }],
    });
    expect(await tagsOf('Contacts', c!)).toEqual([{ name: 'Alpha', id: alpha.id }]);
    // Whole records show Tag too (search and list render the same way).
    expect(((await get(`Contacts/${c}?fields=Last_Name,Tag`)).json as { data: unknown[] }).data[0]).toEqual({
      id: c,
      Last_Name: 'Tagged 0',
      Tag: [{ name: 'Alpha', id: alpha.id }],
    });
  });

  it('many records: ids in the query or the body, per-record results, unknown and hidden records refused', async () => {
    const [a, b] = await newContacts(2);
    const hidden = A.contactOf.rep2;
    const res = await post(
      `Contacts/actions/add_tags?ids=${a},${b},999,${hidden}&tag_names=Bulk`,
      A.token('rep1'),
    );
    expect(res.status, res.text).toBe(400);
    // rep1 sees only their own records: admin's new contacts and rep2's are not theirs.
    expect((res.json as { data: Item[] }).data.map((d) => d.code)).toEqual([
      'NO_PERMISSION',
      'NO_PERMISSION',
      'INVALID_DATA',
      'NO_PERMISSION',
    ]);
    const ok = await post(`Contacts/actions/add_tags?ids=${a},${b},999&tag_names=Bulk`);
    expect(ok.status).toBe(207);
    expect(ok.json).toMatchObject({
      data: [
        { code: 'SUCCESS', details: { id: a, tags: ['Bulk'] } },
        { code: 'SUCCESS', details: { id: b, tags: ['Bulk'] } },
        invalidId('999'),
      ],
      success_count: '2',
    });
    const viaBody = await send('POST', 'Contacts/actions/remove_tags', {
      tags: [{ name: 'Bulk' }],
      ids: [a, b],
    });
    expect(viaBody.status, viaBody.text).toBe(200);
    expect(await tagsOf('Contacts', a!)).toEqual([]);
  });

  it('refuses a call without tag_names or ids, over 500 ids, a bad over_write, and other methods', async () => {
    const missing = (p: string) =>
      errorEnvelope('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: p });
    expectJson(await post('Contacts/actions/add_tags'), 400, missing('tag_names'));
    expectJson(await post('Contacts/actions/remove_tags?tag_names=A'), 400, missing('ids'));
    expectJson(await post(`Contacts/${A.contactOf.admin}/actions/remove_tags`), 400, missing('tag_names'));
    const ids = Array.from({ length: 501 }, (_, i) => String(1000 + i)).join(',');
    expect((await post(`Contacts/actions/add_tags?tag_names=A&ids=${ids}`)).json).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { limit: 500, param_name: 'ids' },
    });
    expect(
      (await post(`Contacts/${A.contactOf.admin}/actions/add_tags?tag_names=A&over_write=yes`)).json,
    ).toMatchObject({
      code: 'INVALID_DATA',
      details: { param_name: 'over_write' },
    });
    expect(
      (await post(`Contacts/${A.contactOf.admin}/actions/add_tags?tag_names=${'x'.repeat(26)}`)).json,
    ).toMatchObject({
      code: 'INVALID_DATA',
      details: { param_name: 'tag_names' },
    });
    expectJson(await post('Notes/actions/add_tags?tag_names=A&ids=1'), 400, ERR.invalidModule);
    for (const method of ['GET', 'PUT', 'DELETE'])
      expectJson(
        await call(t.url, method, `/bigin/v2/Contacts/${A.contactOf.admin}/actions/add_tags`, FULL),
        400,
        ERR.requestMethod,
      );
    expectJson(await post(`Contacts/${A.contactOf.admin}/actions/nope`), 404, ERR.urlPattern);
  });

  it('costs 1 credit per 50 records on many records, 1 on one', async () => {
    const ids = await newContacts(120);
    const used = async () => ((await admin(t.url, 'GET', `/credits/${A.org}`)).json as { used: number }).used;
    const before = await used();
    expect((await post(`Contacts/actions/add_tags?ids=${ids.join(',')}&tag_names=Costly`)).status).toBe(200);
    expect((await used()) - before).toBe(3);
    const mid = await used();
    expect((await post(`Contacts/${ids[0]}/actions/remove_tags?tag_names=Costly`)).status).toBe(200);
    expect((await used()) - mid).toBe(1);
  });
});

describe('Tag in fixtures', () => {
  it('a fixture record’s Tag makes the tags, by its owner; loading the fixture again adds nothing', async () => {
    const tags = (await listTags()).filter((x) => ['From fixture', 'Seeded'].includes(x.name));
    expect(tags.map((x) => [x.name, x.created_by.id])).toEqual([
      ['From fixture', A.user.rep1],
      ['Seeded', A.user.rep1],
    ]);
    expect(await tagsOf('Contacts', FIXTURE_TAGGED)).toEqual(tags.map((x) => ({ name: x.name, id: x.id })));
    const again = await admin(t.url, 'POST', '/fixtures', { organizations: [fixtureOrg] });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ inserted: { records: 0, tags: 0, recordTags: 0 } });
    expect((await listTags()).filter((x) => ['From fixture', 'Seeded'].includes(x.name))).toEqual(tags);
  });
});

describe('Tag on writes, delete and restore', () => {
  it('insert and update set the tags; [] clears them; names are created as needed', async () => {
    const res = await send('POST', 'Accounts', {
      data: [{ Account_Name: 'Tagged Co', Tag: [{ name: 'Vip' }] }],
    });
    expect(res.status, res.text).toBe(201);
    const id = idOf(res);
    const vip = (await listTags('Accounts')).find((x) => x.name === 'Vip')!;
    expect(await tagsOf('Accounts', id)).toEqual([{ name: 'Vip', id: vip.id }]);
    const up = await send('PUT', `Accounts/${id}`, {
      data: [{ Tag: [{ name: 'vip' }, { name: 'Partner' }] }],
    });
    expect(up.status, up.text).toBe(200);
    expect(((await tagsOf('Accounts', id)) as Array<{ name: string }>).map((x) => x.name)).toEqual([
      'Partner',
      'Vip',
    ]);
    await send('PUT', `Accounts/${id}`, { data: [{ Account_Name: 'Still tagged' }] });
    expect(((await tagsOf('Accounts', id)) as unknown[]).length).toBe(2);
    await send('PUT', `Accounts/${id}`, { data: [{ Tag: [] }] });
    expect(await tagsOf('Accounts', id)).toEqual([]);
    const bad = await send('PUT', `Accounts/${id}`, { data: [{ Tag: 'Vip' }] });
    expect((bad.json as { data: Item[] }).data[0]).toMatchObject({
      code: 'INVALID_DATA',
      details: { api_name: 'Tag', expected_data_type: 'jsonarray' },
    });
  });

  it('a deleted record keeps its tags and has them again once restored', async () => {
    const [c] = await newContacts(1);
    await post(`Contacts/${c}/actions/add_tags?tag_names=Keep`);
    expect((await call(t.url, 'DELETE', `/bigin/v2/Contacts/${c}`, FULL)).status).toBe(200);
    const gone = await post(`Contacts/${c}/actions/add_tags?tag_names=Other`);
    expect((gone.json as { data: Item[] }).data[0]).toEqual(invalidId(c!));
    await restoreRecord(
      {
        recordData: t.server.stores.metadata.recordData,
        clock: t.clock,
        retentionMs: t.config.recycleBinRetentionMs,
      },
      { orgId: A.org, recordId: c! },
    );
    expect(((await tagsOf('Contacts', c!)) as Array<{ name: string }>).map((x) => x.name)).toEqual(['Keep']);
  });

  it('an organisation export carries the tags, and importing it back brings them', async () => {
    const [c] = await newContacts(1);
    await post(`Contacts/${c}/actions/add_tags?tag_names=Exported`);
    const before = (await admin(t.url, 'GET', `/organizations/${A.org}/export`)).json as {
      data: { tags: Array<{ name: string }>; recordTags: unknown[] };
    };
    expect(before.data.tags.map((x) => x.name)).toContain('Exported');
    expect(before.data.recordTags.length).toBeGreaterThan(0);
    expect((await admin(t.url, 'DELETE', `/organizations/${A.org}`)).status).toBe(200);
    expect((await admin(t.url, 'POST', '/organizations/import', before)).status).toBe(201);
    expect((await admin(t.url, 'GET', `/organizations/${A.org}/export`)).json).toEqual(before);
    expect(((await tagsOf('Contacts', c!)) as Array<{ name: string }>).map((x) => x.name)).toEqual([
      'Exported',
    ]);
  });
});
