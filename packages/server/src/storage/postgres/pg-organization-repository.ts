import type { DataCenterId } from '@bigin-attachments/contract';
import type pg from 'pg';
import type { OrganizationDump, OrganizationRepository } from '../../domain/ports.js';
import {
  DUMP_QUERIES,
  type DumpRows,
  ORGANIZATION_TABLES,
  referencedClients,
  toDump,
} from '../shared/organization-dump.js';
import { fromPgText, inTransaction, num, type Row, str } from './pg-support.js';

const PG_DIALECT = {
  bool: (v: unknown) => v === true,
  // jsonb and json columns arrive parsed.
  json: <T>(v: unknown) => v as T,
  text: fromPgText,
};

export class PgOrganizationRepository implements OrganizationRepository {
  constructor(private readonly pool: pg.Pool) {}

  async list() {
    const { rows } = await this.pool.query<Row>(
      'SELECT id, name, data_center, created_at FROM organizations ORDER BY id',
    );
    return rows.map((r) => ({
      id: str(r.id),
      name: str(r.name),
      dataCenter: str(r.data_center) as DataCenterId,
      createdAt: num(r.created_at),
    }));
  }

  /** REPEATABLE READ: every read of the dump sees the same snapshot. */
  async dump(orgId: string): Promise<OrganizationDump | null> {
    return inTransaction(this.pool, async (db) => {
      await db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const rows: Record<string, Row[]> = {};
      for (const [k, sql] of Object.entries(DUMP_QUERIES)) rows[k] = (await db.query<Row>(sql, [orgId])).rows;
      const ids = referencedClients(rows as Omit<DumpRows, 'clients'>);
      rows.clients = ids.length
        ? (await db.query<Row>('SELECT * FROM oauth_clients WHERE id = ANY($1::text[]) ORDER BY id', [ids]))
            .rows
        : [];
      return toDump(rows as DumpRows, PG_DIALECT);
    });
  }

  async remove(orgId: string): Promise<{ blobKeys: string[] } | null> {
    return inTransaction(this.pool, async (db) => {
      // Locks the organisation first, so that a concurrent write into it waits or fails its FK.
      const org = await db.query('SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE', [orgId]);
      if (!org.rowCount) return null;
      const { rows } = await db.query<Row>(
        'SELECT blob_key FROM attachments WHERE org_id = $1 AND blob_key IS NOT NULL UNION ALL SELECT blob_key FROM record_photos WHERE org_id = $1',
        [orgId],
      );
      for (const t of ORGANIZATION_TABLES) await db.query(`DELETE FROM ${t} WHERE org_id = $1`, [orgId]);
      await db.query('DELETE FROM organizations WHERE id = $1', [orgId]);
      return { blobKeys: rows.map((r) => str(r.blob_key)) };
    });
  }

  async setNextSequence(orgId: string, next: number): Promise<void> {
    await this.pool.query('UPDATE organizations SET next_seq = $1 WHERE id = $2', [next, orgId]);
  }
}
