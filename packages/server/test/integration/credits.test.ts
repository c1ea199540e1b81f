import { request as httpRequest } from 'node:http';
import { PassThrough } from 'node:stream';
import { FAILURES } from '@bigin-attachments/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin, journal } from '../support/admin.js';
import { auth, call, JSON_TYPE } from '../support/bigin.js';
import { orgFixture, orgIds } from '../support/fixtures.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';
import { BOUNDARY, MULTIPART_TYPE } from '../support/uploads.js';

const A = orgIds(6161616, 'crda');
const B = orgIds(6262626, 'crdb');
const DAY = 24 * 3_600_000;
const HOUR = 3_600_000;
const listPath = (ids: typeof A) => `/bigin/v2/Contacts/${ids.contactOf.rep1}/Attachments`;
const TOO_MANY = JSON.stringify({
  code: 'TOO_MANY_REQUESTS',
  details: {},
  message: FAILURES.TOO_MANY_REQUESTS.message,
  status: 'error',
});

interface Usage {
  enabled: boolean;
  allowance: number;
  used: number;
  remaining: number;
  calls: number;
  nextRelease: string | null;
  inFlight: number;
  limits: { concurrency: number };
}
const usage = async (t: TestServer, org: string) =>
  (await admin<Usage>(t.url, 'GET', `/credits/${org}`)).json;

/** `n` calls, `width` at a time; the statuses in order. */
async function calls(
  t: TestServer,
  n: number,
  width: number,
  token: string,
  path: string,
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i += width) {
    const batch = Array.from({ length: Math.min(width, n - i) }, () =>
      fetch(t.url + path, { headers: auth(token) }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    );
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

describe('a Free organisation, API_LIMITS=on', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      settings: { ADMIN_KEY, API_LIMITS: 'on', FAULT_HEADER: 'true' },
      fixture: { organizations: [orgFixture(A), orgFixture(B)] },
    });
    // Free's allowance, with room for 20 calls at once so that the count goes quickly.
    await admin(t.url, 'PUT', `/credits/${A.org}`, { edition: 'free', concurrency: 20 });
  });
  afterAll(() => t?.close());

  it('answers the 5,001st call with Bigin’s 429, exactly as the table renders it, with no rate-limit headers', async () => {
    // 5,000 calls over HTTP take longer than a test may on a shared machine: 300 real ones show
    // that each costs 1, 4,690 more are recorded through the ledger port (as earlier calls would
    // be), and the last 10 of the allowance are real calls again.
    expect((await calls(t, 300, 20, A.token('admin'), listPath(A))).every((s) => s === 200)).toBe(true);
    expect(await usage(t, A.org)).toMatchObject({ used: 300, calls: 300 });
    await t.server.stores.metadata.apiCredits.charge(A.org, TEST_EPOCH, 4690, TEST_EPOCH - DAY, 5000);
    expect((await calls(t, 10, 10, A.token('admin'), listPath(A))).every((s) => s === 200)).toBe(true);
    expect(await usage(t, A.org)).toMatchObject({ enabled: true, allowance: 5000, used: 5000, remaining: 0 });
    const refused = await call(t.url, 'GET', listPath(A), A.token('admin'));
    expect({ status: refused.status, body: refused.text, type: refused.contentType }).toEqual({
      status: 429,
      body: TOO_MANY,
      type: JSON_TYPE,
    });
    const names = [...refused.headers.keys()];
    expect(names.filter((n) => /rate|retry|limit/i.test(n))).toEqual([]);
    // The forced 429 is the same answer, header for header, but for `x-accesstoken-reset` (D22):
    // the header forces it before the token is read, and only a read token has an expiry to show.
    const forced = await call(t.url, 'GET', listPath(B), B.token('admin'), {
      headers: { 'X-Bigin-Fault': 'TOO_MANY_REQUESTS' },
    });
    expect(names).toContain('x-accesstoken-reset');
    expect({ status: forced.status, body: forced.text, names: [...forced.headers.keys()].sort() }).toEqual({
      status: 429,
      body: TOO_MANY,
      names: names.filter((n) => n !== 'x-accesstoken-reset').sort(),
    });
    const [entry] = (await journal(t.url, `?org=${A.org}&limit=1`)).entries;
    expect(entry).toMatchObject({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      rule: 'D9 api-limits: credits 5000/5000 in 24 h',
    });
    // Another organisation has its own window.
    expect((await call(t.url, 'GET', listPath(B), B.token('admin'))).status).toBe(200);
  });

  it('frees the credits exactly 24 hours after the calls that used them', async () => {
    t.clock.set(TEST_EPOCH + DAY - 1);
    expect((await call(t.url, 'GET', listPath(A), A.token('admin'))).status).toBe(429);
    t.clock.set(TEST_EPOCH + DAY);
    expect((await call(t.url, 'GET', listPath(A), A.token('admin'))).status).toBe(200);
    expect(await usage(t, A.org)).toMatchObject({ used: 1, remaining: 4999 });
  });
});

