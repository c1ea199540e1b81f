import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../../server/test/support/admin.js';
import { call } from '../../server/test/support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { AdminClient } from '../src/index.js';
import { ensureBuilt, runCli } from './support/cli.js';

// `bigin admin-org …` spawned against the real server, and the SDK methods behind it.

const A = orgIds(7474747, 'clio');
let t: TestServer;
let env: Record<string, string>;
beforeAll(async () => {
  ensureBuilt();
  t = await startTestServer({ settings: { ADMIN_KEY }, fixture: { organizations: [orgFixture(A)] } });
  env = { BIGIN_ADMIN_KEY: ADMIN_KEY, BIGIN_ADMIN_URL: t.url, BIGIN_CONFIG_DIR: t.dataDir };
}, 120_000);
afterAll(() => t?.close());

describe('bigin admin-org', { timeout: 120_000 }, () => {
  it('shows the organisation, revokes a token, lists the recycle bin and restores from it', async () => {
    const shown = await runCli(['admin-org', 'show', A.org, '--json'], env);
    expect(shown.code).toBe(0);
    const detail = JSON.parse(shown.stdout) as {
      users: unknown[];
      tokens: Array<{ id: string; user: string }>;
    };
    expect(detail.users).toHaveLength(9);
    const standard = detail.tokens.find((x) => x.user === A.user.standard)!;

    const revoked = await runCli(['admin-org', 'revoke-token', A.org, standard.id], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`${standard.id} revoked at`);
    expect(
      (await call(t.url, 'GET', '/bigin/v2/Contacts?fields=Last_Name', A.token('standard'))).status,
    ).toBe(401);

    const id = A.attachment[0]!;
    expect(
      (await call(t.url, 'DELETE', attachmentPath('Contacts', A.contactOf.rep1, id), A.token('admin')))
        .status,
    ).toBe(200);
    const bin = await runCli(['admin-org', 'recycle-bin', A.org], env);
    expect(bin.stdout).toContain('file-0.txt');
    const restored = await runCli(['admin-org', 'restore', A.org, id], env);
    expect(restored).toMatchObject({ code: 0, stdout: `${id} restored\n` });
    const again = await runCli(['admin-org', 'restore', A.org, id], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('ADMIN_NOT_FOUND');
  });

  it('the SDK lists channels and deliveries', async () => {
    const sdk = new AdminClient({ url: t.url, key: ADMIN_KEY });
    expect(await sdk.notificationChannels(A.org)).toEqual({ channels: [] });
    expect(await sdk.notificationDeliveries({ org: A.org })).toEqual({ deliveries: [] });
  });
});
