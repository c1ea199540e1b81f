import type { ModuleApiName } from '@bigin-attachments/contract';
import type { RecordRef } from '../../domain/model.js';
import type { RecordRepository } from '../../domain/ports.js';
import { type Queryable, type Row, str } from './pg-support.js';

export class PgRecordRepository implements RecordRepository {
  constructor(private readonly db: Queryable) {}

  async findLive(orgId: string, module: ModuleApiName, recordId: string): Promise<RecordRef | null> {
    const { rows } = await this.db.query<Row>(
      `SELECT r.id, r.module, r.name, r.owner_id, u.role_id AS owner_role_id
       FROM records r JOIN users u ON u.org_id = r.org_id AND u.id = r.owner_id
       WHERE r.org_id = $1 AND r.id = $2 AND r.module = $3 AND r.deleted_at IS NULL`,
      [orgId, recordId, module],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: str(r.id),
      module: str(r.module) as ModuleApiName,
      name: str(r.name),
      ownerId: str(r.owner_id),
      ownerRoleId: str(r.owner_role_id),
    };
  }
}
