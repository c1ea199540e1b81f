import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ERR } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { createTestSchema } from '../support/postgres.js';
import { startReceiver } from '../support/receiver.js';
import { expectJson, expectNoContent, sendJsonBody } from '../support/records.js';
import { testS3Settings } from '../support/s3.js';
import { startTestServer, TEST_BACKEND, TEST_EPOCH, type TestServer } from '../support/test-server.js';

// /bigin/v2/actions/watch (docs/notifications.md): answers with their key sets, every refusal,
// scopes, ownership, persistence across restarts, and the SSRF rule of D12 both ways.

const D = orgIds(7191919, 'ntf2');
const tok = (tag: string) => `1000.${tag.padEnd(32, '0')}.22222222222222222222222222222222`;
const TOKENS = {
  all: tok('watchall'),
  read: tok('watchread'),
  records: tok('watchnone'),
  other: tok('watchother'),
};
const US = 'https://www.zohoapis.com/bigin/v1';
const PATH = '/bigin/v2/actions/watch';
const ISO = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

function fixture() {
  const base = orgFixture(D);
  const token = (token: string, user: string, scope: string) => ({
    token,
    user,
    scope,
    expiresAt: FAR_FUTURE,
  });
  return {
    organizations: [
      {
        ...base,
        tokens: [
          ...base.tokens,
          token(TOKENS.all, D.user.admin, 'ZohoBigin.notifications.ALL,ZohoBigin.modules.ALL'),
          token(TOKENS.read, D.user.admin, 'ZohoBigin.notifications.READ'),
          token(TOKENS.records, D.user.admin, 'ZohoBigin.modules.ALL'),
          token(TOKENS.other, D.user.manager, 'ZohoBigin.notifications.ALL'),
        ],
      },
    ],
  };
}

const modulePrefix = (t: TestServer) => t.server.stores.metadata.seed.organization(D.org);

