import { DATA_CENTER_IDS, type DataCenterId, findDataCenter } from '@bigin-attachments/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../src/config/load-config.js';
import { dataCenterPorts } from '../../src/server.js';
import { call, ERR, JSON_TYPE } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import {
  ACCESS_TOKEN,
  authorize,
  clientsFixture,
  exchangeCode,
  refresh,
  revoke,
  WEB_CLIENT,
} from '../support/oauth.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// One process serving the eight data centers (docs/oauth.md): each on its own port and by its
// real host names; tokens, codes and refresh tokens work only in the data center that issued them,
// and the US accounts server signs in every data center's users but China's (multi-DC, D18).

const ORGS = Object.fromEntries(
  DATA_CENTER_IDS.map((dc, i) => [dc, orgIds(7100000 + i, `dc${dc}`)]),
) as Record<DataCenterId, ReturnType<typeof orgIds>>;
const password = (dc: DataCenterId) => `password-${dc}`;
const adminOf = (dc: DataCenterId) => ({
  email: `admin@${ORGS[dc].org}.example.com`,
  password: password(dc),
});

function fixtureFor(dc: DataCenterId) {
  const ids = ORGS[dc];
  const org = orgFixture(ids, { dataCenter: dc });
  org.users = org.users.map((u) => (u.id === ids.user.admin ? { ...u, password: password(dc) } : u));
  return org;
}

/** A DELETE of an attachment that does not exist: row 12 proves the token authenticated, row 4 that it did not. */
const probePath = (dc: DataCenterId) => attachmentPath('Contacts', ORGS[dc].contactOf.rep1, '1');

/** The consent flow over raw HTTP with a chosen Host header (fetch cannot set Host). */
async function consentViaHost(baseUrl: string, host: string, user: { email: string; password: string }) {
  const query = new URLSearchParams({
    client_id: WEB_CLIENT.id,
    redirect_uri: WEB_CLIENT.redirectUri,
    response_type: 'code',
    scope: 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL',
  });
  const page = await rawRequest(baseUrl, `GET /oauth/v2/auth?${query} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  const csrf = /name="csrf_token" value="([0-9a-f]{32})"/.exec(page.body)![1]!;
  const form = new URLSearchParams({
    ...Object.fromEntries(query),
    csrf_token: csrf,
    ...user,
    decision: 'accept',
  }).toString();
  const answer = await rawRequest(
    baseUrl,
    `POST /oauth/v2/auth HTTP/1.1\r\nHost: ${host}\r\nCookie: zoauth_csrf_${csrf}=1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
  );
  return { page, answer };
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: { clients: clientsFixture(), organizations: DATA_CENTER_IDS.map(fixtureFor) },
  });
});
afterAll(() => t?.close());

const urlOf = (dc: DataCenterId) => t.server.dataCenterUrls[dc]!;

describe('ports', () => {
  it('serves every data center on a port of its own, the default on PORT', () => {
    expect(Object.keys(t.server.dataCenterUrls).sort()).toEqual([...DATA_CENTER_IDS].sort());
    expect(t.server.dataCenterUrls.us).toBe(t.url);
    expect(new Set(Object.values(t.server.dataCenterUrls)).size).toBe(8);
  });

  it('maps DATA_CENTER_PORTS to ports', () => {
    const config = (settings: Record<string, string>) => loadConfig({}, settings);
    expect(dataCenterPorts(config({ PORT: '8080' }))).toEqual([
      { dataCenter: 'eu', port: 8081 },
      { dataCenter: 'au', port: 8082 },
      { dataCenter: 'in', port: 8083 },
      { dataCenter: 'cn', port: 8084 },
      { dataCenter: 'jp', port: 8085 },
      { dataCenter: 'sa', port: 8086 },
      { dataCenter: 'ca', port: 8087 },
    ]);
    expect(
      dataCenterPorts(config({ PORT: '9000', DEFAULT_DATA_CENTER: 'eu', DATA_CENTERS: 'eu,us,in' })),
    ).toEqual([
      { dataCenter: 'us', port: 9001 },
      { dataCenter: 'in', port: 9002 },
    ]);
    expect(dataCenterPorts(config({ DATA_CENTER_PORTS: 'none' }))).toEqual([]);
    expect(dataCenterPorts(config({ DATA_CENTER_PORTS: 'jp=7001, eu=7002' }))).toEqual([
      { dataCenter: 'eu', port: 7002 },
      { dataCenter: 'jp', port: 7001 },
    ]);
  });

  it('refuses inconsistent data-center settings, listing every problem', () => {
    const problems = (settings: Record<string, string>) => {
      try {
        loadConfig({}, settings);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ DATA_CENTERS: 'eu,jp' })).toEqual([
      'DEFAULT_DATA_CENTER=us is not among DATA_CENTERS (eu,jp)',
    ]);
    expect(problems({ DATA_CENTERS: 'us,xx' })[0]).toMatch(/^DATA_CENTERS="us,xx": must be "all" or/);
    expect(problems({ DATA_CENTERS: 'us,eu', DATA_CENTER_PORTS: 'jp=9000,us=9001' })).toEqual([
      'DATA_CENTER_PORTS: jp is not among DATA_CENTERS',
      'DATA_CENTER_PORTS: us is the default data center, served on PORT',
    ]);
    expect(problems({ DATA_CENTER_URLS: 'eu=ftp://x' })[0]).toMatch(/must be an http\(s\) base URL/);
    expect(problems({ TLS_CERT_FILE: 'cert.pem' })).toEqual([
      'TLS_CERT_FILE and TLS_KEY_FILE: give both or neither',
    ]);
  });
});

