import type { RecordLinkRepository } from '../../domain/ports.js';
import type { SqlDialect } from './dialect.js';
import { storedRecordColumns, storedRecordRow } from './tables.js';

/** Each pair is stored once, smaller id first, so that a link reads the same from either end. */
const pair = (x: string, y: string): [string, string] =>
  x.length < y.length || (x.length === y.length && x < y) ? [x, y] : [y, x];

export function createSqlRecordLinks(d: SqlDialect): RecordLinkRepository {
  const insert = d.prepare(
    'INSERT INTO record_links (org_id, a, b, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
  );
  const remove = d.prepare('DELETE FROM record_links WHERE org_id = $1 AND a = $2 AND b = $3');
  const linked = (owners: boolean) =>
    d.prepare(`SELECT ${storedRecordColumns('r')}
      FROM (SELECT b AS other FROM record_links WHERE org_id = $1 AND a = $2
            UNION ALL SELECT a FROM record_links WHERE org_id = $1 AND b = $2) l
      JOIN records r ON r.org_id = $1 AND r.id = l.other
      WHERE r.module = $3 AND r.deleted_at IS NULL
        ${owners ? `AND ${d.fragments.inList('r.owner_id', '$6')}` : ''}
      ORDER BY length(r.id) DESC, r.id${d.fragments.collateC} DESC LIMIT $4 OFFSET $5`);
  const linkedAll = linked(false);
  const linkedOwned = linked(true);
  const toStored = storedRecordRow(d);
  return {
    link: (orgId, a, others, at) =>
      d.transaction(function* (tx) {
        const out: boolean[] = [];
        for (const o of others) out.push((yield* tx.run(insert, [orgId, ...pair(a, o), at])) === 1);
        return out;
      }),
    unlink: (orgId, a, others) =>
      d.transaction(function* (tx) {
        const out: boolean[] = [];
        for (const o of others) out.push((yield* tx.run(remove, [orgId, ...pair(a, o)])) === 1);
        return out;
      }),
    linked: async ({ orgId, id, module, ownerIds, limit, offset }) => {
      const params: unknown[] = [orgId, id, module, limit, offset];
      if (ownerIds !== null) params.push(d.list(ownerIds));
      return (await d.all(ownerIds === null ? linkedAll : linkedOwned, params)).map(toStored);
    },
  };
}
