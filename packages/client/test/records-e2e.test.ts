import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient, InvalidDataError, MandatoryNotFoundError } from '../src/index.js';
import { ensureBuilt, REPO_ROOT, runCli } from './support/cli.js';

// The records methods and commands against the real server. The server's records API is built on
// another branch; this suite runs wherever the server has it (the route file exists).
const SERVER_HAS_RECORDS = existsSync(join(REPO_ROOT, 'packages/server/src/http/routes/records.ts'));

const A = orgIds(1414141, 'recs');

describe.runIf(SERVER_HAS_RECORDS)('records against the server', { timeout: 60_000 }, () => {
  let t: TestServer;
  let sdk: BiginClient;
  let configDir: string;
  beforeAll(async () => {
    ensureBuilt();
    t = await startTestServer({ fixture: { organizations: [orgFixture(A, { extraTokens: [] })] } });
    sdk = new BiginClient({ apiDomain: t.url }, A.token('admin'));
    configDir = await mkdtemp(join(tmpdir(), 'bigin-records-'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it('inserts, gets, lists, updates and deletes a record', async () => {
    const inserted = await sdk.records.insert('Contacts', {
      Last_Name: 'Lovelace',
      Email: 'ada@example.com',
    });
    expect(inserted).toMatchObject({ code: 'SUCCESS', message: 'record added', status: 'success' });
    const id = String(inserted.details.id);
    expect(await sdk.records.get('Contacts', id, { fields: ['Last_Name', 'Email'] })).toMatchObject({
      id,
      Last_Name: 'Lovelace',
      Email: 'ada@example.com',
    });

    const seen = [];
    for await (const r of sdk.records.list('Contacts', { fields: ['Last_Name'], perPage: 2 }))
      seen.push(r.id);
    expect(seen).toContain(id);
    expect(new Set(seen).size).toBe(seen.length);

    expect(await sdk.records.update('Contacts', id, { Last_Name: 'King' })).toMatchObject({
      message: 'record updated',
    });
    expect((await sdk.records.get('Contacts', id))?.Last_Name).toBe('King');

    expect(await sdk.records.delete('Contacts', id)).toMatchObject({ code: 'SUCCESS', details: { id } });
    expect(await sdk.records.get('Contacts', id)).toBeNull();
  });

  it('returns per-item results of bulk calls and throws single-item failures as their class', async () => {
    const results = await sdk.records.insert('Contacts', [
      { Last_Name: 'One' },
      { First_Name: 'No last name' },
    ]);
    expect(results.map((r) => [r.status, r.code])).toEqual([
      ['success', 'SUCCESS'],
      ['error', 'MANDATORY_NOT_FOUND'],
    ]);
    await expect(sdk.records.insert('Contacts', { First_Name: 'x' })).rejects.toBeInstanceOf(
      MandatoryNotFoundError,
    );

    const deleted = await sdk.records.deleteMany('Contacts', [
      String(results[0]!.details.id),
      '1414141999999999999',
    ]);
    expect(deleted.map((r) => [r.status, r.code])).toEqual([
      ['success', 'SUCCESS'],
      ['error', 'INVALID_DATA'],
    ]);
  });

  it("takes a record's attachments with it", async () => {
    await sdk.records.delete('Accounts', A.recordIn.Accounts);
    const error = await sdk.attachments
      .delete('Accounts', A.recordIn.Accounts, A.attachmentOn[A.recordIn.Accounts]!)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDataError);
    expect((error as InvalidDataError).details).toEqual({ resource_path_index: 1 });
  });

  it('runs the records commands of the CLI', async () => {
    const env = {
      BIGIN_CONFIG_DIR: configDir,
      BIGIN_API_DOMAIN: t.url,
      BIGIN_ACCESS_TOKEN: A.token('admin'),
    };
    const insert = await runCli(
      ['--json', 'records', 'insert', 'Products', '{"Product_Name":"Widget"}'],
      env,
    );
    expect(insert.code).toBe(0);
    const id = JSON.parse(insert.stdout).details.id as string;
    const get = await runCli(['--json', 'records', 'get', 'Products', id, '--fields', 'Product_Name'], env);
    expect(JSON.parse(get.stdout)).toMatchObject({ id, Product_Name: 'Widget' });
    const ls = await runCli(['records', 'ls', 'Products', '--fields', 'id,Product_Name'], env);
    expect(ls.stdout).toMatch(new RegExp(`${id}\\s+Widget`));
    expect(await runCli(['records', 'delete', 'Products', id], env)).toMatchObject({
      code: 0,
      stdout: `Deleted Products record ${id}\n`,
    });
    expect((await runCli(['records', 'get', 'Products', id], env)).code).toBe(5);
    const duplicate = await runCli(
      ['records', 'insert', 'Products', '[{"Product_Name":"A"},{"Product_Name":"A"}]'],
      env,
    );
    expect(duplicate.code).toBe(10);
  });
});
