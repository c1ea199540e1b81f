import type { DataCenterId } from '@bigin-attachments/contract';
import type { Profile } from '../model.js';

// What authentication reads: token grants, and the installation secrets.

/** Everything authentication needs, found by the SHA-256 of an access token. */
export interface TokenGrant {
  token: {
    hash: string;
    scopes: string;
    dataCenter: DataCenterId;
    expiresAt: number;
    revokedAt: number | null;
  };
  org: { id: string; dataCenter: DataCenterId; disabledModules: string[] };
  user: { id: string; name: string; roleId: string; active: boolean };
  profile: Profile;
}

export interface AuthRepository {
  /** The grant for a token hash, or null when no token has that hash. Expiry and revocation are
   * reported, not filtered: the caller decides. */
  findByTokenHash(hash: string): Promise<TokenGrant | null>;
}

/**
 * Secrets of this installation (the page-token signing key), made once and then the same for
 * every process sharing the store, across restarts.
 */
export interface InstallationSecrets {
  /** The secret stored under `name`; when there is none yet, stores `candidate` and returns it. Concurrent callers all get the one that won. */
  getOrCreate(name: string, candidate: string): Promise<string>;
}
