import type { RecordRef } from '../../domain/model.js';
import type { RecordRepository } from '../../domain/ports.js';
import type { SqlDialect } from './dialect.js';

/** The record an attachment request names, with its owner's role (every attachment request). */
export function createSqlRecordRepository(d: SqlDialect): RecordRepository {
  // Same answer either way (owner_id is a foreign key). In process (SQLite) a correlated subquery
  // measured about three times faster per call than the JOIN (docs/benchmarks.md); PostgreSQL
  // plans the JOIN as well or better.
  const find = d.prepare(
    d.inProcess
      ? `SELECT r.id, r.module, r.name, r.owner_id,
           (SELECT u.role_id FROM users u WHERE u.org_id = r.org_id AND u.id = r.owner_id) AS owner_role_id
         FROM records r
         WHERE r.org_id = $1 AND r.id = $2 AND r.module = $3 AND r.deleted_at IS NULL`
      : `SELECT r.id, r.module, r.name, r.owner_id, u.role_id AS owner_role_id
         FROM records r JOIN users u ON u.org_id = r.org_id AND u.id = r.owner_id
         WHERE r.org_id = $1 AND r.id = $2 AND r.module = $3 AND r.deleted_at IS NULL`,
  );
  return {
    findLive: async (orgId, module, recordId) => {
      const r = await d.get(find, [orgId, recordId, module]);
      if (!r) return null;
      const record: RecordRef = {
        id: r.id as string,
        module: r.module as RecordRef['module'],
        name: r.name as string,
        ownerId: r.owner_id as string,
        ownerRoleId: r.owner_role_id as string,
      };
      return record;
    },
  };
}
