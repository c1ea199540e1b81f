import type Database from 'better-sqlite3';
import type { RecordLinkRepository } from '../../domain/ports.js';
import { toStored } from './sqlite-record-data-repository.js';

type Row = Record<string, unknown>;

/** Each pair is stored once, smaller id first, so that a link reads the same from either end. */
const pair = (x: string, y: string): [string, string] =>
  x.length < y.length || (x.length === y.length && x < y) ? [x, y] : [y, x];

export function createSqliteRecordLinks(db: Database.Database): RecordLinkRepository {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO record_links (org_id, a, b, created_at) VALUES (?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM record_links WHERE org_id = ? AND a = ? AND b = ?');
  const linkTx = db.transaction((orgId: string, a: string, others: readonly string[], at: number) =>
    others.map((o) => insert.run(orgId, ...pair(a, o), at).changes === 1),
  );
  const unlinkTx = db.transaction((orgId: string, a: string, others: readonly string[]) =>
    others.map((o) => remove.run(orgId, ...pair(a, o)).changes === 1),
  );
  const linked = (owners: boolean) =>
    db.prepare(`SELECT r.id, r.module, r.name, r.owner_id, r.fields, r.created_by, r.modified_by,
        r.created_at, r.modified_at
      FROM (SELECT b AS other FROM record_links WHERE org_id = @org AND a = @id
            UNION ALL SELECT a FROM record_links WHERE org_id = @org AND b = @id) l
      JOIN records r ON r.org_id = @org AND r.id = l.other
      WHERE r.module = @module AND r.deleted_at IS NULL
        ${owners ? 'AND r.owner_id IN (SELECT value FROM json_each(@owners))' : ''}
      ORDER BY length(r.id) DESC, r.id DESC LIMIT @limit OFFSET @offset`);
  const linkedAll = linked(false);
  const linkedOwned = linked(true);
  return {
    link: async (orgId, a, others, at) => linkTx.immediate(orgId, a, others, at),
    unlink: async (orgId, a, others) => unlinkTx.immediate(orgId, a, others),
    linked: async ({ orgId, id, module, ownerIds, limit, offset }) => {
      const params: Record<string, unknown> = { org: orgId, id, module, limit, offset };
      if (ownerIds !== null) params.owners = JSON.stringify(ownerIds);
      return ((ownerIds === null ? linkedAll : linkedOwned).all(params) as Row[]).map(toStored);
    },
  };
}
