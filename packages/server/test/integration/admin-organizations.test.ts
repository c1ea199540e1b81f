import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { clientsFixture, refresh, WEB_CLIENT } from '../support/oauth.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// The admin API's organisation calls over HTTP: create (from nothing, a fragment or the fixture),
// delete, reset (one, all), export and import (exact), users, tokens, clients, fixtures, purge;
// and no secret in any answer or log line.

const KEY = 'orgs-admin-key-0123456789abcdef';
const A = orgIds(6161616, 'orgs');

let t: TestServer;
const lines: string[] = [];
const answers: string[] = [];
beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  t = await startTestServer({
    fixture: { clients: clientsFixture(), organizations: [orgFixture(A)] },
    settings: { ADMIN_KEY: KEY, LOG_LEVEL: 'info' },
    logStream,
  });
});
afterAll(() => t?.close());

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
type Json = Record<string, any>;
async function adminCall(
  method: string,
  path: string,
  body?: unknown,
  url = t.url,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${url}/_admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  answers.push(text);
  return { status: res.status, json: JSON.parse(text) as Json };
}
const exportOf = async (orgId: string, url = t.url) =>
  (await adminCall('GET', `/organizations/${orgId}/export`, undefined, url)).json;
const listContacts = (token: string) => call(t.url, 'GET', '/bigin/v2/Contacts?fields=Last_Name', token);

