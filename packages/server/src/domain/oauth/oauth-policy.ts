import type { DataCenterId } from '@bigin-attachments/contract';
import type { TokenLimits } from '../ports.js';

/** Access tokens last an hour (Zoho Accounts). */
export const ACCESS_TOKEN_SECONDS = 3600;
/** Grant codes of the web flow last two minutes. */
export const WEB_CODE_MS = 2 * 60_000;
/** The lifetimes Bigin's API console offers for self-client codes, in minutes. */
export const SELF_CLIENT_CODE_MINUTES = [3, 5, 7, 10] as const;

/** Zoho's documented limits (bigin-api-facts §3). */
export const TOKEN_LIMITS: TokenLimits = {
  maxLiveAccessTokensPerRefreshToken: 15,
  maxRefreshTokensPerUserAndClient: 20,
  maxRefreshesPerWindow: 10,
  refreshWindowMs: 10 * 60_000,
};

const SCOPE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)+$/;

/** Normalises a comma-separated scope list (trimmed, empties dropped); null when empty or malformed. */
export function normaliseScope(scope: string | undefined): string | null {
  if (scope === undefined) return null;
  const scopes = scope
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (scopes.length === 0 || scopes.length > 100 || !scopes.every((s) => s.length <= 200 && SCOPE.test(s)))
    return null;
  return scopes.join(',');
}

/** The accounts server every data center's users but China's may sign in at (Zoho multi-DC, D18). */
export const MULTI_DC_ACCOUNTS_SERVER: DataCenterId = 'us';
/** China's users sign in only on China's accounts server. */
const SIGN_IN_AT_HOME_ONLY: ReadonlySet<DataCenterId> = new Set(['cn']);

/**
 * The data centers whose users may sign in on `page`'s accounts server, that one first: on the US
 * server, every served data center but China (Zoho's multi-DC sign-in: the grant is then issued by
 * the user's own data center); on any other server, its own users only.
 */
export function signInDataCenters(page: DataCenterId, served: Iterable<DataCenterId>): DataCenterId[] {
  if (page !== MULTI_DC_ACCOUNTS_SERVER) return [page];
  return [page, ...[...served].filter((dc) => dc !== page && !SIGN_IN_AT_HOME_ONLY.has(dc))];
}
