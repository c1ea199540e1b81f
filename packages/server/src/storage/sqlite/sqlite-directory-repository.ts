import type Database from 'better-sqlite3';
import { NO_CUSTOMIZATION, type OrgCustomization } from '../../domain/metadata/field-model.js';
import type { ProfilePermissions } from '../../domain/model.js';
import type { DirectoryRepository } from '../../domain/ports.js';
import { num, type Row, str, strOrNull } from './sqlite-rows.js';

/** Ids are decimal strings of varying length: shorter first, then by digits, is numeric order. */
const BY_ID = 'ORDER BY length(id), id';

export function createSqliteDirectoryRepository(db: Database.Database): DirectoryRepository {
  const users = db.prepare(
    `SELECT id, name, email, profile_id, role_id, active, time_zone, details FROM users WHERE org_id = ? ${BY_ID}`,
  );
  const org = db.prepare(
    `SELECT o.id, o.name, o.id_prefix, o.created_at, m.details
     FROM organizations o LEFT JOIN org_metadata m ON m.org_id = o.id WHERE o.id = ?`,
  );
  const profiles = db.prepare(
    `SELECT id, name, is_admin, permissions FROM profiles WHERE org_id = ? ${BY_ID}`,
  );
  const roles = db.prepare(
    `SELECT id, name, reports_to, share_with_peers FROM roles WHERE org_id = ? ${BY_ID}`,
  );
  const customization = db.prepare('SELECT customization FROM org_metadata WHERE org_id = ?');
  const insertUser = db.prepare(
    `INSERT OR IGNORE INTO users (org_id, id, name, email, profile_id, role_id, active, time_zone, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateUser = db.prepare(
    `UPDATE users SET name = ?, email = ?, profile_id = ?, role_id = ?, active = ?, time_zone = ?, details = ?
     WHERE org_id = ? AND id = ?`,
  );
  return {
    users: async (orgId) =>
      (users.all(orgId) as Row[]).map((r) => ({
        id: str(r.id),
        name: str(r.name),
        email: str(r.email),
        profileId: str(r.profile_id),
        roleId: str(r.role_id),
        active: num(r.active) === 1,
        timeZone: str(r.time_zone),
        details: JSON.parse(str(r.details)) as Record<string, unknown>,
      })),
    organization: async (orgId) => {
      const r = org.get(orgId) as Row | undefined;
      if (!r) return null;
      const details = strOrNull(r.details);
      return {
        id: str(r.id),
        name: str(r.name),
        idPrefix: str(r.id_prefix),
        createdAt: num(r.created_at),
        details: details === null ? {} : (JSON.parse(details) as Record<string, unknown>),
      };
    },
    profiles: async (orgId) =>
      (profiles.all(orgId) as Row[]).map((r) => ({
        id: str(r.id),
        name: str(r.name),
        admin: num(r.is_admin) === 1,
        permissions: JSON.parse(str(r.permissions)) as ProfilePermissions,
      })),
    roles: async (orgId) =>
      (roles.all(orgId) as Row[]).map((r) => ({
        id: str(r.id),
        name: str(r.name),
        reportsTo: strOrNull(r.reports_to),
        shareWithPeers: num(r.share_with_peers) === 1,
      })),
    customization: async (orgId) => {
      const r = customization.get(orgId) as Row | undefined;
      return r ? (JSON.parse(str(r.customization)) as OrgCustomization) : NO_CUSTOMIZATION;
    },
    insertUser: async (orgId, u) =>
      insertUser.run(
        orgId,
        u.id,
        u.name,
        u.email,
        u.profileId,
        u.roleId,
        u.active ? 1 : 0,
        u.timeZone,
        JSON.stringify(u.details),
      ).changes === 1,
    updateUser: async (orgId, u) =>
      updateUser.run(
        u.name,
        u.email,
        u.profileId,
        u.roleId,
        u.active ? 1 : 0,
        u.timeZone,
        JSON.stringify(u.details),
        orgId,
        u.id,
      ).changes === 1,
  };
}
