import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerAdminCommands } from '../../src/admin/admin-commands.js';
import { call } from '../support/bigin.js';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { startReceiver } from '../support/receiver.js';
import { idOf, sendJsonBody } from '../support/records.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';

// Callbacks really delivered (docs/notifications.md): exact payloads for create, edit, delete and
// a cascade; retries with backoff, give-up and expiry on the virtual clock (no sleeps).

const D = orgIds(7181818, 'ntf1');
const TOKEN = '1000.notify00000000000000000000000000.11111111111111111111111111111111';
const US = 'https://www.zohoapis.com/bigin/v1';
const ADMIN_KEY = 'notifications-admin-key-0123456789';

function fixture() {
  const base = orgFixture(D);
  return {
    ...base,
    tokens: [
      ...base.tokens,
      {
        token: TOKEN,
        user: D.user.admin,
        scope: 'ZohoBigin.modules.ALL,ZohoBigin.notifications.ALL',
        expiresAt: FAR_FUTURE,
      },
    ],
  };
}

describe('notification delivery', () => {
  let t: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let channel = 5000;
  beforeAll(async () => {
    t = await startTestServer({
      fixture: { organizations: [fixture()] },
      settings: {
        NOTIFY_POLL_MS: '60000',
        NOTIFY_MAX_ATTEMPTS: '4',
        NOTIFY_RETRY_BASE_SECONDS: '2',
        ADMIN_KEY: ADMIN_KEY,
      },
    });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });
  afterEach(async () => {
    receiver.setMode('ok');
    receiver.received.length = 0;
    receiver.attempts.length = 0;
    await call(t.url, 'DELETE', `/bigin/v2/actions/watch?channel_ids=${channel}`, TOKEN);
  });

  const subscribe = async (events: string[], extra: Record<string, unknown> = {}) => {
    channel++;
    const res = await sendJsonBody(t.url, 'POST', '/bigin/v2/actions/watch', TOKEN, {
      watch: [
        {
          channel_id: channel,
          events,
          notify_url: receiver.url('/hook?src=test'),
          token: 'tok-echo',
          ...extra,
        },
      ],
    });
    expect(res.status).toBe(201);
    return String(channel);
  };
  const insertContact = async (fields: Record<string, unknown>) => {
    const res = await sendJsonBody(t.url, 'POST', '/bigin/v2/Contacts', TOKEN, { data: [fields] });
    expect(res.status).toBe(201);
    return idOf(res);
  };
  const callback = (channelId: string, module: string, operation: string, ids: string[], extra = {}) => ({
    server_time: t.clock.now(),
    query_params: { src: 'test' },
    module,
    resource_uri: `${US}/${module}`,
    ids,
    affected_fields: [],
    ...extra,
    operation,
    channel_id: channelId,
    token: 'tok-echo',
  });

  it('POSTs the exact callback for a create, an edit and a delete, echoing the token', async () => {
    const ch = await subscribe(['Contacts.all'], { return_affected_field_values: true });
    const id = await insertContact({ Last_Name: 'Hopper', Email: 'grace@example.com' });
    await t.server.notifyNow();
    expect(receiver.received.map((c) => c.body)).toEqual([
      callback(ch, 'Contacts', 'insert', [id], { affected_values: [] }),
    ]);
    expect(receiver.received[0]!.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(receiver.received[0]!.path).toBe('/hook?src=test');

    t.clock.advance(1000);
    const put = await sendJsonBody(t.url, 'PUT', `/bigin/v2/Contacts/${id}`, TOKEN, {
      data: [{ Email: 'amazing@example.com', First_Name: 'Grace' }],
    });
    expect(put.status).toBe(200);
    t.clock.advance(1000);
    expect((await call(t.url, 'DELETE', `/bigin/v2/Contacts/${id}`, TOKEN)).status).toBe(200);
    await t.server.notifyNow();
    expect(receiver.received.slice(1).map((c) => c.body)).toEqual([
      {
        ...callback(ch, 'Contacts', 'update', [id], {
          affected_fields: [{ [id]: ['Email', 'First_Name'] }],
          affected_values: [{ record_id: id, values: { Email: 'amazing@example.com', First_Name: 'Grace' } }],
        }),
        server_time: t.clock.now() - 1000,
      },
      callback(ch, 'Contacts', 'delete', [id], { affected_values: [] }),
    ]);
  });

  it('tells a delete of a company and of the contacts that went with it, per module', async () => {
    const ch = await subscribe(['Accounts.delete', 'Contacts.delete']);
    const company = await sendJsonBody(t.url, 'POST', '/bigin/v2/Accounts', TOKEN, {
      data: [{ Account_Name: 'Cascade Ltd' }],
    });
    const companyId = idOf(company);
    const a = await insertContact({ Last_Name: 'A', Account_Name: { id: companyId } });
    const b = await insertContact({ Last_Name: 'B', Account_Name: { id: companyId } });
    await t.server.notifyNow();
    expect(receiver.received).toEqual([]);
    expect((await call(t.url, 'DELETE', `/bigin/v2/Accounts/${companyId}`, TOKEN)).status).toBe(200);
    await t.server.notifyNow();
    const bodies = receiver.received.map((c) => c.body as { ids: string[] });
    expect(bodies.map((b) => ({ ...b, ids: [...b.ids].sort() }))).toEqual([
      callback(ch, 'Accounts', 'delete', [companyId]),
      callback(ch, 'Contacts', 'delete', [a, b].sort()),
    ]);
  });

  it('retries with doubling waits while the receiver is down, and delivers when it is back', async () => {
    await subscribe(['Contacts.create']);
    receiver.setMode('down');
    const id = await insertContact({ Last_Name: 'Retry' });
    await t.server.notifyNow();
    expect(receiver.attempts).toHaveLength(1);
    // Base 2 s: the second attempt is due 2 s after the first, the third 4 s after the second.
    t.clock.advance(1999);
    await t.server.notifyNow();
    expect(receiver.attempts).toHaveLength(1);
    t.clock.advance(1);
    await t.server.notifyNow();
    expect(receiver.attempts).toHaveLength(2);
    t.clock.advance(3999);
    await t.server.notifyNow();
    expect(receiver.attempts).toHaveLength(2);
    receiver.setMode('ok');
    t.clock.advance(1);
    await t.server.notifyNow();
    expect(receiver.attempts.map((a) => a.headers['x-bigin-attempt'])).toEqual(['1', '2', '3']);
    expect(receiver.received.map((c) => (c.body as { ids: string[] }).ids)).toEqual([[id]]);
    t.clock.advance(3_600_000);
    await t.server.notifyNow();
    expect(receiver.attempts).toHaveLength(3);
  });

  it('gives up after NOTIFY_MAX_ATTEMPTS and keeps the next callback of the channel flowing', async () => {
    await subscribe(['Contacts.create']);
    receiver.setMode('error');
    await insertContact({ Last_Name: 'Lost' });
    for (const wait of [0, 2000, 4000, 8000]) {
      t.clock.advance(wait);
      await t.server.notifyNow();
    }
    expect(receiver.attempts).toHaveLength(4);
    t.clock.advance(600_000);
    await t.server.notifyNow();
    expect(receiver.attempts).toHaveLength(4);
    receiver.setMode('ok');
    const next = await insertContact({ Last_Name: 'Next' });
    await t.server.notifyNow();
    expect(receiver.received.map((c) => (c.body as { ids: string[] }).ids)).toEqual([[next]]);
  });

  it('keeps a channel’s callbacks in commit order while its first one is retried', async () => {
    await subscribe(['Contacts.create']);
    receiver.setMode('down');
    const first = await insertContact({ Last_Name: 'First' });
    await t.server.notifyNow();
    const second = await insertContact({ Last_Name: 'Second' });
    receiver.setMode('ok');
    await t.server.notifyNow();
    expect(receiver.received).toEqual([]);
    t.clock.advance(2000);
    await t.server.notifyNow();
    expect(receiver.received.map((c) => (c.body as { ids: string[] }).ids)).toEqual([[first], [second]]);
  });

  it('stops delivering once the channel expires, written or not', async () => {
    const in10 = new Date(t.clock.now() + 600_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    await subscribe(['Contacts.create'], { channel_expiry: in10 });
    receiver.setMode('down');
    await insertContact({ Last_Name: 'Before expiry' });
    await t.server.notifyNow();
    t.clock.advance(600_000);
    receiver.setMode('ok');
    await t.server.notifyNow();
    await insertContact({ Last_Name: 'After expiry' });
    await t.server.notifyNow();
    expect(receiver.attempts).toHaveLength(1);
    expect(receiver.received).toEqual([]);
  });

  it('sends nothing for a change that no channel listens to', async () => {
    await subscribe(['Pipelines.create']);
    await insertContact({ Last_Name: 'Unwatched' });
    await t.server.notifyNow();
    expect(receiver.attempts).toEqual([]);
    expect(t.clock.now()).toBeGreaterThan(TEST_EPOCH);
  });

  it('shows a channel’s deliveries to the administrator: status, attempts, response code, latency', async () => {
    const ch = await subscribe(['Contacts.create']);
    receiver.setMode('error');
    const id = await insertContact({ Last_Name: 'Inspected' });
    await t.server.notifyNow();
    receiver.setMode('ok');
    t.clock.advance(2000);
    await t.server.notifyNow();
    const res = await call(t.url, 'GET', `/_admin/notifications/deliveries?channel_id=${ch}`, undefined, {
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(res.status).toBe(200);
    const [entry] = (res.json as { deliveries: Array<Record<string, unknown>> }).deliveries;
    expect(entry).toEqual({
      seq: expect.any(Number),
      org_id: D.org,
      channel_id: ch,
      module: 'Contacts',
      operation: 'insert',
      ids: [id],
      status: 'delivered',
      attempts: 2,
      response_code: 200,
      latency_ms: expect.any(Number),
      error: null,
      changed_at: new Date(t.clock.now() - 2000).toISOString(),
      next_attempt_at: null,
      finished_at: new Date(t.clock.now()).toISOString(),
    });
    const bad = await call(t.url, 'GET', '/_admin/notifications/deliveries?limit=0', undefined, {
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(bad.status).toBe(400);

    // The same log from the admin command, on the server's stores.
    const env = t.storageEnv;
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const program = new Command('bigin-server').exitOverride();
      registerAdminCommands(program);
      await program.parseAsync(
        ['admin', '--data-dir', t.dataDir, 'notifications', 'deliveries', '--channel', ch, '--limit', '1'],
        { from: 'user' },
      );
    } finally {
      write.mockRestore();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(JSON.parse(out.join(''))).toEqual({ deliveries: [entry] });
  });
});
