/**
 * Names whose values are secrets wherever they appear: OAuth tokens and codes, client secrets,
 * passwords. Matched case-insensitively as JSON keys and as form or query parameters.
 */
const SECRET_NAMES = [
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'code',
  'client_secret',
  'password',
  'csrf',
];

// `code` is a secret as a form parameter (a grant code) but the envelope's error code in JSON.
const JSON_NAMES = SECRET_NAMES.filter((name) => name !== 'code');
const JSON_SECRET = new RegExp(`("(?:${JSON_NAMES.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const FORM_SECRET = new RegExp(`(^|[&?])((?:${SECRET_NAMES.join('|')})=)[^&]*`, 'gi');
/**
 * Token shapes that may appear anywhere (an Authorization header echoed, a token in a note).
 * Zoho's are `1000.` and two runs of hex; a fixture's may use any letters and digits, and are as
 * secret. A client id has one run only (`1000.ABC…`) and is not matched.
 */
const TOKEN_SHAPES = /\b(Zoho-oauthtoken|Bearer)\s+[^\s"',]+|\b1000\.[0-9a-z]{16,}\.[0-9a-z]{16,}\b/gi;

export const REDACTED = '[redacted]';

/** Every pattern above needs one of these; a body with none skips the three replacements. */
const CANDIDATE = /token|secret|password|code=|csrf|1000\.|bearer/i;

/**
 * A body as the journal may keep it: at most `maxBytes` of it, with the values of secret JSON
 * keys and form parameters, and anything shaped like a Zoho token, replaced by `[redacted]`.
 * Redaction runs before truncation so that a secret cut in half is never kept.
 */
export function redactBody(text: string, maxBytes: number): string {
  const redacted = !CANDIDATE.test(text)
    ? text
    : text
        .replace(JSON_SECRET, `$1"${REDACTED}"`)
        .replace(FORM_SECRET, `$1$2${REDACTED}`)
        .replace(TOKEN_SHAPES, (_match, scheme: string | undefined) =>
          scheme ? `${scheme} ${REDACTED}` : REDACTED,
        );
  if (Buffer.byteLength(redacted) <= maxBytes) return redacted;
  return `${Buffer.from(redacted).subarray(0, maxBytes).toString('utf8')}…[truncated]`;
}
