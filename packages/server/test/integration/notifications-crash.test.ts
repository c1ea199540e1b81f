import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';
import { startReceiver } from '../support/receiver.js';
import { idOf, sendJsonBody } from '../support/records.js';
import { testS3Settings } from '../support/s3.js';
import { type SpawnedServer, spawnServer } from '../support/spawn-server.js';
import { TEST_BACKEND } from '../support/test-server.js';

// The outbox across kill -9 (docs/notifications.md): a change acknowledged before the process
// dies, and not yet delivered, is delivered by the next process on the same data.

const D = orgIds(7202020, 'ntf3');
const TOKEN = '1000.crash000000000000000000000000000.33333333333333333333333333333333';

describe('notifications survive kill -9', () => {
  let dir: string;
  let schema: TestSchema | null = null;
  let env: Record<string, string>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const nodes: SpawnedServer[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bigin-notify-crash-'));
    schema = TEST_BACKEND === 'postgres-s3' ? await createTestSchema() : null;
    const base = orgFixture(D);
    const fixture = join(dir, 'fixture.json');
    await writeFile(
      fixture,
      JSON.stringify({
        organizations: [
          {
            ...base,
            tokens: [
              ...base.tokens,
              {
                token: TOKEN,
                user: D.user.admin,
                scope: 'ZohoBigin.modules.ALL,ZohoBigin.notifications.ALL',
                expiresAt: FAR_FUTURE,
              },
            ],
          },
        ],
      }),
    );
    env = {
      ...(schema ? { ...schema.settings, ...testS3Settings() } : {}),
      DATA_DIR: join(dir, 'data'),
      FIXTURE: fixture,
      DEV_SEED: 'false',
      NOTIFY_TIMEOUT_SECONDS: '1',
      NOTIFY_RETRY_BASE_SECONDS: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const n of nodes)
      if (n.process.exitCode === null && n.process.signalCode === null) n.process.kill('SIGKILL');
    await receiver?.close();
    await schema?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers after a restart what was committed before the kill', async () => {
    // A worker that would not look for a minute: the process dies between commit and delivery.
    const first = await spawnServer([], { ...env, NOTIFY_POLL_MS: '60000' });
    nodes.push(first);
    const sub = await sendJsonBody(first.url, 'POST', '/bigin/v2/actions/watch', TOKEN, {
      watch: [
        {
          channel_id: 1,
          events: ['Contacts.create'],
          notify_url: receiver.url('/crash'),
          token: 'after-crash',
        },
      ],
    });
    expect(sub.status).toBe(201);
    const res = await sendJsonBody(first.url, 'POST', '/bigin/v2/Contacts', TOKEN, {
      data: [{ Last_Name: 'Durable' }],
    });
    expect(res.status).toBe(201);
    const id = idOf(res);
    first.process.kill('SIGKILL');
    await first.exited;
    expect(receiver.attempts).toEqual([]);

    const started = Date.now();
    const second = await spawnServer([], { ...env, NOTIFY_POLL_MS: '50' });
    nodes.push(second);
    const [cb] = await receiver.waitForReceived(1);
    expect(cb!.body).toMatchObject({
      module: 'Contacts',
      operation: 'insert',
      ids: [id],
      channel_id: '1',
      token: 'after-crash',
    });
    // "Within a second" of the worker being up, with the default-ish poll.
    expect(Date.now() - started).toBeLessThan(15_000);
    second.process.kill('SIGTERM');
    await second.exited;
    expect(receiver.received).toHaveLength(1);
  });
});
