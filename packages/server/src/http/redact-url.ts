/** Query parameters that carry secrets (Zoho Accounts takes them in the query string too). */
const SECRET_PARAMS = new Set([
  'code',
  'client_secret',
  'refresh_token',
  'token',
  'access_token',
  'password',
]);

/**
 * The URL as it may be logged: the values of secret query parameters replaced by `[redacted]`,
 * everything else byte for byte.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
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
  return `${url.slice(0, q)}?${query.join('&')}`;
}
