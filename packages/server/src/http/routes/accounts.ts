import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataCenterId, TokenResponse } from '@bigin-attachments/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import {
  type AuthorizationParams,
  type AuthorizationRequest,
  issueAuthorizationCode,
  type SignedInUser,
  signIn,
  validateAuthorizationRequest,
} from '../../domain/oauth/authorization.js';
import { AuthorizationRequestError, OAuthError } from '../../domain/oauth/oauth-error.js';
import { signInDataCenters } from '../../domain/oauth/oauth-policy.js';
import { grantTokens, revokeToken, type TokenParams } from '../../domain/oauth/token-grants.js';
import type { OAuthRepository } from '../../domain/ports.js';
import { hasUnstorableText } from '../../domain/text.js';
import { consentPage, errorPage, type SignedInAs } from '../consent-page.js';
import type { DataCenterDirectory } from '../data-center.js';
import { recoveringBodyRefusals } from '../error-handler.js';
import { FormBodyTooLargeError, FormParamUnstorableError, readFormParams } from '../form-params.js';
import { isStoreOutage, OUTAGE_RETRY_AFTER_SECONDS } from '../store-outage.js';
import { JSON_CONTENT_TYPE } from '../wire.js';
import { developerHint, SignInTickets } from './consent-steps.js';
import type { SignInThrottle } from './sign-in-throttle.js';

export interface AccountsRouteDeps {
  oauth: OAuthRepository;
  clock: Clock;
  directory: DataCenterDirectory;
  /** The data center of the port this app listens on. */
  portDataCenter: DataCenterId;
  /** Whether the server speaks HTTPS (cookies get `Secure`). */
  secure: boolean;
  signInThrottle: SignInThrottle;
}

const AUTH_PARAMS = [
  'client_id',
  'redirect_uri',
  'scope',
  'response_type',
  'access_type',
  'prompt',
  'state',
] as const;
const CSRF_COOKIE_PREFIX = 'zoauth_csrf_';
const CSRF_MAX_AGE_SECONDS = 600;
const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
};

/**
 * Zoho Accounts on every data center's accounts host: the consent page, the token endpoint and
 * revocation. They live in their own encapsulation scope because their errors are Zoho
 * Accounts' (`{"error":"invalid_code"}` with HTTP 200), not the Bigin API's envelope.
 */
