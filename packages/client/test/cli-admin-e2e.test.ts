import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../../server/test/support/admin.js';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient, InternalError } from '../src/index.js';
import { ensureBuilt, runCli } from './support/cli.js';

// `bigin faults`, `bigin journal tail` and `bigin credits`, spawned, against the real server.

const A = orgIds(7272727, 'clia');
const contact = A.contactOf.rep1;
let t: TestServer;
let env: Record<string, string>;
beforeAll(async () => {
  ensureBuilt();
  t = await startTestServer({ settings: { ADMIN_KEY }, fixture: { organizations: [orgFixture(A)] } });
  env = { BIGIN_ADMIN_KEY: ADMIN_KEY, BIGIN_ADMIN_URL: t.url, BIGIN_CONFIG_DIR: t.dataDir };
}, 120_000);
afterAll(() => t?.close());

// Each spawned CLI costs seconds on a loaded machine.
describe('bigin faults, journal tail, credits', { timeout: 120_000 }, () => {
  it('adds a fault the next delete meets, and the journal tail shows why', async () => {
    const added = await runCli(
      [
        'faults',
        'add',
        '--code',
        'INTERNAL_ERROR',
        '--method',
        'DELETE',
        '--path',
        '/bigin/v2/Contacts/*',
        '--json',
      ],
      env,
    );
    expect(added.code).toBe(0);
    const rule = JSON.parse(added.stdout) as { id: string; remaining: number };
    expect(rule.remaining).toBe(1);
    const sdk = new BiginClient({ apiDomain: t.url }, A.token('admin'), { maxRetries: 0 });
    await expect(sdk.attachments.delete('Contacts', contact, A.attachment[0]!)).rejects.toBeInstanceOf(
      InternalError,
    );
    await sdk.attachments.delete('Contacts', contact, A.attachment[1]!);
    await sdk.attachments.delete('Contacts', contact, A.attachment[1]!).catch(() => {});

    const tail = await runCli(['journal', 'tail', '--org', A.org, '--status', '4xx', '--json'], env);
    expect(tail.code).toBe(0);
    const rows = tail.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: number; rule: string });
    expect(rows.map((r) => [r.status, r.rule])).toEqual([[400, 'D4.12 attachment']]);

    const faulted = await runCli(['journal', 'tail', '--status', '5xx'], env);
    expect(faulted.stdout).toContain(`fault ${rule.id} error INTERNAL_ERROR`);

    const ls = await runCli(['faults', 'ls', '--json'], env);
    expect(JSON.parse(ls.stdout)).toMatchObject([{ id: rule.id, fired: 1, remaining: 0 }]);
    expect((await runCli(['faults', 'clear'], env)).code).toBe(0);
  });

  it('turns credits on for an organisation and reads them as the API dashboard shows them', async () => {
    const on = await runCli(['credits', A.org, '--enable', '--edition', 'paid', '--licences', '10'], env);
    expect(on.stdout).toContain('0 of 52500 credits used');
    await new BiginClient({ apiDomain: t.url }, A.token('admin')).attachments.delete(
      'Contacts',
      contact,
      A.attachment[2]!,
    );
    const shown = await runCli(['credits', A.org, '--json'], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ enabled: true, used: 1, allowance: 52_500 });
    const missingKey = await runCli(['credits', A.org], { BIGIN_ADMIN_URL: t.url });
    expect(missingKey.code).toBe(2);
  });
});
