import type { ModuleApiName } from '@bigin-attachments/contract';
import type pg from 'pg';
import type {
  CascadeRule,
  RecordDataRepository,
  RecordSortKey,
  RecordWriteResult,
  StoredRecord,
  UniqueCheck,
} from '../../domain/ports.js';
import { byModule, idsChange, updateChange } from '../outbox-change.js';
import { uniqueIndexed } from '../search-indexes.js';
import { PG_DECODER } from '../sql/pg-dialect.js';
import { storedRecordColumns, storedRecordRow } from '../sql/tables.js';
import { appendOutbox, liveWatchExists } from './pg-notifications.js';
import { inTransaction, num, type Queryable, type Row, str, strOrNull } from './pg-support.js';

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Ids are digit strings without leading zeros: `length(id), id` (bytewise) orders them as numbers. */
const ID = 'length(id), id COLLATE "C"';
const SORT_COLUMNS: Record<RecordSortKey, string> = {
  id: ID,
  Created_Time: `created_at, ${ID}`,
  Modified_Time: `modified_at, ${ID}`,
};

const COLUMNS = storedRecordColumns();

/** Field names become part of JSON path expressions, so only API names pass. */
function checkedField(field: string): string {
  if (!FIELD_NAME.test(field)) throw new Error(`bad field name ${field}`);
  return field;
}

/** A records row as a StoredRecord (the mapper of storage/sql/tables.ts). */
export const toStored: (r: Row) => StoredRecord = storedRecordRow(PG_DECODER);

/**
 * Records with their field values (records API) in PostgreSQL. Unique checks and the write they
 * guard run under a transaction-scoped advisory lock on (organisation, module), so two nodes
 * writing the same value at once cannot both find it free; cascades and restores are one
 * transaction each, every row changed by a conditional UPDATE re-checked on its newest version.
 */
export class PgRecordDataRepository implements RecordDataRepository {
  constructor(private readonly pool: pg.Pool) {}

