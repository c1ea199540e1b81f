/** Drives Zoho Accounts endpoints over real HTTP, as a browser and an OAuth client would. */

export const WEB_CLIENT = {
  id: '1000.WEBCLIENT0000000000000000000000',
  name: 'Acme Sync & Co',
  secret: 'web-client-secret-0000000000000000000000',
  redirectUri: 'http://localhost:9999/oauth/callback',
};
export const OTHER_CLIENT = {
  id: '1000.OTHERCLIENT000000000000000000000',
  name: 'Other App',
  secret: 'other-client-secret-000000000000000000000',
  redirectUri: 'https://other.example.com/cb',
};
export const SELF_CLIENT = {
  id: '1000.SELFCLIENT00000000000000000000000',
  name: 'Self Client',
  secret: 'self-client-secret-00000000000000000000000',
};
export const DELETE_SCOPE = 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL';

export function clientsFixture() {
  return [
    {
      id: WEB_CLIENT.id,
      name: WEB_CLIENT.name,
      secret: WEB_CLIENT.secret,
      redirectUris: [WEB_CLIENT.redirectUri],
    },
    {
      id: OTHER_CLIENT.id,
      name: OTHER_CLIENT.name,
      secret: OTHER_CLIENT.secret,
      redirectUris: [OTHER_CLIENT.redirectUri],
    },
    { id: SELF_CLIENT.id, name: SELF_CLIENT.name, secret: SELF_CLIENT.secret, type: 'self' },
  ];
}

export const ACCESS_TOKEN = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;

export interface AuthParams {
  client_id?: string | undefined;
  redirect_uri?: string | undefined;
  scope?: string | undefined;
  response_type?: string | undefined;
  access_type?: string | undefined;
  prompt?: string | undefined;
  state?: string | undefined;
}

export function authQuery(params: AuthParams = {}): string {
  const all: AuthParams = {
    client_id: WEB_CLIENT.id,
    redirect_uri: WEB_CLIENT.redirectUri,
    scope: DELETE_SCOPE,
    response_type: 'code',
    access_type: 'offline',
    ...params,
  };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(all)) if (v !== undefined) q.set(k, v);
  return q.toString();
}

export interface ConsentPage {
  status: number;
  html: string;
  headers: Headers;
  /** `name=value` of the CSRF cookie the page set, if any. */
  cookie: string | undefined;
  /** Every form field of the page, as a browser would submit it (before the user types). */
  fields: Record<string, string>;
}

export async function openConsentPage(accountsUrl: string, params: AuthParams = {}): Promise<ConsentPage> {
  const res = await fetch(`${accountsUrl}/oauth/v2/auth?${authQuery(params)}`, { redirect: 'manual' });
  return readPage(res);
}

async function readPage(res: Response): Promise<ConsentPage> {
  const html = await res.text();
  // A POST answer clears the used CSRF cookie and may set the next step's: keep the one it sets.
  const setCookie = res.headers.getSetCookie().find((c) => !c.includes('Max-Age=0'));
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[unescapeHtml(m[1]!)] = unescapeHtml(m[2]!);
  return {
    status: res.status,
    html,
    headers: res.headers,
    cookie: setCookie ? setCookie.split(';')[0] : undefined,
    fields,
  };
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export interface FormResult {
  status: number;
  location: string | null;
  page: ConsentPage;
}

/** Submits the consent form of `page` as a browser would (cookie included unless `cookie` overrides). */
export async function submitConsent(
  accountsUrl: string,
  page: ConsentPage,
  answer: {
    email?: string;
    password?: string;
    decision?: 'accept' | 'deny' | 'signin';
    cookie?: string | null;
    csrf?: string;
  },
): Promise<FormResult> {
  const body = new URLSearchParams({ ...page.fields });
  if (answer.csrf !== undefined) body.set('csrf_token', answer.csrf);
  body.set('email', answer.email ?? '');
  body.set('password', answer.password ?? '');
  body.set('decision', answer.decision ?? 'accept');
  const cookie = answer.cookie === undefined ? page.cookie : answer.cookie;
  const res = await fetch(`${accountsUrl}/oauth/v2/auth`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body,
  });
  return { status: res.status, location: res.headers.get('location'), page: await readPage(res) };
}

/** Opens the consent page, signs in and accepts; returns the redirect's query parameters. */
export async function authorize(
  accountsUrl: string,
  user: { email: string; password: string },
  params: AuthParams = {},
): Promise<URLSearchParams> {
  const page = await openConsentPage(accountsUrl, params);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const result = await submitConsent(accountsUrl, page, user);
  if (result.status !== 302 || !result.location)
    throw new Error(`consent answered ${result.status}: ${result.page.html}`);
  return new URL(result.location).searchParams;
}

export interface TokenAnswer {
  status: number;
  contentType: string | null;
  text: string;
  json: Record<string, unknown>;
}

/** POST to the token endpoint with a form body (or, with `inQuery`, everything in the query string). */
export async function tokenRequest(
  accountsUrl: string,
  params: Record<string, string>,
  options: { inQuery?: boolean; path?: string } = {},
): Promise<TokenAnswer> {
  const q = new URLSearchParams(params);
  const path = options.path ?? '/oauth/v2/token';
  const res = options.inQuery
    ? await fetch(`${accountsUrl}${path}?${q}`, { method: 'POST' })
    : await fetch(`${accountsUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: q,
      });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), text, json: JSON.parse(text) };
}

export function exchangeCode(accountsUrl: string, code: string, overrides: Record<string, string> = {}) {
  return tokenRequest(accountsUrl, {
    grant_type: 'authorization_code',
    client_id: WEB_CLIENT.id,
    client_secret: WEB_CLIENT.secret,
    redirect_uri: WEB_CLIENT.redirectUri,
    code,
    ...overrides,
  });
}

export function refresh(accountsUrl: string, refreshToken: string, overrides: Record<string, string> = {}) {
  return tokenRequest(accountsUrl, {
    grant_type: 'refresh_token',
    client_id: WEB_CLIENT.id,
    client_secret: WEB_CLIENT.secret,
    refresh_token: refreshToken,
    ...overrides,
  });
}

export function revoke(accountsUrl: string, token: string) {
  return tokenRequest(accountsUrl, { token }, { inQuery: true, path: '/oauth/v2/token/revoke' });
}
