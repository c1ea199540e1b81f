import type { ModuleApiName } from '@bigin-attachments/contract';
import type { RecordCursor, RecordSortKey } from '../../storage/ports.js';

/** How long a page token stays usable (CRM: a day). */
export const PAGE_TOKEN_TTL_MS = 24 * 3_600_000;

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

/**
 * Opaque to clients (base64url JSON). It grants nothing: every page is still filtered by the
 * caller's organisation and visibility, so it needs no signature.
 */
export function encodePageToken(s: PageTokenState): string {
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
  return Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
}

const SORT_KEYS: readonly string[] = ['id', 'Created_Time', 'Modified_Time'];

export function decodePageToken(token: string): PageTokenState | null {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(token)) return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
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
    !Number.isInteger(perPage) ||
    !Number.isInteger(page) ||
    !(value === null || Number.isInteger(value)) ||
    typeof id !== 'string' ||
    !Number.isInteger(expiresAt)
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
