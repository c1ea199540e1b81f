import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin as adminCall, journal } from '../../server/test/support/admin.js';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient, TooManyRequestsError } from '../src/index.js';

// The SDK's retry on 429, against the server's own 429 (API credits used up), not a scripted fetch.

const A = orgIds(7171717, 'sdkr');
const DAY = 24 * 3_600_000;
const contact = A.contactOf.rep1;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ settings: { ADMIN_KEY }, fixture: { organizations: [orgFixture(A)] } });
  await adminCall(t.url, 'PUT', `/credits/${A.org}`, { edition: 'free' });
});
afterAll(() => t?.close());

/** Uses up the organisation's 5,000 credits at `at` (as 5,000 earlier calls would). */
const exhaust = (at: number) => t.server.stores.metadata.apiCredits.charge(A.org, at, 5000, at - DAY, 5000);

describe('SDK retries on the server’s 429', () => {
  it('retries maxRetries times, then throws TooManyRequestsError with Bigin’s body', async () => {
    await exhaust(TEST_EPOCH);
    const sdk = new BiginClient({ apiDomain: t.url }, A.token('admin'), {
      maxRetries: 2,
      retry: { initialDelayMs: 10, maxDelayMs: 20 },
    });
    const error = await sdk.attachments
      .delete('Contacts', contact, A.attachment[0]!)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    const refused = (await journal(t.url, `?org=${A.org}&status=429`)).entries;
    expect(refused).toHaveLength(3);
    expect(refused.every((e) => e.rule?.startsWith('D9 api-limits: credits'))).toBe(true);
  });

  it('succeeds on a retry once the window has moved past the calls that used the credits', async () => {
    await adminCall(t.url, 'DELETE', '/journal');
    const sdk = new BiginClient({ apiDomain: t.url }, A.token('admin'), {
      maxRetries: 3,
      retry: { initialDelayMs: 300, maxDelayMs: 300 },
    });
    const deleting = sdk.attachments.delete('Contacts', contact, A.attachment[1]!);
    // Once the first attempt is refused, move the virtual clock to the instant the credits free up.
    while ((await journal(t.url, '?status=429')).entries.length === 0)
      await new Promise((r) => setImmediate(r));
    t.clock.set(TEST_EPOCH + DAY);
    expect(await deleting).toMatchObject({ code: 'SUCCESS', details: { id: A.attachment[1] } });
    // The journal keeps an hour (JOURNAL_MAX_AGE_SECONDS): after a day only the retry is left.
    expect((await journal(t.url, `?org=${A.org}`)).entries.map((e) => e.status)).toEqual([200]);
  });
});
