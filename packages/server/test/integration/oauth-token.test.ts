import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfClientCode } from '../../src/domain/oauth/token-grants.js';
import { hashToken } from '../../src/domain/tokens.js';
import { call, deleteSuccess, ERR, JSON_TYPE } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import {
  ACCESS_TOKEN,
  authorize,
  clientsFixture,
  DELETE_SCOPE,
  exchangeCode,
  OTHER_CLIENT,
  refresh,
  revoke,
  SELF_CLIENT,
  type TokenAnswer,
  tokenRequest,
  WEB_CLIENT,
} from '../support/oauth.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// POST /oauth/v2/token and /oauth/v2/token/revoke (docs/oauth.md): the grants, Zoho's errors
// (HTTP 200 with {"error":…}), single-use and expiring codes, and the documented limits.

const A = orgIds(4444444, 'oaut');
const admin = { email: `admin@${A.org}.example.com`, password: 'correct horse battery staple' };
const rep1 = { email: `rep1@${A.org}.example.com`, password: 'rep1-password' };
const MINUTE = 60_000;

let t: TestServer;
beforeAll(async () => {
  const org = orgFixture(A);
  org.users = org.users.map((u) =>
    u.id === A.user.admin
      ? { ...u, password: admin.password }
      : u.id === A.user.rep1
        ? { ...u, password: rep1.password }
        : u,
  );
  t = await startTestServer({ fixture: { clients: clientsFixture(), organizations: [org] } });
});
afterAll(() => t?.close());

function expectTokenError(res: TokenAnswer, error: string, status = 200) {
  expect({ status: res.status, contentType: res.contentType, body: res.json }).toEqual({
    status,
    contentType: JSON_TYPE,
    body: { error },
  });
}

let attachmentIndex = 0;
/** Deletes a fresh attachment of rep1's contact with `token`. */
async function expectTokenDeletes(token: string) {
  const id = A.attachment[attachmentIndex++]!;
  const res = await call(t.url, 'DELETE', attachmentPath('Contacts', A.contactOf.rep1, id), token);
  expect({ status: res.status, body: res.json }).toEqual({ status: 200, body: deleteSuccess(id) });
}
/**
 * The token passes authentication and every check up to the attachment lookup (D4 row 12 for an
 * attachment that does not exist), without using up the fixture's attachments.
 */
async function expectTokenWorks(token: string) {
  const res = await call(t.url, 'DELETE', attachmentPath('Contacts', A.contactOf.rep1, '1'), token);
  expect({ status: res.status, body: res.json }).toEqual({ status: 400, body: ERR.attachmentNotFound });
}
async function expectTokenRefused(token: string) {
  const res = await call(t.url, 'DELETE', attachmentPath('Contacts', A.contactOf.rep1, '1'), token);
  expect({ status: res.status, body: res.json, contentType: res.contentType }).toEqual({
    status: 401,
    body: ERR.invalidToken,
    contentType: JSON_TYPE,
  });
}

async function offlineTokens(user = admin, params = {}) {
  const q = await authorize(t.url, user, { prompt: 'consent', ...params });
  const res = await exchangeCode(t.url, q.get('code')!);
  return res.json as { access_token: string; refresh_token: string };
}