describe('tokens are bound to their data center', () => {
  for (const dc of DATA_CENTER_IDS) {
    it(`a ${dc.toUpperCase()} token works on the ${dc.toUpperCase()} port and is INVALID_TOKEN on every other`, async () => {
      const token = ORGS[dc].token('admin');
      for (const other of DATA_CENTER_IDS) {
        const res = await call(urlOf(other), 'DELETE', probePath(dc), token);
        expect({ dc: other, status: res.status, body: res.json, type: res.contentType }).toEqual(
          other === dc
            ? { dc: other, status: 400, body: ERR.attachmentNotFound, type: JSON_TYPE }
            : { dc: other, status: 401, body: ERR.invalidToken, type: JSON_TYPE },
        );
      }
    });
  }

  it('the real API host name reaches its data center on any port', async () => {
    for (const dc of DATA_CENTER_IDS) {
      const host = new URL(findDataCenter(dc).apiDomain).host;
      for (const port of ['us', 'jp'] as const) {
        const res = await rawRequest(
          urlOf(port),
          `DELETE ${probePath(dc)} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Zoho-oauthtoken ${ORGS[dc].token('admin')}\r\n\r\n`,
        );
        expect({ dc, port, status: res.status, body: JSON.parse(res.body) }).toEqual({
          dc,
          port,
          status: 400,
          body: ERR.attachmentNotFound,
        });
      }
    }
  });

  it('a token minted by the EU accounts server works on the EU API only', async () => {
    const q = await authorize(urlOf('eu'), adminOf('eu'));
    expect(q.get('location')).toBe('eu');
    expect(q.get('accounts-server')).toBe(urlOf('eu'));
    const res = await exchangeCode(urlOf('eu'), q.get('code')!);
    expect(res.json).toMatchObject({ api_domain: urlOf('eu') });
    const token = res.json.access_token as string;
    expect(token).toMatch(ACCESS_TOKEN);
    expect((await call(urlOf('eu'), 'DELETE', probePath('eu'), token)).json).toEqual(ERR.attachmentNotFound);
    for (const other of DATA_CENTER_IDS.filter((d) => d !== 'eu'))
      expect((await call(urlOf(other), 'DELETE', probePath('eu'), token)).json).toEqual(ERR.invalidToken);
  });
});

