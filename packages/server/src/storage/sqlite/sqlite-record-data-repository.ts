import type { ModuleApiName } from '@bigin-attachments/contract';
import type Database from 'better-sqlite3';
import type {
  CascadeRule,
  RecordCursor,
  RecordDataRepository,
  RecordSortKey,
  RecordWriteResult,
  StoredRecord,
  UniqueCheck,
} from '../../domain/ports.js';
import { byModule, idsChange, updateChange } from '../outbox-change.js';
import { uniqueIndexed } from '../search-indexes.js';
import { SQLITE_DECODER } from '../sql/sqlite-dialect.js';
import { storedRecordColumns, storedRecordRow } from '../sql/tables.js';
import type { SqliteOutboxWriter } from './sqlite-notifications.js';

type Row = Record<string, unknown>;

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** SQL sort columns: ids compare numerically (shorter first), so `length(id), id`. */
const SORT_COLUMNS: Record<RecordSortKey, string[]> = {
  id: ['length(id)', 'id'],
  Created_Time: ['created_at', 'length(id)', 'id'],
  Modified_Time: ['modified_at', 'length(id)', 'id'],
};

/** A records row as a StoredRecord (the mapper of storage/sql/tables.ts). */
export const toStored: (r: Row) => StoredRecord = storedRecordRow(SQLITE_DECODER);

/**
 * Records with their field values (records API). Every method is one statement or one
 * transaction: the cascade of a delete and its restore never span an `await`.
 */
const COLUMNS = storedRecordColumns();

/**
 * Live records of one module by id (every get by id). `+module`: without statistics SQLite would
 * otherwise walk the module's index, every live record of the module, through a Bloom filter of
 * the ids (13 ms a read at 100,000 contacts) instead of looking each id up by key.
 */
export const FIND_LIVE_SQL = `SELECT ${COLUMNS} FROM records WHERE org_id = ? AND +module = ? AND id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL`;

/**
 * Another live record of the module whose `field` folds to the same value. For a standard unique
 * field the module is also written as a literal, so that SQLite can use that field's partial
 * index (migration 14) instead of scanning the module.
 */
export function uniqueCheckSql(module: string, field: string): string {
  if (!FIELD_NAME.test(field) || !FIELD_NAME.test(module)) throw new Error(`bad name ${module}.${field}`);
  // `+module = ?` keeps the module's own index out of the choice, which SQLite would otherwise
  // take without statistics.
  const moduleTerm = uniqueIndexed(module, field) ? `+module = ? AND module = '${module}'` : 'module = ?';
  return `SELECT id FROM records WHERE org_id = ? AND ${moduleTerm} AND deleted_at IS NULL AND id != ?
    AND bigin_fold(json_extract(fields, '$.${field}')) = bigin_fold(?) LIMIT 1`;
}