describe('authorization_code grant', () => {
  it('exchanges a code for the documented token response, keys in order, and the token deletes', async () => {
    const q = await authorize(t.url, admin, { state: 'xyz 1/2' });
    expect([...q.keys()]).toEqual(['state', 'code', 'location', 'accounts-server']);
    expect(q.get('state')).toBe('xyz 1/2');
    expect(q.get('location')).toBe('us');
    expect(q.get('accounts-server')).toBe(t.url);
    const res = await exchangeCode(t.url, q.get('code')!);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe(JSON_TYPE);
    const body = res.json as Record<string, string>;
    expect(Object.keys(body)).toEqual([
      'access_token',
      'refresh_token',
      'api_domain',
      'token_type',
      'expires_in',
    ]);
    expect(body.access_token).toMatch(ACCESS_TOKEN);
    expect(body.refresh_token).toMatch(ACCESS_TOKEN);
    expect(body).toMatchObject({ api_domain: t.url, token_type: 'Bearer', expires_in: 3600 });
    expect(res.text).toBe(
      `{"access_token":"${body.access_token}","refresh_token":"${body.refresh_token}","api_domain":"${t.url}","token_type":"Bearer","expires_in":3600}`,
    );
    await expectTokenDeletes(body.access_token!);
  });

  it('accepts every parameter in the query string instead of the body', async () => {
    const q = await authorize(t.url, admin);
    const res = await tokenRequest(
      t.url,
      {
        grant_type: 'authorization_code',
        client_id: WEB_CLIENT.id,
        client_secret: WEB_CLIENT.secret,
        redirect_uri: WEB_CLIENT.redirectUri,
        code: q.get('code')!,
      },
      { inQuery: true },
    );
    expect(res.json.access_token).toMatch(ACCESS_TOKEN);
  });

  it('accepts a multipart/form-data body and HTTP Basic client credentials', async () => {
    const q = await authorize(t.url, admin);
    const form = new FormData();
    form.set('grant_type', 'authorization_code');
    form.set('redirect_uri', WEB_CLIENT.redirectUri);
    form.set('code', q.get('code')!);
    const res = await fetch(`${t.url}/oauth/v2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${WEB_CLIENT.id}:${WEB_CLIENT.secret}`).toString('base64')}`,
      },
      body: form,
    });
    expect(((await res.json()) as { access_token: string }).access_token).toMatch(ACCESS_TOKEN);
  });

  it('refuses a reused code with invalid_code, and the first exchange keeps working', async () => {
    const q = await authorize(t.url, admin);
    const first = await exchangeCode(t.url, q.get('code')!);
    expect(first.json.access_token).toMatch(ACCESS_TOKEN);
    expectTokenError(await exchangeCode(t.url, q.get('code')!), 'invalid_code');
    await expectTokenWorks(first.json.access_token as string);
  });

  it('accepts a code up to two minutes after issue and refuses it from then on', async () => {
    const early = await authorize(t.url, admin);
    const late = await authorize(t.url, admin);
    t.clock.advance(2 * MINUTE - 1);
    expect((await exchangeCode(t.url, early.get('code')!)).json.access_token).toMatch(ACCESS_TOKEN);
    t.clock.advance(1);
    expectTokenError(await exchangeCode(t.url, late.get('code')!), 'invalid_code');
  });

  it('forgets codes a day after they expired, when new codes are issued', async () => {
    const old = await authorize(t.url, admin);
    const oldHash = hashToken(old.get('code')!);
    expect(await t.server.stores.metadata.oauth.findGrantCode(oldHash)).not.toBeNull();
    t.clock.advance(2 * MINUTE + 86_400_000 + 1);
    await authorize(t.url, admin);
    expect(await t.server.stores.metadata.oauth.findGrantCode(oldHash)).toBeNull();
    expectTokenError(await exchangeCode(t.url, old.get('code')!), 'invalid_code');
  });

  it('answers an unknown or missing code with invalid_code', async () => {
    expectTokenError(
      await exchangeCode(t.url, '1000.00000000000000000000000000000000.00000000000000000000000000000000'),
      'invalid_code',
    );
    expectTokenError(await exchangeCode(t.url, ''), 'invalid_code');
  });

  it('answers an unknown client with invalid_client and a wrong or missing secret with invalid_client_secret', async () => {
    const q = await authorize(t.url, admin);
    const code = q.get('code')!;
    expectTokenError(await exchangeCode(t.url, code, { client_id: '1000.NOSUCHCLIENT' }), 'invalid_client');
    expectTokenError(await exchangeCode(t.url, code, { client_id: '' }), 'invalid_client');
    expectTokenError(await exchangeCode(t.url, code, { client_secret: 'wrong' }), 'invalid_client_secret');
    expectTokenError(await exchangeCode(t.url, code, { client_secret: '' }), 'invalid_client_secret');
    // None of those used the code up.
    expect((await exchangeCode(t.url, code)).json.access_token).toMatch(ACCESS_TOKEN);
  });

  it('answers a redirect URI other than the authorization request’s with invalid_redirect_uri', async () => {
    const q = await authorize(t.url, admin);
    expectTokenError(
      await exchangeCode(t.url, q.get('code')!, { redirect_uri: 'http://localhost:9999/other' }),
      'invalid_redirect_uri',
    );
    expectTokenError(await exchangeCode(t.url, q.get('code')!, { redirect_uri: '' }), 'invalid_redirect_uri');
  });

  it('refuses a code issued to another client with invalid_code', async () => {
    const q = await authorize(t.url, admin);
    expectTokenError(
      await exchangeCode(t.url, q.get('code')!, {
        client_id: OTHER_CLIENT.id,
        client_secret: OTHER_CLIENT.secret,
        redirect_uri: OTHER_CLIENT.redirectUri,
      }),
      'invalid_code',
    );
  });

  it('answers any other grant type with unsupported_grant_type', async () => {
    for (const grant_type of ['client_credentials', 'password', ''])
      expectTokenError(
        await tokenRequest(t.url, { grant_type, client_id: WEB_CLIENT.id, client_secret: WEB_CLIENT.secret }),
        'unsupported_grant_type',
      );
  });

  it('redeems a code exactly once under concurrent exchanges', async () => {
    const q = await authorize(t.url, admin);
    const answers = await Promise.all(Array.from({ length: 6 }, () => exchangeCode(t.url, q.get('code')!)));
    expect(answers.filter((a) => ACCESS_TOKEN.test(String(a.json.access_token))).length).toBe(1);
    expect(answers.filter((a) => a.json.error === 'invalid_code').length).toBe(5);
  });

  it('refuses a body over 64 KB with HTTP 413', async () => {
    const res = await fetch(`${t.url}/oauth/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=authorization_code&pad=${'x'.repeat(70_000)}`,
    });
    expect({ status: res.status, type: res.headers.get('content-type'), body: await res.text() }).toEqual({
      status: 413,
      type: JSON_TYPE,
      body: '{"error":"invalid_request"}',
    });
  });

  it('answers methods other than POST with 405 and Allow: POST', async () => {
    const res = await fetch(`${t.url}/oauth/v2/token`);
    expect({ status: res.status, allow: res.headers.get('allow'), body: await res.text() }).toEqual({
      status: 405,
      allow: 'POST',
      body: '{"error":"invalid_request_method"}',
    });
  });
});

describe('access_type and prompt', () => {
  it('gives no refresh token for online access', async () => {
    const q = await authorize(t.url, rep1, { access_type: 'online' });
    const res = await exchangeCode(t.url, q.get('code')!);
    expect(Object.keys(res.json)).toEqual(['access_token', 'api_domain', 'token_type', 'expires_in']);
  });

  it('gives a refresh token on the first offline consent only, and again with prompt=consent', async () => {
    const first = await exchangeCode(
      t.url,
      (await authorize(t.url, rep1, { access_type: 'offline' })).get('code')!,
    );
    expect(first.json.refresh_token).toMatch(ACCESS_TOKEN);
    const second = await exchangeCode(
      t.url,
      (await authorize(t.url, rep1, { access_type: 'offline' })).get('code')!,
    );
    expect(Object.keys(second.json)).toEqual(['access_token', 'api_domain', 'token_type', 'expires_in']);
    const again = await exchangeCode(
      t.url,
      (await authorize(t.url, rep1, { access_type: 'offline', prompt: 'consent' })).get('code')!,
    );
    expect(again.json.refresh_token).toMatch(ACCESS_TOKEN);
  });
});

describe('refresh_token grant and revocation', () => {
  it('refreshes, then revoking the refresh token kills every access token issued from it at once', async () => {
    const tokens = await offlineTokens();
    const res = await refresh(t.url, tokens.refresh_token);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe(JSON_TYPE);
    const body = res.json as Record<string, string>;
    expect(res.text).toBe(
      `{"access_token":"${body.access_token}","api_domain":"${t.url}","token_type":"Bearer","expires_in":3600}`,
    );
    expect(body.access_token).not.toBe(tokens.access_token);
    await expectTokenDeletes(tokens.access_token);
    await expectTokenDeletes(body.access_token!);

    const revoked = await revoke(t.url, tokens.refresh_token);
    expect({ status: revoked.status, contentType: revoked.contentType, text: revoked.text }).toEqual({
      status: 200,
      contentType: JSON_TYPE,
      text: '{"status":"success"}',
    });
    await expectTokenRefused(tokens.access_token);
    await expectTokenRefused(body.access_token!);
    expectTokenError(await refresh(t.url, tokens.refresh_token), 'invalid_code');
  });

  it('revokes a single access token', async () => {
    const tokens = await offlineTokens();
    expect((await revoke(t.url, tokens.access_token)).text).toBe('{"status":"success"}');
    await expectTokenRefused(tokens.access_token);
    expect((await refresh(t.url, tokens.refresh_token)).json.access_token).toMatch(ACCESS_TOKEN);
  });

  it('answers revoking an unknown or already revoked token with HTTP 400 invalid_token', async () => {
    expectTokenError(await revoke(t.url, '1000.nope'), 'invalid_token', 400);
    const tokens = await offlineTokens();
    await revoke(t.url, tokens.refresh_token);
    expectTokenError(await revoke(t.url, tokens.refresh_token), 'invalid_token', 400);
  });

  it('refuses an unknown refresh token, or one of another client, with invalid_code', async () => {
    expectTokenError(await refresh(t.url, '1000.unknown'), 'invalid_code');
    const tokens = await offlineTokens();
    expectTokenError(
      await refresh(t.url, tokens.refresh_token, {
        client_id: OTHER_CLIENT.id,
        client_secret: OTHER_CLIENT.secret,
      }),
      'invalid_code',
    );
    expectTokenError(
      await refresh(t.url, tokens.refresh_token, { client_secret: 'wrong' }),
      'invalid_client_secret',
    );
  });

  it('an access token expires after 3600 seconds', async () => {
    const tokens = await offlineTokens();
    t.clock.advance(3600_000 - 1);
    await expectTokenWorks(tokens.access_token);
    t.clock.advance(1);
    await expectTokenRefused(tokens.access_token);
  });
});

describe('limits', () => {
  it('the 16th live access token of a refresh token invalidates the oldest', async () => {
    const tokens = await offlineTokens();
    const issued = [tokens.access_token];
    for (let i = 0; i < 15; i++) {
      // A minute apart, to stay under the refresh rate limit.
      t.clock.advance(MINUTE + 1);
      issued.push((await refresh(t.url, tokens.refresh_token)).json.access_token as string);
    }
    await expectTokenRefused(issued[0]!);
    for (const token of issued.slice(1)) await expectTokenWorks(token);
  });

  it('allows 10 refreshes in 10 minutes, answers the 11th with access_denied, and allows again once the window has passed', async () => {
    const tokens = await offlineTokens();
    for (let i = 0; i < 10; i++)
      expect((await refresh(t.url, tokens.refresh_token)).json.access_token).toMatch(ACCESS_TOKEN);
    const denied = await refresh(t.url, tokens.refresh_token);
    expect({ status: denied.status, contentType: denied.contentType, body: denied.json }).toEqual({
      status: 200,
      contentType: JSON_TYPE,
      body: {
        error: 'access_denied',
        error_description: 'You have made too many requests continuously. Please try again after some time.',
      },
    });
    t.clock.advance(10 * MINUTE);
    expect((await refresh(t.url, tokens.refresh_token)).json.access_token).toMatch(ACCESS_TOKEN);
  });

  it('the 21st refresh token of a user and client evicts the oldest with its access tokens', async () => {
    const issued: Array<{ access_token: string; refresh_token: string }> = [];
    for (let i = 0; i < 21; i++) {
      const { code } = await createSelfClientCode(
        {
          oauth: t.server.stores.metadata.oauth,
          organizations: t.server.stores.metadata.seed,
          clock: t.clock,
        },
        { clientId: SELF_CLIENT.id, orgId: A.org, userId: A.user.manager, scope: DELETE_SCOPE, minutes: 3 },
      );
      const res = await tokenRequest(t.url, {
        grant_type: 'authorization_code',
        client_id: SELF_CLIENT.id,
        client_secret: SELF_CLIENT.secret,
        code,
      });
      issued.push(res.json as { access_token: string; refresh_token: string });
    }
    await expectTokenRefused(issued[0]!.access_token);
    expectTokenError(
      await refresh(t.url, issued[0]!.refresh_token, {
        client_id: SELF_CLIENT.id,
        client_secret: SELF_CLIENT.secret,
      }),
      'invalid_code',
    );
    await expectTokenWorks(issued[1]!.access_token);
    expect(
      (
        await refresh(t.url, issued[1]!.refresh_token, {
          client_id: SELF_CLIENT.id,
          client_secret: SELF_CLIENT.secret,
        })
      ).json.access_token,
    ).toMatch(ACCESS_TOKEN);
  });
});

describe('self-client codes', () => {
  const deps = () => ({
    oauth: t.server.stores.metadata.oauth,
    organizations: t.server.stores.metadata.seed,
    clock: t.clock,
  });
  const redeem = (code: string) =>
    tokenRequest(t.url, {
      grant_type: 'authorization_code',
      client_id: SELF_CLIENT.id,
      client_secret: SELF_CLIENT.secret,
      code,
    });

  for (const minutes of [3, 5, 7, 10]) {
    it(`a ${minutes}-minute code redeems for a refresh token until it expires`, async () => {
      const input = {
        clientId: SELF_CLIENT.id,
        orgId: A.org,
        userId: A.user.admin,
        scope: DELETE_SCOPE,
        minutes,
      };
      const valid = await createSelfClientCode(deps(), input);
      const expiring = await createSelfClientCode(deps(), input);
      t.clock.advance(minutes * MINUTE - 1);
      const res = await redeem(valid.code);
      expect(Object.keys(res.json)).toEqual([
        'access_token',
        'refresh_token',
        'api_domain',
        'token_type',
        'expires_in',
      ]);
      await expectTokenWorks(res.json.access_token as string);
      t.clock.advance(1);
      expectTokenError(await redeem(expiring.code), 'invalid_code');
    });
  }

  it('refuses other lifetimes, web clients, and unknown organisations', async () => {
    const input = {
      clientId: SELF_CLIENT.id,
      orgId: A.org,
      userId: A.user.admin,
      scope: DELETE_SCOPE,
      minutes: 4,
    };
    await expect(createSelfClientCode(deps(), input)).rejects.toThrow('3, 5, 7, 10');
    await expect(
      createSelfClientCode(deps(), { ...input, minutes: 3, clientId: WEB_CLIENT.id }),
    ).rejects.toThrow('no self client');
    await expect(createSelfClientCode(deps(), { ...input, minutes: 3, orgId: '1' })).rejects.toThrow(
      'no organisation',
    );
  });
});
