import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR, errorEnvelope } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { objectsOutOfOrder } from '../support/hashmap-order.js';
import { expectJson, itemError, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// D24: POST /users, PUT /users[/{id}], DELETE /users/{id} — scopes, the administrator check,
// per-item answers under `users`, Bigin's documented rules (one user per add and delete, no
// update of a deactivated user, the primary user kept, only one's own time zone) and the effect
// on reads and tokens.

const A = orgIds(7575757, 'uwri');
const WRONG_SCOPES = ['ZohoBigin.users.READ', 'ZohoBigin.modules.ALL', 'ZohoBigin.settings.ALL'];
const SCOPES = [
  'ZohoBigin.users.ALL',
  'ZohoBigin.users.CREATE',
  'ZohoBigin.users.UPDATE',
  'ZohoBigin.users.DELETE',
  ...WRONG_SCOPES,
];
const scopeToken = (scope: string) => `uw-${scope.replace(/[^A-Za-z]/g, '').toLowerCase()}-00000000`;
const FULL = 'ZohoBigin.users.ALL,ZohoBigin.org.ALL,ZohoBigin.modules.ALL';
const ADMIN = 'uw-admin-full-token-000000000000';
const STANDARD = 'uw-standard-full-token-0000000000';
const REP = 'uw-rep1-full-token-00000000000000';

let t: TestServer;
beforeAll(async () => {
  const org = orgFixture(A, {
    extraTokens: [
      ...SCOPES.map((scope) => ({
        token: scopeToken(scope),
        user: A.user.admin,
        scope,
        expiresAt: FAR_FUTURE,
      })),
      { token: ADMIN, user: A.user.admin, scope: FULL, expiresAt: FAR_FUTURE },
      { token: STANDARD, user: A.user.standard, scope: FULL, expiresAt: FAR_FUTURE },
      { token: REP, user: A.user.rep1, scope: FULL, expiresAt: FAR_FUTURE },
    ],
  });
  t = await startTestServer({
    fixture: { organizations: [{ ...org, details: { timeZone: 'Asia/Kolkata' } }] },
  });
});
afterAll(() => t?.close());

type Users = { users: Array<Record<string, unknown>> };
const send = (method: string, path: string, body: unknown, token = ADMIN) =>
  sendJsonBody(t.url, method, path, token, body);
const get = (path: string, token = ADMIN) => call(t.url, 'GET', path, token);
const success = (message: string, id: string) => ({
  code: 'SUCCESS',
  details: { id },
  message,
  status: 'success',
});
let n = 0;
const person = (extra: Record<string, unknown> = {}) => ({
  first_name: 'Pat',
  last_name: `Boyle ${++n}`,
  email: `pat${n}@example.com`,
  role: A.role.sales,
  profile: A.profile.standard,
  ...extra,
});
async function add(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await send('POST', '/bigin/v2/users', { users: [person(extra)] });
  expect(res.status).toBe(201);
  return (res.json as { users: Array<{ details: { id: string } }> }).users[0]!.details.id;
}
const userOf = async (id: string) => ((await get(`/bigin/v2/users/${id}`)).json as Users).users[0]!;

describe('scopes and permission', () => {
  it.each([
    ['POST', '/bigin/v2/users', ['ZohoBigin.users.ALL', 'ZohoBigin.users.CREATE']],
    ['PUT', '/bigin/v2/users', ['ZohoBigin.users.ALL', 'ZohoBigin.users.UPDATE']],
    ['PUT', '/bigin/v2/users/1', ['ZohoBigin.users.ALL', 'ZohoBigin.users.UPDATE']],
    ['DELETE', '/bigin/v2/users/1', ['ZohoBigin.users.ALL', 'ZohoBigin.users.DELETE']],
  ] as const)('%s %s takes exactly its scopes', async (method, path, accepted) => {
    for (const scope of SCOPES) {
      const res = await send(method, path, { users: [{ id: '1' }] }, scopeToken(scope));
      if ((accepted as readonly string[]).includes(scope)) expect(res.status, scope).not.toBe(401);
      else expectJson(res, 401, ERR.scopeMismatch);
    }
  });

  it('refuses a profile that is not an administrator with 403 NO_PERMISSION, before the body', async () => {
    for (const [method, path] of [
      ['POST', '/bigin/v2/users'],
      ['PUT', '/bigin/v2/users'],
      ['DELETE', `/bigin/v2/users/${A.user.rep2}`],
    ] as const)
      expectJson(await send(method, path, 'not json', STANDARD), 403, ERR.noPermission);
    // Reading users stays open to every profile.
    expect((await get('/bigin/v2/users', STANDARD)).status).toBe(200);
  });

  it('answers DELETE /users (no id) and PATCH with INVALID_REQUEST_METHOD', async () => {
    expectJson(await call(t.url, 'DELETE', '/bigin/v2/users', ADMIN), 400, ERR.requestMethod);
    expectJson(await call(t.url, 'PATCH', '/bigin/v2/users/1', ADMIN), 400, ERR.requestMethod);
  });
});

describe('POST /users', () => {
  it('adds one invited user, answered 201 under `users` in HashMap order, and lists it', async () => {
    const res = await send('POST', '/bigin/v2/users', {
      users: [person({ first_name: 'Ada', last_name: 'Byron' })],
    });
    expect(res.status).toBe(201);
    const id = (res.json as { users: Array<{ details: { id: string } }> }).users[0]!.details.id;
    expect(id).toMatch(/^[0-9]{19}$/);
    expect(res.json).toEqual({ users: [success('User added', id)] });
    expect(res.text.startsWith('{"users":[{"code":"SUCCESS","details":')).toBe(true);
    const user = await userOf(id);
    expect(Object.keys(user)).toHaveLength(50);
    expect(objectsOutOfOrder(user)).toEqual([]);
    expect(user).toMatchObject({
      id,
      full_name: 'Ada Byron',
      first_name: 'Ada',
      last_name: 'Byron',
      status: 'active',
      confirm: false,
      time_zone: 'Asia/Kolkata',
      role: { name: 'Sales', id: A.role.sales },
      profile: { name: 'Standard', id: A.profile.standard },
      created_by: { name: 'admin', id: A.user.admin },
      created_time: '2026-01-15T10:00:00+00:00',
    });
    const unconfirmed = (await get('/bigin/v2/users?type=NotConfirmedUsers')).json as Users;
    expect(unconfirmed.users.map((u) => u.id)).toContain(id);
  });

  it('refuses a missing, malformed or unknown value per item, naming it', async () => {
    const refused = async (user: Record<string, unknown>, expected: unknown) =>
      expectJson(await send('POST', '/bigin/v2/users', { users: [user] }), 400, { users: [expected] });
    for (const key of ['first_name', 'last_name', 'email', 'role', 'profile']) {
      const rest: Record<string, unknown> = person();
      delete rest[key];
      await refused(
        rest,
        itemError('MANDATORY_NOT_FOUND', 'required field not found', {
          api_name: key,
          json_path: `$.users[0].${key}`,
        }),
      );
    }
    const invalid = (key: string) =>
      itemError('INVALID_DATA', 'invalid data', { api_name: key, json_path: `$.users[0].${key}` });
    await refused(person({ email: 'not-an-email' }), invalid('email'));
    await refused(person({ role: '123' }), invalid('role'));
    await refused(person({ profile: A.role.sales }), invalid('profile'));
    await refused(person({ time_zone: 'Mars/Olympus' }), invalid('time_zone'));
    await refused(person({ locale: 'english' }), invalid('locale'));
  });

  it('refuses an email another user has, in any case, as DUPLICATE_DATA', async () => {
    const taken = `rep1@${A.org}.example.com`.toUpperCase();
    expectJson(await send('POST', '/bigin/v2/users', { users: [person({ email: taken })] }), 400, {
      users: [
        itemError('DUPLICATE_DATA', 'duplicate data', { api_name: 'email', json_path: '$.users[0].email' }),
      ],
    });
  });

  it('refuses the whole call for two users, no `users`, or a body that is not JSON', async () => {
    expectJson(
      await send('POST', '/bigin/v2/users', { users: [person(), person()] }),
      400,
      errorEnvelope('LIMIT_EXCEEDED', 'the number of records in the request exceeds the limit', {
        limit: 1,
        json_path: '$.users',
      }),
    );
    expectJson(
      await send('POST', '/bigin/v2/users', { data: [person()] }),
      400,
      errorEnvelope('MANDATORY_NOT_FOUND', 'required field not found', {
        api_name: 'users',
        json_path: '$.users',
      }),
    );
    const res = await call(t.url, 'POST', '/bigin/v2/users', ADMIN, { body: '{"users":[' });
    expectJson(res, 400, errorEnvelope('INVALID_DATA', 'the request body is not a valid JSON object'));
  });

  it('is served on /bigin/v1/users too', async () => {
    const res = await sendJsonBody(t.url, 'POST', '/bigin/v1/users', ADMIN, { users: [person()] });
    expect(res.status).toBe(201);
  });
});

describe('PUT /users', () => {
  it('updates one user by path, showing who changed it and when', async () => {
    const id = await add();
    t.clock.advance(60_000);
    expectJson(
      await send('PUT', `/bigin/v2/users/${id}`, { users: [{ last_name: 'Renamed', phone: '555' }] }),
      200,
      {
        users: [success('User updated', id)],
      },
    );
    expect(await userOf(id)).toMatchObject({
      last_name: 'Renamed',
      full_name: 'Pat Renamed',
      phone: '555',
      Modified_Time: '2026-01-15T10:01:00+00:00',
      Modified_By: { name: 'admin', id: A.user.admin },
    });
  });

  it('updates several by body ids with per-item answers: 207 for a mix', async () => {
    const a = await add();
    const b = await add();
    const res = await send('PUT', '/bigin/v2/users', {
      users: [
        { id: a, role: A.role.support },
        { role: A.role.support },
        { id: '42' },
        { id: b, email: 'bad' },
      ],
    });
    expectJson(res, 207, {
      users: [
        success('User updated', a),
        itemError('MANDATORY_NOT_FOUND', 'required field not found', {
          api_name: 'id',
          json_path: '$.users[1].id',
        }),
        itemError('INVALID_DATA', 'the id given seems to be invalid', { id: '42' }),
        itemError('INVALID_DATA', 'invalid data', { api_name: 'email', json_path: '$.users[3].email' }),
      ],
    });
    expect((await userOf(a)).role).toEqual({ name: 'Support', id: A.role.support });
    const over = Array.from({ length: 101 }, () => ({ id: a }));
    expect((await send('PUT', '/bigin/v2/users', { users: over })).status).toBe(400);
  });

  it("changes only the caller's own time zone, and x-accesstoken-reset follows it", async () => {
    const id = await add();
    expectJson(await send('PUT', `/bigin/v2/users/${id}`, { users: [{ time_zone: 'Europe/Berlin' }] }), 400, {
      users: [
        itemError('NOT_ALLOWED', "another user's time zone cannot be changed", {
          api_name: 'time_zone',
          json_path: '$.users[0].time_zone',
        }),
      ],
    });
    expect((await get('/bigin/v2/org', REP)).headers.get('x-accesstoken-reset')).toBe(
      '2099-01-01T00:00:00+00:00',
    );
    const own = await send(
      'PUT',
      `/bigin/v2/users/${A.user.rep1}`,
      { users: [{ time_zone: 'Asia/Tokyo' }] },
      REP,
    );
    expect(own.status).toBe(403); // rep1 is no administrator
    expect(
      (await send('PUT', `/bigin/v2/users/${A.user.admin}`, { users: [{ time_zone: 'Asia/Tokyo' }] })).status,
    ).toBe(200);
    const after = await get(`/bigin/v2/users/${A.user.admin}`);
    expect(after.headers.get('x-accesstoken-reset')).toBe('2099-01-01T09:00:00+09:00');
    expect((after.json as Users).users[0]!.time_zone).toBe('Asia/Tokyo');
    await send('PUT', `/bigin/v2/users/${A.user.admin}`, { users: [{ time_zone: 'UTC' }] });
  });

  it('deactivates a user (whose token stops working), refuses other changes until reactivated', async () => {
    expectJson(
      await send('PUT', `/bigin/v2/users/${A.user.rep1}`, { users: [{ status: 'inactive' }] }),
      200,
      {
        users: [success('User updated', A.user.rep1)],
      },
    );
    expectJson(await get('/bigin/v2/org', REP), 401, ERR.invalidToken);
    expect((await userOf(A.user.rep1)).status).toBe('disabled');
    expectJson(await send('PUT', `/bigin/v2/users/${A.user.rep1}`, { users: [{ phone: '1' }] }), 400, {
      users: [itemError('NOT_ALLOWED', 'a deactivated user cannot be updated', { id: A.user.rep1 })],
    });
    expect(
      (await send('PUT', `/bigin/v2/users/${A.user.rep1}`, { users: [{ status: 'active' }] })).status,
    ).toBe(200);
    expect((await get('/bigin/v2/org', REP)).status).toBe(200);
    expectJson(await send('PUT', `/bigin/v2/users/${A.user.rep1}`, { users: [{ status: 'gone' }] }), 400, {
      users: [
        itemError('INVALID_DATA', 'invalid data', { api_name: 'status', json_path: '$.users[0].status' }),
      ],
    });
  });

  it('keeps the primary user active and an administrator', async () => {
    for (const change of [{ status: 'inactive' }, { profile: A.profile.standard }])
      expectJson(await send('PUT', `/bigin/v2/users/${A.user.admin}`, { users: [change] }), 400, {
        users: [
          itemError(
            'NOT_ALLOWED',
            'the primary user cannot be deactivated or lose the administrator profile',
            {
              id: A.user.admin,
            },
          ),
        ],
      });
  });
});

describe('DELETE /users/{id}', () => {
  it('deletes a user, who stays listed as deleted and whose token stops working', async () => {
    const res = await call(t.url, 'DELETE', `/bigin/v2/users/${A.user.rep2}`, ADMIN);
    expectJson(res, 200, { users: [success('User deleted', A.user.rep2)] });
    expectJson(await get('/bigin/v2/org', A.token('rep2')), 401, ERR.invalidToken);
    const listed = (await get('/bigin/v2/users?type=DeletedUsers')).json as Users;
    expect(listed.users.map((u) => [u.id, u.status])).toEqual([[A.user.rep2, 'deleted']]);
    expect(((await get('/bigin/v2/users')).json as Users).users.some((u) => u.id === A.user.rep2)).toBe(
      false,
    );
    expectJson(await call(t.url, 'DELETE', `/bigin/v2/users/${A.user.rep2}`, ADMIN), 400, {
      users: [itemError('INVALID_DATA', 'the id given seems to be invalid', { id: A.user.rep2 })],
    });
    // A deleted user cannot be updated either: it is no user any more.
    expectJson(await send('PUT', `/bigin/v2/users/${A.user.rep2}`, { users: [{ status: 'active' }] }), 400, {
      users: [itemError('INVALID_DATA', 'the id given seems to be invalid', { id: A.user.rep2 })],
    });
  });

  it('refuses the primary user and an id of another organisation alike as Bigin would', async () => {
    expectJson(await call(t.url, 'DELETE', `/bigin/v2/users/${A.user.admin}`, ADMIN), 400, {
      users: [itemError('NOT_ALLOWED', 'the primary user cannot be deleted', { id: A.user.admin })],
    });
    expectJson(await call(t.url, 'DELETE', '/bigin/v2/users/1234567000000000001', ADMIN), 400, {
      users: [itemError('INVALID_DATA', 'the id given seems to be invalid', { id: '1234567000000000001' })],
    });
  });
});