describe('accounts servers are per data center', () => {
  it('a code from the EU accounts server is invalid_client at every other, and still good at EU', async () => {
    const q = await authorize(urlOf('eu'), adminOf('eu'));
    for (const other of DATA_CENTER_IDS.filter((d) => d !== 'eu'))
      expect((await exchangeCode(urlOf(other), q.get('code')!)).json).toEqual({ error: 'invalid_client' });
    expect((await exchangeCode(urlOf('eu'), q.get('code')!)).json.access_token).toMatch(ACCESS_TOKEN);
  });

  it('an IN refresh token refreshes only at IN, and is revoked only there', async () => {
    const q = await authorize(urlOf('in'), adminOf('in'), { prompt: 'consent' });
    const tokens = (await exchangeCode(urlOf('in'), q.get('code')!)).json as { refresh_token: string };
    expect((await refresh(urlOf('us'), tokens.refresh_token)).json).toEqual({ error: 'invalid_client' });
    expect((await revoke(urlOf('us'), tokens.refresh_token)).json).toEqual({ error: 'invalid_token' });
    const refreshed = await refresh(urlOf('in'), tokens.refresh_token);
    expect(refreshed.json).toMatchObject({ api_domain: urlOf('in'), token_type: 'Bearer', expires_in: 3600 });
    expect((await revoke(urlOf('in'), tokens.refresh_token)).json).toEqual({ status: 'success' });
  });

  it('the real accounts host name reaches its accounts server on any port', async () => {
    const q = await authorize(urlOf('jp'), adminOf('jp'));
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: WEB_CLIENT.id,
      client_secret: WEB_CLIENT.secret,
      redirect_uri: WEB_CLIENT.redirectUri,
      code: q.get('code')!,
    }).toString();
    const res = await rawRequest(
      t.url,
      `POST /oauth/v2/token HTTP/1.1\r\nHost: accounts.zoho.jp\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ api_domain: urlOf('jp'), token_type: 'Bearer' });
  });

  it('counts failed sign-ins for one address across every port that reaches its data center', async () => {
    const user = adminOf('ca');
    for (let i = 0; i < 10; i++) {
      const viaPort = i % 2 === 0;
      const { answer } = await consentViaHost(
        viaPort ? urlOf('ca') : t.url,
        viaPort ? '127.0.0.1' : 'accounts.zohocloud.ca',
        {
          ...user,
          password: `guess-${i}`,
        },
      );
      expect(answer.status).toBe(401);
    }
    expect((await consentViaHost(urlOf('ca'), '127.0.0.1', user)).answer.status).toBe(401);
    expect((await consentViaHost(urlOf('au'), 'accounts.zohocloud.ca', user)).answer.status).toBe(401);
    // Another data center's accounts server is another account space.
    expect((await consentViaHost(urlOf('sa'), '127.0.0.1', adminOf('sa'))).answer.status).toBe(302);
  });
});

describe('multi-DC sign-in on the US accounts server (D18)', () => {
  it('an EU user signs in at the US page; the code is the EU data center’s, redeemed there only', async () => {
    const q = await authorize(urlOf('us'), adminOf('eu'), { state: 'calcom-state' });
    expect([...q.keys()]).toEqual(['state', 'code', 'location', 'accounts-server']);
    expect(q.get('state')).toBe('calcom-state');
    expect(q.get('location')).toBe('eu');
    expect(q.get('accounts-server')).toBe(urlOf('eu'));
    const code = q.get('code')!;
    // At the US accounts server, where the user signed in, the code is foreign: invalid_client,
    // and it is not used up by that.
    expect((await exchangeCode(urlOf('us'), code)).json).toEqual({ error: 'invalid_client' });
    const res = await exchangeCode(q.get('accounts-server')!, code);
    expect(res.json).toMatchObject({ api_domain: urlOf('eu'), token_type: 'Bearer', expires_in: 3600 });
    const token = res.json.access_token as string;
    expect((await call(urlOf('eu'), 'DELETE', probePath('eu'), token)).json).toEqual(ERR.attachmentNotFound);
    expect((await call(urlOf('us'), 'DELETE', probePath('eu'), token)).json).toEqual(ERR.invalidToken);
  });

  it('cal.com, end to end: an EU user signs in at the US page, and the v1 calls go to the EU API', async () => {
    const q = await authorize(urlOf('us'), adminOf('eu'), {
      scope: 'ZohoBigin.modules.events.ALL,ZohoBigin.modules.contacts.ALL',
      access_type: 'offline',
      prompt: 'consent',
    });
    // cal.com keeps `accounts-server` for refreshes, and redeems the code there.
    const accountsServer = q.get('accounts-server')!;
    const tokens = (await exchangeCode(accountsServer, q.get('code')!)).json as {
      access_token: string;
      refresh_token: string;
      api_domain: string;
    };
    expect(tokens.api_domain).toBe(urlOf('eu'));
    const headers = { 'Content-Type': 'application/json' };
    const search = () =>
      call(
        tokens.api_domain,
        'GET',
        '/bigin/v1/Contacts/search?criteria=((Email:equals:eve@eu.example))',
        tokens.access_token,
      );
    expect((await search()).status).toBe(204);
    const inserted = await call(tokens.api_domain, 'POST', '/bigin/v1/Contacts', tokens.access_token, {
      headers,
      body: JSON.stringify({ data: [{ Last_Name: 'Eve', Email: 'eve@eu.example' }] }),
    });
    expect(inserted.status, inserted.text).toBe(201);
    expect((await search()).status).toBe(200);
    expect((await refresh(accountsServer, tokens.refresh_token)).json).toMatchObject({
      api_domain: urlOf('eu'),
    });
    expect((await refresh(urlOf('us'), tokens.refresh_token)).json).toEqual({ error: 'invalid_client' });
  });

  it('signs in the users of every data center but CN, each redirected to their own', async () => {
    // The throttle test above left CA's address locked for 15 minutes (which the US page respects).
    t.clock.advance(15 * 60_000);
    for (const dc of DATA_CENTER_IDS.filter((d) => d !== 'cn')) {
      const q = await authorize(urlOf('us'), adminOf(dc));
      expect({ dc, location: q.get('location'), server: q.get('accounts-server') }).toEqual({
        dc,
        location: dc,
        server: urlOf(dc),
      });
      expect((await exchangeCode(urlOf(dc), q.get('code')!)).json.access_token).toMatch(ACCESS_TOKEN);
    }
  });

  it('a CN user does not sign in at the US page, and no other accounts server is multi-DC', async () => {
    await expect(authorize(urlOf('us'), adminOf('cn'))).rejects.toThrow('consent answered 401');
    await expect(authorize(urlOf('eu'), adminOf('us'))).rejects.toThrow('consent answered 401');
    await expect(authorize(urlOf('jp'), adminOf('eu'))).rejects.toThrow('consent answered 401');
    await expect(authorize(urlOf('cn'), adminOf('eu'))).rejects.toThrow('consent answered 401');
    expect((await authorize(urlOf('cn'), adminOf('cn'))).get('location')).toBe('cn');
  });

  it('a wrong secret at the wrong accounts server is still invalid_client_secret', async () => {
    const q = await authorize(urlOf('us'), adminOf('in'));
    const res = await exchangeCode(urlOf('us'), q.get('code')!, { client_secret: 'wrong' });
    expect(res.json).toEqual({ error: 'invalid_client_secret' });
  });

  it('failed sign-ins on the US page count against the address in its own data center', async () => {
    const user = adminOf('au');
    for (let i = 0; i < 10; i++)
      expect(
        (await consentViaHost(urlOf('us'), '127.0.0.1', { ...user, password: `guess-${i}` })).answer.status,
      ).toBe(401);
    expect((await consentViaHost(urlOf('au'), '127.0.0.1', user)).answer.status).toBe(401);
    expect((await consentViaHost(urlOf('us'), '127.0.0.1', user)).answer.status).toBe(401);
  });
});

describe('a subset of data centers on one port, with public URLs', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      fixture: { clients: clientsFixture(), organizations: [fixtureFor('us'), fixtureFor('eu')] },
      settings: {
        DATA_CENTERS: 'us,eu',
        DATA_CENTER_PORTS: 'none',
        DATA_CENTER_URLS: 'eu=https://bigin-eu.example.com/',
      },
    });
  });
  afterAll(() => s?.close());

  it('listens on PORT only', () => {
    expect(s.server.dataCenterUrls).toEqual({ us: s.url });
  });

  it('reaches EU by its host names, and answers with its configured public URL', async () => {
    const { page, answer: accepted } = await consentViaHost(s.url, 'accounts.zoho.eu', adminOf('eu'));
    expect(page.status).toBe(200);
    expect(page.body).toContain('EU data center');
    expect(accepted.status).toBe(302);
    const q = new URL(accepted.headers.location!).searchParams;
    expect(q.get('accounts-server')).toBe('https://bigin-eu.example.com');
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: WEB_CLIENT.id,
      client_secret: WEB_CLIENT.secret,
      redirect_uri: WEB_CLIENT.redirectUri,
      code: q.get('code')!,
    }).toString();
    const res = await rawRequest(
      s.url,
      `POST /oauth/v2/token HTTP/1.1\r\nHost: accounts.zoho.eu\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    const tokens = JSON.parse(res.body) as { access_token: string; api_domain: string };
    expect(tokens.api_domain).toBe('https://bigin-eu.example.com');
    // Without the EU host name the request reaches US, where the token is foreign.
    expect((await call(s.url, 'DELETE', probePath('eu'), tokens.access_token)).json).toEqual(
      ERR.invalidToken,
    );
    const viaHost = await rawRequest(
      s.url,
      `DELETE ${probePath('eu')} HTTP/1.1\r\nHost: www.zohoapis.eu\r\nAuthorization: Zoho-oauthtoken ${tokens.access_token}\r\n\r\n`,
    );
    expect(JSON.parse(viaHost.body)).toEqual(ERR.attachmentNotFound);
  });

  it('an EU user on the US page is sent to the EU data center’s public URL', async () => {
    const { answer } = await consentViaHost(s.url, '127.0.0.1', adminOf('eu'));
    expect(answer.status).toBe(302);
    const q = new URL(answer.headers.location!).searchParams;
    expect([q.get('location'), q.get('accounts-server')]).toEqual(['eu', 'https://bigin-eu.example.com']);
  });

  it('a data center that is not served is not reached by its host name', async () => {
    const res = await rawRequest(
      s.url,
      `DELETE ${probePath('us')} HTTP/1.1\r\nHost: www.zohoapis.jp\r\nAuthorization: Zoho-oauthtoken ${ORGS.us.token('admin')}\r\n\r\n`,
    );
    // Host names of data centers not served fall back to the port's data center (US here).
    expect(JSON.parse(res.body)).toEqual(ERR.attachmentNotFound);
  });
});
