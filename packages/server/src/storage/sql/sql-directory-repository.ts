import { NO_CUSTOMIZATION, type OrgCustomization } from '../../domain/metadata/field-model.js';
import type { DirectoryRepository } from '../../domain/ports.js';
import { columnList, insertSql, reader, writer } from './columns.js';
import type { SqlDialect } from './dialect.js';
import { ORG_METADATA, PROFILE_KEYS, PROFILES, ROLE_KEYS, ROLES, USER_KEYS, USERS } from './tables.js';

export function createSqlDirectoryRepository(d: SqlDialect): DirectoryRepository {
  /** Ids are decimal strings of varying length: shorter first, then by digits, is numeric order. */
  const byId = `ORDER BY length(id), id${d.fragments.collateC}`;
  const users = d.prepare(`SELECT ${columnList(USERS, USER_KEYS)} FROM users WHERE org_id = $1 ${byId}`);
  const org = d.prepare(
    `SELECT o.id, o.name, o.id_prefix, o.created_at, m.details
     FROM organizations o LEFT JOIN org_metadata m ON m.org_id = o.id WHERE o.id = $1`,
  );
  const profiles = d.prepare(
    `SELECT ${columnList(PROFILES, PROFILE_KEYS)} FROM profiles WHERE org_id = $1 ${byId}`,
  );
  const roles = d.prepare(`SELECT ${columnList(ROLES, ROLE_KEYS)} FROM roles WHERE org_id = $1 ${byId}`);
  const customization = d.prepare('SELECT customization FROM org_metadata WHERE org_id = $1');
  const toUser = reader(d, USERS, USER_KEYS);
  const toProfile = reader(d, PROFILES, PROFILE_KEYS);
  const toRole = reader(d, ROLES, ROLE_KEYS);
  const toCustomization = reader(d, ORG_METADATA, ['customization']);
  const toDetails = reader(d, ORG_METADATA, ['details']);
  // User writes (admin API, user-writes.ts): the row as given, keyed by organisation and id.
  const insertUser = d.prepare(
    `${insertSql(USERS, ['orgId', ...USER_KEYS])} ON CONFLICT (org_id, id) DO NOTHING`,
  );
  const updateUser = d.prepare(
    `UPDATE users SET name = $3, email = $4, profile_id = $5, role_id = $6, active = $7, time_zone = $8,
       details = $9 WHERE org_id = $1 AND id = $2`,
  );
  const userParams = writer(d, USERS, ['orgId', ...USER_KEYS]);
  return {
    users: async (orgId) => (await d.all(users, [orgId])).map(toUser),
    organization: async (orgId) => {
      const r = await d.get(org, [orgId]);
      if (!r) return null;
      return {
        id: r.id as string,
        name: r.name as string,
        idPrefix: r.id_prefix as string,
        createdAt: Number(r.created_at),
        // No org_metadata row: the organisation declared no details.
        details: r.details === null ? {} : toDetails(r).details,
      };
    },
    profiles: async (orgId) => (await d.all(profiles, [orgId])).map(toProfile),
    roles: async (orgId) => (await d.all(roles, [orgId])).map(toRole),
    customization: async (orgId): Promise<OrgCustomization> => {
      const r = await d.get(customization, [orgId]);
      return r ? toCustomization(r).customization : NO_CUSTOMIZATION;
    },
    insertUser: async (orgId, u) => (await d.run(insertUser, userParams({ ...u, orgId }))) === 1,
    updateUser: async (orgId, u) => (await d.run(updateUser, userParams({ ...u, orgId }))) === 1,
  };
}
