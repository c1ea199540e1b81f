import type { Role } from '../../domain/model.js';
import type { RoleRepository } from '../../domain/ports.js';
import type { SqlDialect } from './dialect.js';
import { roleRow } from './tables.js';

export function createSqlRoleRepository(d: SqlDialect): RoleRepository {
  const toRole = roleRow(d);
  const find = d.prepare(
    'SELECT id, name, reports_to, share_with_peers FROM roles WHERE org_id = $1 AND id = $2',
  );
  // Depth-bounded so that a cycle in bad data cannot loop forever.
  const ancestors = d.prepare(`
    WITH RECURSIVE up (id, reports_to, depth) AS (
      SELECT id, reports_to, 0 FROM roles WHERE org_id = $1 AND id = $2
      UNION ALL
      SELECT r.id, r.reports_to, up.depth + 1 FROM roles r JOIN up ON r.id = up.reports_to
      WHERE r.org_id = $1 AND up.depth < 64
    )
    SELECT id FROM up WHERE depth > 0 ORDER BY depth`);
  return {
    find: async (orgId, roleId): Promise<Role | null> => {
      const r = await d.get(find, [orgId, roleId]);
      return r ? toRole(r) : null;
    },
    ancestors: async (orgId, roleId) => (await d.all(ancestors, [orgId, roleId])).map((r) => r.id as string),
  };
}
