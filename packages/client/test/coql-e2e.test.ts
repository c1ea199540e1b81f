import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAR_FUTURE, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { BadRequestError, BiginClient } from '../src/index.js';
import { ensureBuilt, runCli } from './support/cli.js';

// COQL through the SDK (one call, every page) and `bigin coql`, against the real server (issue 13 item 7).

const A = orgIds(2121212, 'coqc');
const TOKEN = '1000.coqlsdk00000000000000000000000000.ffffffffffffffffffffffffffffffff';
const SCOPE = 'ZohoBigin.coql.READ,ZohoBigin.modules.contacts.ALL';

describe('COQL against the server', { timeout: 60_000 }, () => {
  let t: TestServer;
  let sdk: BiginClient;
  beforeAll(async () => {
    ensureBuilt();
    t = await startTestServer({
      fixture: {
        organizations: [
          orgFixture(A, {
            extraTokens: [{ token: TOKEN, user: A.user.admin, scope: SCOPE, expiresAt: FAR_FUTURE }],
          }),
        ],
      },
    });
    sdk = new BiginClient({ apiDomain: t.url }, TOKEN);
    await sdk.records.insert(
      'Contacts',
      Array.from({ length: 7 }, (_, i) => ({ Last_Name: `Coqler ${i}`, Email: `c${i}@coql.example` })),
    );
  }, 120_000);
  afterAll(() => t?.close());

  it('runs one query, iterates every page, and answers an empty page for no match', async () => {
    const one = await sdk.coql.query("select Last_Name from Contacts where Last_Name like 'Coqler%' limit 3");
    expect(one.data.map((r) => r.Last_Name)).toEqual(['Coqler 0', 'Coqler 1', 'Coqler 2']);
    expect(one.info).toEqual({ count: 3, more_records: true });
    const all: unknown[] = [];
    for await (const r of sdk.coql.iterate(
      "select Last_Name from Contacts where Last_Name like 'Coqler%' order by Last_Name desc",
      { pageSize: 2 },
    ))
      all.push(r.Last_Name);
    expect(all).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `Coqler ${i}`));
    expect(await sdk.coql.query("select Last_Name from Contacts where Last_Name = 'nobody'")).toEqual({
      data: [],
      info: { count: 0, more_records: false },
    });
  });

  it('throws Bigin’s error, refuses to page a query with its own limit, and stays on v2 for a v1 client', async () => {
    const error = await sdk.coql.query('select Nope from Contacts').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).code).toBe('INVALID_QUERY');
    const iterate = async () => {
      for await (const _ of sdk.coql.iterate("select Last_Name from Contacts where Email = 'limit' limit 5"));
    };
    await expect(iterate()).rejects.toThrow(RangeError);
    // A literal that says "limit" is not a clause.
    const found: unknown[] = [];
    for await (const r of sdk.coql.iterate(
      "select Email from Contacts where Email = 'c1@coql.example' or Email = 'limit'",
    ))
      found.push(r.Email);
    expect(found).toEqual(['c1@coql.example']);
    const v1 = new BiginClient({ apiDomain: t.url }, TOKEN, { apiVersion: 'v1' });
    expect(
      (await v1.coql.query("select Email from Contacts where Email = 'c2@coql.example'")).data,
    ).toHaveLength(1);
  });

  it('bigin coql prints the records, with --all across pages', async () => {
    const env = {
      BIGIN_CONFIG_DIR: await mkdtemp(join(tmpdir(), 'bigin-coql-')),
      BIGIN_API_DOMAIN: t.url,
      BIGIN_ACCESS_TOKEN: TOKEN,
    };
    const json = await runCli(
      ['--json', 'coql', "select Last_Name from Contacts where Last_Name like 'Coqler%' limit 2"],
      env,
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject([{ Last_Name: 'Coqler 0' }, { Last_Name: 'Coqler 1' }]);
    const all = await runCli(
      ['coql', '--all', '--page-size', '3', "select Email from Contacts where Last_Name like 'Coqler%'"],
      env,
    );
    expect(all.code).toBe(0);
    expect(all.stdout.match(/@coql\.example/g)).toHaveLength(7);
    expect(all.stdout.split('\n')[0]).toMatch(/^Email\s+id$/);
    const none = await runCli(['coql', "select Email from Contacts where Last_Name = 'nobody'"], env);
    expect(none.code).not.toBe(0);
    expect(none.stdout).toMatch(/No match/);
    const refused = await runCli(['coql', 'select Nope from Contacts'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/INVALID_QUERY/);
  });
});
