import type pg from 'pg';
import type { RecordLinkRepository } from '../../domain/ports.js';
import { toStored } from './pg-record-data-repository.js';
import { inTransaction, type Row } from './pg-support.js';

/** Each pair is stored once, smaller id first, so that a link reads the same from either end. */
const pair = (x: string, y: string): [string, string] =>
  x.length < y.length || (x.length === y.length && x < y) ? [x, y] : [y, x];

export class PgRecordLinks implements RecordLinkRepository {
  constructor(private readonly pool: pg.Pool) {}

  async link(orgId: string, a: string, others: readonly string[], at: number): Promise<boolean[]> {
    return inTransaction(this.pool, async (client) => {
      const out: boolean[] = [];
      for (const o of others) {
        const [x, y] = pair(a, o);
        const r = await client.query(
          'INSERT INTO record_links (org_id, a, b, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [orgId, x, y, at],
        );
        out.push(r.rowCount === 1);
      }
      return out;
    });
  }

  async unlink(orgId: string, a: string, others: readonly string[]): Promise<boolean[]> {
    return inTransaction(this.pool, async (client) => {
      const out: boolean[] = [];
      for (const o of others) {
        const [x, y] = pair(a, o);
        const r = await client.query('DELETE FROM record_links WHERE org_id = $1 AND a = $2 AND b = $3', [
          orgId,
          x,
          y,
        ]);
        out.push(r.rowCount === 1);
      }
      return out;
    });
  }

  async linked(input: Parameters<RecordLinkRepository['linked']>[0]) {
    const params: unknown[] = [input.orgId, input.id, input.module, input.limit, input.offset];
    let owners = '';
    if (input.ownerIds !== null) {
      params.push(input.ownerIds);
      owners = 'AND r.owner_id = ANY($6::text[])';
    }
    const { rows } = await this.pool.query<Row>(
      `SELECT r.id, r.module, r.name, r.owner_id, r.fields, r.created_by, r.modified_by,
          r.created_at, r.modified_at
        FROM (SELECT b AS other FROM record_links WHERE org_id = $1 AND a = $2
              UNION ALL SELECT a FROM record_links WHERE org_id = $1 AND b = $2) l
        JOIN records r ON r.org_id = $1 AND r.id = l.other
        WHERE r.module = $3 AND r.deleted_at IS NULL ${owners}
        ORDER BY length(r.id) DESC, r.id COLLATE "C" DESC LIMIT $4 OFFSET $5`,
      params,
    );
    return rows.map(toStored);
  }
}
