import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorEnvelope } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Users, org, profiles, roles and metadata endpoints (docs/directory-and-metadata.md): key sets,
// paging, types, errors, every accepted scope, wrong scopes refused, a profile lacking permission.

const A = orgIds(7272727, 'dirm');
const ALL =
  'ZohoBigin.users.ALL,ZohoBigin.org.ALL,ZohoBigin.settings.ALL,ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL';

const ENDPOINTS: Array<{ name: string; path: string; scopes: string[] }> = [
  { name: 'users', path: '/bigin/v2/users', scopes: ['ZohoBigin.users.ALL', 'ZohoBigin.users.READ'] },
  { name: 'org', path: '/bigin/v2/org', scopes: ['ZohoBigin.org.ALL', 'ZohoBigin.org.READ'] },
  {
    name: 'profiles',
    path: '/bigin/v2/settings/profiles',
    scopes: ['ZohoBigin.settings.profiles.ALL', 'ZohoBigin.settings.profiles.READ', 'ZohoBigin.settings.ALL'],
  },
  {
    name: 'roles',
    path: '/bigin/v2/settings/roles',
    scopes: ['ZohoBigin.settings.roles.ALL', 'ZohoBigin.settings.roles.READ', 'ZohoBigin.settings.ALL'],
  },
  {
    name: 'modules',
    path: '/bigin/v2/settings/modules',
    scopes: ['ZohoBigin.settings.modules.ALL', 'ZohoBigin.settings.modules.READ', 'ZohoBigin.settings.ALL'],
  },
  {
    name: 'fields',
    path: '/bigin/v2/settings/fields?module=Contacts',
    scopes: ['ZohoBigin.settings.fields.ALL', 'ZohoBigin.settings.fields.READ', 'ZohoBigin.settings.ALL'],
  },
  {
    name: 'layouts',
    path: '/bigin/v2/settings/layouts?module=Contacts',
    scopes: ['ZohoBigin.settings.layouts.ALL', 'ZohoBigin.settings.layouts.READ', 'ZohoBigin.settings.ALL'],
  },
  {
    name: 'related_lists',
    path: '/bigin/v2/settings/related_lists?module=Contacts',
    scopes: [
      'ZohoBigin.settings.related_lists.ALL',
      'ZohoBigin.settings.related_lists.READ',
      'ZohoBigin.settings.ALL',
    ],
  },
];
const WRONG = [
  'ZohoBigin.modules.ALL',
  'ZohoBigin.settings.tags.ALL',
  'ZohoBigin.users.CREATE',
  'ZohoCRM.org.ALL',
];
const allScopes = [...new Set([...ENDPOINTS.flatMap((e) => e.scopes), ...WRONG])];
const scopeToken = (scope: string) => `scope-${scope.replace(/[^A-Za-z]/g, '').toLowerCase()}-000000`;
const tok = (user: string) => `dir-${user}-token-0000000000`;

let t: TestServer;
beforeAll(async () => {
  const org = orgFixture(A, {
    extraTokens: allScopes.map((scope) => ({
      token: scopeToken(scope),
      user: A.user.admin,
      scope,
      expiresAt: FAR_FUTURE,
    })),
  });
  for (const u of ['admin', 'standard', 'noTab'] as const)
    org.tokens.push({ token: tok(u), user: A.user[u], scope: ALL, expiresAt: FAR_FUTURE });
  org.users.push({
    id: `${A.org.slice(0, 7)}900000000009`,
    name: 'Gone User',
    email: 'gone@example.com',
    profile: 'Standard',
    role: 'Sales',
    // @ts-expect-error fixture key beyond the shared helper's type
    deleted: true,
    locale: 'de_DE',
  });
  t = await startTestServer({
    fixture: {
      organizations: [
        {
          ...org,
          details: { timeZone: 'Europe/Berlin', country: 'Germany', countryCode: 'DE' },
          customFields: [
            { module: 'Contacts', apiName: 'Shoe_Size', label: 'Shoe Size', dataType: 'integer' },
          ],
          layouts: [
            {
              module: 'Contacts',
              id: `${A.org.slice(0, 7)}900000000077`,
              name: 'Quick',
              sections: [{ name: 'Main', fields: ['Last_Name', 'Shoe_Size'] }],
            },
          ],
        },
      ],
    },
  });
});
afterAll(() => t?.close());

const get = (path: string, token = tok('admin')) => call(t.url, 'GET', path, token);
type Users = { users: Array<Record<string, unknown>>; info?: Record<string, unknown> };

