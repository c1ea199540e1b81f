import { NO_CUSTOMIZATION, type OrgCustomization } from '../../domain/metadata/field-model.js';
import type { ProfilePermissions } from '../../domain/model.js';
import type { DirectoryRepository, DirectoryUser } from '../../domain/ports.js';
import { num, type Queryable, type Row, str, strOrNull } from './pg-support.js';

/** Ids are decimal strings of varying length: shorter first, then by digits, is numeric order. */
const BY_ID = 'ORDER BY length(id), id COLLATE "C"';

export class PgDirectoryRepository implements DirectoryRepository {
  constructor(private readonly db: Queryable) {}

  async users(orgId: string) {
    const { rows } = await this.db.query<Row>(
      `SELECT id, name, email, profile_id, role_id, active, time_zone, details FROM users WHERE org_id = $1 ${BY_ID}`,
      [orgId],
    );
    return rows.map((r) => ({
      id: str(r.id),
      name: str(r.name),
      email: str(r.email),
      profileId: str(r.profile_id),
      roleId: str(r.role_id),
      active: r.active === true,
      timeZone: str(r.time_zone),
      details: (r.details ?? {}) as Record<string, unknown>,
    }));
  }

  async organization(orgId: string) {
    const { rows } = await this.db.query<Row>(
      `SELECT o.id, o.name, o.id_prefix, o.created_at, m.details
       FROM organizations o LEFT JOIN org_metadata m ON m.org_id = o.id WHERE o.id = $1`,
      [orgId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: str(r.id),
      name: str(r.name),
      idPrefix: str(r.id_prefix),
      createdAt: num(r.created_at),
      details: (r.details ?? {}) as Record<string, unknown>,
    };
  }

  async profiles(orgId: string) {
    const { rows } = await this.db.query<Row>(
      `SELECT id, name, is_admin, permissions FROM profiles WHERE org_id = $1 ${BY_ID}`,
      [orgId],
    );
    return rows.map((r) => ({
      id: str(r.id),
      name: str(r.name),
      admin: r.is_admin === true,
      permissions: r.permissions as ProfilePermissions,
    }));
  }

  async roles(orgId: string) {
    const { rows } = await this.db.query<Row>(
      `SELECT id, name, reports_to, share_with_peers FROM roles WHERE org_id = $1 ${BY_ID}`,
      [orgId],
    );
    return rows.map((r) => ({
      id: str(r.id),
      name: str(r.name),
      reportsTo: strOrNull(r.reports_to),
      shareWithPeers: r.share_with_peers === true,
    }));
  }

  async customization(orgId: string): Promise<OrgCustomization> {
    const { rows } = await this.db.query<Row>('SELECT customization FROM org_metadata WHERE org_id = $1', [
      orgId,
    ]);
    return rows[0] ? (rows[0].customization as OrgCustomization) : NO_CUSTOMIZATION;
  }

  async insertUser(orgId: string, u: DirectoryUser): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO users (org_id, id, name, email, profile_id, role_id, active, time_zone, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (org_id, id) DO NOTHING`,
      [orgId, u.id, u.name, u.email, u.profileId, u.roleId, u.active, u.timeZone, JSON.stringify(u.details)],
    );
    return rowCount === 1;
  }

  async updateUser(orgId: string, u: DirectoryUser): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE users SET name = $3, email = $4, profile_id = $5, role_id = $6, active = $7, time_zone = $8,
         details = $9 WHERE org_id = $1 AND id = $2`,
      [orgId, u.id, u.name, u.email, u.profileId, u.roleId, u.active, u.timeZone, JSON.stringify(u.details)],
    );
    return rowCount === 1;
  }
}
