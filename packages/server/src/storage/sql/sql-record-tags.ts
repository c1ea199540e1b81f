import type { TagRepository, TagRow } from '../../domain/ports.js';
import { allKeys, bulkColumns, columnList, insertSql, reader, writer } from './columns.js';
import type { SqlDialect } from './dialect.js';
import { tagNameKey as key, RECORD_TAGS, TAG_KEYS, TAGS } from './tables.js';

export function createSqlTagRepository(d: SqlDialect): TagRepository {
  const f = d.fragments;
  const cols = columnList(TAGS, TAG_KEYS);
  // Byte order on both, so that both stores list tags alike.
  const order = `ORDER BY name_key${f.collateC}, id${f.collateC}`;
  const insert = d.prepare(`${insertSql(TAGS, allKeys(TAGS))} ON CONFLICT DO NOTHING`);
  const byKey = d.prepare(`SELECT ${cols} FROM tags WHERE org_id = $1 AND module = $2 AND name_key = $3`);
  const byId = d.prepare(
    `SELECT ${cols} FROM tags WHERE org_id = $1 AND module = $2 AND id = $3${f.forUpdate}`,
  );
  const byIds = d.prepare(
    `SELECT ${cols} FROM tags WHERE org_id = $1 AND module = $2 AND ${f.inList('id', '$3')}`,
  );
  const byKeys = d.prepare(
    `SELECT ${cols}, name_key FROM tags WHERE org_id = $1 AND module = $2 AND ${f.inList('name_key', '$3')}`,
  );
  const listAll = d.prepare(`SELECT ${cols} FROM tags WHERE org_id = $1 AND module = $2 ${order}`);
  const listMine = d.prepare(
    `SELECT ${cols} FROM tags WHERE org_id = $1 AND module = $2 AND created_by = $3 ${order}`,
  );
  const holder = d.prepare(
    'SELECT id FROM tags WHERE org_id = $1 AND module = $2 AND name_key = $3 AND id <> $4',
  );
  const rename =
    d.prepare(`UPDATE tags SET name = $1, name_key = $2, colour_code = $3, modified_by = $4, modified_at = $5
    WHERE org_id = $6 AND id = $7 RETURNING ${cols}`);
  const clear = d.prepare(`DELETE FROM record_tags WHERE org_id = $1 AND ${f.inList('record_id', '$2')}`);
  const untag = d.prepare(
    `DELETE FROM record_tags WHERE org_id = $1 AND ${f.inList('record_id', '$2')} AND ${f.inList('tag_id', '$3')}`,
  );
  const ofRecords = d.prepare(`SELECT rt.record_id, t.id, t.name FROM record_tags rt
    JOIN tags t ON t.org_id = rt.org_id AND t.id = rt.tag_id
    WHERE rt.org_id = $1 AND ${f.inList('rt.record_id', '$2')}
    ORDER BY rt.record_id, t.name_key${f.collateC}, t.id${f.collateC}`);
  const toTag = reader(d, TAGS, TAG_KEYS);
  const tagValues = writer(d, TAGS, allKeys(TAGS));
  const recordTagColumns = bulkColumns(RECORD_TAGS, allKeys(RECORD_TAGS));

  return {
    list: async (orgId, module, createdBy) =>
      (
        await (createdBy === null
          ? d.all(listAll, [orgId, module])
          : d.all(listMine, [orgId, module, createdBy]))
      ).map(toTag),
    byIds: async (orgId, module, ids) =>
      new Map(
        (await d.all(byIds, [orgId, module, d.list([...new Set(ids)])])).map((r) => [
          r.id as string,
          toTag(r),
        ]),
      ),
    byNames: async (orgId, module, names) =>
      new Map(
        (await d.all(byKeys, [orgId, module, d.list([...new Set(names.map(key))])])).map((r) => [
          r.name_key as string,
          toTag(r),
        ]),
      ),
    create: (orgId, rows) =>
      d.transaction(function* (tx) {
        const out: Array<{ tag: TagRow; created: boolean }> = [];
        for (const t of rows) {
          // ON CONFLICT waits for a concurrent insert of the same name (PostgreSQL), then skips it.
          const created = (yield* tx.run(insert, tagValues({ ...t, orgId, nameKey: key(t.name) }))) === 1;
          out.push({ tag: toTag((yield* tx.get(byKey, [orgId, t.module, key(t.name)]))!), created });
        }
        return out;
      }),
    update: (orgId, input) =>
      d.transaction(function* (tx) {
        const current = yield* tx.get(byId, [orgId, input.module, input.id]);
        if (!current) return { ok: false as const, reason: 'missing' as const };
        const taken = yield* tx.get(holder, [orgId, input.module, key(input.name), input.id]);
        if (taken) return { ok: false as const, reason: 'duplicate' as const, id: taken.id as string };
        const colour =
          input.colourCode === undefined
            ? ((current.colour_code as string | null) ?? null)
            : input.colourCode;
        try {
          const row = yield* tx.get(rename, [
            input.name,
            key(input.name),
            colour,
            input.modifiedBy,
            input.modifiedAt,
            orgId,
            input.id,
          ]);
          return { ok: true as const, tag: toTag(row!) };
        } catch (error) {
          // A concurrent create (another node) took the name between the check and the update.
          if (d.isUniqueViolation(error)) return { ok: false as const, reason: 'duplicate' as const, id: '' };
          throw error;
        }
      }),
    ofRecords: async (orgId, recordIds) => {
      const out = new Map<string, Array<{ name: string; id: string }>>();
      if (recordIds.length === 0) return out;
      for (const r of await d.all(ofRecords, [orgId, d.list([...new Set(recordIds)])])) {
        const id = r.record_id as string;
        const list = out.get(id) ?? [];
        list.push({ name: r.name as string, id: r.id as string });
        out.set(id, list);
      }
      return out;
    },
    tagRecords: (orgId, recordIds, tagIds, overwrite, at) =>
      d.transaction(function* (tx) {
        if (overwrite) yield* tx.run(clear, [orgId, d.list(recordIds)]);
        const pairs = recordIds.flatMap((r) => tagIds.map((t) => [orgId, r, t, at]));
        yield* d.insertMissing(tx, RECORD_TAGS.name, recordTagColumns, pairs);
      }),
    untagRecords: async (orgId, recordIds, tagIds) => {
      await d.run(untag, [orgId, d.list(recordIds), d.list(tagIds)]);
    },
  };
}
