import type { DataCenterId } from '@bigin-attachments/contract';
import type { ProfilePermissions } from '../../domain/model.js';
import type { AuthRepository, TokenGrant } from '../../domain/ports.js';
import type { SqlDialect } from './dialect.js';

/** Keeps grants between requests (SQLite's AuthGrantCache); absent, every request reads the grant. */
export interface TokenGrantCache {
  lookup(hash: string, load: (hash: string) => Promise<TokenGrant | null>): Promise<TokenGrant | null>;
}

/** Token lookups (every API request): one primary-key probe joined to its organisation, user and profile. */
export function createSqlAuthRepository(d: SqlDialect, cache?: TokenGrantCache): AuthRepository {
  const find = d.prepare(`
    SELECT t.hash, t.scopes, t.data_center AS token_dc, t.expires_at, t.revoked_at,
           o.id AS org_id, o.data_center AS org_dc, o.disabled_modules,
           u.id AS user_id, u.name AS user_name, u.role_id, u.active,
           p.id AS profile_id, p.name AS profile_name, p.is_admin, p.permissions
    FROM access_tokens t
    JOIN organizations o ON o.id = t.org_id
    JOIN users u ON u.org_id = t.org_id AND u.id = t.user_id
    JOIN profiles p ON p.org_id = u.org_id AND p.id = u.profile_id
    WHERE t.hash = $1`);
  const load = async (hash: string): Promise<TokenGrant | null> => {
    const r = await d.get(find, [hash]);
    if (!r) return null;
    return {
      token: {
        hash: r.hash as string,
        scopes: r.scopes as string,
        dataCenter: r.token_dc as DataCenterId,
        expiresAt: r.expires_at as number,
        revokedAt: r.revoked_at as number | null,
      },
      org: {
        id: r.org_id as string,
        dataCenter: r.org_dc as DataCenterId,
        disabledModules: d.readJson<string[]>(r.disabled_modules),
      },
      user: {
        id: r.user_id as string,
        name: r.user_name as string,
        roleId: r.role_id as string,
        active: d.readBool(r.active),
      },
      profile: {
        id: r.profile_id as string,
        name: r.profile_name as string,
        admin: d.readBool(r.is_admin),
        permissions: d.readJson<ProfilePermissions>(r.permissions),
      },
    };
  };
  return { findByTokenHash: cache ? (hash) => cache.lookup(hash, load) : load };
}
