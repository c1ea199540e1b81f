import type { DataCenterId } from '@bigin-attachments/contract';
import { parseScopes } from '@bigin-attachments/contract';
import type { AuthRepository } from '../storage/ports.js';
import type { Clock } from './clock.js';
import { errors } from './errors.js';
import type { Principal } from './model.js';
import { hashToken, parseAuthorizationHeader } from './tokens.js';

export interface AuthenticateDeps {
  auth: AuthRepository;
  clock: Clock;
}

/**
 * D4 rows 3 and 4: turns an Authorization header into a Principal, or refuses. A token that is
 * unknown, expired, revoked, belongs to a deactivated user, or was minted in another data center
 * than the one the request reached is refused alike (INVALID_TOKEN); only the log says which.
 */
export async function authenticate(
  deps: AuthenticateDeps,
  authorization: string | undefined,
  dataCenter: DataCenterId,
): Promise<Principal> {
  const parsed = parseAuthorizationHeader(authorization);
  if ('refusal' in parsed) throw errors.authorizationHeader(parsed.refusal);
  const tokenHash = hashToken(parsed.token);
  const grant = await deps.auth.findByTokenHash(tokenHash);
  if (!grant) throw errors.invalidToken('unknown');
  if (grant.token.revokedAt !== null) throw errors.invalidToken('revoked');
  if (grant.token.expiresAt <= deps.clock.now()) throw errors.invalidToken('expired');
  if (grant.token.dataCenter !== dataCenter || grant.org.dataCenter !== dataCenter)
    throw errors.invalidToken(`minted in data center ${grant.token.dataCenter}, used in ${dataCenter}`);
  if (!grant.user.active) throw errors.invalidToken('user deactivated');
  return {
    orgId: grant.org.id,
    dataCenter: grant.org.dataCenter,
    disabledModules: new Set(grant.org.disabledModules),
    userId: grant.user.id,
    userName: grant.user.name,
    roleId: grant.user.roleId,
    profile: grant.profile,
    scopes: parseScopes(grant.token.scopes),
    tokenHash,
  };
}
