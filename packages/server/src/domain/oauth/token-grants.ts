import { timingSafeEqual } from 'node:crypto';
import type { DataCenterId } from '@bigin-attachments/contract';
import type { Clock } from '../clock.js';
import type { OAuthClientRow, OAuthRepository, SeedRepository } from '../ports.js';
import { generateToken, hashToken } from '../tokens.js';
import { oauthErrors } from './oauth-error.js';
import {
  ACCESS_TOKEN_SECONDS,
  normaliseScope,
  SELF_CLIENT_CODE_MINUTES,
  TOKEN_LIMITS,
} from './oauth-policy.js';

export interface TokenGrantDeps {
  oauth: OAuthRepository;
  clock: Clock;
}

export type TokenParams = Partial<
  Record<'grant_type' | 'client_id' | 'client_secret' | 'code' | 'redirect_uri' | 'refresh_token', string>
>;

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresIn: number;
}

/** Client authentication: an unknown id is `invalid_client`, a missing or wrong secret `invalid_client_secret`. */
async function authenticateClient(deps: TokenGrantDeps, params: TokenParams): Promise<OAuthClientRow> {
  const client = params.client_id ? await deps.oauth.findClient(params.client_id) : null;
  if (!client) throw oauthErrors.invalidClient(params.client_id ? 'unknown' : 'missing');
  const given = Buffer.from(hashToken(params.client_secret ?? ''), 'hex');
  const stored = Buffer.from(client.secretHash, 'hex');
  if (!params.client_secret || given.length !== stored.length || !timingSafeEqual(given, stored))
    throw oauthErrors.invalidClientSecret(params.client_secret ? 'wrong' : 'missing');
  return client;
}

/**
 * `POST /oauth/v2/token` on the accounts server of `dataCenter`. Checks, in order: grant type,
 * client, then the code or refresh token (one of another data center is `invalid_client`, one
 * issued to another client `invalid_code`), then the redirect URI of a web-flow code.
 */
export async function grantTokens(
  deps: TokenGrantDeps,
  dataCenter: DataCenterId,
  params: TokenParams,
): Promise<IssuedTokens> {
  const grantType = params.grant_type;
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token')
    throw oauthErrors.unsupportedGrantType();
  const client = await authenticateClient(deps, params);
  const now = deps.clock.now();
  const accessToken = generateToken();
  const accessExpiresAt = now + ACCESS_TOKEN_SECONDS * 1000;

  if (grantType === 'authorization_code') {
    if (!params.code) throw oauthErrors.invalidCode('missing');
    const codeHash = hashToken(params.code);
    const code = await deps.oauth.findGrantCode(codeHash);
    if (!code) throw oauthErrors.invalidCode('unknown');
    // Zoho answers a code taken to another data center's accounts server with invalid_client
    // (the client is unknown there as far as that server is concerned; D18).
    if (code.dataCenter !== dataCenter)
      throw oauthErrors.invalidClient(
        `code issued by data center ${code.dataCenter}, redeemed at ${dataCenter}`,
      );
    if (code.clientId !== client.id) throw oauthErrors.invalidCode('issued to another client');
    if (code.usedAt !== null) throw oauthErrors.invalidCode('already used');
    if (code.expiresAt <= now) throw oauthErrors.invalidCode('expired');
    if (code.redirectUri !== null && params.redirect_uri !== code.redirectUri)
      throw oauthErrors.invalidRedirectUri(
        params.redirect_uri ? 'differs from the authorization request' : 'missing',
      );
    const refreshToken = code.issueRefresh ? generateToken() : null;
    const redeemed = await deps.oauth.redeemGrantCode({
      codeHash,
      at: now,
      accessTokenHash: hashToken(accessToken),
      accessExpiresAt,
      refreshTokenHash: refreshToken === null ? null : hashToken(refreshToken),
      limits: TOKEN_LIMITS,
    });
    if (!redeemed) throw oauthErrors.invalidCode('redeemed concurrently');
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS };
  }

  if (!params.refresh_token) throw oauthErrors.invalidCode('refresh token missing');
  const refreshHash = hashToken(params.refresh_token);
  const refresh = await deps.oauth.findRefreshToken(refreshHash);
  if (!refresh) throw oauthErrors.invalidCode('unknown refresh token');
  if (refresh.dataCenter !== dataCenter)
    throw oauthErrors.invalidClient(
      `refresh token of data center ${refresh.dataCenter}, used at ${dataCenter}`,
    );
  if (refresh.clientId !== client.id) throw oauthErrors.invalidCode('refresh token of another client');
  const outcome = await deps.oauth.refreshAccessToken({
    refreshTokenHash: refreshHash,
    at: now,
    accessTokenHash: hashToken(accessToken),
    accessExpiresAt,
    limits: TOKEN_LIMITS,
  });
  if (outcome === 'revoked') throw oauthErrors.invalidCode('refresh token revoked');
  if (outcome === 'rate-limited') throw oauthErrors.tooManyRefreshes();
  return { accessToken, refreshToken: null, expiresIn: ACCESS_TOKEN_SECONDS };
}