export function createSqliteRecordDataRepository(
  db: Database.Database,
  /** Notification outbox (issue 18): each write appends its callbacks in its own transaction. */
  outbox?: SqliteOutboxWriter,
): RecordDataRepository {
  const findLive = db.prepare(FIND_LIVE_SQL);
  const names = db.prepare(
    'SELECT id, name, module FROM records WHERE org_id = ? AND id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL',
  );
  const users = db.prepare(
    'SELECT id, name, email, active, role_id FROM users WHERE org_id = ? AND id IN (SELECT value FROM json_each(?))',
  );
  const usersInRoles = db.prepare(
    'SELECT id FROM users WHERE org_id = ? AND role_id IN (SELECT value FROM json_each(?))',
  );
  // Depth-bounded so that a cycle in bad data cannot loop forever.
  const rolesBelow = db.prepare(`
    WITH RECURSIVE down (id, depth) AS (
      SELECT id, 0 FROM roles WHERE org_id = @org AND id = @role
      UNION ALL
      SELECT r.id, down.depth + 1 FROM roles r JOIN down ON r.reports_to = down.id
      WHERE r.org_id = @org AND down.depth < 64
    )
    SELECT DISTINCT id FROM down WHERE depth > 0`);
  const insert = db.prepare(`INSERT INTO records
    (org_id, id, module, name, owner_id, created_at, modified_at, deleted_at, fields, created_by, modified_by)
    VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`);
  const update =
    db.prepare(`UPDATE records SET name = ?, owner_id = ?, fields = ?, modified_by = ?, modified_at = ?
    WHERE org_id = ? AND id = ? AND module = ? AND deleted_at IS NULL`);
  const markRecord = db.prepare(`UPDATE records SET deleted_at = ?, deleted_by = ?, deleted_with = ?
    WHERE org_id = ? AND id = ? AND deleted_at IS NULL`);
  const markAttachments = db.prepare(`UPDATE attachments SET deleted_at = ?, deleted_by = ?, deleted_with = ?
    WHERE org_id = ? AND record_id = ? AND deleted_at IS NULL`);
  const deletedRoot = db.prepare(
    'SELECT deleted_at FROM records WHERE org_id = ? AND id = ? AND deleted_with = id AND deleted_at >= ?',
  );
  // Only rows stamped with the root's own delete: anything deleted separately stays deleted.
  const restoreRecords =
    db.prepare(`UPDATE records SET deleted_at = NULL, deleted_by = NULL, deleted_with = NULL
    WHERE org_id = ? AND deleted_with = ? AND deleted_at = ? RETURNING id, module`);
  const currentFields = db.prepare(
    'SELECT fields FROM records WHERE org_id = ? AND id = ? AND module = ? AND deleted_at IS NULL',
  );
  const restoreAttachments =
    db.prepare(`UPDATE attachments SET deleted_at = NULL, deleted_by = NULL, deleted_with = NULL
    WHERE org_id = ? AND deleted_with = ? AND deleted_at = ? AND purge_claimed_at IS NULL`);
  const listDeleted = db.prepare(`SELECT id, module, name, deleted_at, deleted_by FROM records
    WHERE org_id = ? AND deleted_at IS NOT NULL AND deleted_with = id
    ORDER BY deleted_at DESC, length(id) DESC, id DESC LIMIT ? OFFSET ?`);
  const orgsOf = db.prepare('SELECT org_id FROM records WHERE id = ? ORDER BY org_id');
  const purgeable = db.prepare(`SELECT r.rowid AS rowid, r.org_id, r.id FROM records r
    WHERE r.deleted_at IS NOT NULL AND r.deleted_at < ?
      AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.org_id = r.org_id AND a.record_id = r.id)
    LIMIT ?`);
  const purgeRecord = db.prepare('DELETE FROM records WHERE rowid = ?');
  // A record's tags go with it (docs/tags.md); they stayed while it was in the recycle bin.
  const purgeTags = db.prepare('DELETE FROM record_tags WHERE org_id = ? AND record_id = ?');
  const purge = db.transaction((deletedBefore: number, limit: number) => {
    let n = 0;
    for (const r of purgeable.all(deletedBefore, limit) as Array<{
      rowid: number;
      org_id: string;
      id: string;
    }>) {
      purgeTags.run(r.org_id, r.id);
      n += purgeRecord.run(r.rowid).changes;
    }
    return n;
  });

  const statements = new Map<string, Database.Statement>();
  const cached = (key: string, sql: () => string) => {
    let st = statements.get(key);
    if (!st) {
      st = db.prepare(sql());
      statements.set(key, st);
    }
    return st;
  };
  const checkedField = (field: string) => {
    if (!FIELD_NAME.test(field)) throw new Error(`bad field name ${field}`);
    return field;
  };
  const duplicateOf = (orgId: string, module: string, id: string, u: UniqueCheck): string | null => {
    const st = cached(`unique:${module}:${checkedField(u.field)}`, () => uniqueCheckSql(module, u.field));
    const r = st.get(orgId, module, id, u.value) as Row | undefined;
    return r ? (r.id as string) : null;
  };
  // The expression must be written out for SQLite to use the partial indexes of migration 3.
  const childrenOf = (orgId: string, module: string, field: string, parentId: string): string[] =>
    (
      cached(
        `children:${module}:${checkedField(field)}`,
        () => `SELECT id FROM records WHERE org_id = ? AND module = '${module}' AND deleted_at IS NULL
          AND json_extract(fields, '$.${field}.id') = ?`,
      ).all(orgId, parentId) as Row[]
    ).map((r) => r.id as string);

  const insertTx = db.transaction(
    (orgId: string, records: ReadonlyArray<StoredRecord & { unique: readonly UniqueCheck[] }>) => {
      const results = records.map((r): RecordWriteResult => {
        for (const u of r.unique) {
          const dup = duplicateOf(orgId, r.module, r.id, u);
          if (dup) return { ok: false, duplicate: { field: u.field, id: dup } };
        }
        insert.run(
          orgId,
          r.id,
          r.module,
          r.name,
          r.ownerId,
          r.createdAt,
          r.modifiedAt,
          JSON.stringify(r.fields),
          r.createdBy,
          r.modifiedBy,
        );
        return { ok: true };
      });
      // Notification outbox (issue 18): one callback per module for the records this call added.
      const added = records.filter((_, i) => results[i]!.ok);
      if (outbox && added.length)
        for (const [module, ids] of byModule(added))
          outbox.append(orgId, idsChange(module, 'create', ids), added[0]!.createdAt);
      return results;
    },
  );

  const updateTx = db.transaction(
    (orgId: string, r: Parameters<RecordDataRepository['update']>[1]): RecordWriteResult | null => {
      for (const u of r.unique) {
        const dup = duplicateOf(orgId, r.module, r.id, u);
        if (dup) return { ok: false, duplicate: { field: u.field, id: dup } };
      }
      // Notification outbox (issue 18): the old values are read only when a channel listens.
      const before = outbox?.watched(orgId, r.module, 'edit', r.modifiedAt)
        ? (currentFields.get(orgId, r.id, r.module) as Row | undefined)
        : undefined;
      const changes = update.run(
        r.name,
        r.ownerId,
        JSON.stringify(r.fields),
        r.modifiedBy,
        r.modifiedAt,
        orgId,
        r.id,
        r.module,
      ).changes;
      if (changes === 1 && before)
        outbox!.append(
          orgId,
          updateChange(
            r.module,
            r.id,
            JSON.parse(before.fields as string) as Record<string, unknown>,
            r.fields,
          ),
          r.modifiedAt,
        );
      return changes === 1 ? { ok: true } : null;
    },
  );

  const deleteTx = db.transaction(
    (input: {
      orgId: string;
      module: ModuleApiName;
      id: string;
      deletedBy: string;
      at: number;
      cascade: CascadeRule;
    }) => {
      const { orgId, id, deletedBy, at } = input;
      const root = cached(
        'delete-root',
        () => `UPDATE records SET deleted_at = ?, deleted_by = ?, deleted_with = ?
          WHERE org_id = ? AND id = ? AND module = ? AND deleted_at IS NULL`,
      ).run(at, deletedBy, id, orgId, id, input.module);
      if (root.changes !== 1) return false as const;
      let records = 1;
      let attachments = markAttachments.run(at, deletedBy, id, orgId, id).changes;
      const queue: Array<{ id: string; module: ModuleApiName }> = [{ id, module: input.module }];
      const gone = [...queue];
      for (let next = queue.shift(); next; next = queue.shift()) {
        for (const rule of input.cascade(next.module)) {
          for (const child of childrenOf(orgId, rule.module, rule.field, next.id)) {
            if (markRecord.run(at, deletedBy, id, orgId, child).changes !== 1) continue;
            records++;
            attachments += markAttachments.run(at, deletedBy, id, orgId, child).changes;
            queue.push({ id: child, module: rule.module });
            gone.push({ id: child, module: rule.module });
          }
        }
      }
      // Notification outbox (issue 18): a delete callback per module, cascaded records included.
      if (outbox)
        for (const [module, ids] of byModule(gone))
          outbox.append(orgId, idsChange(module, 'delete', ids), at);
      return { records, attachments };
    },
  );

  const restoreTx = db.transaction((orgId: string, id: string, deletedSince: number, now: number) => {
    const root = deletedRoot.get(orgId, id, deletedSince) as Row | undefined;
    if (!root) return null;
    const at = root.deleted_at as number;
    const attachments = restoreAttachments.run(orgId, id, at).changes;
    const restored = restoreRecords.all(orgId, id, at) as Array<{ id: string; module: ModuleApiName }>;
    // Notification outbox (issue 18): a restored record comes back as a create (docs/notifications.md).
    if (outbox)
      for (const [module, ids] of byModule(restored))
        outbox.append(orgId, idsChange(module, 'create', ids), now);
    return { records: restored.length, attachments };
  });

  const listStatement = (
    sortBy: RecordSortKey,
    descending: boolean,
    owners: boolean,
    after: boolean,
    lookupField: string | null,
  ) =>
    cached(`list:${sortBy}:${descending}:${owners}:${after}:${lookupField}`, () => {
      const cols = SORT_COLUMNS[sortBy];
      const dir = descending ? 'DESC' : 'ASC';
      const tuple = `(${cols.join(', ')})`;
      const params = sortBy === 'id' ? '(length(@id), @id)' : '(@value, length(@id), @id)';
      return `SELECT ${COLUMNS} FROM records
        WHERE org_id = @org AND module = @module AND deleted_at IS NULL
        ${owners ? 'AND owner_id IN (SELECT value FROM json_each(@owners))' : ''}
        ${lookupField ? `AND json_extract(fields, '$.${checkedField(lookupField)}.id') = @lookup` : ''}
        ${after ? `AND ${tuple} ${descending ? '<' : '>'} ${params}` : ''}
        ORDER BY ${cols.map((c) => `${c} ${dir}`).join(', ')}
        LIMIT @limit ${after ? '' : 'OFFSET @offset'}`;
    });

  return {
    findLive: async (orgId, module, ids) => {
      const rows = findLive.all(orgId, module, JSON.stringify(ids)) as Row[];
      return new Map(rows.map((r) => [r.id as string, toStored(r)]));
    },
    names: async (orgId, ids) => {
      const rows = names.all(orgId, JSON.stringify(ids)) as Row[];
      return new Map(
        rows.map((r) => [r.id as string, { name: r.name as string, module: r.module as ModuleApiName }]),
      );
    },
    users: async (orgId, ids) => {
      const rows = users.all(orgId, JSON.stringify(ids)) as Row[];
      return new Map(
        rows.map((r) => [
          r.id as string,
          {
            name: r.name as string,
            email: r.email as string,
            active: r.active === 1,
            roleId: r.role_id as string,
          },
        ]),
      );
    },
    usersInRoles: async (orgId, roleIds) =>
      (usersInRoles.all(orgId, JSON.stringify(roleIds)) as Row[]).map((r) => r.id as string),
    rolesBelow: async (orgId, roleId) =>
      (rolesBelow.all({ org: orgId, role: roleId }) as Row[]).map((r) => r.id as string),
    list: async ({ orgId, module, ownerIds, sortBy, descending, limit, offset, after, lookup }) => {
      const st = listStatement(sortBy, descending, ownerIds !== null, after !== null, lookup?.field ?? null);
      const params: Record<string, unknown> = { org: orgId, module, limit };
      if (lookup) params.lookup = lookup.id;
      if (ownerIds !== null) params.owners = JSON.stringify(ownerIds);
      if (after) {
        params.id = after.id;
        if (sortBy !== 'id') params.value = (after as RecordCursor).value;
      } else params.offset = offset;
      return (st.all(params) as Row[]).map(toStored);
    },
    insert: async (orgId, records) => insertTx.immediate(orgId, records),
    update: async (orgId, record) => updateTx.immediate(orgId, record),
    deleteCascade: async (input) => deleteTx.immediate(input),
    restoreCascade: async ({ orgId, id, deletedSince, at }) =>
      restoreTx.immediate(orgId, id, deletedSince, at ?? Date.now()),
    listDeleted: async ({ orgId, limit, offset }) =>
      (listDeleted.all(orgId, limit, offset) as Row[]).map((r) => ({
        id: r.id as string,
        module: r.module as ModuleApiName,
        name: r.name as string,
        deletedAt: r.deleted_at as number,
        deletedBy: (r.deleted_by as string | null) ?? null,
      })),
    organizationsOf: async (id) => (orgsOf.all(id) as Row[]).map((r) => r.org_id as string),
    purge: async ({ deletedBefore, limit }) => purge.immediate(deletedBefore, limit),
  };
}
