/**
 * Query parameters that carry secrets (Zoho Accounts takes them in the query string too;
 * `authtoken` and `oauth_token` are the older Zoho APIs' names for the access token).
 */
const SECRET_PARAMS = new Set([
  'code',
  'client_secret',
  'refresh_token',
  'token',
  'access_token',
  'authtoken',
  'oauth_token',
  'password',
]);

/**
 * A Zoho access or refresh token, grant code or client secret wherever it appears (`1000.` and two
 * long dot-separated parts, or a bare 32+ hex-digit secret), also percent-encoded dots.
 */
const TOKEN_SHAPED = /\b1000(?:\.|%2e)[A-Za-z0-9_-]{8,}(?:\.|%2e)[A-Za-z0-9_-]{8,}|\b[0-9a-f]{32,}\b/gi;

/** Any text as it may be logged: token-shaped values replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(TOKEN_SHAPED, '[redacted]');
}

/**
 * The URL as it may be logged: the values of secret query parameters replaced by `[redacted]`,
 * everything else byte for byte.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return redactSecrets(url);
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name: string;
      try {
        name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '));
      } catch {
        name = pair.slice(0, eq);
      }
      return SECRET_PARAMS.has(name.toLowerCase()) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    });
  return redactSecrets(`${url.slice(0, q)}?${query.join('&')}`);
}
