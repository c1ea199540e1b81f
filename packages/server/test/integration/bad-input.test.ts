import { mkdir, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorEnvelope } from '../support/bigin.js';
import { orgFixture, orgIds } from '../support/fixtures.js';
import { expectJson, recordsPath, sendJsonBody } from '../support/records.js';
import { startTestServer, TEST_BACKEND, type TestServer } from '../support/test-server.js';

// Issue 14 F5/F6: field values hold scalars; JSON bodies have a nesting limit; page tokens are
// signed with the installation's key and their numbers bounded.

const A = orgIds(6161616, 'bi1a');
const fixture = { organizations: [orgFixture(A)] };
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ fixture });
});
afterAll(() => t?.close());

const token = A.token('admin');
const invalidToken = errorEnvelope('INVALID_DATA', 'invalid data', { param_name: 'page_token' });
type Page = { info: { next_page_token: string | null } };

describe('field values', () => {
  it.each([
    ['an object', { a: 1 }],
    ['an array', ['x']],
    [
      'an object nested 1,000 levels deep, within the body limit',
      JSON.parse(`${'['.repeat(15)}1${']'.repeat(15)}`),
    ],
  ])('refuses %s in a text field with INVALID_DATA expected_data_type text', async (_n, value) => {
    const res = await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), token, {
      data: [{ Last_Name: 'x', Description: value }],
    });
    expectJson(res, 400, {
      data: [
        {
          code: 'INVALID_DATA',
          details: {
            api_name: 'Description',
            json_path: '$.data[0].Description',
            expected_data_type: 'text',
          },
          message: 'invalid data',
          status: 'error',
        },
      ],
    });
  });

  it('still takes scalars and lookups', async () => {
    const res = await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), token, {
      data: [{ Last_Name: 'x', Description: 'text', Some_Number: 3, Some_Flag: true }],
    });
    expect(res.status).toBe(201);
  });
});

describe('JSON nesting', () => {
  it.each([21, 1000, 20000])(
    'refuses a body nested %i levels deep with REQUEST_BODY_TOO_DEEP',
    async (depth) => {
      const body = `{"data":[{"Last_Name":${'['.repeat(depth)}${']'.repeat(depth)}}]}`;
      const res = await call(t.url, 'POST', recordsPath('Contacts'), token, {
        headers: { 'content-type': 'application/json' },
        body,
      });
      expectJson(
        res,
        400,
        errorEnvelope('INVALID_DATA', 'the request body is nested too deeply', { maximum_depth: 20 }),
      );
    },
  );

  it('ignores brackets inside strings', async () => {
    const res = await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), token, {
      data: [{ Last_Name: '['.repeat(60) }],
    });
    expect(res.status).toBe(201);
  });
});

describe('page tokens', () => {
  const firstToken = async () => {
    for (let i = 0; i < 3; i++)
      await sendJsonBody(t.url, 'POST', recordsPath('Accounts'), token, {
        data: [{ Account_Name: `pt ${i}` }],
      });
    const page = (await call(t.url, 'GET', '/bigin/v2/Accounts?per_page=1', token)).json as Page;
    return page.info.next_page_token!;
  };
  const rewrite = (tok: string, change: (v: unknown[]) => void) => {
    const [payload, signature] = tok.split('.') as [string, string];
    const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
    change(v);
    return `${Buffer.from(JSON.stringify(v)).toString('base64url')}.${signature}`;
  };

  it('follows a token as issued', async () => {
    const tok = await firstToken();
    expect(tok).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect((await call(t.url, 'GET', `/bigin/v2/Accounts?page_token=${tok}`, token)).status).toBe(200);
  });

  it.each([
    ['per_page 1,000,000', (v: unknown[]) => (v[4] = 1_000_000)],
    ['per_page 0', (v: unknown[]) => (v[4] = 0)],
    ['per_page 1e300', (v: unknown[]) => (v[4] = 1e300)],
    ['page -5', (v: unknown[]) => (v[5] = -5)],
    ['an expiry a year away', (v: unknown[]) => (v[8] = (v[8] as number) + 365 * 86_400_000)],
  ])('refuses a token rewritten to %s', async (_n, change) => {
    const tok = rewrite(await firstToken(), change);
    expectJson(await call(t.url, 'GET', `/bigin/v2/Accounts?page_token=${tok}`, token), 400, invalidToken);
  });

  it.each([
    ['an unsigned token (the old format)', (tok: string) => tok.split('.')[0]!],
    ['a forged signature', (tok: string) => `${tok.split('.')[0]}.${'A'.repeat(22)}`],
    ['a truncated signature', (tok: string) => tok.slice(0, -1)],
  ])('refuses %s', async (_n, alter) => {
    const tok = alter(await firstToken());
    expectJson(await call(t.url, 'GET', `/bigin/v2/Accounts?page_token=${tok}`, token), 400, invalidToken);
  });
});

describe.skipIf(TEST_BACKEND !== 'embedded')('the page-token key', () => {
  it('survives a restart on the same data folder, and differs between installations', async () => {
    const dataDir = `${t.dataDir}-restart`;
    await mkdir(dataDir);
    const first = await startTestServer({ fixture, dataDir });
    let tok: string;
    try {
      for (let i = 0; i < 2; i++)
        await sendJsonBody(first.url, 'POST', recordsPath('Accounts'), token, {
          data: [{ Account_Name: `r ${i}` }],
        });
      tok = ((await call(first.url, 'GET', '/bigin/v2/Accounts?per_page=1', token)).json as Page).info
        .next_page_token!;
    } finally {
      await first.close();
    }
    const again = await startTestServer({ fixture, dataDir });
    try {
      expect((await call(again.url, 'GET', `/bigin/v2/Accounts?page_token=${tok}`, token)).status).toBe(200);
      // Another installation (t) holds another key.
      expectJson(await call(t.url, 'GET', `/bigin/v2/Accounts?page_token=${tok}`, token), 400, invalidToken);
    } finally {
      await again.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("a deal's Pipeline", () => {
  const deal = (Pipeline: unknown) =>
    sendJsonBody(t.url, 'POST', recordsPath('Pipelines'), token, {
      data: [
        { Deal_Name: `d ${JSON.stringify(Pipeline)}`, Pipeline, Sub_Pipeline: 'Standard', Stage: 'Won' },
      ],
    });
  it('takes {"name"} as Bigin does, and refuses anything nested inside it', async () => {
    expect((await deal({ name: 'Sales' })).status).toBe(201);
    expect((await deal({ name: { deeper: 1 } })).status).toBe(400);
    expect((await deal([{ name: 'Sales' }])).status).toBe(400);
  });
});
