import type { AdminBaselineRepository } from '../../domain/admin-baseline-ports.js';
import { allKeys, columnList, insertSql, reader, writer } from './columns.js';
import type { SqlDialect } from './dialect.js';
import { ADMIN_BASELINES } from './tables.js';

/**
 * Admin calls only (rare, small): plain statements, not SQLite's group commit (busy_timeout
 * covers a concurrent commit of the writer thread). On PostgreSQL every node reads and writes
 * the one table, so a reset on any node restores the same state.
 */
export function createSqlAdminBaselines(d: SqlDialect): AdminBaselineRepository {
  const keys = allKeys(ADMIN_BASELINES);
  const cols = columnList(ADMIN_BASELINES, keys);
  const upsert = d.prepare(
    `${insertSql(ADMIN_BASELINES, keys)}
     ON CONFLICT (org_id) DO UPDATE SET kind = excluded.kind, snapshot = excluded.snapshot,
       template = excluded.template, fixture_sha256 = excluded.fixture_sha256, recorded_at = excluded.recorded_at`,
  );
  const insert = d.prepare(`${insertSql(ADMIN_BASELINES, keys)} ON CONFLICT (org_id) DO NOTHING`);
  const select = d.prepare(`SELECT ${cols} FROM admin_baselines WHERE org_id = $1`);
  const all = d.prepare(`SELECT ${cols} FROM admin_baselines ORDER BY org_id`);
  const del = d.prepare('DELETE FROM admin_baselines WHERE org_id = $1');
  const toBaseline = reader(d, ADMIN_BASELINES, keys);
  const values = writer(d, ADMIN_BASELINES, keys);
  const get = async (orgId: string) => {
    const row = await d.get(select, [orgId]);
    return row ? toBaseline(row) : null;
  };
  return {
    async put(b) {
      await d.run(upsert, values(b));
    },
    async putIfAbsent(b) {
      await d.run(insert, values(b));
      return (await get(b.orgId))!;
    },
    get,
    async list() {
      return (await d.all(all)).map(toBaseline);
    },
    async remove(orgId) {
      return (await d.run(del, [orgId])) === 1;
    },
  };
}
