import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../support/fixtures.js';
import {
  ACCESS_TOKEN,
  authQuery,
  clientsFixture,
  exchangeCode,
  openConsentPage,
  SELF_CLIENT,
  submitConsent,
  WEB_CLIENT,
} from '../support/oauth.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// GET/POST /oauth/v2/auth (docs/oauth.md): the consent page over real HTTP, its form, CSRF
// protection, local sign-in, accept and deny, and the requests it must not redirect.

const A = orgIds(5555555, 'cons');
const EU = orgIds(6666666, 'euro');
const admin = { email: `admin@${A.org}.example.com`, password: 'admin-pw' };
const inactive = { email: `inactive@${A.org}.example.com`, password: 'inactive-pw' };
const euAdmin = { email: `admin@${EU.org}.example.com`, password: 'eu-pw' };
const HTML = 'text/html; charset=utf-8';

let t: TestServer;
beforeAll(async () => {
  const org = orgFixture(A);
  org.users = org.users.map((u) =>
    u.id === A.user.admin
      ? { ...u, password: admin.password }
      : u.id === A.user.inactive
        ? { ...u, password: inactive.password }
        : u,
  );
  const eu = orgFixture(EU, { dataCenter: 'eu' });
  eu.users = eu.users.map((u) => (u.id === EU.user.admin ? { ...u, password: euAdmin.password } : u));
  t = await startTestServer({
    fixture: {
      clients: [
        ...clientsFixture(),
        {
          id: '1000.XSS',
          name: '<script>alert("x")</script>',
          secret: 's',
          redirectUris: ['https://xss.example.com/cb'],
        },
      ],
      organizations: [org, eu],
    },
  });
});
afterAll(() => t?.close());

describe('the consent page', () => {
  it('shows the client name and every requested scope in a sign-in form, with protective headers', async () => {
    const page = await openConsentPage(t.url, {
      scope: 'ZohoBigin.modules.contacts.ALL, ZohoBigin.modules.attachments.DELETE',
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe(HTML);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.html).toContain('<strong id="client-name">Acme Sync &amp; Co</strong>');
    // Each scope in plain words beside its code (D25).
    expect(page.html).toContain(
      '<ul id="scopes" class="scopes"><li><span>See, add, change and delete your contacts</span><code>ZohoBigin.modules.contacts.ALL</code></li><li><span>Delete your files attached to records</span><code>ZohoBigin.modules.attachments.DELETE</code></li></ul>',
    );
    expect(page.html).toContain('<form method="post" action="/oauth/v2/auth">');
    expect(page.html).toContain('type="password"');
    expect(page.fields).toMatchObject({
      client_id: WEB_CLIENT.id,
      redirect_uri: WEB_CLIENT.redirectUri,
      response_type: 'code',
    });
    expect(page.fields.csrf_token).toMatch(/^[0-9a-f]{32}$/);
    expect(page.headers.get('set-cookie')).toBe(
      `zoauth_csrf_${page.fields.csrf_token}=1; Path=/oauth/v2/auth; Max-Age=600; HttpOnly; SameSite=Strict`,
    );
  });

  it('escapes what the client controls', async () => {
    const page = await openConsentPage(t.url, {
      client_id: '1000.XSS',
      redirect_uri: 'https://xss.example.com/cb',
      state: '"><b>',
    });
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('<script>');
    expect(page.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.html).toContain('name="state" value="&quot;&gt;&lt;b&gt;"');
  });

  const refusals: Array<[string, Parameters<typeof openConsentPage>[1], string]> = [
    ['an unknown client', { client_id: '1000.UNKNOWN' }, 'Invalid Client'],
    ['a self client', { client_id: SELF_CLIENT.id }, 'Invalid Client'],
    ['an unregistered redirect URI', { redirect_uri: 'https://evil.example.com/cb' }, 'Invalid Redirect Uri'],
    ['a missing redirect URI', { redirect_uri: undefined }, 'Invalid Redirect Uri'],
    ['a response type other than code', { response_type: 'token' }, 'Invalid Response Type'],
    ['no scope', { scope: undefined }, 'Invalid OAuth Scope'],
    ['a malformed scope', { scope: 'ZohoBigin modules ALL' }, 'Invalid OAuth Scope'],
  ];
  for (const [what, params, title] of refusals) {
    it(`shows an error page and never redirects for ${what}`, async () => {
      const page = await openConsentPage(t.url, params);
      expect({
        status: page.status,
        type: page.headers.get('content-type'),
        location: page.headers.get('location'),
      }).toEqual({
        status: 400,
        type: HTML,
        location: null,
      });
      expect(page.html).toContain(`<h1 id="error-title">${title}</h1>`);
    });
  }

  it('answers other methods with 405', async () => {
    const res = await fetch(`${t.url}/oauth/v2/auth?${authQuery()}`, { method: 'PUT' });
    expect({ status: res.status, allow: res.headers.get('allow') }).toEqual({
      status: 405,
      allow: 'GET, POST',
    });
  });
});

describe('accept and deny', () => {
  it('accepting redirects to the redirect URI with state, code, location and accounts-server', async () => {
    const state = 'a&b=c d/é';
    const page = await openConsentPage(t.url, { state });
    const result = await submitConsent(t.url, page, admin);
    expect(result.status).toBe(302);
    const location = new URL(result.location!);
    expect(`${location.origin}${location.pathname}`).toBe(WEB_CLIENT.redirectUri);
    expect([...location.searchParams.keys()]).toEqual(['state', 'code', 'location', 'accounts-server']);
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('code')).toMatch(ACCESS_TOKEN);
    expect(location.searchParams.get('location')).toBe('us');
    expect(location.searchParams.get('accounts-server')).toBe(t.url);
    const token = await exchangeCode(t.url, location.searchParams.get('code')!);
    expect(token.json.access_token).toMatch(ACCESS_TOKEN);
  });

  it('signs in with the e-mail in any letter case', async () => {
    const page = await openConsentPage(t.url);
    const result = await submitConsent(t.url, page, { ...admin, email: admin.email.toUpperCase() });
    expect(result.status).toBe(302);
  });

  it('denying redirects with error=access_denied and the state, without signing in', async () => {
    const page = await openConsentPage(t.url, { state: 's1' });
    const result = await submitConsent(t.url, page, { decision: 'deny' });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`${WEB_CLIENT.redirectUri}?error=access_denied&state=s1`);
  });

  it('a submitted form clears its CSRF cookie in the browser', async () => {
    const page = await openConsentPage(t.url);
    const res = await fetch(`${t.url}/oauth/v2/auth`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: page.cookie! },
      body: new URLSearchParams({ ...page.fields, ...admin, decision: 'accept' }),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('set-cookie')).toBe(
      `zoauth_csrf_${page.fields.csrf_token}=; Path=/oauth/v2/auth; Max-Age=0; HttpOnly; SameSite=Strict`,
    );
  });
});

