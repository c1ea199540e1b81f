import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAR_FUTURE, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient } from '../src/index.js';
import { ensureBuilt, runCli } from './support/cli.js';

// Tags through the SDK and the CLI, against the real server (docs/tags.md).

const A = orgIds(1616161, 'tagc');
const TOKEN = '1000.tagsadmin0000000000000000000000.ffffffffffffffffffffffffffffffff';
const SCOPE = 'ZohoBigin.modules.contacts.ALL,ZohoBigin.settings.tags.ALL';

describe('tags against the server', { timeout: 60_000 }, () => {
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

  it('creates, lists and renames tags; tags records one and many at a time', async () => {
    const created = await sdk.tags.create('Contacts', [{ name: 'Lead' }, { name: 'lead' }]);
    expect(created.map((r) => r.code)).toEqual(['SUCCESS', 'DUPLICATE_DATA']);
    const [lead] = await sdk.tags.list('Contacts');
    expect(lead).toMatchObject({ name: 'Lead', colour_code: null });
    expect((await sdk.tags.rename('Contacts', lead!.id, 'Hot lead')).code).toBe('SUCCESS');
    const a = String((await sdk.records.insert('Contacts', { Last_Name: 'Tag A' })).details.id);
    const b = String((await sdk.records.insert('Contacts', { Last_Name: 'Tag B' })).details.id);
    const one = await sdk.records.addTags('Contacts', a, ['Hot lead', 'New']);
    expect(one[0]!.details.tags).toEqual(['Hot lead', 'New']);
    const many = await sdk.records.addTags('Contacts', [a, b], ['Solo'], { overwrite: true });
    expect(many.map((r) => r.details.tags)).toEqual([['Solo'], ['Solo']]);
    expect((await sdk.records.removeTags('Contacts', [a, b], ['Solo'])).map((r) => r.details.tags)).toEqual([
      [],
      [],
    ]);
    expect((await sdk.tags.list('Contacts')).map((x) => x.name)).toEqual(['Hot lead', 'New', 'Solo']);
  });

  it('bigin tags list|create and bigin records add-tags|remove-tags', async () => {
    const env = {
      BIGIN_CONFIG_DIR: await mkdtemp(join(tmpdir(), 'bigin-tags-')),
      BIGIN_API_DOMAIN: t.url,
      BIGIN_ACCESS_TOKEN: TOKEN,
    };
    const create = await runCli(['--json', 'tags', 'create', 'Contacts', 'Cli one', 'Cli two'], env);
    expect(create.code, create.stderr).toBe(0);
    expect(JSON.parse(create.stdout).map((r: { code: string }) => r.code)).toEqual(['SUCCESS', 'SUCCESS']);
    const list = await runCli(['tags', 'list', 'Contacts'], env);
    expect(list.stdout).toMatch(/Cli one/);
    const id = String((await sdk.records.insert('Contacts', { Last_Name: 'Cli tagged' })).details.id);
    const add = await runCli(
      ['--json', 'records', 'add-tags', 'Contacts', id, '--tags', 'Cli one,Cli three'],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout)[0].details.tags).toEqual(['Cli one', 'Cli three']);
    const remove = await runCli(['records', 'remove-tags', 'Contacts', id, '--tags', 'Cli one'], env);
    expect(remove.code, remove.stderr).toBe(0);
    expect(remove.stdout).toMatch(/Cli three/);
    const bad = await runCli(['records', 'add-tags', 'Contacts', id, '999', '--tags', 'X'], env);
    expect(bad.code).not.toBe(0);
  });
});
