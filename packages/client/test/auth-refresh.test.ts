import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BiginClient, InvalidTokenError, OAuthError } from '../src/index.js';
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
});
