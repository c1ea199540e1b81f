import type { DataCenterId } from '@bigin-attachments/contract';

// Zoho Accounts state: OAuth clients, grant codes, refresh tokens, consents.

export type OAuthClientType = 'server' | 'self';

export interface OAuthClientRow {
  id: string;
  name: string;
  secretHash: string;
  redirectUris: string[];
  type: OAuthClientType;
}

export interface GrantCodeRow {
  hash: string;
  clientId: string;
  orgId: string;
  userId: string;
  scopes: string;
  dataCenter: DataCenterId;
  /** The redirect URI the code was issued for; null for self-client codes. */
  redirectUri: string | null;
  /** Whether redeeming the code also issues a refresh token. */
  issueRefresh: boolean;
  expiresAt: number;
  usedAt: number | null;
  createdAt: number;
}

export interface RefreshTokenRow {
  hash: string;
  clientId: string;
  orgId: string;
  userId: string;
  scopes: string;
  dataCenter: DataCenterId;
  createdAt: number;
  revokedAt: number | null;
}

/** A user who may sign in on a data center's consent page. */
export interface SignInCandidate {
  orgId: string;
  userId: string;
  name: string;
  active: boolean;
  passwordHash: string;
}

/** Zoho's documented token limits, passed in so the rules stay in the domain. */
export interface TokenLimits {
  /** Live access tokens per refresh token; issuing one more revokes the oldest. */
  maxLiveAccessTokensPerRefreshToken: number;
  /** Live refresh tokens per user and client; issuing one more revokes the oldest with its access tokens. */
  maxRefreshTokensPerUserAndClient: number;
  /** At most `maxRefreshesPerWindow` refresh grants per refresh token in any `refreshWindowMs`. */
  maxRefreshesPerWindow: number;
  refreshWindowMs: number;
}

/** Zoho Accounts state: clients, grant codes, refresh tokens, consents, passwords. */
export interface OAuthRepository {
  findClient(id: string): Promise<OAuthClientRow | null>;
  /** Inserts a client; false (and nothing changes) when the id exists. */
  registerClient(client: OAuthClientRow & { createdAt: number }): Promise<boolean>;
  /** Active or not, the users with that e-mail (case-insensitive) and a password, in organisations of `dataCenter`. */
  signInCandidates(dataCenter: DataCenterId, email: string): Promise<SignInCandidate[]>;
  /** Sets a user's password hash; false when the user does not exist. */
  setPassword(orgId: string, userId: string, passwordHash: string): Promise<boolean>;
  /** Whether the user has been issued a refresh token for this client before (Zoho's "first offline consent"). */
  hasOfflineConsent(orgId: string, userId: string, clientId: string): Promise<boolean>;
  saveGrantCode(code: GrantCodeRow): Promise<void>;
  /** The code with that hash, used or expired included; null when unknown. */
  findGrantCode(hash: string): Promise<GrantCodeRow | null>;
  /**
   * Atomically marks the code used (only if it is unused and unexpired at `at`) and issues its
   * tokens: the refresh token when `refreshTokenHash` is given (recording the offline consent and
   * evicting the user's oldest refresh tokens for the client over the limit, with their access
   * tokens), then the access token (evicting the refresh token's oldest live access tokens over the
   * limit). False when the code was already used or expired: nothing is issued.
   */
  redeemGrantCode(input: {
    codeHash: string;
    at: number;
    accessTokenHash: string;
    accessExpiresAt: number;
    refreshTokenHash: string | null;
    limits: TokenLimits;
  }): Promise<boolean>;
  findRefreshToken(hash: string): Promise<RefreshTokenRow | null>;
  /**
   * Atomically issues an access token from a live refresh token, unless that refresh token already
   * had `maxRefreshesPerWindow` refresh grants in the window ending at `at`; evicts the oldest live
   * access tokens over the limit.
   */
  refreshAccessToken(input: {
    refreshTokenHash: string;
    at: number;
    accessTokenHash: string;
    accessExpiresAt: number;
    limits: TokenLimits;
  }): Promise<'issued' | 'revoked' | 'rate-limited'>;
  /** Revokes a live refresh token of `dataCenter` and, at once, every access token issued from it. */
  revokeRefreshToken(hash: string, dataCenter: DataCenterId, at: number): Promise<boolean>;
  /** Revokes a live access token of `dataCenter`. */
  revokeAccessToken(hash: string, dataCenter: DataCenterId, at: number): Promise<boolean>;
}
