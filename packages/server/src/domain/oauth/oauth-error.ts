import type { OAuthErrorCode } from '@bigin-attachments/contract';

/**
 * A refusal of a Zoho Accounts endpoint. Unlike the Bigin API's AppError it renders as Zoho
 * Accounts does: HTTP 200 (revoke: 400) with `{"error":"<code>"}`. `check` names the rule that
 * refused, for the request's log line only.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly check: string,
    readonly httpStatus = 200,
    readonly description?: string,
  ) {
    super(error);
    this.name = 'OAuthError';
  }
}

/** A problem with an authorization request, shown on an HTML page rather than sent to the client. */
export class AuthorizationRequestError extends Error {
  constructor(
    readonly title: string,
    readonly check: string,
  ) {
    super(title);
    this.name = 'AuthorizationRequestError';
  }
}

export const oauthErrors = {
  invalidClient: (why: string) => new OAuthError('invalid_client', `oauth client: ${why}`),
  invalidClientSecret: (why: string) =>
    new OAuthError('invalid_client_secret', `oauth client-secret: ${why}`),
  invalidCode: (why: string) => new OAuthError('invalid_code', `oauth code: ${why}`),
  invalidRedirectUri: (why: string) => new OAuthError('invalid_redirect_uri', `oauth redirect-uri: ${why}`),
  unsupportedGrantType: () => new OAuthError('unsupported_grant_type', 'oauth grant-type'),
  tooManyRefreshes: () =>
    new OAuthError(
      'access_denied',
      'oauth refresh-rate-limit',
      200,
      'You have made too many requests continuously. Please try again after some time.',
    ),
  revokeUnknownToken: () => new OAuthError('invalid_token', 'oauth revoke: unknown token', 400),
};