describe('actions/watch channels', () => {
  let t: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let prefix: string;
  beforeAll(async () => {
    t = await startTestServer({ fixture: fixture(), settings: { NOTIFY_POLL_MS: '60000' } });
    receiver = await startReceiver();
    prefix = (await modulePrefix(t))!.idPrefix;
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });
  const post = (body: unknown, token = TOKENS.all, method = 'POST') =>
    sendJsonBody(t.url, method, PATH, token, body);
  const resource = (module: string, seq: number) => ({
    resource_uri: `${US}/${module}`,
    resource_id: `${prefix}${String(seq).padStart(12, '0')}`,
  });

  it('subscribes (201), with the recorded answer and a two-hour default expiry', async () => {
    const res = await post({
      watch: [
        {
          channel_id: 1001,
          events: ['Contacts.create', 'Accounts.all'],
          notify_url: receiver.url(),
          token: 'secret',
        },
      ],
    });
    const expiry = ISO(t.clock.now() + 2 * 3_600_000);
    expectJson(res, 201, {
      watch: [
        {
          code: 'SUCCESS',
          details: {
            events: [
              {
                channel_expiry: expiry,
                ...resource('Contacts', 2179),
                resource_name: 'Contacts',
                channel_id: '1001',
              },
              {
                channel_expiry: expiry,
                ...resource('Accounts', 2177),
                resource_name: 'Accounts',
                channel_id: '1001',
              },
            ],
          },
          message: 'Successfully subscribed for actions-watch of the given module',
          status: 'success',
        },
      ],
    });
    const list = await call(t.url, 'GET', `${PATH}?module=Accounts`, TOKENS.read);
    expectJson(list, 200, {
      watch: [
        {
          notify_on_related_action: false,
          channel_expiry: expiry,
          return_affected_field_values: false,
          ...resource('Accounts', 2177),
          notify_url: receiver.url(),
          resource_name: 'Accounts',
          fields: null,
          channel_id: '1001',
          events: ['Accounts.all'],
          token: 'secret',
        },
      ],
      info: { per_page: 200, count: 1, page: 1, more_records: false },
    });
  });

  it('replaces with PUT, drops events with PATCH only when _delete_events is true, and unsubscribes', async () => {
    const url = receiver.url('/two');
    await post({ watch: [{ channel_id: '2002', events: ['Tasks.edit'], notify_url: url }] });
    const expiry = ISO(t.clock.now() + 3_600_000);
    const put = await post(
      {
        watch: [
          {
            channel_id: '2002',
            events: ['Pipelines.create', 'Pipelines.delete', 'Tasks.all'],
            notify_url: url,
            channel_expiry: expiry,
            return_affected_field_values: true,
          },
        ],
      },
      TOKENS.all,
      'PUT',
    );
    expect(put.status).toBe(200);
    const kept = await post({ watch: [{ channel_id: 2002, events: ['Tasks.all'] }] }, TOKENS.all, 'PATCH');
    expect(kept.status).toBe(200);
    const patched = await post(
      { watch: [{ channel_id: 2002, events: ['Tasks.all', 'Pipelines.delete'], _delete_events: true }] },
      TOKENS.all,
      'PATCH',
    );
    expectJson(patched, 200, {
      watch: [
        {
          code: 'SUCCESS',
          details: {
            events: [
              {
                channel_expiry: expiry,
                ...resource('Pipelines', 2181),
                resource_name: 'Pipelines',
                channel_id: '2002',
              },
            ],
          },
          message: 'Successfully subscribed for actions-watch of the given module',
          status: 'success',
        },
      ],
    });
    const one = await call(t.url, 'GET', `${PATH}?channel_id=2002`, TOKENS.all);
    expect((one.json as { watch: unknown[] }).watch).toEqual([
      expect.objectContaining({
        events: ['Pipelines.create'],
        return_affected_field_values: true,
        channel_expiry: expiry,
      }),
    ]);
    const del = await call(t.url, 'DELETE', `${PATH}?channel_ids=2002,9999`, TOKENS.all);
    expectJson(del, 207, {
      watch: [
        {
          code: 'SUCCESS',
          details: { ...resource('Pipelines', 2181), channel_id: '2002' },
          message: 'Successfully un-subscribed from actions-watch',
          status: 'success',
        },
        {
          code: 'INVALID_DATA',
          details: { channel_id: '9999' },
          message: 'the id given seems to be invalid',
          status: 'error',
        },
      ],
    });
    expectNoContent(await call(t.url, 'GET', `${PATH}?channel_id=2002`, TOKENS.all));
  });

  it('refuses each bad channel with its field named, and whole requests that are malformed', async () => {
    const item = (code: string, key: string, message = 'invalid data') => ({
      code,
      details: { api_name: key, json_path: `$.watch[0].${key}` },
      message,
      status: 'error',
    });
    const one = async (channel: Record<string, unknown>) =>
      (
        await post({
          watch: [{ channel_id: 3003, events: ['Contacts.all'], notify_url: receiver.url(), ...channel }],
        })
      ).json;
    expect(await one({ channel_id: undefined })).toEqual({
      watch: [item('MANDATORY_NOT_FOUND', 'channel_id', 'required field not found')],
    });
    expect(await one({ notify_url: undefined })).toEqual({
      watch: [item('MANDATORY_NOT_FOUND', 'notify_url', 'required field not found')],
    });
    expect(await one({ channel_id: 'abc' })).toEqual({ watch: [item('INVALID_DATA', 'channel_id')] });
    expect(await one({ events: ['Contacts.merge'] })).toEqual({ watch: [item('INVALID_DATA', 'events')] });
    expect(await one({ events: ['Deals.create'] })).toEqual({ watch: [item('INVALID_DATA', 'events')] });
    expect(await one({ events: [] })).toEqual({ watch: [item('INVALID_DATA', 'events')] });
    expect(await one({ token: 'x'.repeat(51) })).toEqual({ watch: [item('INVALID_DATA', 'token')] });
    expect(
      (
        await post({
          watch: [
            { channel_id: 3003, events: ['Contacts.all'], notify_url: receiver.url(), token: 'x'.repeat(50) },
          ],
        })
      ).status,
    ).toBe(201);
    await call(t.url, 'DELETE', `${PATH}?channel_ids=3003`, TOKENS.all);
    expect(await one({ channel_expiry: ISO(t.clock.now() + 86_400_000 + 1000) })).toEqual({
      watch: [item('INVALID_DATA', 'channel_expiry')],
    });
    expect(await one({ channel_expiry: ISO(t.clock.now() - 1000) })).toEqual({
      watch: [item('INVALID_DATA', 'channel_expiry')],
    });
    expect(await one({ notify_url: 'ftp://example.com/x' })).toEqual({
      watch: [item('INVALID_DATA', 'notify_url')],
    });
    expect(await one({ return_affected_field_values: 'yes' })).toEqual({
      watch: [item('INVALID_DATA', 'return_affected_field_values')],
    });
    const status = (await post({ watch: [{ channel_id: 1 }] })).status;
    expect(status).toBe(400);
    expectJson(await post({}), 400, {
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'watch', json_path: '$.watch' },
      message: 'required field not found',
      status: 'error',
    });
    const many = Array.from({ length: 101 }, (_, i) => ({
      channel_id: 10 + i,
      events: ['Contacts.all'],
      notify_url: receiver.url(),
    }));
    expectJson(await post({ watch: many }, TOKENS.all, 'PUT'), 400, {
      code: 'LIMIT_EXCEEDED',
      details: { limit: 100, json_path: '$.watch' },
      message: 'the number of channels in the request exceeds the limit',
      status: 'error',
    });
    expectJson(await call(t.url, 'DELETE', PATH, TOKENS.all), 400, {
      code: 'REQUIRED_PARAM_MISSING',
      details: { param_name: 'channel_ids' },
      message: 'One of the expected parameter is missing',
      status: 'error',
    });
    // PUT replaces an existing channel only.
    expect(
      (
        await post(
          { watch: [{ channel_id: 4004, events: ['Contacts.all'], notify_url: receiver.url() }] },
          TOKENS.all,
          'PUT',
        )
      ).json,
    ).toEqual({ watch: [item('INVALID_DATA', 'channel_id')] });
  });

  it('asks for the notifications scopes of each operation', async () => {
    const body = { watch: [{ channel_id: 5005, events: ['Contacts.all'], notify_url: receiver.url() }] };
    expectJson(await post(body, TOKENS.records), 401, ERR.scopeMismatch);
    expectJson(await post(body, TOKENS.read), 401, ERR.scopeMismatch);
    expectJson(await call(t.url, 'GET', PATH, TOKENS.records), 401, ERR.scopeMismatch);
    expectJson(await call(t.url, 'DELETE', `${PATH}?channel_ids=1`, TOKENS.read), 401, ERR.scopeMismatch);
    expectJson(await call(t.url, 'GET', PATH), 401, ERR.authFailure);
    expectJson(await call(t.url, 'OPTIONS', PATH, TOKENS.all), 400, ERR.requestMethod);
  });

  it('keeps channels to their user: another user neither lists, changes nor removes them', async () => {
    await post({ watch: [{ channel_id: 6006, events: ['Contacts.all'], notify_url: receiver.url() }] });
    expectNoContent(await call(t.url, 'GET', `${PATH}?channel_id=6006`, TOKENS.other));
    const taken = await post(
      { watch: [{ channel_id: 6006, events: ['Contacts.all'], notify_url: receiver.url('/evil') }] },
      TOKENS.other,
    );
    expect(taken.status).toBe(400);
    const del = await call(t.url, 'DELETE', `${PATH}?channel_ids=6006`, TOKENS.other);
    expect(del.status).toBe(400);
    expect((await call(t.url, 'GET', `${PATH}?channel_id=6006`, TOKENS.all)).status).toBe(200);
    expect(t.clock.now()).toBe(TEST_EPOCH);
  });

  it('keeps channels across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bigin-watch-restart-'));
    const schema = TEST_BACKEND === 'postgres-s3' ? await createTestSchema() : null;
    const settings = { ...schema?.settings, ...(schema ? testS3Settings() : {}), NOTIFY_POLL_MS: '60000' };
    try {
      const first = await startTestServer({ fixture: fixture(), dataDir, settings });
      await sendJsonBody(first.url, 'POST', PATH, TOKENS.all, {
        watch: [{ channel_id: 7007, events: ['Notes.edit'], notify_url: receiver.url() }],
      });
      await first.close();
      const again = await startTestServer({ dataDir, settings });
      try {
        const list = await call(again.url, 'GET', `${PATH}?channel_id=7007`, TOKENS.all);
        expect((list.json as { watch: Array<{ events: string[] }> }).watch[0]!.events).toEqual([
          'Notes.edit',
        ]);
      } finally {
        await again.close();
      }
    } finally {
      await schema?.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('notify_url and the SSRF rule (D12)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver?.close());

  const subscribe = (t: TestServer) =>
    sendJsonBody(t.url, 'POST', PATH, TOKENS.all, {
      watch: [{ channel_id: 8008, events: ['Contacts.create'], notify_url: receiver.url('/ssrf') }],
    });
  const deliveredAfterInsert = async (t: TestServer) => {
    const res = await sendJsonBody(t.url, 'POST', '/bigin/v2/Contacts', TOKENS.all, {
      data: [{ Last_Name: 'S' }],
    });
    expect(res.status).toBe(201);
    await t.server.notifyNow();
    return receiver.received.filter((c) => c.path === '/ssrf').length;
  };

  it('refuses a loopback receiver when the server listens beyond loopback', async () => {
    const t = await startTestServer({
      fixture: fixture(),
      settings: { HOST: '0.0.0.0', NOTIFY_POLL_MS: '60000' },
    });
    try {
      expectJson(await subscribe(t), 400, {
        watch: [
          {
            code: 'INVALID_DATA',
            details: { api_name: 'notify_url', json_path: '$.watch[0].notify_url' },
            message: 'invalid data',
            status: 'error',
          },
        ],
      });
      expect(await deliveredAfterInsert(t)).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('allows it there when NOTIFY_PRIVATE_URLS=allow, and on loopback with no setting', async () => {
    for (const settings of [{ HOST: '0.0.0.0', NOTIFY_PRIVATE_URLS: 'allow' }, {}]) {
      receiver.received.length = 0;
      const t = await startTestServer({
        fixture: fixture(),
        settings: { ...settings, NOTIFY_POLL_MS: '60000' },
      });
      try {
        expect((await subscribe(t)).status).toBe(201);
        expect(await deliveredAfterInsert(t)).toBe(1);
      } finally {
        await t.close();
      }
    }
  });

  it('refuses private addresses even on loopback with NOTIFY_PRIVATE_URLS=deny', async () => {
    const t = await startTestServer({
      fixture: fixture(),
      settings: { NOTIFY_PRIVATE_URLS: 'deny', NOTIFY_POLL_MS: '60000' },
    });
    try {
      expect((await subscribe(t)).status).toBe(400);
    } finally {
      await t.close();
    }
  });
});
