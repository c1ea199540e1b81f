import type { Role } from '../../domain/model.js';
import type { RoleRepository } from '../../domain/ports.js';
import { type Queryable, type Row, str, strOrNull } from './pg-support.js';

export class PgRoleRepository implements RoleRepository {
  constructor(private readonly db: Queryable) {}

  async find(orgId: string, roleId: string): Promise<Role | null> {
    const { rows } = await this.db.query<Row>(
      'SELECT id, name, reports_to, share_with_peers FROM roles WHERE org_id = $1 AND id = $2',
      [orgId, roleId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: str(r.id),
      name: str(r.name),
      reportsTo: strOrNull(r.reports_to),
      shareWithPeers: r.share_with_peers === true,
    };
  }

  async ancestors(orgId: string, roleId: string): Promise<string[]> {
    // Depth-bounded so that a cycle in bad data cannot loop forever.
    const { rows } = await this.db.query<Row>(
      `WITH RECURSIVE up (id, reports_to, depth) AS (
         SELECT id, reports_to, 0 FROM roles WHERE org_id = $1 AND id = $2
         UNION ALL
         SELECT r.id, r.reports_to, up.depth + 1 FROM roles r JOIN up ON r.id = up.reports_to
         WHERE r.org_id = $1 AND up.depth < 64
       )
       SELECT id FROM up WHERE depth > 0 ORDER BY depth`,
      [orgId, roleId],
    );
    return rows.map((r) => str(r.id));
  }
}
