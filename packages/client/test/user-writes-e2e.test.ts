import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAR_FUTURE, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient, InvalidDataError } from '../src/index.js';
import { ensureBuilt, runCli } from './support/cli.js';

// users.create/update/updateMany/delete and `bigin users create|update|delete` against the real
// server (D24).

const A = orgIds(1515153, 'uwsd');
const TOKEN = 'user-writes-e2e-token-0000000000';
const SCOPE = 'ZohoBigin.users.ALL';

describe('user writes against the server', { timeout: 60_000 }, () => {
  let t: TestServer;
  let sdk: BiginClient;
  let configDir: string;
  beforeAll(async () => {
    ensureBuilt();
    const org = orgFixture(A, {
      extraTokens: [{ token: TOKEN, user: A.user.admin, scope: SCOPE, expiresAt: FAR_FUTURE }],
    });
    t = await startTestServer({ fixture: { organizations: [org] } });
    sdk = new BiginClient({ apiDomain: t.url }, TOKEN);
    configDir = await mkdtemp(join(tmpdir(), 'bigin-user-writes-'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  const input = (n: number) => ({
    first_name: 'Sdk',
    last_name: `User ${n}`,
    email: `sdk${n}@example.com`,
    role: A.role.sales,
    profile: A.profile.standard,
  });

  it('creates, updates and deletes a user, and throws the refusal of a single write', async () => {
    const created = await sdk.users.create(input(1));
    const id = created.details.id;
    expect(created).toEqual({ code: 'SUCCESS', details: { id }, message: 'User added', status: 'success' });
    expect(await sdk.users.get(id)).toMatchObject({ full_name: 'Sdk User 1', confirm: false });
    await expect(sdk.users.create(input(1))).rejects.toMatchObject({ code: 'DUPLICATE_DATA', status: 400 });
    expect((await sdk.users.update(id, { last_name: 'Renamed' })).message).toBe('User updated');
    expect((await sdk.users.get(id))?.full_name).toBe('Sdk Renamed');
    const many = await sdk.users.updateMany([
      { id, status: 'inactive' },
      { id: '42', phone: '1' },
    ]);
    expect(many.map((r) => r.status)).toEqual(['success', 'error']);
    expect((await sdk.users.get(id))?.status).toBe('disabled');
    await expect(sdk.users.delete(A.user.admin)).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    expect((await sdk.users.delete(id)).message).toBe('User deleted');
    await expect(sdk.users.delete(id)).rejects.toBeInstanceOf(InvalidDataError);
    await expect(sdk.users.updateMany([])).rejects.toBeInstanceOf(RangeError);
  });

  it('runs `bigin users create`, `update` and `delete`', async () => {
    const env = { BIGIN_CONFIG_DIR: configDir, BIGIN_API_DOMAIN: t.url, BIGIN_ACCESS_TOKEN: TOKEN };
    const created = await runCli(
      [
        '--json',
        'users',
        'create',
        '--first-name',
        'Cli',
        '--last-name',
        'Person',
        '--email',
        'cli@example.com',
        '--role-id',
        A.role.sales,
        '--profile-id',
        A.profile.standard,
        '--time-zone',
        'Asia/Tokyo',
      ],
      env,
    );
    expect(created.code).toBe(0);
    const id = JSON.parse(created.stdout).details.id as string;
    expect(await sdk.users.get(id)).toMatchObject({ full_name: 'Cli Person', time_zone: 'Asia/Tokyo' });
    const updated = await runCli(['users', 'update', id, '--phone', '555-1234'], env);
    expect({ code: updated.code, out: updated.stdout.trim() }).toEqual({
      code: 0,
      out: `Updated user ${id}`,
    });
    expect((await sdk.users.get(id))?.phone).toBe('555-1234');
    expect((await runCli(['users', 'update', id], env)).code).toBe(2);
    const deleted = await runCli(['users', 'delete', id], env);
    expect({ code: deleted.code, out: deleted.stdout.trim() }).toEqual({
      code: 0,
      out: `Deleted user ${id}`,
    });
    const again = await runCli(['users', 'delete', id], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('INVALID_DATA');
  });
});
