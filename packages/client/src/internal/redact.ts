/**
 * Removes credentials from text an error or log line may hold: Zoho tokens (`1000.<hex>.<hex>`),
 * `Authorization` header values and credential-bearing form or query parameters. Errors travel
 * into logs and bug reports; a leaked refresh token is a standing key to the organisation.
 */
const ZOHO_TOKEN = /\b1000\.[A-Za-z0-9]+\.[A-Za-z0-9]+\b/g;
const AUTH_HEADER = /(Zoho-oauthtoken|Bearer|Basic)\s+[^\s"',;]+/gi;
const SECRET_PARAM =
  /\b(access_token|refresh_token|client_secret|code|token|password)(["']?\s*[=:]\s*["']?)([^\s"'&,;}]+)/gi;

export const REDACTED = '[redacted]';

export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short values would redact ordinary words; every real credential is longer than this.
    if (secret && secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(ZOHO_TOKEN, REDACTED)
    .replace(SECRET_PARAM, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
}

/** Redacts every string inside a JSON-like value (for error `details` and bodies). */
export function redactValue<T>(value: T, secrets: Iterable<string | undefined> = []): T {
  const list = [...secrets];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v, list);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [
          k,
          /token|secret|password|authorization/i.test(k) && typeof x === 'string' ? REDACTED : walk(x),
        ]),
      );
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * The underlying error with credentials removed: fetch implementations and proxies put request
 * details (headers included) into their messages, and `cause` is printed with the error.
 */
export function sanitizedCause(error: unknown, secrets: readonly (string | undefined)[] = []): Error {
  const inner = error instanceof Error ? (error as { cause?: unknown }).cause : undefined;
  const code = inner && typeof inner === 'object' && 'code' in inner ? String(inner.code) : undefined;
  const clean = new Error(redact(error instanceof Error ? error.message : String(error), secrets));
  clean.name = error instanceof Error ? error.name : 'Error';
  if (code) Object.assign(clean, { code });
  return clean;
}
