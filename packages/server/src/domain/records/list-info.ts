/*
 * The `info` block of each kind of list, with the keys Bigin gives it (reference §1.10). Search,
 * related lists and users build theirs here too, so that the key sets cannot drift apart. Key
 * order on the wire is the serializer's (HashMap order); insertion order below is the recorded
 * tie order (`sort_by, page, previous_page_token, page_token_expiry` share a bucket).
 */

export interface PageState {
  perPage: number;
  page: number;
  count: number;
  more: boolean;
}

export interface TokenState {
  /** Null when no further page exists. */
  nextPageToken: string | null;
  /** The next token's expiry, already formatted in the caller's zone; null with no token. */
  pageTokenExpiry: string | null;
}

/** `GET /{module}`: 9 keys. */
export function recordsInfo(p: PageState, t: TokenState, sort: { by: string; descending: boolean }) {
  return {
    per_page: p.perPage,
    next_page_token: t.nextPageToken,
    count: p.count,
    sort_by: sort.by,
    page: p.page,
    previous_page_token: null,
    page_token_expiry: t.pageTokenExpiry,
    sort_order: sort.descending ? 'desc' : 'asc',
    more_records: p.more,
  };
}

/** `GET /{module}/{id}/{related}`: 7 keys (no sort keys). */
export function relatedInfo(p: PageState, t: TokenState) {
  return {
    per_page: p.perPage,
    next_page_token: t.nextPageToken,
    count: p.count,
    page: p.page,
    previous_page_token: null,
    page_token_expiry: t.pageTokenExpiry,
    more_records: p.more,
  };
}

/** `GET /{module}/search`: 6 keys (no tokens). */
export function searchInfo(p: PageState, sort: { by: string; descending: boolean }) {
  return {
    per_page: p.perPage,
    count: p.count,
    sort_by: sort.by,
    page: p.page,
    sort_order: sort.descending ? 'desc' : 'asc',
    more_records: p.more,
  };
}

/** `GET /users` (and the watch list): 4 keys. */
export function usersInfo(p: PageState) {
  return { per_page: p.perPage, count: p.count, page: p.page, more_records: p.more };
}
