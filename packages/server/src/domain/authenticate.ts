import type { DataCenterId } from '@bigin-attachments/contract';
import { parseScopes } from '@bigin-attachments/contract';
import type { Clock } from './clock.js';
import { errors } from './errors.js';
import type { Principal } from './model.js';
import type { AuthRepository, TokenGrant } from './ports.js';
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
  let principal = principals.get(grant);
  if (!principal) {
    principal = toPrincipal(grant, tokenHash);
    principals.set(grant, principal);
  }
  return principal;
}

/**
 * A store may hand out the same grant object for as long as nothing it carries has changed
 * (the SQLite token cache does); the principal built from it is then the same too. Principals are
 * never mutated.
 */
const principals = new WeakMap<TokenGrant, Principal>();

function toPrincipal(grant: TokenGrant, tokenHash: string): Principal {
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
    tokenExpiresAt: grant.token.expiresAt,
  };
}
