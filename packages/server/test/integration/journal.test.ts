import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin, journal } from '../support/admin.js';
import { call } from '../support/bigin.js';
import { attachmentPath, FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { clientsFixture, exchangeCode, refresh, WEB_CLIENT } from '../support/oauth.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';

const A = orgIds(4141414, 'jrnl');
const B = orgIds(4242424, 'jrnb');
const USERS_ONLY = '1000.jrnlscope0000000000000000000000.00000000000000000000000000000000';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    settings: { ADMIN_KEY },
    fixture: {
      clients: clientsFixture(),
      organizations: [
        orgFixture(A, {
          extraTokens: [
            { token: USERS_ONLY, user: A.user.admin, scope: 'ZohoBigin.users.ALL', expiresAt: FAR_FUTURE },
          ],
        }),
        orgFixture(B),
      ],
    },
  });
});
afterAll(() => t?.close());

const contact = A.contactOf.rep1;
const live = (n: number) => attachmentPath('Contacts', contact, A.attachment[n]!);

/** Each row of decision D4 that a request can reach, with a request that reaches it. */
const D4_ROWS: Array<[string, string, string, string | undefined]> = [
  ['D4.1 url-pattern', 'DELETE', `/bigin/v3/Contacts/${contact}/Attachments/1`, A.token('admin')],
  ['D4.2 request-method', 'PUT', live(0), A.token('admin')],
  ['D4.3 authorization-header', 'DELETE', live(0), undefined],
  ['D4.4 token', 'DELETE', live(0), '1000.nosuchtoken00000000000000000000.0000'],
  ['D4.5 module-unknown', 'DELETE', attachmentPath('Leads', contact, A.attachment[0]!), A.token('admin')],
  [
    'D4.6 module-not-supported',
    'DELETE',
    attachmentPath('Documents', contact, A.attachment[0]!),
    A.token('admin'),
  ],
  ['D4.7 scope', 'DELETE', live(0), USERS_ONLY],
  ['D4.8 module-access', 'DELETE', live(0), A.token('noTab')],
  ['D4.9 files-permission', 'DELETE', live(0), A.token('standard')],
  [
    'D4.10 record',
    'DELETE',
    attachmentPath('Contacts', '4141414999999999999', A.attachment[0]!),
    A.token('admin'),
  ],
  ['D4.11 record-access', 'DELETE', live(0), A.token('rep2')],
  [
    'D4.12 attachment',
    'DELETE',
    attachmentPath('Contacts', contact, '4141414888888888888'),
    A.token('admin'),
  ],
];

describe('the journal names the rule that decided each answer', () => {
  it.each(D4_ROWS)('%s', async (rule, method, path, token) => {
    const res = await call(t.url, method, path, token);
    expect(res.status).toBeGreaterThanOrEqual(400);
    const [entry] = (await journal(t.url, `?limit=1`)).entries;
    expect(entry).toMatchObject({
      method,
      path,
      status: res.status,
      code: (res.json as { code: string }).code,
      dataCenter: 'us',
      fault: null,
    });
    expect(entry!.rule?.startsWith(rule)).toBe(true);
  });

  it('records a success with its organisation, user, latency and bodies', async () => {
    const res = await call(t.url, 'DELETE', live(1), A.token('rep1'));
    expect(res.status).toBe(200);
    const [entry] = (await journal(t.url, '?limit=1')).entries;
    expect(entry).toMatchObject({
      orgId: A.org,
      userId: A.user.rep1,
      status: 200,
      code: null,
      rule: 'success',
      requestBody: null,
      responseBody: res.text,
    });
    expect(entry!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(entry!.at).toBe(new Date(TEST_EPOCH).toISOString());
  });
});

describe('secrets', () => {
  it('never keeps a token, client secret, code or refresh token', async () => {
    const code = '1000.deadbeefdeadbeefdeadbeefdeadbeef.cafecafecafecafecafecafecafecafe';
    const refreshToken = '1000.feedfacefeedfacefeedfacefeedface.0123456789abcdef0123456789abcdef';
    await exchangeCode(t.url, code);
    await refresh(t.url, refreshToken);
    await fetch(
      `${t.url}/oauth/v2/token?grant_type=refresh_token&client_id=${WEB_CLIENT.id}&client_secret=${WEB_CLIENT.secret}&refresh_token=${refreshToken}`,
      {
        method: 'POST',
      },
    );
    // A token inside a JSON body (a note's content) is redacted too.
    await call(t.url, 'POST', `/bigin/v2/Contacts/${contact}/Notes`, A.token('admin'), {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        data: [{ Note_Content: `token ${A.token('manager')}`, access_token: 'abc-secret-1' }],
      }),
    });
    const all = JSON.stringify(await journal(t.url, '?limit=1000'));
    for (const secret of [
      code,
      refreshToken,
      WEB_CLIENT.secret,
      A.token('admin'),
      A.token('manager'),
      A.token('rep1'),
      USERS_ONLY,
      'abc-secret-1',
      ADMIN_KEY,
    ])
      expect(all).not.toContain(secret);
    // The body arrived with the headers: it is captured (and redacted) all the same.
    const [note] = (await journal(t.url, '?path=/bigin/v2/Contacts&limit=1')).entries;
    expect(note!.requestBody).toBe(
      '{"data":[{"Note_Content":"token [redacted]","access_token":"[redacted]"}]}',
    );
    const [token] = (await journal(t.url, '?path=/oauth/v2/token&limit=1')).entries;
    expect(token).toMatchObject({ clientId: WEB_CLIENT.id, code: 'invalid_code' });
    expect(token!.query).toContain('client_secret=[redacted]');
  });
});