describe('scopes', () => {
  for (const e of ENDPOINTS) {
    it.each(e.scopes)(`${e.name}: accepts %s`, async (scope) => {
      expect((await get(e.path, scopeToken(scope))).status).toBe(200);
    });
    it.each(WRONG)(`${e.name}: refuses %s with 401 OAUTH_SCOPE_MISMATCH`, async (scope) => {
      const res = await get(e.path, scopeToken(scope));
      expect({ status: res.status, body: res.json }).toEqual({
        status: 401,
        body: errorEnvelope('OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL'),
      });
    });
  }
  it('refuses another method before the token, and no token at all', async () => {
    expect((await call(t.url, 'POST', '/bigin/v2/org')).json).toEqual(
      errorEnvelope('INVALID_REQUEST_METHOD', 'The http request method type is not a valid one'),
    );
    expect((await call(t.url, 'GET', '/bigin/v2/users')).status).toBe(401);
  });
});

describe('permissions', () => {
  it.each(['/bigin/v2/settings/profiles', '/bigin/v2/settings/roles'])(
    'refuses %s to a Standard profile with 403 NO_PERMISSION',
    async (path) => {
      const res = await get(path, tok('standard'));
      expect({ status: res.status, body: res.json }).toEqual({
        status: 403,
        body: errorEnvelope('NO_PERMISSION', 'permission denied'),
      });
    },
  );
  it('lets a Standard profile read users, the org and metadata', async () => {
    for (const p of [
      '/bigin/v2/users',
      '/bigin/v2/org',
      '/bigin/v2/settings/modules',
      '/bigin/v2/settings/fields?module=Contacts',
    ])
      expect((await get(p, tok('standard'))).status).toBe(200);
  });
  it("refuses a module's metadata to a profile that cannot see the module", async () => {
    const res = await get('/bigin/v2/settings/fields?module=Contacts', tok('noTab'));
    expect(res.status).toBe(403);
    expect((await get('/bigin/v2/settings/fields?module=Accounts', tok('noTab'))).status).toBe(200);
  });
});

describe('users', () => {
  it('lists users with 50 keys each and a 4-key info', async () => {
    const body = (await get('/bigin/v2/users')).json as Users;
    expect(body.users.length).toBe(9); // the deleted user is not in AllUsers
    for (const u of body.users) expect(Object.keys(u)).toHaveLength(50);
    expect(body.info).toEqual({ per_page: 200, count: 9, page: 1, more_records: false });
    const admin = body.users.find((u) => u.id === A.user.admin)!;
    expect(admin).toMatchObject({
      email: `admin@${A.org}.example.com`,
      full_name: 'admin',
      status: 'active',
      time_zone: 'UTC',
      offset: 0,
      locale: 'en_US',
      confirm: true,
      profile: { name: 'Administrator', id: A.profile.admin },
      role: { name: 'CEO', id: A.role.ceo },
    });
  });
  it.each([
    ['ActiveUsers', 8],
    ['DeactiveUsers', 1],
    ['DeletedUsers', 1],
    ['AdminUsers', 3],
    ['CurrentUser', 1],
    ['ConfirmedUsers', 9],
  ])('type=%s selects %i', async (type, n) => {
    const body = (await get(`/bigin/v2/users?type=${type}`)).json as Users;
    expect(body.users).toHaveLength(n);
  });
  it('pages, 204s past the end, refuses a bad type or per_page', async () => {
    const p2 = (await get('/bigin/v2/users?per_page=4&page=2')).json as Users;
    expect(p2.info).toEqual({ per_page: 4, count: 4, page: 2, more_records: true });
    expect((await get('/bigin/v2/users?per_page=4&page=9')).status).toBe(204);
    for (const q of ['type=Everyone', 'per_page=201', 'page=0'])
      expect((await get(`/bigin/v2/users?${q}`)).status).toBe(400);
  });
  it('answers one user without info, an unknown one with 204', async () => {
    const body = (await get(`/bigin/v2/users/${A.user.rep1}`)).json as Users;
    expect(Object.keys(body)).toEqual(['users']);
    expect(body.users[0]!.id).toBe(A.user.rep1);
    expect((await get('/bigin/v2/users/123')).status).toBe(204);
  });
});

describe('org, profiles, roles', () => {
  it('answers the org with 35 keys and its details', async () => {
    const body = (await get('/bigin/v2/org')).json as { org: Array<Record<string, unknown>> };
    expect(Object.keys(body)).toEqual(['org']);
    const org = body.org[0]!;
    expect(Object.keys(org)).toHaveLength(35);
    expect(org).toMatchObject({
      id: A.org,
      time_zone: 'Europe/Berlin',
      country_code: 'DE',
      company_name: `Org ${A.org}`,
    });
    const users = (await get('/bigin/v2/users?type=CurrentUser')).json as Users;
    expect(org.primary_zuid).toBe(users.users[0]!.zuid);
  });
  it('lists profiles and roles, and one by id', async () => {
    const profiles = (await get('/bigin/v2/settings/profiles')).json as {
      profiles: Array<Record<string, unknown>>;
    };
    expect(profiles.profiles.map((p) => p.name)).toEqual([
      'Administrator',
      'Standard',
      'Deleter',
      'No Contacts',
    ]);
    const roles = (await get('/bigin/v2/settings/roles')).json as { roles: Array<Record<string, unknown>> };
    expect(roles.roles.find((r) => r.id === A.role.manager)).toMatchObject({
      name: 'Manager',
      reporting_to: { name: 'CEO', id: A.role.ceo },
    });
    expect(
      ((await get(`/bigin/v2/settings/roles/${A.role.ceo}`)).json as { roles: unknown[] }).roles,
    ).toHaveLength(1);
    expect((await get('/bigin/v2/settings/roles/1')).status).toBe(204);
  });
});

