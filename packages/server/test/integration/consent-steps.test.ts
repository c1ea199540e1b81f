import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../support/fixtures.js';
import {
  clientsFixture,
  exchangeCode,
  openConsentPage,
  submitConsent,
  WEB_CLIENT,
} from '../support/oauth.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// The consent page in two steps (D25): sign in, see which user and organisation the grant is
// for, then accept or deny; the sign-in ticket is single-use, bound to its request and expires on
// the virtual clock. And the error pages' developer hint.

const A = orgIds(5757575, 'step');
const admin = { email: `admin@${A.org}.example.com`, password: 'step-pw' };

let t: TestServer;
beforeAll(async () => {
  const org = orgFixture(A, { name: 'Step & Co' });
  org.users = org.users.map((u) => (u.id === A.user.admin ? { ...u, password: admin.password } : u));
  t = await startTestServer({ fixture: { clients: clientsFixture(), organizations: [org] } });
});
afterAll(() => t?.close());

async function signedIn() {
  const first = await openConsentPage(t.url, { state: 'st' });
  return submitConsent(t.url, first, { ...admin, decision: 'signin' });
}

describe('two steps: sign in, then accept', () => {
  it('shows the signed-in user and organisation with accept and deny, and no password field', async () => {
    const step = await signedIn();
    expect(step.status).toBe(200);
    expect(step.location).toBeNull();
    expect(step.page.html).toContain(
      `<p class="who" id="signed-in">Signed in as <strong>admin</strong> (${admin.email}) · organisation <code>${A.org}</code>, US data center</p>`,
    );
    expect(step.page.html).not.toContain('type="password"');
    expect(step.page.fields.signin_ticket).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(step.page.fields.csrf_token).toMatch(/^[0-9a-f]{32}$/);
    expect(step.page.cookie).toBe(`zoauth_csrf_${step.page.fields.csrf_token}=1`);
    expect(step.page.html).toContain('id="accept"');
  });

  it('accepting issues a code for that user, once: the ticket cannot be used again', async () => {
    const step = await signedIn();
    const accepted = await submitConsent(t.url, step.page, { decision: 'accept' });
    expect(accepted.status).toBe(302);
    const url = new URL(accepted.location!);
    expect(url.searchParams.get('state')).toBe('st');
    const tokens = await exchangeCode(t.url, url.searchParams.get('code')!);
    expect(tokens.status).toBe(200);
    expect(tokens.json.access_token).toEqual(expect.any(String));

    const again = await openConsentPage(t.url, { state: 'st' });
    const replay = await submitConsent(t.url, again, { decision: 'accept' });
    expect(replay.status).toBe(401);
    const reused = await submitConsent(
      t.url,
      { ...again, fields: { ...again.fields, signin_ticket: step.page.fields.signin_ticket! } },
      { decision: 'accept' },
    );
    expect(reused.status).toBe(403);
    expect(reused.page.html).toContain('Your sign-in has expired. Please sign in again.');
  });

  it('refuses a ticket carried to another request, and one older than ten minutes', async () => {
    const step = await signedIn();
    const other = await submitConsent(
      t.url,
      { ...step.page, fields: { ...step.page.fields, scope: 'ZohoBigin.modules.ALL' } },
      { decision: 'accept' },
    );
    expect(other.status).toBe(403);

    const late = await signedIn();
    t.clock.advance(10 * 60_000 + 1);
    const expired = await submitConsent(t.url, late.page, { decision: 'accept' });
    expect(expired.status).toBe(403);
    expect(expired.location).toBeNull();
  });

  it('denying after sign-in redirects with access_denied', async () => {
    const step = await signedIn();
    const denied = await submitConsent(t.url, step.page, { decision: 'deny' });
    expect(denied.status).toBe(302);
    expect(new URL(denied.location!).searchParams.get('error')).toBe('access_denied');
  });

  it('a wrong password at the sign-in step shows the form again, with no ticket', async () => {
    const first = await openConsentPage(t.url);
    const wrong = await submitConsent(t.url, first, {
      email: admin.email,
      password: 'nope',
      decision: 'signin',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.page.fields.signin_ticket).toBeUndefined();
  });
});

describe('error pages name what was wrong', () => {
  it('a redirect URI that is not registered: the parameter, the value sent, the registered ones', async () => {
    const page = await openConsentPage(t.url, { redirect_uri: 'https://evil.example.com/<cb>' });
    expect(page.status).toBe(400);
    expect(page.html).toContain(
      'check the <code>redirect_uri</code> parameter; it was <code>https://evil.example.com/&lt;cb&gt;</code>.',
    );
    expect(page.html).toContain(`<ul id="registered"><li><code>${WEB_CLIENT.redirectUri}</code></li></ul>`);
    expect(page.html).not.toContain(WEB_CLIENT.secret);
  });

  it('a missing scope, an unknown client and a wrong response type each name their parameter', async () => {
    expect((await openConsentPage(t.url, { scope: undefined })).html).toContain(
      'check the <code>scope</code> parameter, which is missing.',
    );
    const unknown = await openConsentPage(t.url, { client_id: '1000.NOPE' });
    expect(unknown.html).toContain(
      'check the <code>client_id</code> parameter; it was <code>1000.NOPE</code>.',
    );
    // An unknown client has no registered URIs to show.
    expect(unknown.html).not.toContain('id="registered"');
    expect((await openConsentPage(t.url, { response_type: 'token' })).html).toContain(
      'check the <code>response_type</code> parameter; it was <code>token</code>.',
    );
  });
});
