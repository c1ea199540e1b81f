import { createHash, randomBytes } from 'node:crypto';

/** Zoho access and refresh tokens look like `1000.<32 hex>.<32 hex>`. */
export function generateToken(): string {
  return `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
}

/** Tokens are stored only as this hash, so a leaked database does not leak usable tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Parses `Authorization: Zoho-oauthtoken <token>`. The scheme is matched case-insensitively
 * (HTTP auth schemes are); the token is one run of visible characters with no whitespace.
 * Returns the token or a reason the header is unusable.
 */
export function parseAuthorizationHeader(
  header: string | undefined,
): { token: string } | { refusal: string } {
  if (header === undefined || header === '') return { refusal: 'missing' };
  const match = /^zoho-oauthtoken +([\x21-\x7e]+)$/i.exec(header);
  if (!match?.[1]) return { refusal: 'not of the form Zoho-oauthtoken <token>' };
  return { token: match[1] };
}
