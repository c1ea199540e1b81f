import type { ModuleApiName } from '@bigin-attachments/contract';
import type {
  RecordDataRepository,
  RecordSortKey,
  RecordWriteResult,
  StoredRecord,
  UniqueCheck,
} from '../../domain/ports.js';
import { byModule, idsChange, updateChange } from '../outbox-change.js';
import { uniqueIndexed } from '../search-indexes.js';
import type { Query, SqlDialect, SqlFragments, Tx, TxOp } from './dialect.js';
import { pageStatements } from './page-statements.js';
import { createSqlOutboxAppend, liveWatchSql } from './sql-outbox.js';
import { storedRecordColumns, storedRecordRow } from './tables.js';

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const COLUMNS = storedRecordColumns();

/** Field and module names become part of the SQL (JSON paths, index literals), so only API names pass. */
function checked(name: string): string {
  if (!FIELD_NAME.test(name)) throw new Error(`bad name ${name}`);
  return name;
}

/**
 * Live records of one module by id (every get by id). `unindexed`: without statistics SQLite
 * would otherwise walk the module's index, every live record of the module, through a Bloom
 * filter of the ids (13 ms a read at 100,000 contacts) instead of looking each id up by key.
 */
export const findLiveSql = (f: SqlFragments): string =>
  `SELECT ${COLUMNS} FROM records WHERE org_id = $1 AND ${f.unindexed('module')} = $2 AND ${f.inList('id', '$3')} AND deleted_at IS NULL`;

/**
 * Another live record of the module whose `field` folds to the same value. A standard unique
 * field names its module as a literal too, so that SQLite can use that field's partial index
 * (migration 14) instead of scanning the module, and PostgreSQL's planner can prove the index
 * applies (a generic plan cannot, from `$2` alone); `unindexed` keeps the module's own index out
 * of SQLite's choice, which it would otherwise take without statistics.
 */
export function uniqueCheckSql(f: SqlFragments, module: string, field: string): string {
  const moduleTerm = uniqueIndexed(module, field)
    ? `${f.unindexed('module')} = $2 AND module = '${checked(module)}'`
    : 'module = $2';
  return `SELECT id FROM records WHERE org_id = $1 AND ${moduleTerm} AND deleted_at IS NULL AND id != $3
    AND ${f.uniqueMatch(checked(field), '$4')} LIMIT 1`;
}

/** Ids are digit strings without leading zeros: `length(id), id` (bytewise) orders them as numbers. */
const sortColumns = (f: SqlFragments, sortBy: RecordSortKey): string[] => {
  const id = ['length(id)', `id${f.collateC}`];
  return sortBy === 'id' ? id : [sortBy === 'Created_Time' ? 'created_at' : 'modified_at', ...id];
};

/**
 * Records with their field values (records API). Unique checks and the write they guard run under
 * a lock on (organisation, module) (`d.lock`: an advisory lock on PostgreSQL, SQLite's write
 * transaction is exclusive), so two nodes writing the same value at once cannot both find it
 * free; cascades and restores are one transaction each, every row changed by a conditional UPDATE
 * re-checked on its newest version (PostgreSQL, READ COMMITTED). The notification outbox (issue
 * 18) is appended in each write's own transaction.
 */
