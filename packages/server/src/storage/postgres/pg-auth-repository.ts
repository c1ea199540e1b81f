import type { DataCenterId } from '@bigin-attachments/contract';
import type { ProfilePermissions } from '../../domain/model.js';
import type { AuthRepository, TokenGrant } from '../../domain/ports.js';
import { num, numOrNull, type Queryable, type Row, str } from './pg-support.js';

/** Token lookups: one primary-key probe joined to its organisation, user and profile. */
export class PgAuthRepository implements AuthRepository {
  constructor(private readonly db: Queryable) {}

  async findByTokenHash(hash: string): Promise<TokenGrant | null> {
    const { rows } = await this.db.query<Row>(
      `SELECT t.hash, t.scopes, t.data_center AS token_dc, t.expires_at, t.revoked_at,
              o.id AS org_id, o.data_center AS org_dc, o.disabled_modules,
              u.id AS user_id, u.name AS user_name, u.role_id, u.active,
              p.id AS profile_id, p.name AS profile_name, p.is_admin, p.permissions
       FROM access_tokens t
       JOIN organizations o ON o.id = t.org_id
       JOIN users u ON u.org_id = t.org_id AND u.id = t.user_id
       JOIN profiles p ON p.org_id = u.org_id AND p.id = u.profile_id
       WHERE t.hash = $1`,
      [hash],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      token: {
        hash: str(r.hash),
        scopes: str(r.scopes),
        dataCenter: str(r.token_dc) as DataCenterId,
        expiresAt: num(r.expires_at),
        revokedAt: numOrNull(r.revoked_at),
      },
      org: {
        id: str(r.org_id),
        dataCenter: str(r.org_dc) as DataCenterId,
        disabledModules: r.disabled_modules as string[],
      },
      user: { id: str(r.user_id), name: str(r.user_name), roleId: str(r.role_id), active: r.active === true },
      profile: {
        id: str(r.profile_id),
        name: str(r.profile_name),
        admin: r.is_admin === true,
        permissions: r.permissions as ProfilePermissions,
      },
    };
  }
}
