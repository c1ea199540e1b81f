import { connect } from 'node:net';
import { FAILURES, type FailureName } from '@bigin-attachments/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src/domain/parity/endpoint-answers.js';
import { ADMIN_KEY, admin, journal } from '../support/admin.js';
import { call, JSON_TYPE } from '../support/bigin.js';
import { attachmentPath, FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { filePart, upload } from '../support/uploads.js';

const A = orgIds(5151515, 'flta');
const B = orgIds(5252525, 'fltb');
const USERS_ONLY = '1000.fltscope00000000000000000000000.00000000000000000000000000000000';
const contact = A.contactOf.rep1;
const live = (n: number) => attachmentPath('Contacts', contact, A.attachment[n]!);
const listPath = `/bigin/v2/Contacts/${contact}/Attachments`;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    settings: { ADMIN_KEY, FAULT_HEADER: 'true' },
    fixture: {
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

const addRule = async (rule: unknown) => {
  const res = await admin<{ id: string }>(t.url, 'POST', '/faults', rule);
  expect(res.status).toBe(201);
  return res.json.id;
};
const clearRules = () => admin(t.url, 'DELETE', '/faults');

/** Details the natural refusal carries for failures whose details do not depend on the request. */
const DETAILS: Partial<Record<FailureName, Record<string, unknown>>> = {
  INVALID_MODULE: { resource_path_index: 0 },
  MODULE_NOT_SUPPORTED: { resource_path_index: 0 },
  INVALID_RELATED_ID: { resource_path_index: 1 },
  REQUIRED_PARAM_MISSING: { param_name: 'ids' },
  BODY_MANDATORY_NOT_FOUND: { api_name: 'data', json_path: '$.data' },
  DISCRETE_PAGINATION_LIMIT_EXCEEDED: { limit: 2000 },
};

/** The documented body of a failure, byte for byte as the error renderer writes it. */
const tableBody = (f: FailureName) =>
  JSON.stringify({
    code: FAILURES[f].code,
    details: DETAILS[f] ?? {},
    message: FAILURES[f].message,
    status: 'error',
  });

/** A concrete request path for an endpoint of the parity table. */
function concrete(path: string): string {
  return path
    .replace('{module}', 'Contacts')
    .replace('{record_id}', contact)
    .replace('{attachment_id}', A.attachment[19]!)
    .replace('{related_list}', 'Deals')
    .replace('{user_id}', A.user.rep1)
    .replace('{module_api_name}', 'Contacts')
    .replace(/\{(profile|role|field|layout)_id\}/, '1');
}

/**
 * Headers that differ between any two answers (time, request id, elapsed time) or belong to the
 * connection; `x-accesstoken-reset` is only known once the token has been read, which a fault
 * forced at the request stage comes before.
 */
const VOLATILE = new Set([
  'date',
  'x-request-id',
  'connection',
  'keep-alive',
  'server-timing',
  'x-accesstoken-reset',
]);
const stable = (h: Headers) =>
  Object.fromEntries(
    [...h.entries()].filter(([name]) => !VOLATILE.has(name)).sort(([a], [b]) => a.localeCompare(b)),
  );

describe('every documented error of every endpoint can be forced', () => {
  // The loop is over the parity table, the same table the server consults: an endpoint or a
  // failure added there is forced here without a new test.
  const cases = ENDPOINTS.flatMap((e) => e.failures.map((f) => [e.method, e.path, f] as const));

  it.each(cases)('%s %s → %s (X-Bigin-Fault)', async (method, path, failure) => {
    const res = await call(t.url, method, concrete(path), A.token('admin'), {
      headers: { 'X-Bigin-Fault': failure },
    });
    expect({ status: res.status, body: res.text, type: res.contentType }).toEqual({
      status: FAILURES[failure].status,
      body: tableBody(failure),
      type: JSON_TYPE,
    });
  });

  it('refuses, as a rule, a code the error table does not have', async () => {
    const res = await admin(t.url, 'POST', '/faults', { answer: { kind: 'error', code: 'NOT_A_CODE' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'ADMIN_INVALID_REQUEST' } });
  });

  it('ignores a code the endpoint does not document', async () => {
    const res = await call(t.url, 'GET', listPath, A.token('admin'), {
      headers: { 'X-Bigin-Fault': 'FILE_SIZE_MORE_THAN_ALLOWED_SIZE' },
    });
    expect(res.status).toBe(200);
  });
});

/**
 * Failures this test can produce naturally: the natural request, and the request (on the same
 * endpoint, with a good token) on which the same failure is forced by a rule.
 */
const NATURAL: Array<{
  failure: FailureName;
  natural: [method: string, path: string, token: string | undefined, body?: string, type?: string];
  forced?: [method: string, path: string];
}> = [
  {
    failure: 'INVALID_URL_PATTERN',
    natural: ['GET', `/bigin/v2/Contacts/${contact}/Nonsense`, A.token('admin')],
  },
  {
    failure: 'INVALID_REQUEST_METHOD',
    natural: ['PUT', live(0), A.token('admin')],
    forced: ['DELETE', live(0)],
  },
  { failure: 'AUTHENTICATION_FAILURE', natural: ['DELETE', live(0), undefined] },
  { failure: 'INVALID_TOKEN', natural: ['DELETE', live(0), '1000.nosuch.token'] },
  {
    failure: 'INVALID_MODULE',
    natural: ['DELETE', attachmentPath('Leads', contact, A.attachment[0]!), A.token('admin')],
    forced: ['DELETE', live(0)],
  },
  {
    failure: 'MODULE_NOT_SUPPORTED',
    natural: ['DELETE', attachmentPath('Documents', contact, A.attachment[0]!), A.token('admin')],
    forced: ['DELETE', live(0)],
  },
  { failure: 'OAUTH_SCOPE_MISMATCH', natural: ['DELETE', live(0), USERS_ONLY] },
  { failure: 'NO_PERMISSION', natural: ['DELETE', live(0), A.token('standard')] },
  { failure: 'AUTHORIZATION_FAILED_DELETE_ATTACHMENT', natural: ['DELETE', live(0), A.token('rep2')] },
  { failure: 'AUTHORIZATION_FAILED_VIEW_ATTACHMENT', natural: ['GET', listPath, A.token('rep2')] },
  {
    failure: 'INVALID_RELATED_ID',
    natural: [
      'DELETE',
      attachmentPath('Contacts', '5151515999999999999', A.attachment[0]!),
      A.token('admin'),
    ],
    forced: ['DELETE', live(0)],
  },
  { failure: 'MANDATORY_NOT_FOUND', natural: ['POST', listPath, A.token('admin'), '{}', 'application/json'] },
  {
    failure: 'INVALID_JSON_BODY',
    natural: ['POST', '/bigin/v2/Contacts', A.token('admin'), 'nope', 'application/json'],
  },
  {
    failure: 'BODY_MANDATORY_NOT_FOUND',
    natural: ['POST', '/bigin/v2/Contacts', A.token('admin'), '{}', 'application/json'],
  },
  { failure: 'REQUIRED_PARAM_MISSING', natural: ['DELETE', '/bigin/v2/Contacts', A.token('admin')] },
  {
    failure: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
    natural: ['GET', '/bigin/v2/Contacts?page=11&per_page=200', A.token('admin')],
    forced: ['GET', '/bigin/v2/Contacts'],
  },
];

describe('a forced error is the natural one: status, body and headers', () => {
  afterAll(clearRules);

  it.each(NATURAL.map((n) => [n.failure, n] as const))('%s', async (failure, n) => {
    const [method, path, token, body, type] = n.natural;
    const natural = await call(t.url, method, path, token, {
      ...(body === undefined ? {} : { body, headers: { 'content-type': type! } }),
    });
    expect(natural.status).toBe(FAILURES[failure].status);
    const [fMethod, fPath] = n.forced ?? [method, path];
    const q = fPath.indexOf('?');
    await addRule({
      match: { method: fMethod, path: q < 0 ? fPath : fPath.slice(0, q) },
      answer: { kind: 'error', code: failure },
    });
    const forced = await call(t.url, fMethod, fPath, A.token('admin'));
    expect({ status: forced.status, body: forced.text, headers: stable(forced.headers) }).toEqual({
      status: natural.status,
      body: natural.text,
      headers: stable(natural.headers),
    });
    const [entry] = (await journal(t.url, '?limit=1')).entries;
    expect(entry).toMatchObject({ status: natural.status, code: FAILURES[failure].code });
    expect(entry!.fault).toMatch(/^f\d+ error /);
    expect(entry!.rule).toMatch(/^fault f\d+ error /);
    // The rule answered once (times defaults to 1): the same call now runs for real.
    const after = await call(t.url, 'GET', listPath, A.token('admin'));
    expect(after.status).toBe(200);
  });
});

describe('rules', () => {
  afterAll(clearRules);

  it('makes the next upload fail with 500, and only the next; the journal says why', async () => {
    const id = await addRule({
      match: { method: 'POST', path: '/bigin/v2/Contacts/*/Attachments' },
      answer: { kind: 'error', code: 'INTERNAL_ERROR' },
    });
    const first = await upload(t.url, listPath, A.token('admin'), [filePart('a.txt')]);
    expect(first.status).toBe(500);
    expect(first.text).toBe(tableBody('INTERNAL_ERROR'));
    const second = await upload(t.url, listPath, A.token('admin'), [filePart('b.txt')]);
    expect(second.status).toBe(200);
    const entries = (await journal(t.url, '?limit=2&method=POST')).entries;
    expect(entries.map((e) => [e.status, e.fault, e.rule])).toEqual([
      [200, null, 'success'],
      [500, `${id} error INTERNAL_ERROR`, `fault ${id} error INTERNAL_ERROR`],
    ]);
  });

  it('answers the next N after skipping K, then lets calls through; lists what it did', async () => {
    const id = await addRule({
      match: { method: 'GET', path: listPath },
      answer: { kind: 'error', code: 'INTERNAL_ERROR' },
      skip: 1,
      times: 2,
    });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(t.url, 'GET', listPath, A.token('admin'))).status);
    expect(statuses).toEqual([200, 500, 500, 200, 200]);
    const { json } = await admin<{ rules: Array<Record<string, unknown>> }>(t.url, 'GET', '/faults');
    expect(json.rules.find((r) => r.id === id)).toMatchObject({ seen: 5, fired: 2, remaining: 0 });
    expect((await admin(t.url, 'DELETE', `/faults/${id}`)).status).toBe(200);
    expect((await admin(t.url, 'DELETE', `/faults/${id}`)).status).toBe(404);
  });

  it('fires with a seeded probability, the same calls on every run', async () => {
    const pattern = async () => {
      const id = await addRule({
        match: { path: listPath },
        answer: { kind: 'proxy', status: 503 },
        times: null,
        probability: 0.5,
        seed: 42,
      });
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await call(t.url, 'GET', listPath, A.token('admin'))).status);
      await admin(t.url, 'DELETE', `/faults/${id}`);
      return out;
    };
    const first = await pattern();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await pattern()).toEqual(first);
  });

  it('matches on organisation, token, module and data center', async () => {
    await addRule({
      match: { orgId: B.org },
      answer: { kind: 'error', code: 'INTERNAL_ERROR' },
      times: null,
    });
    await addRule({ match: { token: A.token('rep1') }, answer: { kind: 'proxy', status: 502 }, times: null });
    await addRule({ match: { module: 'Pipelines' }, answer: { kind: 'proxy', status: 504 }, times: null });
    await addRule({ match: { dataCenter: 'eu' }, answer: { kind: 'proxy', status: 503 }, times: null });
    const bList = `/bigin/v2/Contacts/${B.contactOf.rep1}/Attachments`;
    expect((await call(t.url, 'GET', bList, B.token('admin'))).status).toBe(500);
    expect((await call(t.url, 'GET', listPath, A.token('rep1'))).status).toBe(502);
    expect((await call(t.url, 'GET', listPath, A.token('admin'))).status).toBe(200);
    expect(
      (await call(t.url, 'GET', `/bigin/v2/Pipelines/${A.recordIn.Pipelines}/Attachments`, A.token('admin')))
        .status,
    ).toBe(504);
    // fetch will not send another Host; the EU API host name reaches the EU data center.
    const eu = await rawRequest(t.url, `GET ${listPath} HTTP/1.1\r\nHost: www.zohoapis.eu\r\n\r\n`);
    expect(eu.status).toBe(503);
    await clearRules();
  });
});