  async findLive(
    orgId: string,
    module: ModuleApiName,
    ids: readonly string[],
  ): Promise<Map<string, StoredRecord>> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM records WHERE org_id = $1 AND module = $2 AND id = ANY($3::text[]) AND deleted_at IS NULL`,
      [orgId, module, ids],
    );
    return new Map(rows.map((r) => [str(r.id), toStored(r)]));
  }

  async names(
    orgId: string,
    ids: readonly string[],
  ): Promise<Map<string, { name: string; module: ModuleApiName }>> {
    const { rows } = await this.pool.query<Row>(
      'SELECT id, name, module FROM records WHERE org_id = $1 AND id = ANY($2::text[]) AND deleted_at IS NULL',
      [orgId, ids],
    );
    return new Map(
      rows.map((r) => [str(r.id), { name: str(r.name), module: str(r.module) as ModuleApiName }]),
    );
  }

  async users(
    orgId: string,
    ids: readonly string[],
  ): Promise<Map<string, { name: string; email: string; active: boolean; roleId: string }>> {
    const { rows } = await this.pool.query<Row>(
      'SELECT id, name, email, active, role_id FROM users WHERE org_id = $1 AND id = ANY($2::text[])',
      [orgId, ids],
    );
    return new Map(
      rows.map((r) => [
        str(r.id),
        { name: str(r.name), email: str(r.email), active: r.active === true, roleId: str(r.role_id) },
      ]),
    );
  }

  async usersInRoles(orgId: string, roleIds: readonly string[]): Promise<string[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT id FROM users WHERE org_id = $1 AND role_id = ANY($2::text[])',
      [orgId, roleIds],
    );
    return rows.map((r) => str(r.id));
  }

  async rolesBelow(orgId: string, roleId: string): Promise<string[]> {
    // Depth-bounded so that a cycle in bad data cannot loop forever.
    const { rows } = await this.pool.query<Row>(
      `WITH RECURSIVE down (id, depth) AS (
         SELECT id, 0 FROM roles WHERE org_id = $1 AND id = $2
         UNION ALL
         SELECT r.id, down.depth + 1 FROM roles r JOIN down ON r.reports_to = down.id
         WHERE r.org_id = $1 AND down.depth < 64
       )
       SELECT DISTINCT id FROM down WHERE depth > 0`,
      [orgId, roleId],
    );
    return rows.map((r) => str(r.id));
  }

  async list(input: Parameters<RecordDataRepository['list']>[0]): Promise<StoredRecord[]> {
    const { orgId, module, ownerIds, sortBy, descending, limit, offset, after, lookup } = input;
    const params: unknown[] = [orgId, module];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const dir = descending ? 'DESC' : 'ASC';
    const where = ['org_id = $1', 'module = $2', 'deleted_at IS NULL'];
    if (ownerIds !== null) where.push(`owner_id = ANY(${p(ownerIds)}::text[])`);
    // Written out as in migration 3's expression indexes, so that they serve related lists.
    if (lookup) where.push(`(fields -> '${checkedField(lookup.field)}' ->> 'id') = ${p(lookup.id)}`);
    if (after) {
      const id = p(after.id);
      const key =
        sortBy === 'id'
          ? `(length(${id}::text), ${id}::text COLLATE "C")`
          : `(${p(after.value)}::bigint, length(${id}::text), ${id}::text COLLATE "C")`;
      where.push(`(${SORT_COLUMNS[sortBy]}) ${descending ? '<' : '>'} ${key}`);
    }
    const order = SORT_COLUMNS[sortBy]
      .split(', ')
      .map((c) => `${c} ${dir}`)
      .join(', ');
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM records WHERE ${where.join(' AND ')}
       ORDER BY ${order} LIMIT ${p(limit)} ${after ? '' : `OFFSET ${p(offset)}`}`,
      params,
    );
    return rows.map(toStored);
  }

  async insert(
    orgId: string,
    records: ReadonlyArray<StoredRecord & { unique: readonly UniqueCheck[] }>,
  ): Promise<RecordWriteResult[]> {
    return inTransaction(this.pool, async (db) => {
      for (const module of new Set(records.filter((r) => r.unique.length).map((r) => r.module)))
        await lockUnique(db, orgId, module);
      const results: RecordWriteResult[] = [];
      const added: StoredRecord[] = [];
      for (const r of records) {
        const dup = await firstDuplicate(db, orgId, r.module, r.id, r.unique);
        if (dup) {
          results.push(dup);
          continue;
        }
        const inserted = await db.query<Row>(
          `INSERT INTO records
             (org_id, id, module, name, owner_id, created_at, modified_at, deleted_at, fields, created_by, modified_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8::json, $9, $10)
           RETURNING ${liveWatchExists('$1', '$3', "'create'", '$6')} AS watched`,
          [
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
          ],
        );
        // Notification outbox (issue 18): the watch check rides on the INSERT; no channel, no extra query.
        if (inserted.rows[0]?.watched) added.push(r);
        results.push({ ok: true });
      }
      for (const [module, ids] of byModule(added))
        await appendOutbox(db, orgId, idsChange(module, 'create', ids), added[0]!.createdAt);
      return results;
    });
  }

  async update(
    orgId: string,
    r: Parameters<RecordDataRepository['update']>[1],
  ): Promise<RecordWriteResult | null> {
    return inTransaction(this.pool, async (db) => {
      if (r.unique.length) await lockUnique(db, orgId, r.module);
      const dup = await firstDuplicate(db, orgId, r.module, r.id, r.unique);
      if (dup) return dup;
      // Notification outbox (issue 18): the locked sub-select hands back the fields as they were,
      // but only when a live channel listens, so the UPDATE stays one round trip either way.
      const { rows } = await db.query<Row>(
        `UPDATE records r SET name = $1, owner_id = $2, fields = $3::json, modified_by = $4, modified_at = $5
         FROM (SELECT fields AS old_fields FROM records
               WHERE org_id = $6 AND id = $7 AND module = $8 AND deleted_at IS NULL FOR UPDATE) o
         WHERE r.org_id = $6 AND r.id = $7 AND r.module = $8 AND r.deleted_at IS NULL
         RETURNING CASE WHEN ${liveWatchExists('$6', '$8', "'edit'", '$5')} THEN o.old_fields END AS old_fields`,
        [r.name, r.ownerId, JSON.stringify(r.fields), r.modifiedBy, r.modifiedAt, orgId, r.id, r.module],
      );
      if (rows.length !== 1) return null;
      const before = rows[0]!.old_fields as Record<string, unknown> | null;
      if (before) await appendOutbox(db, orgId, updateChange(r.module, r.id, before, r.fields), r.modifiedAt);
      return { ok: true };
    });
  }

  async deleteCascade(input: {
    orgId: string;
    module: ModuleApiName;
    id: string;
    deletedBy: string;
    at: number;
    cascade: CascadeRule;
  }): Promise<{ records: number; attachments: number } | false> {
    const { orgId, id, deletedBy, at } = input;
    return inTransaction(this.pool, async (db) => {
      const root = await db.query<Row>(
        `UPDATE records SET deleted_at = $1, deleted_by = $2, deleted_with = $3
         WHERE org_id = $4 AND id = $3 AND module = $5 AND deleted_at IS NULL
         RETURNING ${liveWatchExists('$4', null, "'delete'", '$1')} AS watched`,
        [at, deletedBy, id, orgId, input.module],
      );
      if (root.rowCount !== 1) return false as const;
      const gone: Array<{ id: string; module: ModuleApiName }> = [{ id, module: input.module }];
      const markAttachments = async (recordId: string) =>
        (
          await db.query(
            `UPDATE attachments SET deleted_at = $1, deleted_by = $2, deleted_with = $3
             WHERE org_id = $4 AND record_id = $5 AND deleted_at IS NULL`,
            [at, deletedBy, id, orgId, recordId],
          )
        ).rowCount ?? 0;
      let records = 1;
      let attachments = await markAttachments(id);
      const queue: Array<{ id: string; module: ModuleApiName }> = [{ id, module: input.module }];
      for (let next = queue.shift(); next; next = queue.shift()) {
        for (const rule of input.cascade(next.module)) {
          // One UPDATE … RETURNING per rule: the children it marks are exactly those still live.
          const { rows } = await db.query<Row>(
            `UPDATE records SET deleted_at = $1, deleted_by = $2, deleted_with = $3
             WHERE org_id = $4 AND module = $5 AND deleted_at IS NULL
               AND (fields -> '${checkedField(rule.field)}' ->> 'id') = $6
             RETURNING id`,
            [at, deletedBy, id, orgId, rule.module, next.id],
          );
          for (const child of rows) {
            records++;
            attachments += await markAttachments(str(child.id));
            queue.push({ id: str(child.id), module: rule.module });
            gone.push({ id: str(child.id), module: rule.module });
          }
        }
      }
      // Notification outbox (issue 18): a delete callback per module, cascaded records included.
      if ((root.rows[0] as Row).watched)
        for (const [module, ids] of byModule(gone))
          await appendOutbox(db, orgId, idsChange(module, 'delete', ids), at);
      return { records, attachments };
    });
  }

  async restoreCascade(input: {
    orgId: string;
    id: string;
    deletedSince: number;
    at?: number;
  }): Promise<{ records: number; attachments: number } | null> {
    return inTransaction(this.pool, async (db) => {
      // The root's row lock orders this restore against another restore or a purge of the record.
      const { rows } = await db.query<Row>(
        `SELECT deleted_at FROM records
         WHERE org_id = $1 AND id = $2 AND deleted_with = id AND deleted_at >= $3 FOR UPDATE`,
        [input.orgId, input.id, input.deletedSince],
      );
      const root = rows[0];
      if (!root) return null;
      const at = num(root.deleted_at);
      // Only rows stamped with the root's own delete: anything deleted separately stays deleted.
      const attachments = await db.query(
        `UPDATE attachments SET deleted_at = NULL, deleted_by = NULL, deleted_with = NULL
         WHERE org_id = $1 AND deleted_with = $2 AND deleted_at = $3 AND purge_claimed_at IS NULL`,
        [input.orgId, input.id, at],
      );
      const records = await db.query<Row>(
        `UPDATE records SET deleted_at = NULL, deleted_by = NULL, deleted_with = NULL
         WHERE org_id = $1 AND deleted_with = $2 AND deleted_at = $3 RETURNING id, module`,
        [input.orgId, input.id, at],
      );
      // Notification outbox (issue 18): a restored record comes back as a create (docs/notifications.md).
      const restored = records.rows.map((r) => ({ id: str(r.id), module: str(r.module) as ModuleApiName }));
      for (const [module, ids] of byModule(restored))
        await appendOutbox(db, input.orgId, idsChange(module, 'create', ids), input.at ?? Date.now());
      return { records: records.rowCount ?? 0, attachments: attachments.rowCount ?? 0 };
    });
  }

  async listDeleted(input: { orgId: string; limit: number; offset: number }) {
    const { rows } = await this.pool.query<Row>(
      `SELECT id, module, name, deleted_at, deleted_by FROM records
       WHERE org_id = $1 AND deleted_at IS NOT NULL AND deleted_with = id
       ORDER BY deleted_at DESC, length(id) DESC, id COLLATE "C" DESC LIMIT $2 OFFSET $3`,
      [input.orgId, input.limit, input.offset],
    );
    return rows.map((r) => ({
      id: str(r.id),
      module: str(r.module) as ModuleApiName,
      name: str(r.name),
      deletedAt: num(r.deleted_at),
      deletedBy: strOrNull(r.deleted_by),
    }));
  }

  async organizationsOf(id: string): Promise<string[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT org_id FROM records WHERE id = $1 ORDER BY org_id COLLATE "C"',
      [id],
    );
    return rows.map((r) => str(r.org_id));
  }

  /** SKIP LOCKED, as the attachment purge: nodes purging at once share the work, never block. */
  async purge(input: { deletedBefore: number; limit: number }): Promise<number> {
    // A record's tags go with it (docs/tags.md); they stayed while it was in the recycle bin.
    const { rows } = await this.pool.query<Row>(
      `WITH gone AS (
         DELETE FROM records WHERE (org_id, id) IN (
           SELECT r.org_id, r.id FROM records r
           WHERE r.deleted_at IS NOT NULL AND r.deleted_at < $1
             AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.org_id = r.org_id AND a.record_id = r.id)
           LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING org_id, id),
       tags AS (DELETE FROM record_tags t USING gone WHERE t.org_id = gone.org_id AND t.record_id = gone.id)
       SELECT count(*)::bigint AS n FROM gone`,
      [input.deletedBefore, input.limit],
    );
    return num(rows[0]!.n);
  }
}