export function registerAccountsRoutes(app: FastifyInstance, deps: AccountsRouteDeps): void {
  const throttle = deps.signInThrottle;
  const dataCenterOf = (request: FastifyRequest) =>
    deps.directory.resolve(request.headers.host, deps.portDataCenter);

  const tickets = new SignInTickets();
  /** Checks the password against every data center this page signs in (D18), counting failures. */
  const signInOnce = async (email: string, password: string, dataCenter: DataCenterId) => {
    // Multi-DC sign-in (D18): the US server signs in other data centers' users too. Guesses are
    // counted per address and data center, so a page that reaches several data centers counts
    // against (and is stopped by) each of them.
    const reachable = signInDataCenters(dataCenter, deps.directory.served);
    const throttleKey = (dc: DataCenterId) => `${dc}:${email.toLowerCase()}`;
    const user = reachable.every((dc) => throttle.allows(throttleKey(dc)))
      ? await signIn({ oauth: deps.oauth }, reachable, email, password)
      : null;
    if (!user) {
      for (const dc of reachable) throttle.failed(throttleKey(dc));
      return null;
    }
    throttle.succeeded(throttleKey(dataCenter));
    throttle.succeeded(throttleKey(user.dataCenter));
    return user;
  };

  app.register(async (scope) => {
    scope.setErrorHandler(
      recoveringBodyRefusals((error, request, reply) => {
        if (error instanceof OAuthError) {
          request.outcome = error.check;
          const body: Record<string, string> = { error: error.error };
          if (error.description) body.error_description = error.description;
          return sendOAuthJson(reply, error.httpStatus, JSON.stringify(body));
        }
        if (error instanceof FormParamUnstorableError) {
          request.outcome = 'oauth param-unstorable (D-14)';
          return sendOAuthJson(reply, 400, '{"error":"invalid_request"}');
        }
        if (error instanceof FormBodyTooLargeError) {
          request.outcome = 'oauth body-too-large';
          return sendOAuthJson(reply, 413, '{"error":"invalid_request"}');
        }
        request.log.error({ err: error }, 'unexpected error');
        request.outcome = 'oauth internal';
        if (isStoreOutage(error)) reply.header('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS));
        return sendOAuthJson(reply, 500, '{"error":"internal_error"}');
      }),
    );

    const postOnly =
      (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        if (request.method !== 'POST') {
          request.outcome = 'oauth request-method';
          return sendOAuthJson(reply.header('allow', 'POST'), 405, '{"error":"invalid_request_method"}');
        }
        return handler(request, reply);
      };

    scope.all(
      '/oauth/v2/token',
      postOnly(async (request, reply) => {
        const dataCenter = dataCenterOf(request);
        const params = withBasicCredentials(request, (await readFormParams(request)) as TokenParams);
        const issued = await grantTokens({ oauth: deps.oauth, clock: deps.clock }, dataCenter, params);
        request.outcome = `oauth ${params.grant_type}`;
        const body: TokenResponse = {
          access_token: issued.accessToken,
          ...(issued.refreshToken === null ? {} : { refresh_token: issued.refreshToken }),
          api_domain: deps.directory.urls(dataCenter).apiDomain,
          token_type: 'Bearer',
          expires_in: 3600,
        };
        return sendOAuthJson(reply, 200, JSON.stringify(body));
      }),
    );

    scope.all(
      '/oauth/v2/token/revoke',
      postOnly(async (request, reply) => {
        const params = await readFormParams(request);
        await revokeToken({ oauth: deps.oauth, clock: deps.clock }, dataCenterOf(request), params.token);
        request.outcome = 'oauth revoke';
        return sendOAuthJson(reply, 200, '{"status":"success"}');
      }),
    );

    scope.all('/oauth/v2/auth', async (request, reply) => {
      const dataCenter = dataCenterOf(request);
      if (request.method !== 'GET' && request.method !== 'POST') {
        request.outcome = 'auth request-method';
        return sendHtml(
          reply.header('allow', 'GET, POST'),
          405,
          errorPage(dataCenter, 'Method Not Allowed', 'Open this page with GET and submit its form.'),
        );
      }
      const params = await readFormParams(request);
      const authParams = pick(params);
      let authRequest: AuthorizationRequest;
      try {
        authRequest = await validateAuthorizationRequest({ oauth: deps.oauth }, authParams);
      } catch (error) {
        if (!(error instanceof AuthorizationRequestError)) throw error;
        request.outcome = error.check;
        return sendHtml(
          reply,
          400,
          errorPage(
            dataCenter,
            error.title,
            'The application sent an authorization request this server cannot accept.',
            await developerHint(deps.oauth, error.title, authParams),
          ),
        );
      }
      const hidden = Object.fromEntries(
        AUTH_PARAMS.filter((k) => authParams[k] !== undefined).map((k) => [k, authParams[k]!]),
      );
      const showForm = (status: number, error?: string, email?: string, signedIn?: SignedInAs) => {
        const csrf = randomBytes(16).toString('hex');
        reply.header(
          'set-cookie',
          `${CSRF_COOKIE_PREFIX}${csrf}=1; Path=/oauth/v2/auth; Max-Age=${CSRF_MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict${deps.secure ? '; Secure' : ''}`,
        );
        return sendHtml(
          reply,
          status,
          consentPage({
            dataCenter,
            clientName: authRequest.client.name,
            scopes: authRequest.scope.split(','),
            hidden,
            csrfToken: csrf,
            ...(error === undefined ? {} : { error }),
            ...(email === undefined ? {} : { email }),
            ...(signedIn === undefined ? {} : { signedIn }),
          }),
        );
      };

      if (request.method === 'GET') {
        request.outcome = 'auth consent-page';
        return showForm(200);
      }

      const csrf = params.csrf_token ?? '';
      if (!/^[0-9a-f]{32}$/.test(csrf) || !hasCookie(request, `${CSRF_COOKIE_PREFIX}${csrf}`)) {
        request.outcome = 'auth csrf';
        return showForm(403, 'This form has expired or did not come from this page. Please try again.');
      }
      reply.header(
        'set-cookie',
        `${CSRF_COOKIE_PREFIX}${csrf}=; Path=/oauth/v2/auth; Max-Age=0; HttpOnly; SameSite=Strict${deps.secure ? '; Secure' : ''}`,
      );

      if (params.decision !== 'accept' && params.decision !== 'signin') {
        request.outcome = 'auth denied';
        return redirect(reply, authRequest.redirectUri, [
          ['error', 'access_denied'],
          ...(authRequest.state === undefined ? [] : [['state', authRequest.state] as [string, string]]),
        ]);
      }
      const requestKey = JSON.stringify(hidden);
      let user: SignedInUser | null;
      if (params.decision === 'accept' && params.signin_ticket !== undefined) {
        // The second step: the user signed in on this page a moment ago and now accepts.
        user = tickets.redeem(params.signin_ticket, requestKey, deps.clock.now());
        if (!user) {
          request.outcome = 'auth sign-in ticket';
          return showForm(403, 'Your sign-in has expired. Please sign in again.');
        }
      } else {
        const email = (params.email ?? '').trim();
        user = await signInOnce(email, params.password ?? '', dataCenter);
        if (!user) {
          request.outcome = 'auth sign-in failed';
          return showForm(401, 'Incorrect e-mail address or password, or too many attempts.', email);
        }
        if (params.decision === 'signin') {
          request.outcome = 'auth signed in';
          const ticket = tickets.issue(user, requestKey, deps.clock.now());
          return showForm(200, undefined, undefined, {
            name: user.name,
            email,
            orgId: user.orgId,
            dataCenter: user.dataCenter,
            ticket,
          });
        }
      }
      const code = await issueAuthorizationCode({ oauth: deps.oauth, clock: deps.clock }, authRequest, user);
      request.outcome =
        user.dataCenter === dataCenter
          ? 'auth code issued'
          : `auth code issued by ${user.dataCenter} (multi-DC)`;
      // `location` and `accounts-server` name the user's data center, where the code is redeemed.
      return redirect(reply, authRequest.redirectUri, [
        ...(authRequest.state === undefined ? [] : [['state', authRequest.state] as [string, string]]),
        ['code', code],
        ['location', user.dataCenter],
        ['accounts-server', deps.directory.urls(user.dataCenter).accountsServer],
      ]);
    });
  });
}

function pick(params: Record<string, string>): AuthorizationParams {
  const out: AuthorizationParams = {};
  for (const k of AUTH_PARAMS) if (params[k] !== undefined) out[k] = params[k];
  return out;
}

/** Zoho Accounts also takes client credentials as HTTP Basic authentication. */
function withBasicCredentials(request: FastifyRequest, params: TokenParams): TokenParams {
  const header = request.headers.authorization;
  if (params.client_id !== undefined || !header || !/^basic /i.test(header)) return params;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return params;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const clientId = decode(decoded.slice(0, colon));
  const clientSecret = decode(decoded.slice(colon + 1));
  if (hasUnstorableText(clientId) || hasUnstorableText(clientSecret)) throw new FormParamUnstorableError();
  return { ...params, client_id: clientId, client_secret: clientSecret };
}

function hasCookie(request: FastifyRequest, name: string): boolean {
  const header = request.headers.cookie ?? '';
  const expected = Buffer.from(name);
  return header.split(';').some((part) => {
    const given = Buffer.from(part.split('=')[0]!.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function redirect(reply: FastifyReply, to: string, query: Array<[string, string]>): FastifyReply {
  const url = new URL(to);
  for (const [k, v] of query) url.searchParams.append(k, v);
  return reply.code(302).header('location', url.toString()).header('cache-control', 'no-store').send();
}

function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).headers(HTML_HEADERS).send(html);
}

function sendOAuthJson(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', JSON_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .send(body);
}
