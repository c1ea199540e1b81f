import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAR_FUTURE, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient } from '../src/index.js';
import { ensureBuilt, runCli } from './support/cli.js';

// Users, org, settings and related-records methods and the `users`, `org`, `fields` commands
// against the real server.

const A = orgIds(1515152, 'dire');
const TOKEN = 'directory-e2e-token-000000000000';
const SCOPE = 'ZohoBigin.modules.ALL,ZohoBigin.users.ALL,ZohoBigin.org.ALL,ZohoBigin.settings.ALL';

describe('directory and metadata against the server', { timeout: 60_000 }, () => {
  let t: TestServer;
  let sdk: BiginClient;
  let configDir: string;
  beforeAll(async () => {
    ensureBuilt();
    const org = orgFixture(A, {
      extraTokens: [{ token: TOKEN, user: A.user.admin, scope: SCOPE, expiresAt: FAR_FUTURE }],
    });
    t = await startTestServer({
      fixture: {
        organizations: [
          {
            ...org,
            customFields: [
              { module: 'Contacts', apiName: 'Shoe_Size', label: 'Shoe Size', dataType: 'integer' },
            ],
          },
        ],
      },
    });
    sdk = new BiginClient({ apiDomain: t.url }, TOKEN);
    configDir = await mkdtemp(join(tmpdir(), 'bigin-directory-'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it('reads users, the org, profiles, roles and metadata', async () => {
    const page = await sdk.users.list({ perPage: 4 });
    expect(page.data).toHaveLength(4);
    expect(page.info).toEqual({ per_page: 4, count: 4, page: 1, more_records: true });
    const all = [];
    for await (const u of sdk.users.list({ perPage: 4 })) all.push(u.id);
    expect(all).toHaveLength(9);
    expect((await sdk.users.list({ type: 'DeactiveUsers' })).data.map((u) => u.full_name)).toEqual([
      'inactive',
    ]);
    expect(await sdk.users.current()).toMatchObject({ id: A.user.admin, profile: { name: 'Administrator' } });
    expect(await sdk.users.get(A.user.rep1)).toMatchObject({
      id: A.user.rep1,
      email: `rep1@${A.org}.example.com`,
    });
    expect(await sdk.users.get('42')).toBeNull();
    expect(await sdk.settings.org()).toMatchObject({ id: A.org, company_name: `Org ${A.org}` });
    expect((await sdk.settings.profiles()).map((p) => p.name)).toContain('Deleter');
    expect((await sdk.settings.roles()).find((r) => r.id === A.role.sales)?.reporting_to?.id).toBe(
      A.role.manager,
    );
    expect((await sdk.settings.modules()).map((m) => m.api_name)).toContain('Associated_Products');
    expect(await sdk.settings.module('Accounts')).toMatchObject({ plural_label: 'Companies' });
    const fields = await sdk.settings.fields('Contacts');
    expect(fields.find((f) => f.api_name === 'Shoe_Size')).toMatchObject({
      data_type: 'integer',
      custom_field: true,
    });
    expect((await sdk.settings.layouts('Contacts'))[0]?.name).toBe('Standard');
    expect((await sdk.settings.relatedLists('Contacts')).map((r) => r.api_name)).toContain('Notes');
  });

  it("reads a record's related list", async () => {
    const company = await sdk.records.insert('Accounts', { Account_Name: 'Related SDK Co' });
    const companyId = String(company.details.id);
    for (const name of ['One', 'Two', 'Three'])
      await sdk.records.insert('Contacts', { Last_Name: name, Account_Name: { id: companyId } });
    const first = await sdk.records.related('Accounts', companyId, 'Contacts', {
      fields: ['Last_Name'],
      perPage: 2,
    });
    expect(first.data).toHaveLength(2);
    expect(Object.keys(first.info)).toHaveLength(7);
    const names: unknown[] = [];
    for await (const r of sdk.records.related('Accounts', companyId, 'Contacts', {
      fields: ['Last_Name'],
      perPage: 2,
    }))
      names.push(r.Last_Name);
    expect(names.sort()).toEqual(['One', 'Three', 'Two']);
    expect((await sdk.records.related('Accounts', companyId, 'Notes')).data).toEqual([]);
  });

  it('runs `bigin users list`, `bigin org` and `bigin fields Contacts`', async () => {
    const env = { BIGIN_CONFIG_DIR: configDir, BIGIN_API_DOMAIN: t.url, BIGIN_ACCESS_TOKEN: TOKEN };
    const users = await runCli(['users', 'list'], env);
    expect(users.code).toBe(0);
    expect(users.stdout).toMatch(new RegExp(`${A.user.rep1}\\s+rep1\\s+rep1@`));
    const json = await runCli(['--json', 'users', 'list', '--type', 'AdminUsers'], env);
    expect(JSON.parse(json.stdout).map((u: { id: string }) => u.id)).toContain(A.user.admin);
    const org = await runCli(['org'], env);
    expect(org.stdout).toContain(A.org);
    const fields = await runCli(['fields', 'Contacts'], env);
    expect(fields.code).toBe(0);
    expect(fields.stdout).toMatch(/Last_Name\s+Last Name\s+text\s+80\s+yes/);
    expect(fields.stdout).toMatch(/Account_Name\s+Company Name\s+lookup\s+120\s+Accounts/);
    expect(fields.stdout).toMatch(/Shoe_Size\s+Shoe Size\s+integer\s+9\s+yes/);
  });
});
