import type Database from 'better-sqlite3';
import type { AdminBaseline, AdminBaselineRepository } from '../../domain/admin-baseline-ports.js';

type Row = Record<string, unknown>;

const toBaseline = (r: Row): AdminBaseline => ({
  orgId: r.org_id as string,
  kind: r.kind as AdminBaseline['kind'],
  snapshot: r.snapshot as string,
  template: (r.template as string | null) ?? null,
  fixtureSha256: (r.fixture_sha256 as string | null) ?? null,
  recordedAt: Number(r.recorded_at),
});

/**
 * Admin calls only (rare, small): plain statements on the main connection, not the writer
 * thread's group commit; busy_timeout covers a concurrent commit of the writer thread.
 */
export function createSqliteAdminBaselines(db: Database.Database): AdminBaselineRepository {
  const columns = 'org_id, kind, snapshot, template, fixture_sha256, recorded_at';
  const upsert = db.prepare(
    `INSERT INTO admin_baselines (${columns}) VALUES (@orgId, @kind, @snapshot, @template, @fixtureSha256, @recordedAt)
     ON CONFLICT (org_id) DO UPDATE SET kind = excluded.kind, snapshot = excluded.snapshot,
       template = excluded.template, fixture_sha256 = excluded.fixture_sha256, recorded_at = excluded.recorded_at`,
  );
  const insert = db.prepare(
    `INSERT OR IGNORE INTO admin_baselines (${columns}) VALUES (@orgId, @kind, @snapshot, @template, @fixtureSha256, @recordedAt)`,
  );
  const select = db.prepare(`SELECT ${columns} FROM admin_baselines WHERE org_id = ?`);
  const all = db.prepare(`SELECT ${columns} FROM admin_baselines ORDER BY org_id`);
  const del = db.prepare('DELETE FROM admin_baselines WHERE org_id = ?');
  return {
    async put(b) {
      upsert.run(b);
    },
    async putIfAbsent(b) {
      insert.run(b);
      return toBaseline(select.get(b.orgId) as Row);
    },
    async get(orgId) {
      const row = select.get(orgId) as Row | undefined;
      return row ? toBaseline(row) : null;
    },
    async list() {
      return (all.all() as Row[]).map(toBaseline);
    },
    async remove(orgId) {
      return del.run(orgId).changes === 1;
    },
  };
}
