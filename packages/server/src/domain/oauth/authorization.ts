import type { DataCenterId } from '@bigin-attachments/contract';
import type { Clock } from '../clock.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../passwords.js';
import type { OAuthClientRow, OAuthRepository } from '../ports.js';
import { generateToken, hashToken } from '../tokens.js';
import { AuthorizationRequestError } from './oauth-error.js';
import { normaliseScope, WEB_CODE_MS } from './oauth-policy.js';

export interface AuthorizationDeps {
  oauth: OAuthRepository;
  clock: Clock;
}

/** A validated `/oauth/v2/auth` request. */
export interface AuthorizationRequest {
  client: OAuthClientRow;
  redirectUri: string;
  scope: string;
  accessType: 'online' | 'offline';
  promptConsent: boolean;
  state: string | undefined;
}

export type AuthorizationParams = Partial<
  Record<
    'client_id' | 'redirect_uri' | 'scope' | 'response_type' | 'access_type' | 'prompt' | 'state',
    string
  >
>;

/**
 * Checks an authorization request before anything is shown or redirected. A bad client or
 * redirect URI must never lead to a redirect (it could point anywhere), so every refusal here is
 * shown to the user as a page, as Zoho does.
 */
export async function validateAuthorizationRequest(
  deps: Pick<AuthorizationDeps, 'oauth'>,
  params: AuthorizationParams,
): Promise<AuthorizationRequest> {
  const client = params.client_id ? await deps.oauth.findClient(params.client_id) : null;
  if (client?.type !== 'server') throw new AuthorizationRequestError('Invalid Client', 'auth client');
  const redirectUri = params.redirect_uri;
  if (!redirectUri || !client.redirectUris.includes(redirectUri))
    throw new AuthorizationRequestError('Invalid Redirect Uri', 'auth redirect-uri');
  if (params.response_type !== 'code')
    throw new AuthorizationRequestError('Invalid Response Type', 'auth response-type');
  const scope = normaliseScope(params.scope);
  if (!scope) throw new AuthorizationRequestError('Invalid OAuth Scope', 'auth scope');
  return {
    client,
    redirectUri,
    scope,
    // Zoho's default is online: no refresh token.
    accessType: params.access_type?.toLowerCase() === 'offline' ? 'offline' : 'online',
    promptConsent: params.prompt?.toLowerCase() === 'consent',
    state: params.state,
  };
}

export interface SignedInUser {
  orgId: string;
  userId: string;
  name: string;
  /** The data center of the user's organisation: the one that issues the grant code. */
  dataCenter: DataCenterId;
}

/**
 * Sign-in on an accounts server: a user of an organisation in one of `dataCenters` (the server's
 * own first; see `signInDataCenters`), by e-mail and password. Unknown e-mail, wrong password and
 * deactivated user are indistinguishable, in answer and in time (a hash is always checked).
 */
export async function signIn(
  deps: Pick<AuthorizationDeps, 'oauth'>,
  dataCenters: readonly DataCenterId[],
  email: string,
  password: string,
): Promise<SignedInUser | null> {
  const candidates = [];
  if (email)
    for (const dataCenter of dataCenters)
      for (const c of await deps.oauth.signInCandidates(dataCenter, email.trim()))
        candidates.push({ ...c, dataCenter });
  if (candidates.length === 0) {
    await verifyPassword(password, DUMMY_PASSWORD_HASH);
    return null;
  }
  for (const c of candidates) {
    if ((await verifyPassword(password, c.passwordHash)) && c.active)
      return { orgId: c.orgId, userId: c.userId, name: c.name, dataCenter: c.dataCenter };
  }
  return null;
}

/**
 * The user accepted: mint a single-use grant code valid for two minutes, issued by the user's own
 * data center (wherever they signed in), so that only its accounts server redeems it. It yields a
 * refresh token on the user's first offline consent to this client, or whenever `prompt=consent`
 * asked for consent again (Zoho's rule); otherwise an access token only.
 */
export async function issueAuthorizationCode(
  deps: AuthorizationDeps,
  request: AuthorizationRequest,
  user: SignedInUser,
): Promise<string> {
  const dataCenter = user.dataCenter;
  const issueRefresh =
    request.accessType === 'offline' &&
    (request.promptConsent ||
      !(await deps.oauth.hasOfflineConsent(user.orgId, user.userId, request.client.id)));
  const code = generateToken();
  const now = deps.clock.now();
  await deps.oauth.saveGrantCode({
    hash: hashToken(code),
    clientId: request.client.id,
    orgId: user.orgId,
    userId: user.userId,
    scopes: request.scope,
    dataCenter,
    redirectUri: request.redirectUri,
    issueRefresh,
    expiresAt: now + WEB_CODE_MS,
    usedAt: null,
    createdAt: now,
  });
  return code;
}
