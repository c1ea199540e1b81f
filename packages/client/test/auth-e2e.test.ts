import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import {
  ACCESS_TOKEN,
  authorize,
  clientsFixture,
  exchangeCode,
  revoke,
  WEB_CLIENT,
} from '../../server/test/support/oauth.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../../server/test/support/test-server.js';
import { BiginClient, InvalidTokenError, OAuthError } from '../src/index.js';

// Refresh-token auth against the server's own Zoho Accounts endpoints: the refresh token comes
// from the real consent flow in the EU data center (its own port), access tokens expire on the
// server's ManualClock, and the client follows `api_domain` from the US port to the EU one.

const EU = orgIds(1818181, 'autheu');
const PASSWORD = 'a long password for the eu admin';
const HOUR = 3_600_000;

let t: TestServer;
let euUrl: string;

beforeAll(async () => {
  const org = orgFixture(EU, { dataCenter: 'eu' });
  org.users = org.users.map((u) => (u.id === EU.user.admin ? { ...u, password: PASSWORD } : u));
  t = await startTestServer({ fixture: { clients: clientsFixture(), organizations: [org] } });
  euUrl = t.server.dataCenterUrls.eu!;
}, 120_000);
afterAll(() => t?.close(), 60_000);

/** A fresh refresh token through the consent page and the code exchange, as a user gets one. */
async function refreshToken(): Promise<string> {
  // prompt=consent: Zoho issues a refresh token only on a user's first offline consent otherwise.
  const params = await authorize(
    euUrl,
    { email: `admin@${EU.org}.example.com`, password: PASSWORD },
    { prompt: 'consent' },
  );
  expect(params.get('accounts-server')).toBe(euUrl);
  const exchanged = await exchangeCode(euUrl, params.get('code')!);
  expect(exchanged.json.api_domain).toBe(euUrl);
  expect(exchanged.json.refresh_token).toMatch(ACCESS_TOKEN);
  return exchanged.json.refresh_token as string;
}

/** A client that starts at the US port and knows only the EU accounts server; counts token calls. */
function client(refresh: string, now: () => number) {
  const tokenCalls: string[] = [];
  const apiHosts: string[] = [];
  const counting: typeof fetch = (input, init) => {
    const url = String(input);
    if (url.endsWith('/oauth/v2/token')) tokenCalls.push(url);
    else apiHosts.push(new URL(url).origin);
    return fetch(input, init);
  };
  const bigin = new BiginClient(
    { apiDomain: t.url, accountsServer: euUrl },
    { clientId: WEB_CLIENT.id, clientSecret: WEB_CLIENT.secret, refreshToken: refresh, now },
    { fetch: counting },
  );
  return { bigin, tokenCalls, apiHosts };
}

const contact = EU.contactOf.admin;
const names = async (bigin: BiginClient) =>
  (await bigin.attachments.list('Contacts', contact)).data.map((a) => a.File_Name);

describe('refresh-token auth against the server', () => {
  it("refreshes at the accounts server and follows api_domain to the EU data center's port", async () => {
    const { bigin, tokenCalls, apiHosts } = client(await refreshToken(), () => t.clock.now());
    expect(bigin.apiDomain).toBe(t.url);
    expect(await names(bigin)).toEqual([`on-${contact}.txt`]);
    expect(tokenCalls).toEqual([`${euUrl}/oauth/v2/token`]);
    expect(bigin.apiDomain).toBe(euUrl);
    expect(apiHosts).toEqual([euUrl]);
  });

  it("refreshes before expiry by the server's clock, and again after it", async () => {
    const { bigin, tokenCalls } = client(await refreshToken(), () => t.clock.now());
    await names(bigin);
    await names(bigin);
    expect(tokenCalls).toHaveLength(1);
    // Inside the one-minute margin: refreshed first, while the old token would still work.
    t.clock.advance(HOUR - 30_000);
    await names(bigin);
    expect(tokenCalls).toHaveLength(2);
    t.clock.advance(HOUR + 1);
    expect(await names(bigin)).toEqual([`on-${contact}.txt`]);
    expect(tokenCalls).toHaveLength(3);
  });

  it('answers INVALID_TOKEN with one shared refresh and one retry per caller', async () => {
    // This client's clock stands still, so only the server knows the token has expired.
    const { bigin, tokenCalls, apiHosts } = client(await refreshToken(), () => TEST_EPOCH);
    await names(bigin);
    expect(tokenCalls).toHaveLength(1);
    t.clock.advance(HOUR + 1);
    apiHosts.length = 0;
    const results = await Promise.all(Array.from({ length: 8 }, () => names(bigin)));
    expect(results).toEqual(Array.from({ length: 8 }, () => [`on-${contact}.txt`]));
    expect(tokenCalls).toHaveLength(2);
    // Eight refused with the expired token, eight repeated with the new one.
    expect(apiHosts).toHaveLength(16);
  });

  it('refreshes and repeats a download and a replayable upload; a one-shot stream upload fails once and the next call refreshes', async () => {
    const { bigin, tokenCalls, apiHosts } = client(await refreshToken(), () => TEST_EPOCH);
    const attachment = EU.attachmentOn[contact]!;
    await names(bigin);
    t.clock.advance(HOUR + 1);
    const download = await bigin.attachments.download('Contacts', contact, attachment);
    expect(await new Response(download?.body).text()).toBe(`on ${contact}`);
    expect(tokenCalls).toHaveLength(2);

    t.clock.advance(HOUR + 1);
    const uploaded = await bigin.attachments.upload('Contacts', contact, new File(['again'], 'again.txt'));
    expect(uploaded.id).toMatch(/^\d+$/);
    expect(tokenCalls).toHaveLength(3);

    // A stream cannot be sent twice: the refusal surfaces, and the stale token is dropped so the
    // next call refreshes first.
    t.clock.advance(HOUR + 1);
    const once = bigin.attachments.upload('Contacts', contact, {
      file: new Blob(['x']).stream(),
      fileName: 'x.txt',
    });
    await expect(once).rejects.toBeInstanceOf(InvalidTokenError);
    expect(tokenCalls).toHaveLength(3);
    apiHosts.length = 0;
    expect(await names(bigin)).toContain('again.txt');
    expect(tokenCalls).toHaveLength(4);
    expect(apiHosts).toHaveLength(1);
  });

  it('surfaces a revoked refresh token as OAuthError invalid_code after the API refuses the access token', async () => {
    const refresh = await refreshToken();
    const { bigin, tokenCalls } = client(refresh, () => t.clock.now());
    await names(bigin);
    expect((await revoke(euUrl, refresh)).json).toEqual({ status: 'success' });
    const error = await names(bigin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ error: 'invalid_code', message: 'invalid_code' });
    expect(tokenCalls).toHaveLength(2);
    expect(String((error as Error).stack)).not.toContain(refresh);
  });

  it('keeps an EU token off the US port: a fixed token there is InvalidTokenError', async () => {
    const params = await authorize(euUrl, { email: `admin@${EU.org}.example.com`, password: PASSWORD });
    const access = (await exchangeCode(euUrl, params.get('code')!)).json.access_token as string;
    expect(access).toMatch(ACCESS_TOKEN);
    const onUs = new BiginClient({ apiDomain: t.url }, access);
    await expect(onUs.attachments.list('Contacts', contact)).rejects.toBeInstanceOf(InvalidTokenError);
    const onEu = new BiginClient({ dataCenter: 'eu' }, access);
    expect(onEu.apiDomain).toBe('https://www.zohoapis.eu');
    expect(await names(new BiginClient({ apiDomain: euUrl }, access))).toContain(`on-${contact}.txt`);
  });
});
