import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/bigin.js';
import { attachmentPath, FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { startReceiver } from '../support/receiver.js';
import { recordsPath, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// What the console shows of one organisation, over HTTP (docs/admin-api.md, D25): the detail
// (users, tokens with their state on the virtual clock, clients), token revocation and the next
// call refused, the recycle bin with restore, and the organisation's notification channels.

const KEY = 'detail-admin-key-0123456789abcdef';
const A = orgIds(7373737, 'dtl');
const WATCH_TOKEN = `1000.${'dtlwatch'.padEnd(32, '0')}.33333333333333333333333333333333`;
const SHORT_TOKEN = `1000.${'dtlshort'.padEnd(32, '0')}.44444444444444444444444444444444`;

let t: TestServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  const base = orgFixture(A, {
    extraTokens: [
      { token: WATCH_TOKEN, user: A.user.admin, scope: 'ZohoBigin.notifications.ALL', expiresAt: FAR_FUTURE },
      { token: SHORT_TOKEN, user: A.user.rep1, scope: 'ZohoBigin.modules.ALL', expiresIn: 600 },
    ],
  });
  t = await startTestServer({ fixture: { organizations: [base] }, settings: { ADMIN_KEY: KEY } });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await t?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
type Json = Record<string, any>;
async function adminCall(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${t.url}/_admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}
const detail = async () => (await adminCall('GET', `/organizations/${A.org}`)).json;

describe('GET /_admin/organizations/{id}', () => {
  it('shows the data center, users with profile, role and time zone, and tokens with their state', async () => {
    const d = await detail();
    expect(d.organization).toMatchObject({ id: A.org, dataCenter: 'us', baseline: 'fixture' });
    expect(d.organization.urls.api).toBe(t.url);
    expect(d.users.find((u: Json) => u.id === A.user.manager)).toEqual({
      id: A.user.manager,
      name: 'manager',
      email: `manager@${A.org}.example.com`,
      profile: 'Deleter',
      role: 'Manager',
      timeZone: 'UTC',
      active: true,
      canSignIn: false,
    });
    expect(d.users.find((u: Json) => u.id === A.user.inactive).active).toBe(false);
    expect(d.tokens).toHaveLength(11);
    for (const token of d.tokens) expect(token.id).toMatch(/^[0-9a-f]{16}$/);
    // No answer carries a token or its full hash.
    expect(JSON.stringify(d)).not.toContain(A.token('admin'));
    expect(JSON.stringify(d)).not.toMatch(/[0-9a-f]{64}/);
    expect(d.tokens.every((x: Json) => x.state === 'active')).toBe(true);
  });

  it('shows a token expired once the virtual clock passes its expiry', async () => {
    const before = (await detail()).tokens.find(
      (x: Json) => x.user === A.user.rep1 && x.scope === 'ZohoBigin.modules.ALL',
    );
    expect(before.state).toBe('active');
    expect((await adminCall('POST', '/clock/advance', { by: '11m' })).status).toBe(200);
    const after = (await detail()).tokens.find((x: Json) => x.id === before.id);
    expect(after.state).toBe('expired');
    expect(Date.parse(after.expiresAt)).toBeLessThan(Date.parse((await detail()).now));
  });

  it('answers 404 for an unknown organisation and 400 for a malformed id', async () => {
    expect((await adminCall('GET', '/organizations/99999999999')).status).toBe(404);
    const bad = await adminCall('GET', '/organizations/not-an-id');
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('ADMIN_INVALID_REQUEST');
  });
});

describe('token revocation', () => {
  it('revokes a token; the next Bigin call with it is refused and the journal says why', async () => {
    const minted = await adminCall('POST', `/organizations/${A.org}/tokens`, {});
    expect(minted.status).toBe(201);
    const ok = await call(t.url, 'GET', `${recordsPath('Contacts')}?fields=Last_Name`, minted.json.token);
    expect(ok.status).toBe(200);
    const token = (await detail()).tokens[0];
    expect(token).toMatchObject({ user: minted.json.user, state: 'active', revokedAt: null });
    const revoked = await adminCall('POST', `/organizations/${A.org}/tokens/${token.id}/revoke`);
    expect(revoked).toEqual({
      status: 200,
      json: { id: token.id, state: 'revoked', revokedAt: (await detail()).now },
    });
    expect((await detail()).tokens.find((x: Json) => x.id === token.id).state).toBe('revoked');
    const refused = await call(
      t.url,
      'GET',
      `${recordsPath('Contacts')}?fields=Last_Name`,
      minted.json.token,
    );
    expect(refused.status).toBe(401);
    expect((refused.json as Json).code).toBe('INVALID_TOKEN');
    const journal = (await adminCall('GET', `/journal?org=&status=401&limit=1`)).json;
    expect(journal.entries[0]).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(journal.entries[0].rule).toMatch(/revoked/);
    // Twice: the same answer, the first revocation's time.
    expect((await adminCall('POST', `/organizations/${A.org}/tokens/${token.id}/revoke`)).json).toEqual(
      revoked.json,
    );
  });

  it('answers 404 for a token of no such handle and 400 for a malformed one', async () => {
    expect((await adminCall('POST', `/organizations/${A.org}/tokens/0000000000000000/revoke`)).status).toBe(
      404,
    );
    expect((await adminCall('POST', `/organizations/${A.org}/tokens/XYZ/revoke`)).status).toBe(400);
  });
});

describe('recycle bin', () => {
  it('lists a deleted attachment and restores it; the API serves it again', async () => {
    const id = A.attachment[3]!;
    const path = attachmentPath('Contacts', A.contactOf.rep1, id);
    expect((await call(t.url, 'DELETE', path, A.token('admin'))).status).toBe(200);
    const bin = await adminCall('GET', `/organizations/${A.org}/recycle-bin`);
    expect(bin.status).toBe(200);
    expect(bin.json.attachments[0]).toMatchObject({
      id,
      record: A.contactOf.rep1,
      module: 'Contacts',
      fileName: 'file-3.txt',
      deletedBy: A.user.admin,
    });
    expect(Date.parse(bin.json.attachments[0].purgeAfter)).toBeGreaterThan(
      Date.parse(bin.json.attachments[0].deletedAt),
    );
    expect((await call(t.url, 'GET', path, A.token('admin'))).status).not.toBe(200);
    expect(await adminCall('POST', `/organizations/${A.org}/recycle-bin/attachments/${id}/restore`)).toEqual({
      status: 200,
      json: { restored: id },
    });
    expect((await call(t.url, 'GET', path, A.token('admin'))).text).toBe(`attachment 3 of ${A.org}\n`);
    expect(
      (await adminCall('GET', `/organizations/${A.org}/recycle-bin`)).json.attachments.map((a: Json) => a.id),
    ).not.toContain(id);
    // Restored once; a second restore finds nothing.
    expect(
      (await adminCall('POST', `/organizations/${A.org}/recycle-bin/attachments/${id}/restore`)).status,
    ).toBe(404);
  });

  it('lists a deleted record and restores it with what its delete took along', async () => {
    const res = await call(t.url, 'DELETE', recordsPath('Contacts', A.contactOf.rep2), A.token('admin'));
    expect(res.status).toBe(200);
    const bin = (await adminCall('GET', `/organizations/${A.org}/recycle-bin?limit=10`)).json;
    expect(bin.records.map((r: Json) => r.id)).toContain(A.contactOf.rep2);
    const restored = await adminCall(
      'POST',
      `/organizations/${A.org}/recycle-bin/records/${A.contactOf.rep2}/restore`,
    );
    expect(restored.status).toBe(200);
    expect(restored.json).toMatchObject({ restored: A.contactOf.rep2, records: 1, attachments: 1 });
    expect(
      (await call(t.url, 'GET', recordsPath('Contacts', A.contactOf.rep2), A.token('admin'))).status,
    ).toBe(200);
  });

  it('refuses bad paging and unknown organisations', async () => {
    expect((await adminCall('GET', `/organizations/${A.org}/recycle-bin?limit=0`)).status).toBe(400);
    expect((await adminCall('GET', `/organizations/${A.org}/recycle-bin?offset=-1`)).status).toBe(400);
    expect((await adminCall('GET', '/organizations/12345/recycle-bin')).status).toBe(404);
    expect((await adminCall('POST', `/organizations/${A.org}/recycle-bin/records/abc/restore`)).status).toBe(
      400,
    );
  });
});

describe('notification channels', () => {
  it('lists the channels of every user of the organisation, without their tokens', async () => {
    const sub = await sendJsonBody(t.url, 'POST', '/bigin/v2/actions/watch', WATCH_TOKEN, {
      watch: [
        {
          channel_id: 4242,
          events: ['Contacts.create'],
          notify_url: receiver.url(),
          token: 'channel-secret',
        },
      ],
    });
    expect(sub.status).toBe(201);
    const res = await adminCall('GET', `/organizations/${A.org}/notifications/channels`);
    expect(res.status).toBe(200);
    expect(res.json.channels).toEqual([
      expect.objectContaining({
        channelId: '4242',
        user: A.user.admin,
        notifyUrl: receiver.url(),
        hasToken: true,
        events: [{ module: 'Contacts', operation: 'create' }],
        expired: false,
      }),
    ]);
    expect(JSON.stringify(res.json)).not.toContain('channel-secret');
  });
});