/** Sends one raw request and collects what arrives until the server closes or resets. */
function rawExchange(path: string, headers: string): Promise<{ bytes: string; error: string | null }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let error: string | null = null;
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => resolve({ bytes: Buffer.concat(chunks).toString('utf8'), error }));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`);
  });
}

describe('transport faults', () => {
  const token = `Authorization: Zoho-oauthtoken ${A.token('admin')}\r\n`;

  it('resets the connection before any byte of the answer', async () => {
    const res = await rawExchange(listPath, `${token}X-Bigin-Fault: reset\r\n`);
    expect(res).toEqual({ bytes: '', error: 'ECONNRESET' });
    const [entry] = (await journal(t.url, '?limit=1')).entries;
    expect(entry).toMatchObject({ status: 0, fault: 'header reset' });
  });

  it('cuts a JSON answer short mid-body, after the real headers and Content-Length', async () => {
    const whole = await call(t.url, 'GET', listPath, A.token('admin'));
    const res = await rawExchange(listPath, `${token}X-Bigin-Fault: truncate=10\r\n`);
    const [head, body] = res.bytes.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1.1 200 /);
    expect(head).toContain(`content-length: ${Buffer.byteLength(whole.text)}`);
    expect(body).toBe(whole.text.slice(0, 10));
  });

  it('cuts a download short mid-body', async () => {
    const path = live(5);
    const whole = await call(t.url, 'GET', path, A.token('admin'));
    const res = await rawExchange(path, `${token}X-Bigin-Fault: truncate\r\n`);
    const [head, body] = res.bytes.split('\r\n\r\n');
    expect(head).toContain(`content-length: ${whole.text.length}`);
    expect(body).toBe(whole.text.slice(0, Math.floor(whole.text.length / 2)));
  });

  it('answers a 5xx page from a proxy in front, not in Bigin’s envelope', async () => {
    const res = await call(t.url, 'GET', listPath, A.token('admin'), {
      headers: { 'X-Bigin-Fault': 'proxy=502' },
    });
    expect(res.status).toBe(502);
    expect(res.contentType).toBe('text/html');
    expect(res.headers.get('server')).toBe('nginx');
    expect(res.text).toContain('<title>502 Bad Gateway</title>');
  });

  it('delays an answer, then answers normally', async () => {
    const started = performance.now();
    const res = await call(t.url, 'GET', listPath, A.token('admin'), {
      headers: { 'X-Bigin-Fault': 'delay=150' },
    });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });
});

describe('X-Bigin-Fault is off by default', () => {
  it('is ignored unless FAULT_HEADER is on', async () => {
    const plain = await startTestServer({
      settings: { ADMIN_KEY },
      fixture: { organizations: [orgFixture(A)] },
    });
    try {
      const res = await call(plain.url, 'GET', listPath, A.token('admin'), {
        headers: { 'X-Bigin-Fault': 'INTERNAL_ERROR' },
      });
      expect(res.status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});