describe('the rolling window, call by call, on the virtual clock', () => {
  it('each call counts until 24 hours after it, and the dashboard says when the next frees up', async () => {
    const t = await startTestServer({ settings: { ADMIN_KEY }, fixture: { organizations: [orgFixture(A)] } });
    try {
      // Off by default: nothing is counted until the organisation is turned on.
      await call(t.url, 'GET', listPath(A), A.token('admin'));
      expect(await usage(t, A.org)).toMatchObject({ enabled: false, used: 0 });
      await admin(t.url, 'PUT', `/credits/${A.org}`, { edition: 'paid', licences: 10 });
      expect(await usage(t, A.org)).toMatchObject({ enabled: true, allowance: 52_500, used: 0 });
      await call(t.url, 'GET', listPath(A), A.token('admin'));
      t.clock.advance(HOUR);
      await call(t.url, 'GET', `/bigin/v2/Contacts?cvid=1`, A.token('admin'));
      expect(await usage(t, A.org)).toMatchObject({
        used: 4,
        calls: 2,
        nextRelease: new Date(TEST_EPOCH + DAY).toISOString(),
      });
      t.clock.set(TEST_EPOCH + DAY - 1);
      expect((await usage(t, A.org)).used).toBe(4);
      t.clock.set(TEST_EPOCH + DAY);
      expect((await usage(t, A.org)).used).toBe(3);
      t.clock.set(TEST_EPOCH + HOUR + DAY);
      expect(await usage(t, A.org)).toMatchObject({ used: 0, nextRelease: null });
      // Inserts cost 1 per 10 records.
      const data = Array.from({ length: 25 }, (_, i) => ({ Last_Name: `Credit ${i}` }));
      const insert = await call(t.url, 'POST', '/bigin/v2/Contacts', A.token('admin'), {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data }),
      });
      expect(insert.status).toBe(202);
      expect((await usage(t, A.org)).used).toBe(3);
      // The same on v1 (docs/v1.md): a `cvid` list costs 3, an insert of 25 records 3.
      await call(t.url, 'GET', `/bigin/v1/Contacts?cvid=1`, A.token('admin'));
      const v1Insert = await call(t.url, 'POST', '/bigin/v1/Contacts', A.token('admin'), {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: data.map((r) => ({ Last_Name: `${r.Last_Name} v1` })) }),
      });
      expect(v1Insert.status).toBe(202);
      expect((await usage(t, A.org)).used).toBe(9);
      // Turned off again, the organisation is no longer counted.
      await admin(t.url, 'PUT', `/credits/${A.org}`, { enabled: false });
      await call(t.url, 'GET', listPath(A), A.token('admin'));
      expect((await usage(t, A.org)).used).toBe(9);
      await admin(t.url, 'DELETE', `/credits/${A.org}/usage`);
      expect((await usage(t, A.org)).used).toBe(0);
    } finally {
      await t.close();
    }
  });
});

/** An upload whose body is held open until `finish` is called: a slow call. */
function slowUpload(t: TestServer, token: string, path: string) {
  const body = new PassThrough();
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(
      new URL(path, t.url),
      { method: 'POST', headers: { ...auth(token), 'content-type': MULTIPART_TYPE } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    body.pipe(req);
  });
  body.write(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\nContent-Type: text/plain\r\n\r\nslow `,
  );
  return {
    answer,
    finish: () => body.end(`bytes\r\n--${BOUNDARY}--\r\n`),
  };
}

describe('concurrency', () => {
  it('with a cap of N, N+1 slow concurrent calls: exactly one refused', async () => {
    const t = await startTestServer({ settings: { ADMIN_KEY }, fixture: { organizations: [orgFixture(A)] } });
    try {
      const N = 3;
      await admin(t.url, 'PUT', `/credits/${A.org}`, { edition: 'free', concurrency: N });
      const slow = Array.from({ length: N }, () => slowUpload(t, A.token('admin'), listPath(A)));
      // Wait until the server holds all N (each has passed the gate and is reading its body).
      while ((await usage(t, A.org)).inFlight < N) await new Promise((r) => setImmediate(r));
      const extra = slowUpload(t, A.token('admin'), listPath(A));
      // The server reads (and drops) the rest of a refused body before answering, so send it.
      extra.finish();
      const refused = await extra.answer;
      expect({ status: refused.status, body: refused.text }).toEqual({ status: 429, body: TOO_MANY });
      for (const s of slow) s.finish();
      const statuses = (await Promise.all(slow.map((s) => s.answer))).map((a) => a.status);
      expect(statuses).toEqual(Array(N).fill(200));
      expect(await usage(t, A.org)).toMatchObject({ inFlight: 0, used: N });
      const [entry] = (await journal(t.url, '?status=429')).entries;
      expect(entry!.rule).toBe(`D9 api-limits: concurrency ${N} reached`);
      // Freed: the next call goes through.
      expect((await call(t.url, 'GET', listPath(A), A.token('admin'))).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
