/**
 * Zoho Accounts wire contract. The token endpoint answers HTTP 200 even when it refuses, with a
 * body of just `{"error":"<code>"}` (decisions D8); these are the codes this server uses.
 */
export const OAUTH_ERRORS = {
  invalid_client:
    "The client_id is not a registered client, or the grant code or refresh token was issued by another data center's accounts server.",
  invalid_client_secret: 'The client_secret is missing or wrong for that client.',
  invalid_code:
    'The grant code or refresh token is unknown, used, expired, revoked, or issued to another client.',
  invalid_redirect_uri: 'The redirect_uri is not the one the grant code was issued for.',
  unsupported_grant_type: 'grant_type is neither authorization_code nor refresh_token.',
  access_denied: 'Too many refresh grants for this refresh token (more than 10 in 10 minutes).',
  invalid_token: 'Revoke: the token is unknown, already revoked, or belongs to another data center.',
} as const;

export type OAuthErrorCode = keyof typeof OAUTH_ERRORS;

/** A successful token response, keys in the order Zoho sends them. */
export interface TokenResponse {
  access_token: string;
  /** Only on the first offline consent (or with prompt=consent), and for self-client codes. */
  refresh_token?: string;
  api_domain: string;
  token_type: 'Bearer';
  expires_in: 3600;
}

export interface TokenErrorResponse {
  error: OAuthErrorCode;
  error_description?: string;
}
