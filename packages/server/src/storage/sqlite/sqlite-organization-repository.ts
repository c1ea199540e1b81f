import type { DataCenterId } from '@bigin-attachments/contract';
import type Database from 'better-sqlite3';
import type { OrganizationDump, OrganizationRepository } from '../../domain/ports.js';
import {
  DUMP_QUERIES,
  type DumpRows,
  ORGANIZATION_TABLES,
  referencedClients,
  toDump,
} from '../shared/organization-dump.js';

type Row = Record<string, unknown>;

const SQLITE_DIALECT = {
  bool: (v: unknown) => v === 1,
  json: <T>(v: unknown) => JSON.parse(v as string) as T,
  text: (v: unknown) => v as string,
};

export function createSqliteOrganizationRepository(db: Database.Database): OrganizationRepository {
  const reads = Object.fromEntries(
    Object.entries(DUMP_QUERIES).map(([k, sql]) => [k, db.prepare(sql.replaceAll('$1', '?'))]),
  ) as Record<keyof typeof DUMP_QUERIES, Database.Statement>;
  const dumpTx = db.transaction((orgId: string): OrganizationDump | null => {
    const rows = Object.fromEntries(
      Object.entries(reads).map(([k, stmt]) => [k, stmt.all(orgId) as Row[]]),
    ) as Omit<DumpRows, 'clients'>;
    const ids = referencedClients(rows);
    const clients = ids.length
      ? (db
          .prepare(`SELECT * FROM oauth_clients WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`)
          .all(...ids) as Row[])
      : [];
    return toDump({ ...rows, clients }, SQLITE_DIALECT);
  });
  const blobKeys = db.prepare(
    'SELECT blob_key FROM attachments WHERE org_id = ? AND blob_key IS NOT NULL UNION ALL SELECT blob_key FROM record_photos WHERE org_id = ?',
  );
  const deletes = ORGANIZATION_TABLES.map((t) => db.prepare(`DELETE FROM ${t} WHERE org_id = ?`));
  const deleteOrg = db.prepare('DELETE FROM organizations WHERE id = ?');
  const removeTx = db.transaction((orgId: string): { blobKeys: string[] } | null => {
    const keys = (blobKeys.all(orgId, orgId) as Row[]).map((r) => r.blob_key as string);
    for (const d of deletes) d.run(orgId);
    return deleteOrg.run(orgId).changes === 1 ? { blobKeys: keys } : null;
  });
  const list = db.prepare('SELECT id, name, data_center, created_at FROM organizations ORDER BY id');
  const setSeq = db.prepare('UPDATE organizations SET next_seq = ? WHERE id = ?');
  return {
    list: async () =>
      (list.all() as Row[]).map((r) => ({
        id: r.id as string,
        name: r.name as string,
        dataCenter: r.data_center as DataCenterId,
        createdAt: r.created_at as number,
      })),
    dump: async (orgId) => dumpTx(orgId),
    remove: async (orgId) => removeTx.immediate(orgId),
    setNextSequence: async (orgId, next) => {
      setSeq.run(next, orgId);
    },
  };
}
