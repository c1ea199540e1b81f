import type { DataCenterId } from '@bigin-attachments/contract';
import type { OrganizationRepository } from '../../domain/ports.js';
import type { Query, Row, SqlDialect } from './dialect.js';
import {
  DUMP_QUERIES,
  type DumpRows,
  dumpMapper,
  ORGANIZATION_TABLES,
  referencedClients,
} from './organization-dump.js';

export function createSqlOrganizationRepository(d: SqlDialect): OrganizationRepository {
  // Dynamic (unnamed on PostgreSQL): a named `SELECT *` fails once another node's migration adds a column.
  const reads = Object.entries(DUMP_QUERIES).map(([k, sql]) => [k, d.prepareDynamic(sql)] as const);
  const clients = d.prepare(
    `SELECT * FROM oauth_clients WHERE ${d.fragments.inList('id', '$1')} ORDER BY id`,
  );
  // Locks the organisation first (PostgreSQL), so that a concurrent write into it waits or fails its FK.
  const lockOrg = d.prepare(`SELECT 1 FROM organizations WHERE id = $1${d.fragments.forUpdate}`);
  // The bytes of its attachments and of its photos (live, replaced and deleted alike).
  const blobKeys = d.prepare(
    'SELECT blob_key FROM attachments WHERE org_id = $1 AND blob_key IS NOT NULL UNION ALL SELECT blob_key FROM record_photos WHERE org_id = $1',
  );
  const deletes: Query[] = ORGANIZATION_TABLES.map((t) => d.prepare(`DELETE FROM ${t} WHERE org_id = $1`));
  const deleteOrg = d.prepare('DELETE FROM organizations WHERE id = $1');
  const list = d.prepare('SELECT id, name, data_center, created_at FROM organizations ORDER BY id');
  const setSeq = d.prepare('UPDATE organizations SET next_seq = $1 WHERE id = $2');
  const toDump = dumpMapper(d);
  return {
    list: async () =>
      (await d.all(list)).map((r) => ({
        id: r.id as string,
        name: r.name as string,
        dataCenter: r.data_center as DataCenterId,
        createdAt: Number(r.created_at),
      })),
    // One snapshot: every read of the dump sees the same state.
    dump: (orgId) =>
      d.transaction(
        function* (tx) {
          const rows: Record<string, Row[]> = {};
          for (const [k, q] of reads) rows[k] = yield* tx.all(q, [orgId]);
          const ids = referencedClients(rows as Omit<DumpRows, 'clients'>);
          rows.clients = ids.length ? yield* tx.all(clients, [d.list(ids)]) : [];
          return toDump(rows as DumpRows);
        },
        { snapshot: true },
      ),
    remove: (orgId) =>
      d.transaction(function* (tx) {
        if (!(yield* tx.get(lockOrg, [orgId]))) return null;
        const keys = (yield* tx.all(blobKeys, [orgId])).map((r) => r.blob_key as string);
        for (const del of deletes) yield* tx.run(del, [orgId]);
        yield* tx.run(deleteOrg, [orgId]);
        return { blobKeys: keys };
      }),
    setNextSequence: async (orgId, next) => {
      await d.run(setSeq, [next, orgId]);
    },
  };
}