/**
 * `POST /oauth/v2/token/revoke`: a refresh token is revoked with every access token issued from
 * it, at once; an access token alone is revoked too. Tokens of another data center are unknown here.
 */
export async function revokeToken(
  deps: TokenGrantDeps,
  dataCenter: DataCenterId,
  token: string | undefined,
): Promise<void> {
  if (!token) throw oauthErrors.revokeUnknownToken();
  const hash = hashToken(token);
  const now = deps.clock.now();
  if (await deps.oauth.revokeRefreshToken(hash, dataCenter, now)) return;
  if (await deps.oauth.revokeAccessToken(hash, dataCenter, now)) return;
  throw oauthErrors.revokeUnknownToken();
}

export class SelfClientCodeError extends Error {}

/**
 * What Bigin's API console does for a self client: a grant code for chosen scopes and a lifetime
 * of 3, 5, 7 or 10 minutes, redeemable (once) for a refresh token and an access token.
 */
export async function createSelfClientCode(
  deps: TokenGrantDeps & { organizations: Pick<SeedRepository, 'organization'> },
  input: { clientId: string; orgId: string; userId: string; scope: string; minutes: number },
): Promise<{ code: string; expiresAt: number; dataCenter: DataCenterId; scope: string }> {
  const client = await deps.oauth.findClient(input.clientId);
  if (client?.type !== 'self') throw new SelfClientCodeError(`no self client ${input.clientId}`);
  if (!(SELF_CLIENT_CODE_MINUTES as readonly number[]).includes(input.minutes))
    throw new SelfClientCodeError(
      `the code lifetime must be one of ${SELF_CLIENT_CODE_MINUTES.join(', ')} minutes`,
    );
  const scope = normaliseScope(input.scope);
  if (!scope) throw new SelfClientCodeError(`invalid scope ${JSON.stringify(input.scope)}`);
  const org = await deps.organizations.organization(input.orgId);
  if (!org) throw new SelfClientCodeError(`no organisation ${input.orgId}`);
  const code = generateToken();
  const now = deps.clock.now();
  const expiresAt = now + input.minutes * 60_000;
  try {
    await deps.oauth.saveGrantCode({
      hash: hashToken(code),
      clientId: client.id,
      orgId: input.orgId,
      userId: input.userId,
      scopes: scope,
      dataCenter: org.dataCenter,
      redirectUri: null,
      issueRefresh: true,
      expiresAt,
      usedAt: null,
      createdAt: now,
    });
  } catch (error) {
    throw new SelfClientCodeError(`no user ${input.userId} in organisation ${input.orgId}`, { cause: error });
  }
  return { code, expiresAt, dataCenter: org.dataCenter, scope };
}