describe('metadata', () => {
  it('lists 11 modules of 43 keys, and one module by name', async () => {
    const body = (await get('/bigin/v2/settings/modules')).json as {
      modules: Array<Record<string, unknown>>;
    };
    expect(body.modules.map((m) => m.api_name)).toEqual([
      'Contacts',
      'Accounts',
      'Pipelines',
      'Tasks',
      'Events',
      'Calls',
      'Products',
      'Social',
      'Associated_Products',
      'Notes',
      'Attachments',
    ]);
    for (const m of body.modules) expect(Object.keys(m)).toHaveLength(43);
    expect(body.modules.find((m) => m.api_name === 'Social')!.api_supported).toBe(false);
    const one = (await get('/bigin/v2/settings/modules/Accounts')).json as {
      modules: Array<Record<string, unknown>>;
    };
    expect(one.modules[0]).toMatchObject({
      api_name: 'Accounts',
      singular_label: 'Company',
      plural_label: 'Companies',
    });
    expect((await get('/bigin/v2/settings/modules/Nope')).status).toBe(400);
  });
  it('lists fields with 55 keys (56 on quick-create fields), custom fields included', async () => {
    const body = (await get('/bigin/v2/settings/fields?module=Contacts')).json as {
      fields: Array<Record<string, unknown>>;
    };
    for (const f of body.fields)
      expect(Object.keys(f)).toHaveLength(f.quick_sequence_number === undefined ? 55 : 56);
    const byName = new Map(body.fields.map((f) => [f.api_name, f]));
    expect(byName.get('Last_Name')).toMatchObject({ data_type: 'text', length: 80, system_mandatory: true });
    expect(byName.get('Email')).toMatchObject({ data_type: 'email', unique: { casesensitive: '0' } });
    expect(byName.get('Account_Name')).toMatchObject({
      data_type: 'lookup',
      lookup: { module: { api_name: 'Accounts' } },
    });
    expect(byName.get('Shoe_Size')).toMatchObject({
      data_type: 'integer',
      custom_field: true,
      json_type: 'integer',
    });
    const id = byName.get('Email')!.id as string;
    const single = (await get(`/bigin/v2/settings/fields/${id}?module=Contacts`)).json as {
      fields: unknown[];
    };
    expect(single.fields).toHaveLength(1);
  });
  it.each([
    ['/bigin/v2/settings/fields', 400, 'REQUIRED_PARAM_MISSING'],
    ['/bigin/v2/settings/fields?module=Nope', 400, 'INVALID_MODULE'],
    ['/bigin/v2/settings/layouts?module=Social', 400, 'INVALID_MODULE'],
    ['/bigin/v2/settings/related_lists', 400, 'REQUIRED_PARAM_MISSING'],
  ])('%s answers %i %s', async (path, status, code) => {
    const res = await get(path);
    expect({ status: res.status, code: (res.json as { code: string }).code }).toEqual({ status, code });
  });
  it("lists the organisation's layouts, else a Standard one", async () => {
    const c = (await get('/bigin/v2/settings/layouts?module=Contacts')).json as {
      layouts: Array<Record<string, unknown>>;
    };
    expect(c.layouts.map((l) => l.name)).toEqual(['Quick']);
    const sections = c.layouts[0]!.sections as Array<{ fields: Array<{ api_name: string }> }>;
    expect(sections[0]!.fields.map((f) => f.api_name)).toEqual(['Last_Name', 'Shoe_Size']);
    const a = (await get('/bigin/v2/settings/layouts?module=Accounts')).json as {
      layouts: Array<Record<string, unknown>>;
    };
    expect(a.layouts.map((l) => l.name)).toEqual(['Standard']);
  });
  it('lists related lists with their href', async () => {
    const body = (await get('/bigin/v2/settings/related_lists?module=Accounts')).json as {
      related_lists: Array<Record<string, unknown>>;
    };
    expect(body.related_lists.map((r) => r.api_name)).toEqual([
      'Contacts',
      'Pipelines',
      'Notes',
      'Attachments',
      'Products',
    ]);
    expect(body.related_lists[0]!.href).toBe('Accounts/{ENTITYID}/Contacts');
  });
});
