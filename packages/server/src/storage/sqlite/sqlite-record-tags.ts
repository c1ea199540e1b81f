import type { ModuleApiName } from '@bigin-attachments/contract';
import type Database from 'better-sqlite3';
import type { SeedCounts, SeedData, TagRepository, TagRow } from '../../domain/ports.js';

type Row = Record<string, unknown>;

const toTag = (r: Row): TagRow => ({
  orgId: r.org_id as string,
  id: r.id as string,
  module: r.module as ModuleApiName,
  name: r.name as string,
  colourCode: (r.colour_code as string | null) ?? null,
  createdBy: r.created_by as string,
  createdAt: Number(r.created_at),
  modifiedBy: r.modified_by as string,
  modifiedAt: Number(r.modified_at),
});

const key = (name: string) => name.toLowerCase();

export function createSqliteTagRepository(db: Database.Database): TagRepository {
  const insert = db.prepare(`INSERT OR IGNORE INTO tags
    (org_id, id, module, name, name_key, colour_code, created_by, created_at, modified_by, modified_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const byKey = db.prepare('SELECT * FROM tags WHERE org_id = ? AND module = ? AND name_key = ?');
  const byId = db.prepare('SELECT * FROM tags WHERE org_id = ? AND module = ? AND id = ?');
  const listAll = db.prepare('SELECT * FROM tags WHERE org_id = ? AND module = ? ORDER BY name_key, id');
  const listMine = db.prepare(
    'SELECT * FROM tags WHERE org_id = ? AND module = ? AND created_by = ? ORDER BY name_key, id',
  );
  const rename =
    db.prepare(`UPDATE tags SET name = ?, name_key = ?, colour_code = ?, modified_by = ?, modified_at = ?
    WHERE org_id = ? AND id = ?`);
  const tagOne = db.prepare(
    'INSERT OR IGNORE INTO record_tags (org_id, record_id, tag_id, created_at) VALUES (?, ?, ?, ?)',
  );
  const clear = db.prepare('DELETE FROM record_tags WHERE org_id = ? AND record_id = ?');
  const untagOne = db.prepare('DELETE FROM record_tags WHERE org_id = ? AND record_id = ? AND tag_id = ?');
  const ofRecords = db.prepare(`SELECT rt.record_id, t.id, t.name FROM record_tags rt
    JOIN tags t ON t.org_id = rt.org_id AND t.id = rt.tag_id
    WHERE rt.org_id = ? AND rt.record_id IN (SELECT value FROM json_each(?))
    ORDER BY rt.record_id, t.name_key, t.id`);

  const createTx = db.transaction((orgId: string, rows: readonly TagRow[]) =>
    rows.map((t) => {
      const created =
        insert.run(
          orgId,
          t.id,
          t.module,
          t.name,
          key(t.name),
          t.colourCode,
          t.createdBy,
          t.createdAt,
          t.modifiedBy,
          t.modifiedAt,
        ).changes === 1;
      return { tag: toTag(byKey.get(orgId, t.module, key(t.name)) as Row), created };
    }),
  );
  const updateTx = db.transaction((orgId: string, input: Parameters<TagRepository['update']>[1]) => {
    const current = byId.get(orgId, input.module, input.id) as Row | undefined;
    if (!current) return { ok: false as const, reason: 'missing' as const };
    const holder = byKey.get(orgId, input.module, key(input.name)) as Row | undefined;
    if (holder && holder.id !== input.id)
      return { ok: false as const, reason: 'duplicate' as const, id: holder.id as string };
    const colour = input.colourCode === undefined ? (current.colour_code as string | null) : input.colourCode;
    rename.run(input.name, key(input.name), colour, input.modifiedBy, input.modifiedAt, orgId, input.id);
    return { ok: true as const, tag: toTag(byId.get(orgId, input.module, input.id) as Row) };
  });
  const tagTx = db.transaction(
    (
      orgId: string,
      recordIds: readonly string[],
      tagIds: readonly string[],
      overwrite: boolean,
      at: number,
    ) => {
      for (const r of recordIds) {
        if (overwrite) clear.run(orgId, r);
        for (const t of tagIds) tagOne.run(orgId, r, t, at);
      }
    },
  );
  const untagTx = db.transaction((orgId: string, recordIds: readonly string[], tagIds: readonly string[]) => {
    for (const r of recordIds) for (const t of tagIds) untagOne.run(orgId, r, t);
  });

  return {
    list: async (orgId, module, createdBy) =>
      (
        (createdBy === null ? listAll.all(orgId, module) : listMine.all(orgId, module, createdBy)) as Row[]
      ).map(toTag),
    byIds: async (orgId, module, ids) => {
      const out = new Map<string, TagRow>();
      for (const id of new Set(ids)) {
        const r = byId.get(orgId, module, id) as Row | undefined;
        if (r) out.set(id, toTag(r));
      }
      return out;
    },
    byNames: async (orgId, module, names) => {
      const out = new Map<string, TagRow>();
      for (const k of new Set(names.map(key))) {
        const r = byKey.get(orgId, module, k) as Row | undefined;
        if (r) out.set(k, toTag(r));
      }
      return out;
    },
    create: async (orgId, rows) => createTx.immediate(orgId, rows),
    update: async (orgId, input) => updateTx.immediate(orgId, input),
    ofRecords: async (orgId, recordIds) => {
      const out = new Map<string, Array<{ name: string; id: string }>>();
      if (recordIds.length === 0) return out;
      for (const r of ofRecords.all(orgId, JSON.stringify([...new Set(recordIds)])) as Row[]) {
        const id = r.record_id as string;
        const list = out.get(id) ?? [];
        list.push({ name: r.name as string, id: r.id as string });
        out.set(id, list);
      }
      return out;
    },
    tagRecords: async (orgId, recordIds, tagIds, overwrite, at) => {
      tagTx.immediate(orgId, recordIds, tagIds, overwrite, at);
    },
    untagRecords: async (orgId, recordIds, tagIds) => {
      untagTx.immediate(orgId, recordIds, tagIds);
    },
  };
}

/**
 * The tag rows of a seed, inside the import's transaction; counts only when given, so that a
 * fixture's counts do not grow keys it never had.
 */
export function importSqliteTags(db: Database.Database, d: SeedData, counts: SeedCounts): void {
  if (d.tags) {
    const ins = db.prepare(`INSERT OR IGNORE INTO tags
      (org_id, id, module, name, name_key, colour_code, created_by, created_at, modified_by, modified_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    counts.tags = 0;
    for (const t of d.tags)
      counts.tags += ins.run(
        t.orgId,
        t.id,
        t.module,
        t.name,
        key(t.name),
        t.colourCode,
        t.createdBy,
        t.createdAt,
        t.modifiedBy,
        t.modifiedAt,
      ).changes;
  }
  if (d.recordTags) {
    const ins = db.prepare(
      'INSERT OR IGNORE INTO record_tags (org_id, record_id, tag_id, created_at) VALUES (?, ?, ?, ?)',
    );
    counts.recordTags = 0;
    for (const x of d.recordTags)
      counts.recordTags += ins.run(x.orgId, x.recordId, x.tagId, x.createdAt).changes;
  }
}
