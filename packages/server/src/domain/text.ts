/**
 * Text no store may be given (decisions D-14): U+0000, which PostgreSQL's text cannot hold, and a
 * UTF-16 surrogate without its pair, which no UTF-8 store can hold (SQLite would silently turn
 * it into U+FFFD). Both stores refuse it the same way, before anything is written.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this looks for
const UNSTORABLE_ALL = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function hasUnstorableText(s: string): boolean {
  return UNSTORABLE.test(s);
}

/** For data written before the rule: each unstorable character becomes U+FFFD. */
export function replaceUnstorableText(s: string): string {
  return s.replace(UNSTORABLE_ALL, '\ufffd');
}