describe('sign-in failures', () => {
  const failed = 'Incorrect e-mail address or password, or too many attempts.';

  for (const [what, user] of [
    ['a wrong password', { email: admin.email, password: 'wrong' }],
    ['an unknown e-mail address', { email: 'nobody@example.com', password: 'x' }],
    ['a deactivated user', inactive],
    ['a user without a password', { email: `rep1@${A.org}.example.com`, password: '' }],
  ] as const) {
    it(`shows the form again with one generic message for ${what}, issuing no code`, async () => {
      const page = await openConsentPage(t.url);
      const result = await submitConsent(t.url, page, user);
      expect({ status: result.status, location: result.location }).toEqual({ status: 401, location: null });
      expect(result.page.html).toContain(`<p class="error" id="error" role="alert">${failed}</p>`);
      expect(result.page.fields.csrf_token).toMatch(/^[0-9a-f]{32}$/);
      expect(result.page.fields.csrf_token).not.toBe(page.fields.csrf_token);
    });
  }

  it('the EU user signs in on the EU data center, and on the US one (multi-DC, D18)', async () => {
    const eu = t.server.dataCenterUrls.eu!;
    for (const at of [eu, t.url]) {
      const result = await submitConsent(at, await openConsentPage(at), euAdmin);
      expect(result.status).toBe(302);
      const q = new URL(result.location!).searchParams;
      expect([q.get('location'), q.get('accounts-server')]).toEqual(['eu', eu]);
    }
  });

  it('a US user on the EU page gets the same generic form: only the US server is multi-DC', async () => {
    const eu = t.server.dataCenterUrls.eu!;
    const result = await submitConsent(eu, await openConsentPage(eu), admin);
    expect({ status: result.status, location: result.location }).toEqual({ status: 401, location: null });
    expect(result.page.html).toContain(`<p class="error" id="error" role="alert">${failed}</p>`);
  });

  it('refuses a post without the page’s CSRF cookie, or with another token', async () => {
    const page = await openConsentPage(t.url);
    for (const answer of [
      { ...admin, cookie: null },
      { ...admin, cookie: 'zoauth_csrf_00000000000000000000000000000000=1' },
      { ...admin, csrf: '00000000000000000000000000000000' },
      { ...admin, csrf: 'not-hex' },
    ]) {
      const result = await submitConsent(t.url, page, answer);
      expect({ status: result.status, location: result.location }).toEqual({ status: 403, location: null });
      expect(result.page.html).toContain('This form has expired');
    }
    // The untouched form still works.
    expect((await submitConsent(t.url, page, admin)).status).toBe(302);
  });

  it('after 10 failures for one address refuses even the right password for 15 minutes', async () => {
    const user = { email: `admin@${A.org}.example.com`, password: admin.password };
    for (let i = 0; i < 10; i++) {
      const result = await submitConsent(t.url, await openConsentPage(t.url), {
        ...user,
        password: `guess-${i}`,
      });
      expect(result.status).toBe(401);
    }
    expect((await submitConsent(t.url, await openConsentPage(t.url), user)).status).toBe(401);
    t.clock.advance(15 * 60_000);
    expect((await submitConsent(t.url, await openConsentPage(t.url), user)).status).toBe(302);
  });
});
