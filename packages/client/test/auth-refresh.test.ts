import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  BiginClient,
  exchangeAuthorizationCode,
  InvalidTokenError,
  OAuthError,
  RefreshTokenAuth,
} from '../src/index.js';
import { errorBody, json, type SentRequest, scriptedFetch } from './support/fake-fetch.js';

const OLD = '1000.0ld00000000000000000000000000000.00000000000000000000000000000000';
const NEW = '1000.new00000000000000000000000000000.11111111111111111111111111111111';
const SECRET = 'client-secret-0123456789';
const REFRESH = '1000.refresh000000000000000000000000.22222222222222222222222222222222';
const REC = '2034020000000489124';
const ATT = '2034020000000711008';

const deleted = (id = ATT) =>
  json(200, { data: [{ code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' }] });
const invalidToken = () => json(401, errorBody('INVALID_TOKEN', 'invalid oauth token'));

/** Routes by URL: the accounts server mints NEW; the API accepts only NEW. */
function world(options: { apiDomainInResponse?: string; tokenAnswer?: () => Response } = {}) {
  const tokenCalls: SentRequest[] = [];
  const apiCalls: SentRequest[] = [];
  const fetch = scriptedFetch(
    Array.from({ length: 50 }, () => (req: SentRequest) => {
      if (req.url === 'https://accounts.test/oauth/v2/token') {
        tokenCalls.push(req);
        return (
          options.tokenAnswer?.() ??
          json(200, {
            access_token: NEW,
            api_domain: options.apiDomainInResponse ?? 'https://api.test',
            token_type: 'Bearer',
            expires_in: 3600,
          })
        );
      }
      apiCalls.push(req);
      return req.headers.authorization === `Zoho-oauthtoken ${NEW}`
        ? deleted(req.url.split('/').pop())
        : invalidToken();
    }),
  );
  return { fetch, tokenCalls, apiCalls };
}

const endpoint = { apiDomain: 'https://api.test', accountsServer: 'https://accounts.test' };

describe('refreshing auth', () => {
  it('refreshes once on INVALID_TOKEN for many concurrent callers, and each call succeeds', async () => {
    const w = world();
    const bigin = new BiginClient(
      endpoint,
      { clientId: 'cid', clientSecret: SECRET, refreshToken: REFRESH, accessToken: OLD },
      { fetch: w.fetch },
    );
    const ids = Array.from({ length: 8 }, (_, i) => `20340200000007110${10 + i}`);
    const results = await Promise.all(ids.map((id) => bigin.attachments.delete('Contacts', REC, id)));
    expect(results.map((r) => r.details.id)).toEqual(ids);
    expect(w.tokenCalls).toHaveLength(1);
    expect(new URLSearchParams(w.tokenCalls[0]!.body)).toEqual(
      new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'cid',
        client_secret: SECRET,
        refresh_token: REFRESH,
      }),
    );
    // Every caller tried once with the old token, then once with the new one.
    expect(w.apiCalls).toHaveLength(16);
  });

  it('refreshes before expiry without a failed call first', async () => {
    const w = world();
    let now = 1_000_000;
    const onRefresh: unknown[] = [];
    const auth = new RefreshTokenAuth({
      clientId: 'cid',
      clientSecret: SECRET,
      refreshToken: REFRESH,
      accessToken: OLD,
      expiresAt: now + 30_000,
      now: () => now,
      onRefresh: (t) => {
        onRefresh.push(t);
      },
    });
    const bigin = new BiginClient(endpoint, auth, { fetch: w.fetch });
    await bigin.attachments.delete('Contacts', REC, ATT);
    expect(w.apiCalls.map((c) => c.headers.authorization)).toEqual([`Zoho-oauthtoken ${NEW}`]);
    expect(onRefresh).toEqual([
      { accessToken: NEW, expiresAt: now + 3_600_000, apiDomain: 'https://api.test' },
    ]);
    // Still fresh an hour minus two minutes later: no second refresh.
    now += 3_600_000 - 120_000;
    await bigin.attachments.delete('Contacts', REC, ATT);
    expect(w.tokenCalls).toHaveLength(1);
  });

  it('follows api_domain from the token response', async () => {
    const w = world({ apiDomainInResponse: 'https://www.zohoapis.eu' });
    const bigin = new BiginClient(
      endpoint,
      { clientId: 'cid', clientSecret: SECRET, refreshToken: REFRESH },
      { fetch: w.fetch },
    );
    await bigin.attachments.delete('Contacts', REC, ATT);
    expect(bigin.apiDomain).toBe('https://www.zohoapis.eu');
    expect(w.apiCalls[0]!.url).toBe(`https://www.zohoapis.eu/bigin/v2/Contacts/${REC}/Attachments/${ATT}`);
  });

  it('gives up after one refresh when the new token is refused too', async () => {
    const fetch = scriptedFetch([
      invalidToken(),
      json(200, { access_token: NEW, expires_in: 3600 }),
      invalidToken(),
    ]);
    const bigin = new BiginClient(
      endpoint,
      { clientId: 'cid', clientSecret: SECRET, refreshToken: REFRESH, accessToken: OLD },
      { fetch },
    );
    await expect(bigin.attachments.delete('Contacts', REC, ATT)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(fetch.sent).toHaveLength(3);
  });

  it("surfaces Zoho's HTTP 200 token-endpoint errors as OAuthError, secrets redacted", async () => {
    const fetch = scriptedFetch([json(200, { error: 'invalid_code' })]);
    const bigin = new BiginClient(
      endpoint,
      { clientId: 'cid', clientSecret: SECRET, refreshToken: REFRESH },
      { fetch },
    );
    const error = await bigin.attachments.delete('Contacts', REC, ATT).catch((e) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ error: 'invalid_code', status: 200 });
    const text = inspect(error, { depth: 5 });
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(REFRESH);
  });

  it('uses a fixed token as given and surfaces INVALID_TOKEN without retrying', async () => {
    const fetch = scriptedFetch([invalidToken()]);
    const bigin = new BiginClient(endpoint, OLD, { fetch });
    const error = await bigin.attachments.delete('Contacts', REC, ATT).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({
      status: 401,
      code: 'INVALID_TOKEN',
      message: 'invalid oauth token',
      details: {},
    });
    expect(fetch.sent).toHaveLength(1);
  });

  it('exchanges an authorization code with grant_type=authorization_code', async () => {
    const fetch = scriptedFetch([
      json(200, {
        access_token: NEW,
        refresh_token: REFRESH,
        api_domain: 'https://api.test',
        expires_in: 3600,
      }),
    ]);
    const tokens = await exchangeAuthorizationCode({
      accountsServer: 'https://accounts.test/',
      clientId: 'cid',
      clientSecret: SECRET,
      code: '1000.code',
      redirectUri: 'http://localhost:8765/callback',
      fetch,
    });
    expect(tokens.refresh_token).toBe(REFRESH);
    expect(fetch.sent[0]!.url).toBe('https://accounts.test/oauth/v2/token');
    expect(Object.fromEntries(new URLSearchParams(fetch.sent[0]!.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'cid',
      client_secret: SECRET,
      redirect_uri: 'http://localhost:8765/callback',
      code: '1000.code',
    });
  });
});
