import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';
import { startReceiver } from '../support/receiver.js';
import { sendJsonBody } from '../support/records.js';
import { testS3Settings } from '../support/s3.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Two nodes on one PostgreSQL outbox (docs/notifications.md): every callback is delivered, and no
// attempt is made by both (FOR UPDATE SKIP LOCKED plus the lease).

const D = orgIds(7212121, 'ntf4');
const TOKEN = '1000.twonodes0000000000000000000000000.44444444444444444444444444444444';
const CHANNELS = 6;
const WRITES = 30;

describe('notifications on two nodes sharing PostgreSQL', () => {
  let schema: TestSchema;
  let nodes: TestServer[];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    schema = await createTestSchema();
    const base = orgFixture(D);
    const fixture = {
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
    };
    const settings = {
      ...schema.settings,
      ...testS3Settings(),
      NOTIFY_POLL_MS: '60000',
      NOTIFY_CONCURRENCY: '4',
    };
    nodes = [await startTestServer({ fixture, settings }), await startTestServer({ fixture, settings })];
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const n of nodes ?? []) await n.close();
    await receiver?.close();
    await schema?.drop();
  });

  it('delivers every callback exactly once when both nodes work the outbox at once', async () => {
    for (let c = 1; c <= CHANNELS; c++) {
      const res = await sendJsonBody(nodes[c % 2]!.url, 'POST', '/bigin/v2/actions/watch', TOKEN, {
        watch: [{ channel_id: c, events: ['Contacts.create'], notify_url: receiver.url(`/c${c}`) }],
      });
      expect(res.status).toBe(201);
    }
    await Promise.all(
      Array.from({ length: WRITES }, (_, i) =>
        sendJsonBody(nodes[i % 2]!.url, 'POST', '/bigin/v2/Contacts', TOKEN, {
          data: [{ Last_Name: `N${i}` }],
        }),
      ),
    );
    // Both nodes' workers, several passes each, all at once.
    await Promise.all(
      nodes.flatMap((n) => [n.server.notifyNow(), n.server.notifyNow(), n.server.notifyNow()]),
    );
    await Promise.all(nodes.map((n) => n.server.notifyNow()));
    const attempts = receiver.attempts.map(
      (a) => `${a.headers['x-bigin-notification-id']}/${a.headers['x-bigin-attempt']}`,
    );
    expect(new Set(attempts).size).toBe(attempts.length);
    expect(receiver.received).toHaveLength(CHANNELS * WRITES);
    expect(new Set(receiver.received.map((r) => r.headers['x-bigin-notification-id'])).size).toBe(
      CHANNELS * WRITES,
    );
    // Each channel got its callbacks in outbox order.
    for (let c = 1; c <= CHANNELS; c++) {
      const seqs = receiver.received
        .filter((r) => r.path === `/c${c}`)
        .map((r) => Number(r.headers['x-bigin-notification-id']));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs).toHaveLength(WRITES);
    }
  });
});