describe('queries', () => {
  it('filters by organisation, path, status class, code and time, newest first, paged', async () => {
    await call(t.url, 'GET', `/bigin/v2/Contacts/${B.contactOf.rep1}/Attachments`, B.token('admin'));
    await call(
      t.url,
      'DELETE',
      attachmentPath('Contacts', B.contactOf.rep1, '4242424888888888888'),
      B.token('admin'),
    );
    const byOrg = await journal(t.url, `?org=${B.org}`);
    expect(byOrg.entries.map((e) => [e.method, e.status])).toEqual([
      ['DELETE', 400],
      ['GET', 200],
    ]);
    const errors = await journal(t.url, `?org=${B.org}&status=4xx&code=INVALID_DATA`);
    expect(errors.entries).toHaveLength(1);
    expect(
      (await journal(t.url, `?org=${B.org}&path=/bigin/v2/Contacts/*/Attachments`)).entries,
    ).toHaveLength(1);
    expect((await journal(t.url, `?org=${B.org}&status=404`)).entries).toHaveLength(0);
    t.clock.advance(1000);
    await call(t.url, 'GET', `/bigin/v2/Contacts/${B.contactOf.rep1}/Attachments`, B.token('admin'));
    const later = await journal(t.url, `?org=${B.org}&from=${new Date(TEST_EPOCH + 1000).toISOString()}`);
    expect(later.entries).toHaveLength(1);
    const first = await journal(t.url, `?org=${B.org}&limit=2`);
    expect(first.entries).toHaveLength(2);
    expect(first.next).not.toBeNull();
    const second = await journal(t.url, `?org=${B.org}&limit=2&before=${first.next}`);
    expect(second.entries).toHaveLength(1);
    expect(second.next).toBeNull();
    expect([...first.entries, ...second.entries].map((e) => e.seq)).toEqual(
      [...first.entries, ...second.entries].map((e) => e.seq).sort((a, b) => b - a),
    );
  });

  it('refuses a malformed filter with the admin envelope', async () => {
    const res = await admin(t.url, 'GET', '/journal?status=4x');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'ADMIN_INVALID_REQUEST' } });
  });

  it('does not journal its own admin calls, probes, metrics, OpenAPI, docs page or console', async () => {
    for (const path of ['/health', '/ready', '/metrics', '/openapi.json', '/', '/_console', '/_console/x.js'])
      await fetch(`${t.url}${path}`);
    const paths = (await journal(t.url, '?limit=1000')).entries.map((e: { path: string }) => e.path);
    for (const own of ['/_admin', '/health', '/ready', '/metrics', '/openapi.json', '/_console'])
      expect(paths.filter((p: string) => p === own || p.startsWith(`${own}/`))).toEqual([]);
    expect(paths).not.toContain('/');
  });
});

describe('live stream', () => {
  it('streams each finished request that matches the filter as a server-sent event', async () => {
    const controller = new AbortController();
    const res = await fetch(`${t.url}/_admin/journal/stream?status=4xx`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toBe(': journal\n\n');
    await call(t.url, 'GET', `/bigin/v2/Contacts/${contact}/Attachments`, A.token('admin'));
    await call(t.url, 'DELETE', live(0), undefined);
    while (!text.includes('\n\nid:') && !text.endsWith('}\n\n'))
      text += decoder.decode((await reader.read()).value);
    controller.abort();
    const events = text.split('\n\n').filter((e) => e.startsWith('id:'));
    expect(events).toHaveLength(1);
    const data = JSON.parse(
      events[0]!
        .split('\n')
        .find((l) => l.startsWith('data: '))!
        .slice(6),
    );
    expect(data).toMatchObject({ status: 401, code: 'AUTHENTICATION_FAILURE', path: live(0) });
  });
});

describe('retention', () => {
  it('keeps at most JOURNAL_MAX_ENTRIES under concurrent load, and nothing older than the age limit', async () => {
    const small = await startTestServer({
      settings: {
        ADMIN_KEY,
        JOURNAL_MAX_ENTRIES: '50',
        JOURNAL_MAX_AGE_SECONDS: '60',
        JOURNAL_BODY_BYTES: '16',
      },
      fixture: { organizations: [orgFixture(A)] },
    });
    try {
      const path = `/bigin/v2/Contacts/${contact}/Attachments`;
      for (let round = 0; round < 4; round++)
        await Promise.all(Array.from({ length: 30 }, () => call(small.url, 'GET', path, A.token('admin'))));
      const page = await journal(small.url, '?limit=1000');
      expect(page.entries).toHaveLength(50);
      expect(page.entries[0]!.seq).toBe(120);
      expect(page.entries[49]!.seq).toBe(71);
      // Bodies are cut to the configured size.
      expect(page.entries[0]!.responseBody!.length).toBeLessThanOrEqual(16 + '…[truncated]'.length);
      small.clock.advance(60_000);
      expect((await journal(small.url)).entries).toHaveLength(50);
      small.clock.advance(1);
      expect((await journal(small.url)).entries).toHaveLength(0);
    } finally {
      await small.close();
    }
  });

  it('is off with JOURNAL=false', async () => {
    const off = await startTestServer({ settings: { ADMIN_KEY, JOURNAL: 'false' } });
    try {
      const res = await admin(off.url, 'GET', '/journal');
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ error: { code: 'ADMIN_NOT_FOUND' } });
    } finally {
      await off.close();
    }
  });
});
