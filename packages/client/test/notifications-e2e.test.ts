import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAR_FUTURE, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startReceiver } from '../../server/test/support/receiver.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient, InvalidDataError } from '../src/index.js';
import { ensureBuilt, runCli, spawnCli } from './support/cli.js';

// The notifications methods and `bigin watch …` against the real server, whose worker delivers.

const A = orgIds(1515151, 'ntfsdk');
const TOKEN = '1000.sdkwatch000000000000000000000000.55555555555555555555555555555555';

describe('notifications from the SDK and the CLI', { timeout: 60_000 }, () => {
  let t: TestServer;
  let sdk: BiginClient;
  let configDir: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    ensureBuilt();
    const extraTokens = [
      {
        token: TOKEN,
        user: A.user.admin,
        scope: 'ZohoBigin.modules.ALL,ZohoBigin.notifications.ALL',
        expiresAt: FAR_FUTURE,
      },
    ];
    t = await startTestServer({
      fixture: { organizations: [orgFixture(A, { extraTokens })] },
      settings: { NOTIFY_POLL_MS: '60000' },
    });
    sdk = new BiginClient({ apiDomain: t.url }, TOKEN);
    configDir = await mkdtemp(join(tmpdir(), 'bigin-watch-'));
    receiver = await startReceiver();
  }, 120_000);
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it('watches, lists, updates, drops events and unwatches', async () => {
    const [ok] = await sdk.notifications.watch({
      channelId: 42,
      events: ['Contacts.create'],
      notifyUrl: receiver.url(),
      token: 'sdk',
    });
    expect(ok).toMatchObject({ code: 'SUCCESS', status: 'success' });
    expect(await sdk.notifications.list({ channelId: 42 })).toEqual([
      expect.objectContaining({ channel_id: '42', events: ['Contacts.create'], token: 'sdk' }),
    ]);
    await sdk.notifications.update({
      channelId: 42,
      events: ['Contacts.all', 'Tasks.edit'],
      notifyUrl: receiver.url(),
      channelExpiry: new Date(t.clock.now() + 3_600_000),
    });
    await sdk.notifications.removeEvents(42, ['Tasks.edit']);
    expect((await sdk.notifications.list()).map((e) => e.events)).toEqual([['Contacts.all']]);
    const refused = await sdk.notifications
      .watch({ channelId: 43, events: ['Contacts.create'], notifyUrl: receiver.url(), token: 'x'.repeat(51) })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidDataError);
    expect((await sdk.notifications.unwatch([42])).map((r) => r.status)).toEqual(['success']);
    expect(await sdk.notifications.list()).toEqual([]);
  });

  it('`bigin watch tail` subscribes a local receiver and prints the callback', async () => {
    const env = { BIGIN_CONFIG_DIR: configDir, BIGIN_API_DOMAIN: t.url, BIGIN_ACCESS_TOKEN: TOKEN };
    const tail = spawnCli(
      [
        'watch',
        'tail',
        '--events',
        'Contacts.create',
        '--channel',
        '77',
        '--channel-token',
        'tail',
        '--count',
        '1',
      ],
      env,
    );
    await Promise.race([
      tail.waitForStderr('Subscribed channel 77'),
      tail.done.then((r) => {
        throw new Error(`watch tail ended: ${r.stderr}`);
      }),
    ]);
    const inserted = await sdk.records.insert('Contacts', { Last_Name: 'Tailed' });
    await t.server.notifyNow();
    const result = await tail.done;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({
      module: 'Contacts',
      operation: 'insert',
      ids: [String(inserted.details.id)],
      channel_id: '77',
      token: 'tail',
    });
    // It unsubscribed on the way out.
    expect(await sdk.notifications.list()).toEqual([]);
    const ls = await runCli(['--json', 'watch', 'ls'], env);
    expect(JSON.parse(ls.stdout)).toEqual([]);
    const add = await runCli(
      ['watch', 'add', '--channel', '88', '--events', 'Pipelines.all', '--url', receiver.url('/cli')],
      env,
    );
    expect(add).toMatchObject({ code: 0, stdout: 'Subscribed channel 88 (Pipelines.all)\n' });
    const rm = await runCli(['--json', 'watch', 'rm', '88'], env);
    expect(JSON.parse(rm.stdout)).toEqual([
      expect.objectContaining({ code: 'SUCCESS', details: expect.objectContaining({ channel_id: '88' }) }),
    ]);
  });
});
