// RFC 5987 attr-char: everything else in a `filename*` value is percent-encoded.
const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

function extValue(name: string): string {
  let out = "UTF-8''";
  for (const byte of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * `Content-Disposition: attachment` for a stored file name (RFC 6266). The quoted `filename` is an
 * ASCII fallback: printable ASCII kept, `"` and `\` and everything else replaced by `_`, so that
 * no name can break out of the quotes or the header. When the fallback differs from the real
 * name, `filename*` carries the exact name, UTF-8 percent-encoded (quotes, semicolons, newlines,
 * NUL and non-ASCII included). The name is never interpreted as a path.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/gu, '_') || 'download';
  const header = `attachment; filename="${fallback}"`;
  return fallback === fileName ? header : `${header}; filename*=${extValue(fileName)}`;
}
