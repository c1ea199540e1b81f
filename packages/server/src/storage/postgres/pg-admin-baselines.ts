import type pg from 'pg';
import type { AdminBaseline, AdminBaselineRepository } from '../../domain/admin-baseline-ports.js';

type Row = Record<string, unknown>;

const COLUMNS = 'org_id, kind, snapshot, template, fixture_sha256, recorded_at';

const toBaseline = (r: Row): AdminBaseline => ({
  orgId: r.org_id as string,
  kind: r.kind as AdminBaseline['kind'],
  snapshot: r.snapshot as string,
  template: (r.template as string | null) ?? null,
  fixtureSha256: (r.fixture_sha256 as string | null) ?? null,
  recordedAt: Number(r.recorded_at),
});

const values = (b: AdminBaseline) => [b.orgId, b.kind, b.snapshot, b.template, b.fixtureSha256, b.recordedAt];

/** Every node reads and writes the one table, so a reset on any node restores the same state. */
export function createPgAdminBaselines(pool: pg.Pool): AdminBaselineRepository {
  const get = async (orgId: string) => {
    const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM admin_baselines WHERE org_id = $1`, [
      orgId,
    ]);
    return rows[0] ? toBaseline(rows[0]) : null;
  };
  return {
    async put(b) {
      await pool.query(
        `INSERT INTO admin_baselines (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (org_id) DO UPDATE SET kind = EXCLUDED.kind, snapshot = EXCLUDED.snapshot,
           template = EXCLUDED.template, fixture_sha256 = EXCLUDED.fixture_sha256, recorded_at = EXCLUDED.recorded_at`,
        values(b),
      );
    },
    async putIfAbsent(b) {
      await pool.query(
        `INSERT INTO admin_baselines (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id) DO NOTHING`,
        values(b),
      );
      return (await get(b.orgId))!;
    },
    get,
    async list() {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM admin_baselines ORDER BY org_id`);
      return rows.map(toBaseline);
    },
    async remove(orgId) {
      const { rowCount } = await pool.query('DELETE FROM admin_baselines WHERE org_id = $1', [orgId]);
      return rowCount === 1;
    },
  };
}