/** Serialises unique-checked writes to one module of one organisation, until the transaction ends. */
async function lockUnique(db: Queryable, orgId: string, module: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtextextended('records-unique:' || $1 || ':' || $2, 0))", [
    orgId,
    module,
  ]);
}

/**
 * The first unique check another live record of the module fails. Values compare after Unicode
 * lower-casing (ICU's root locale, as JavaScript's toLowerCase), whatever the database's locale.
 */
async function firstDuplicate(
  db: Queryable,
  orgId: string,
  module: string,
  id: string,
  checks: readonly UniqueCheck[],
): Promise<RecordWriteResult | null> {
  for (const u of checks) {
    // A standard unique field names its module as a literal too, so that the planner can prove
    // the partial index of migration 14 applies (a generic plan cannot, from `$2` alone).
    const literal =
      uniqueIndexed(module, u.field) && /^[A-Za-z]+$/.test(module) ? ` AND module = '${module}'` : '';
    const { rows } = await db.query<Row>(
      `SELECT id FROM records WHERE org_id = $1 AND module = $2${literal} AND deleted_at IS NULL AND id != $3
         AND json_typeof(fields -> '${checkedField(u.field)}') = 'string'
         AND lower((fields ->> '${u.field}') COLLATE "und-x-icu") = lower($4::text COLLATE "und-x-icu")
       LIMIT 1`,
      [orgId, module, id, u.value],
    );
    if (rows[0]) return { ok: false, duplicate: { field: u.field, id: str(rows[0].id) } };
  }
  return null;
}
