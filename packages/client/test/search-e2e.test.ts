import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAR_FUTURE, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient } from '../src/index.js';
import { ensureBuilt, runCli } from './support/cli.js';

// Search (iterating pages), upsert and related records through the SDK and the CLI, against the
// real server (issue 13).

const A = orgIds(1515151, 'find');
const TOKEN = '1000.findadmin0000000000000000000000.ffffffffffffffffffffffffffffffff';
const SCOPE = 'ZohoBigin.modules.contacts.ALL,ZohoBigin.modules.products.ALL,ZohoSearch.securesearch.READ';

describe('search, upsert, related records against the server', { timeout: 60_000 }, () => {
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
  }, 120_000);
  afterAll(() => t?.close());

  it('iterates search pages, upserts, links and unlinks', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({
      Last_Name: `Finder ${i}`,
      Email: `f${i}@example.com`,
    }));
    const up = await sdk.records.upsert('Contacts', rows);
    expect(up.map((r) => r.action)).toEqual(['insert', 'insert', 'insert', 'insert', 'insert']);
    const again = await sdk.records.upsert('Contacts', [{ Last_Name: 'Finder 0b', Email: 'F0@example.com' }]);
    expect(again[0]).toMatchObject({ action: 'update', duplicate_field: 'Email' });
    const seen: string[] = [];
    for await (const r of sdk.records.search('Contacts', {
      criteria: '(Last_Name:starts_with:Finder)',
      perPage: 2,
    }))
      seen.push(String(r.id));
    expect(seen).toHaveLength(5);
    expect((await sdk.records.search('Contacts', { email: 'nobody@example.com' })).data).toEqual([]);
    const product = await sdk.records.insert('Products', { Product_Name: 'Kit' });
    const contact = seen[0]!;
    expect(
      (await sdk.records.link('Contacts', contact, 'Products', [String(product.details.id)]))[0]!.message,
    ).toBe('relation added');
    const related = [];
    for await (const r of sdk.records.related('Contacts', contact, 'Products')) related.push(r.id);
    expect(related).toEqual([product.details.id]);
    expect(
      (await sdk.records.unlink('Contacts', contact, 'Products', [String(product.details.id)]))[0]!.message,
    ).toBe('relation removed');
  });

  it('bigin records search --email / --criteria', async () => {
    const env = {
      BIGIN_CONFIG_DIR: await mkdtemp(join(tmpdir(), 'bigin-search-')),
      BIGIN_API_DOMAIN: t.url,
      BIGIN_ACCESS_TOKEN: TOKEN,
    };
    await sdk.records.insert('Contacts', { Last_Name: 'Clied', Email: 'cli@example.com' });
    const byEmail = await runCli(
      ['--json', 'records', 'search', 'Contacts', '--email', 'cli@example.com', '--fields', 'Last_Name'],
      env,
    );
    expect(byEmail.code).toBe(0);
    expect(JSON.parse(byEmail.stdout)).toMatchObject([{ Last_Name: 'Clied' }]);
    const byCriteria = await runCli(
      [
        'records',
        'search',
        'Contacts',
        '--criteria',
        '((Email:equals:cli@example.com)or(Email:equals:x@y.z))',
        '--fields',
        'id,Last_Name',
      ],
      env,
    );
    expect(byCriteria.stdout).toMatch(/Clied/);
    expect(
      (await runCli(['records', 'search', 'Contacts', '--email', 'none@example.com'], env)).code,
    ).not.toBe(0);
  });
});