export function createSqlRecordDataRepository(d: SqlDialect): RecordDataRepository {
  const f = d.fragments;
  const toStored = storedRecordRow(d);
  const appendOutbox = createSqlOutboxAppend(d);
  // Whether a live channel listens, answered by the write itself as `watched`. Over the network
  // (PostgreSQL) the check rides on the write's RETURNING and the outbox append runs only when one
  // does: no channel, no extra round trip. In process (SQLite) the append, an INSERT … SELECT over
  // the same indexed lookup, finds no channel as cheaply as the check would, so the write answers
  // "maybe" and the append always runs.
  const watched = (org: string, module: string | null, event: string, at: string) =>
    d.inProcess ? '1' : liveWatchSql(org, module, event, at);

  const findLive = d.prepare(findLiveSql(f));
  const names = d.prepare(
    `SELECT id, name, module FROM records WHERE org_id = $1 AND ${f.inList('id', '$2')} AND deleted_at IS NULL`,
  );
  const users = d.prepare(
    `SELECT id, name, email, active, role_id FROM users WHERE org_id = $1 AND ${f.inList('id', '$2')}`,
  );
  const usersInRoles = d.prepare(`SELECT id FROM users WHERE org_id = $1 AND ${f.inList('role_id', '$2')}`);
  // Depth-bounded so that a cycle in bad data cannot loop forever.
  const rolesBelow = d.prepare(`
    WITH RECURSIVE down (id, depth) AS (
      SELECT id, 0 FROM roles WHERE org_id = $1 AND id = $2
      UNION ALL
      SELECT r.id, down.depth + 1 FROM roles r JOIN down ON r.reports_to = down.id
      WHERE r.org_id = $1 AND down.depth < 64
    )
    SELECT DISTINCT id FROM down WHERE depth > 0`);
  const insert = d.prepare(`INSERT INTO records
    (org_id, id, module, name, owner_id, created_at, modified_at, deleted_at, fields, created_by, modified_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, ${f.asJson('$8')}, $9, $10)
    RETURNING ${watched('$1', '$3', "'create'", '$6')} AS watched`);
  // The old values are read only when a live channel listens. Over the network one UPDATE hands
  // them back from a locked sub-select, so that it stays one round trip either way; SQLite's
  // RETURNING sees only the updated row, and in process the check and the read cost microseconds.
  const updateReturningOld = d.inProcess
    ? null
    : d.prepare(`UPDATE records r SET name = $1, owner_id = $2, fields = ${f.asJson('$3')}, modified_by = $4, modified_at = $5
      FROM (SELECT fields AS old_fields FROM records
            WHERE org_id = $6 AND id = $7 AND module = $8 AND deleted_at IS NULL${f.forUpdate}) o
      WHERE r.org_id = $6 AND r.id = $7 AND r.module = $8 AND r.deleted_at IS NULL
      RETURNING CASE WHEN ${liveWatchSql('$6', '$8', "'edit'", '$5')} THEN o.old_fields END AS old_fields`);
  const update =
    d.prepare(`UPDATE records SET name = $1, owner_id = $2, fields = ${f.asJson('$3')}, modified_by = $4, modified_at = $5
    WHERE org_id = $6 AND id = $7 AND module = $8 AND deleted_at IS NULL`);
  const editWatched = d.prepare(`SELECT 1 AS watched WHERE ${liveWatchSql('$1', '$2', "'edit'", '$3')}`);
  const currentFields = d.prepare(
    'SELECT fields FROM records WHERE org_id = $1 AND id = $2 AND module = $3 AND deleted_at IS NULL',
  );
  const deleteRoot = d.prepare(`UPDATE records SET deleted_at = $1, deleted_by = $2, deleted_with = $3
    WHERE org_id = $4 AND id = $3 AND module = $5 AND deleted_at IS NULL
    RETURNING ${watched('$4', null, "'delete'", '$1')} AS watched`);
  const markAttachments =
    d.prepare(`UPDATE attachments SET deleted_at = $1, deleted_by = $2, deleted_with = $3
    WHERE org_id = $4 AND record_id = $5 AND deleted_at IS NULL`);
  // The root's row lock orders this restore against another restore or a purge of the record.
  const deletedRoot = d.prepare(`SELECT deleted_at FROM records
    WHERE org_id = $1 AND id = $2 AND deleted_with = id AND deleted_at >= $3${f.forUpdate}`);
  // Only rows stamped with the root's own delete: anything deleted separately stays deleted.
  const restoreAttachments =
    d.prepare(`UPDATE attachments SET deleted_at = NULL, deleted_by = NULL, deleted_with = NULL
    WHERE org_id = $1 AND deleted_with = $2 AND deleted_at = $3 AND purge_claimed_at IS NULL`);
  const restoreRecords =
    d.prepare(`UPDATE records SET deleted_at = NULL, deleted_by = NULL, deleted_with = NULL
    WHERE org_id = $1 AND deleted_with = $2 AND deleted_at = $3 RETURNING id, module`);
  const listDeleted = d.prepare(`SELECT id, module, name, deleted_at, deleted_by FROM records
    WHERE org_id = $1 AND deleted_at IS NOT NULL AND deleted_with = id
    ORDER BY deleted_at DESC, length(id) DESC, id${f.collateC} DESC LIMIT $2 OFFSET $3`);
  const orgsOf = d.prepare(`SELECT org_id FROM records WHERE id = $1 ORDER BY org_id${f.collateC}`);
  // SKIP LOCKED, as the attachment purge: nodes purging at once share the work, never block.
  const purgeRecords = d.prepare(`DELETE FROM records WHERE (org_id, id) IN (
      SELECT r.org_id, r.id FROM records r
      WHERE r.deleted_at IS NOT NULL AND r.deleted_at < $1
        AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.org_id = r.org_id AND a.record_id = r.id)
      LIMIT $2${f.forUpdateSkipLocked})
    RETURNING org_id, id`);
  // A record's tags go with it (docs/tags.md); they stayed while it was in the recycle bin.
  const purgeTags = d.prepare(`DELETE FROM record_tags WHERE org_id = $1 AND ${f.inList('record_id', '$2')}`);

  const statements = new Map<string, Query>();
  const cached = (key: string, sql: () => string): Query => {
    let q = statements.get(key);
    if (!q) {
      q = d.prepareDynamic(sql());
      statements.set(key, q);
    }
    return q;
  };

  /** The first unique check another live record of the module fails. */
  function* firstDuplicate(
    tx: Tx,
    orgId: string,
    module: string,
    id: string,
    checks: readonly UniqueCheck[],
  ): Generator<TxOp, RecordWriteResult | null> {
    for (const u of checks) {
      const q = cached(`unique:${module}:${checked(u.field)}`, () => uniqueCheckSql(f, module, u.field));
      const dup = yield* tx.get(q, [orgId, module, id, u.value]);
      if (dup) return { ok: false, duplicate: { field: u.field, id: dup.id as string } };
    }
    return null;
  }

  /** Serialises unique-checked writes to one module of one organisation, until the transaction ends. */
  const lockUnique = (tx: Tx, orgId: string, module: string) =>
    d.lock(tx, `records-unique:${orgId}:${module}`);

  // One UPDATE … RETURNING per cascade rule: the children it marks are exactly those still live.
  // The module is a literal and the lookup written out as in migration 3, so that its partial
  // expression indexes serve it.
  const markChildren = (module: string, field: string) =>
    cached(
      `children:${checked(module)}:${checked(field)}`,
      () => `UPDATE records SET deleted_at = $1, deleted_by = $2, deleted_with = $3
        WHERE org_id = $4 AND module = '${module}' AND deleted_at IS NULL AND ${f.lookupId(field)} = $5
        RETURNING id`,
    );

  // The list's variants, each a family of page shapes (page-statements.ts); parameters in the
  // order `list` pushes them, the page written into the text.
  const listFamilies = new Map<string, ReturnType<typeof pageStatements>>();
  const listStatement = (
    sortBy: RecordSortKey,
    descending: boolean,
    owners: boolean,
    after: boolean,
    lookupField: string | null,
  ) => {
    const key = `${sortBy}:${descending}:${owners}:${after}:${lookupField}`;
    let family = listFamilies.get(key);
    if (!family) {
      family = pageStatements(d, (limit, offset) => {
        let n = 2;
        const p = () => `$${++n}`;
        const cols = sortColumns(f, sortBy);
        const dir = descending ? 'DESC' : 'ASC';
        const where = ['org_id = $1', 'module = $2', 'deleted_at IS NULL'];
        if (owners) where.push(f.inList('owner_id', p()));
        // Written out as in migration 3's expression indexes, so that they serve related lists.
        if (lookupField) where.push(`${f.lookupId(checked(lookupField))} = ${p()}`);
        if (after) {
          // Cast: PostgreSQL cannot type a bare parameter under length().
          const id = `CAST(${p()} AS TEXT)`;
          const key =
            sortBy === 'id'
              ? `(length(${id}), ${id}${f.collateC})`
              : `(CAST(${p()} AS BIGINT), length(${id}), ${id}${f.collateC})`;
          where.push(`(${cols.join(', ')}) ${descending ? '<' : '>'} ${key}`);
        }
        return `SELECT ${COLUMNS} FROM records WHERE ${where.join(' AND ')}
          ORDER BY ${cols.map((c) => `${c} ${dir}`).join(', ')}
          LIMIT ${limit}${offset === null ? '' : ` OFFSET ${offset}`}`;
      });
      listFamilies.set(key, family);
    }
    return family;
  };

  return {
    findLive: async (orgId, module, ids) => {
      const rows = await d.all(findLive, [orgId, module, d.list(ids)]);
      return new Map(rows.map((r) => [r.id as string, toStored(r)]));
    },
    names: async (orgId, ids) => {
      const rows = await d.all(names, [orgId, d.list(ids)]);
      return new Map(
        rows.map((r) => [r.id as string, { name: r.name as string, module: r.module as ModuleApiName }]),
      );
    },
    users: async (orgId, ids) => {
      const rows = await d.all(users, [orgId, d.list(ids)]);
      return new Map(
        rows.map((r) => [
          r.id as string,
          {
            name: r.name as string,
            email: r.email as string,
            active: d.readBool(r.active),
            roleId: r.role_id as string,
          },
        ]),
      );
    },
    usersInRoles: async (orgId, roleIds) =>
      (await d.all(usersInRoles, [orgId, d.list(roleIds)])).map((r) => r.id as string),
    rolesBelow: async (orgId, roleId) =>
      (await d.all(rolesBelow, [orgId, roleId])).map((r) => r.id as string),
    list: async ({ orgId, module, ownerIds, sortBy, descending, limit, offset, after, lookup }) => {
      const page = listStatement(
        sortBy,
        descending,
        ownerIds !== null,
        after !== null,
        lookup?.field ?? null,
      );
      const q = page(limit, after ? null : offset);
      const params: unknown[] = [orgId, module];
      if (ownerIds !== null) params.push(d.list(ownerIds));
      if (lookup) params.push(lookup.id);
      if (after) {
        params.push(after.id);
        if (sortBy !== 'id') params.push(after.value);
      }
      return (await d.all(q, params)).map(toStored);
    },
    insert: (orgId, records) =>
      d.transaction(function* (tx) {
        for (const module of new Set(records.filter((r) => r.unique.length).map((r) => r.module)))
          yield* lockUnique(tx, orgId, module);
        const results: RecordWriteResult[] = [];
        const added: StoredRecord[] = [];
        for (const r of records) {
          const dup = yield* firstDuplicate(tx, orgId, r.module, r.id, r.unique);
          if (dup) {
            results.push(dup);
            continue;
          }
          const row = yield* tx.get(insert, [
            orgId,
            r.id,
            r.module,
            r.name,
            r.ownerId,
            r.createdAt,
            r.modifiedAt,
            d.json(r.fields),
            r.createdBy,
            r.modifiedBy,
          ]);
          if (row?.watched) added.push(r);
          results.push({ ok: true });
        }
        // One callback per module for the records this call added.
        for (const [module, ids] of byModule(added))
          yield* appendOutbox(tx, orgId, idsChange(module, 'create', ids), added[0]!.createdAt);
        return results;
      }),
    update: (orgId, r) =>
      d.transaction(function* (tx) {
        if (r.unique.length) yield* lockUnique(tx, orgId, r.module);
        const dup = yield* firstDuplicate(tx, orgId, r.module, r.id, r.unique);
        if (dup) return dup;
        const values = [
          r.name,
          r.ownerId,
          d.json(r.fields),
          r.modifiedBy,
          r.modifiedAt,
          orgId,
          r.id,
          r.module,
        ];
        let before: unknown = null;
        if (updateReturningOld) {
          const row = yield* tx.get(updateReturningOld, values);
          if (!row) return null;
          before = row.old_fields;
        } else {
          if (yield* tx.get(editWatched, [orgId, r.module, r.modifiedAt]))
            before = (yield* tx.get(currentFields, [orgId, r.id, r.module]))?.fields ?? null;
          if ((yield* tx.run(update, values)) !== 1) return null;
        }
        if (before !== null)
          yield* appendOutbox(
            tx,
            orgId,
            updateChange(r.module, r.id, d.readJson<Record<string, unknown>>(before), r.fields),
            r.modifiedAt,
          );
        return { ok: true };
      }),
    deleteCascade: ({ orgId, module, id, deletedBy, at, cascade }) =>
      d.transaction(function* (tx) {
        const root = yield* tx.get(deleteRoot, [at, deletedBy, id, orgId, module]);
        if (!root) return false as const;
        const mark = (recordId: string) => tx.run(markAttachments, [at, deletedBy, id, orgId, recordId]);
        let records = 1;
        let attachments = yield* mark(id);
        const queue: Array<{ id: string; module: ModuleApiName }> = [{ id, module }];
        const gone = [...queue];
        for (let next = queue.shift(); next; next = queue.shift()) {
          for (const rule of cascade(next.module)) {
            const children = markChildren(rule.module, rule.field);
            for (const child of yield* tx.all(children, [at, deletedBy, id, orgId, next.id])) {
              const childId = child.id as string;
              records++;
              attachments += yield* mark(childId);
              queue.push({ id: childId, module: rule.module });
              gone.push({ id: childId, module: rule.module });
            }
          }
        }
        // A delete callback per module, cascaded records included.
        if (root.watched)
          for (const [m, ids] of byModule(gone))
            yield* appendOutbox(tx, orgId, idsChange(m, 'delete', ids), at);
        return { records, attachments };
      }),
    restoreCascade: ({ orgId, id, deletedSince, at }) =>
      d.transaction(function* (tx) {
        const root = yield* tx.get(deletedRoot, [orgId, id, deletedSince]);
        if (!root) return null;
        const deletedAt = root.deleted_at as number;
        const attachments = yield* tx.run(restoreAttachments, [orgId, id, deletedAt]);
        const restored = (yield* tx.all(restoreRecords, [orgId, id, deletedAt])).map((r) => ({
          id: r.id as string,
          module: r.module as ModuleApiName,
        }));
        // A restored record comes back as a create (docs/notifications.md).
        for (const [module, ids] of byModule(restored))
          yield* appendOutbox(tx, orgId, idsChange(module, 'create', ids), at);
        return { records: restored.length, attachments };
      }),
    listDeleted: async ({ orgId, limit, offset }) =>
      (await d.all(listDeleted, [orgId, limit, offset])).map((r) => ({
        id: r.id as string,
        module: r.module as ModuleApiName,
        name: r.name as string,
        deletedAt: r.deleted_at as number,
        deletedBy: (r.deleted_by as string | null) ?? null,
      })),
    organizationsOf: async (id) => (await d.all(orgsOf, [id])).map((r) => r.org_id as string),
    purge: ({ deletedBefore, limit }) =>
      d.transaction(function* (tx) {
        const gone = yield* tx.all(purgeRecords, [deletedBefore, limit]);
        const byOrg = new Map<string, string[]>();
        for (const r of gone) {
          const ids = byOrg.get(r.org_id as string) ?? [];
          ids.push(r.id as string);
          byOrg.set(r.org_id as string, ids);
        }
        for (const [orgId, ids] of byOrg) yield* tx.run(purgeTags, [orgId, d.list(ids)]);
        return gone.length;
      }),
  };
}