describe('organisations', () => {
  it('lists the fixture organisation with its baseline and URLs', async () => {
    const res = await adminCall('GET', '/organizations');
    expect(res.status).toBe(200);
    expect(res.json.organizations).toEqual([
      expect.objectContaining({
        id: A.org,
        dataCenter: 'us',
        baseline: 'fixture',
        urls: { api: t.url, accounts: t.url },
      }),
    ]);
  });

  it('creates an organisation from nothing: an administrator with a working token, then deletes it', async () => {
    const created = await adminCall('POST', '/organizations', {});
    expect(created.status).toBe(201);
    const org = created.json;
    expect(org.organization.id).toMatch(/^[0-9]{11}$/);
    expect(org.urls).toEqual({ api: t.url, accounts: t.url });
    expect(org.users).toHaveLength(1);
    expect(org.tokens).toEqual([
      expect.objectContaining({
        user: org.users[0].id,
        scope: 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL',
      }),
    ]);
    const token = org.tokens[0].token as string;
    expect((await listContacts(token)).status).toBe(204);
    const deleted = await adminCall('DELETE', `/organizations/${org.organization.id}`);
    expect(deleted).toEqual({ status: 200, json: { deleted: org.organization.id } });
    expect((await listContacts(token)).status).toBe(401);
    expect((await adminCall('DELETE', `/organizations/${org.organization.id}`)).json.error.code).toBe(
      'ADMIN_NOT_FOUND',
    );
  });

  it('creates a copy of a fixture organisation, with fresh tokens, isolated from the original', async () => {
    const a = (await adminCall('POST', '/organizations', { from: A.org })).json;
    const b = (
      await adminCall('POST', '/organizations', { from: A.org, organization: { name: 'Second copy' } })
    ).json;
    expect(a.organization.id).not.toBe(b.organization.id);
    expect(b.organization.name).toBe('Second copy');
    const rep1 = (o: Json) => o.tokens.find((x: Json) => x.user === A.user.rep1).token as string;
    expect(rep1(a)).not.toBe(A.token('rep1'));
    expect(rep1(a)).not.toBe(rep1(b));
    const path = attachmentPath('Contacts', A.contactOf.rep1, A.attachment[5]!);
    expect((await call(t.url, 'DELETE', path, rep1(a))).status).toBe(200);
    // The same ids in the other copy and in the fixture organisation are untouched.
    expect((await call(t.url, 'DELETE', path, rep1(b))).status).toBe(200);
    expect(
      (await t.server.stores.metadata.attachments.findLive(A.org, A.contactOf.rep1, A.attachment[5]!))?.id,
    ).toBe(A.attachment[5]);
    for (const o of [a, b]) await adminCall('DELETE', `/organizations/${o.organization.id}`);
  });

  it('creates one from a fragment, and refuses an invalid fragment and a taken id', async () => {
    const res = await adminCall('POST', '/organizations', {
      organization: {
        name: 'Fragment Org',
        dataCenter: 'us',
        users: [{ id: '71', name: 'Ann', email: 'ann@example.test', profile: 'Administrator', role: 'CEO' }],
        records: [{ id: '81', module: 'Contacts', name: 'Zed', owner: '71' }],
        attachments: [{ id: '91', record: '81', fileName: 'a.txt', content: { text: 'hi' } }],
      },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      records: [{ id: '81', module: 'Contacts' }],
      attachments: [{ id: '91', record: '81' }],
    });
    const bad = await adminCall('POST', '/organizations', { organization: { users: [{ id: 'x' }] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('ADMIN_INVALID_REQUEST');
    expect(bad.json.error.details.problems.length).toBeGreaterThan(0);
    const taken = await adminCall('POST', '/organizations', { organization: { id: A.org } });
    expect(taken.status).toBe(409);
    await adminCall('DELETE', `/organizations/${res.json.organization.id}`);
  });
});

describe('reset', () => {
  it('puts one organisation back exactly: export before equals export after', async () => {
    const before = await exportOf(A.org);
    expect(before.format).toBe('bigin-attachments/organization');
    expect(Object.keys(before.blobs).length).toBeGreaterThan(0);
    await call(
      t.url,
      'DELETE',
      attachmentPath('Contacts', A.contactOf.rep1, A.attachment[1]!),
      A.token('rep1'),
    );
    await adminCall('POST', `/organizations/${A.org}/users`, { name: 'Extra', email: 'extra@example.test' });
    t.clock.advance(60_000);
    expect(await exportOf(A.org)).not.toEqual(before);
    expect(await adminCall('POST', `/organizations/${A.org}/reset`)).toEqual({
      status: 200,
      json: { reset: A.org },
    });
    expect(await exportOf(A.org)).toEqual(before);
    expect(
      (await t.server.stores.metadata.attachments.findLive(A.org, A.contactOf.rep1, A.attachment[1]!))?.id,
    ).toBe(A.attachment[1]);
  });

  it('resets everything: created organisations go, the fixture organisation comes back as loaded', async () => {
    const before = await exportOf(A.org);
    const extra = (await adminCall('POST', '/organizations', {})).json;
    await call(
      t.url,
      'DELETE',
      attachmentPath('Contacts', A.contactOf.rep1, A.attachment[2]!),
      A.token('rep1'),
    );
    const res = await adminCall('POST', '/reset');
    expect(res.json).toEqual({ restored: [A.org], removed: [extra.organization.id] });
    expect((await adminCall('GET', '/organizations')).json.organizations.map((o: Json) => o.id)).toEqual([
      A.org,
    ]);
    expect(await exportOf(A.org)).toEqual(before);
  });

  it('resets an organisation the admin API created to its state at creation', async () => {
    const org = (await adminCall('POST', '/organizations', { from: A.org })).json;
    const id = org.organization.id as string;
    const before = await exportOf(id);
    await call(
      t.url,
      'DELETE',
      attachmentPath('Contacts', A.contactOf.rep1, A.attachment[3]!),
      org.tokens[2].token,
    );
    await adminCall('POST', `/organizations/${id}/reset`);
    expect(await exportOf(id)).toEqual(before);
    await adminCall('DELETE', `/organizations/${id}`);
    expect((await adminCall('POST', `/organizations/${id}/reset`)).status).toBe(404);
  });
});

describe('export and import', () => {
  it('round-trips: export, delete, import, export again: equal; importing over it needs replace', async () => {
    const before = await exportOf(A.org);
    await adminCall('DELETE', `/organizations/${A.org}`);
    expect(await adminCall('POST', '/organizations/import', before)).toEqual({
      status: 201,
      json: { imported: A.org },
    });
    expect(await exportOf(A.org)).toEqual(before);
    expect((await adminCall('POST', '/organizations/import', before)).status).toBe(409);
    expect((await adminCall('POST', '/organizations/import?replace=true', before)).status).toBe(201);
    expect(await exportOf(A.org)).toEqual(before);
    expect(
      (
        await call(
          t.url,
          'DELETE',
          attachmentPath('Contacts', A.contactOf.rep1, A.attachment[4]!),
          A.token('rep1'),
        )
      ).status,
    ).toBe(200);
    await adminCall('POST', `/organizations/${A.org}/reset`);
  });

  it('imports into another server exactly', async () => {
    const other = await startTestServer({ settings: { ADMIN_KEY: KEY } });
    try {
      const snapshot = await exportOf(A.org);
      expect((await adminCall('POST', '/organizations/import', snapshot, other.url)).status).toBe(201);
      expect(await exportOf(A.org, other.url)).toEqual(snapshot);
    } finally {
      await other.close();
    }
  });

  it('refuses something that is not an export', async () => {
    const res = await adminCall('POST', '/organizations/import', { format: 'fixture' });
    expect(res.status).toBe(400);
  });
});

describe('users, tokens, clients, fixtures, purge', () => {
  it('creates a token with the chosen scope, expiry and data center', async () => {
    const res = await adminCall('POST', `/organizations/${A.org}/tokens`, {
      user: A.user.rep1,
      scope: 'ZohoBigin.modules.contacts.READ',
      expiresIn: 60,
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      user: A.user.rep1,
      dataCenter: 'us',
      expiresAt: new Date(t.clock.now() + 60_000).toISOString(),
    });
    expect((await listContacts(res.json.token)).status).toBe(200);
    const del = await call(
      t.url,
      'DELETE',
      attachmentPath('Contacts', A.contactOf.rep1, A.attachment[6]!),
      res.json.token,
    );
    expect(del.status).toBe(401);
    t.clock.advance(60_000);
    expect((await listContacts(res.json.token)).status).toBe(401);
    const eu = await adminCall('POST', `/organizations/${A.org}/tokens`, { dataCenter: 'eu' });
    expect(eu.json).toMatchObject({ user: A.user.admin, dataCenter: 'eu' });
    // Minted for EU, refused on the US port (Zoho tokens belong to their data center).
    expect((await listContacts(eu.json.token)).status).toBe(401);
    const withRefresh = await adminCall('POST', `/organizations/${A.org}/tokens`, {
      client: WEB_CLIENT.id,
      refresh: true,
    });
    expect(withRefresh.json.refreshToken).toMatch(/^1000\./);
    const refreshed = await refresh(t.url, withRefresh.json.refreshToken, {});
    expect(refreshed.json.access_token).toMatch(/^1000\./);
    expect((await listContacts(refreshed.json.access_token as string)).status).toBe(200);
    const unknownUser = await adminCall('POST', `/organizations/${A.org}/tokens`, { user: '1' });
    expect(unknownUser.status).toBe(400);
  });

  it('creates a user who can sign in, and an OAuth client whose secret is shown once', async () => {
    const user = await adminCall('POST', `/organizations/${A.org}/users`, {
      name: 'Signer',
      email: 'signer@example.test',
      profile: 'Standard',
      role: 'Sales',
      password: 'user-password-1234',
    });
    expect(user.status).toBe(201);
    expect(user.json).toMatchObject({ name: 'Signer', profile: 'Standard', role: 'Sales' });
    const candidates = await t.server.stores.metadata.oauth.signInCandidates('us', 'signer@example.test');
    expect(candidates.map((c) => c.userId)).toEqual([user.json.id]);
    const client = await adminCall('POST', '/clients', {
      name: 'My app',
      redirectUris: ['http://localhost/cb'],
    });
    expect(client.status).toBe(201);
    expect(client.json.id).toMatch(/^1000\.[0-9A-F]{30}$/);
    expect((await t.server.stores.metadata.oauth.findClient(client.json.id))?.name).toBe('My app');
    expect((await adminCall('POST', '/clients', { id: client.json.id })).status).toBe(409);
    expect(lines.join('\n')).not.toContain(client.json.secret);
    expect(answers.filter((a) => a.includes(client.json.secret))).toHaveLength(1);
  });

  it('loads a fixture, which reset then restores; refuses an invalid one with every problem', async () => {
    const B = orgIds(6262626, 'orgb');
    const res = await adminCall('POST', '/fixtures', { organizations: [orgFixture(B)] });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ organizations: [B.org], inserted: { organizations: 1 } });
    expect((await listContacts(B.token('admin'))).status).toBe(200);
    const before = await exportOf(B.org);
    await call(
      t.url,
      'DELETE',
      attachmentPath('Contacts', B.contactOf.rep1, B.attachment[0]!),
      B.token('rep1'),
    );
    await adminCall('POST', '/reset');
    expect(await exportOf(B.org)).toEqual(before);
    const bad = await adminCall('POST', '/fixtures', { organizations: [{ id: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('$.organizations.0.id')]),
    );
  });

  it('purges now', async () => {
    expect((await adminCall('POST', '/purge')).json).toMatchObject({ purged: true });
  });

  it('never puts the admin key in an answer or a log line, nor a token it handed out in a log line', () => {
    expect(answers.length).toBeGreaterThan(20);
    expect(answers.join('\n')).not.toContain(KEY);
    const log = lines.join('\n');
    expect(log).not.toContain(KEY);
    const tokens = answers.flatMap((a) =>
      [...a.matchAll(/1000\.[0-9a-f]{32}\.[0-9a-f]{32}/g)].map((m) => m[0]),
    );
    expect(tokens.length).toBeGreaterThan(3);
    for (const token of tokens) expect(log).not.toContain(token);
  });
});
