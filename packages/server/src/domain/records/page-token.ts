import { createHmac, timingSafeEqual } from 'node:crypto';
import { isId, type ModuleApiName } from '@bigin-attachments/contract';
import type { RecordCursor, RecordSortKey } from '../ports.js';

/** How long a page token stays usable (CRM: a day); a token claiming to last longer is refused. */
export const PAGE_TOKEN_TTL_MS = 24 * 3_600_000;

/** Page sizes a token may carry: those `per_page` accepts. */
const MAX_TOKEN_PER_PAGE = 200;

/** Under this name the installation's signing key is kept in the metadata store. */
export const PAGE_TOKEN_KEY_NAME = 'page-token-hmac-sha256';

/** What a page token carries: where the next page starts, and the sort and page size it was made with. */
export interface PageTokenState {
  orgId: string;
  module: ModuleApiName;
  sortBy: RecordSortKey;
  descending: boolean;
  perPage: number;
  page: number;
  after: RecordCursor;
  expiresAt: number;
}

const sign = (payload: string, key: Uint8Array) =>
  createHmac('sha256', key).update(payload).digest().subarray(0, 16);

/**
 * `payload.signature`, both base64url: the payload is the state as compact JSON, the signature an
 * HMAC-SHA-256 (truncated to 128 bits) with the installation's key. Every page is still filtered by
 * the caller's organisation and visibility; the signature keeps callers from rewriting the page
 * size, position or expiry (a rewritten per-page count once returned a whole module at once).
 */
export function encodePageToken(s: PageTokenState, key: Uint8Array): string {
  const compact = [
    s.orgId,
    s.module,
    s.sortBy,
    s.descending ? 1 : 0,
    s.perPage,
    s.page,
    s.after.value,
    s.after.id,
    s.expiresAt,
  ];
  const payload = Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
  return `${payload}.${sign(payload, key).toString('base64url')}`;
}

const SORT_KEYS: readonly string[] = ['id', 'Created_Time', 'Modified_Time'];
const count = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

/**
 * The state of a token this installation issued, unaltered and not expired at `now`; null for
 * anything else (forged, rewritten, truncated, expired, or with numbers out of range).
 */
export function decodePageToken(token: string, key: Uint8Array, now: number): PageTokenState | null {
  const match = /^([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return null;
  const [, payload, signature] = match as unknown as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== 16 || !timingSafeEqual(given, sign(payload, key))) return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 9) return null;
  const [orgId, module, sortBy, desc, perPage, page, value, id, expiresAt] = v as unknown[];
  if (
    typeof orgId !== 'string' ||
    typeof module !== 'string' ||
    typeof sortBy !== 'string' ||
    !SORT_KEYS.includes(sortBy) ||
    (desc !== 0 && desc !== 1) ||
    !count(perPage, 1, MAX_TOKEN_PER_PAGE) ||
    !count(page, 2, Number.MAX_SAFE_INTEGER) ||
    !(value === null || count(value, 0, Number.MAX_SAFE_INTEGER)) ||
    typeof id !== 'string' ||
    !isId(id) ||
    !count(expiresAt, now + 1, now + PAGE_TOKEN_TTL_MS)
  )
    return null;
  return {
    orgId,
    module: module as ModuleApiName,
    sortBy: sortBy as RecordSortKey,
    descending: desc === 1,
    perPage: perPage as number,
    page: page as number,
    after: { value: value as number | null, id },
    expiresAt: expiresAt as number,
  };
}
