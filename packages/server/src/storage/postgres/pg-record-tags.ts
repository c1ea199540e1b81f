import type { ModuleApiName } from '@bigin-attachments/contract';
import type pg from 'pg';
import type { SeedCounts, SeedData, TagRepository, TagRow } from '../../domain/ports.js';
import { insertMissing } from './pg-bulk-insert.js';
import { inTransaction, type Queryable, type Row } from './pg-support.js';

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

// Byte order, as SQLite compares, so that both stores list tags alike.
const ORDER = 'ORDER BY name_key COLLATE "C", id COLLATE "C"';

export class PgTagRepository implements TagRepository {
  constructor(private readonly pool: pg.Pool) {}

  async list(orgId: string, module: ModuleApiName, createdBy: string | null): Promise<TagRow[]> {
    const { rows } =
      createdBy === null
        ? await this.pool.query<Row>(`SELECT * FROM tags WHERE org_id = $1 AND module = $2 ${ORDER}`, [
            orgId,
            module,
          ])
        : await this.pool.query<Row>(
            `SELECT * FROM tags WHERE org_id = $1 AND module = $2 AND created_by = $3 ${ORDER}`,
            [orgId, module, createdBy],
          );
    return rows.map(toTag);
  }

  async byIds(orgId: string, module: ModuleApiName, ids: readonly string[]): Promise<Map<string, TagRow>> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM tags WHERE org_id = $1 AND module = $2 AND id = ANY($3::text[])',
      [orgId, module, [...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id as string, toTag(r)]));
  }

  async byNames(
    orgId: string,
    module: ModuleApiName,
    names: readonly string[],
  ): Promise<Map<string, TagRow>> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM tags WHERE org_id = $1 AND module = $2 AND name_key = ANY($3::text[])',
      [orgId, module, [...new Set(names.map(key))]],
    );
    return new Map(rows.map((r) => [r.name_key as string, toTag(r)]));
  }

  async create(orgId: string, rows: readonly TagRow[]): Promise<Array<{ tag: TagRow; created: boolean }>> {
    return inTransaction(this.pool, async (db) => {
      const out: Array<{ tag: TagRow; created: boolean }> = [];
      for (const t of rows) {
        // ON CONFLICT waits for a concurrent insert of the same name, then skips it.
        const r = await db.query(
          `INSERT INTO tags
            (org_id, id, module, name, name_key, colour_code, created_by, created_at, modified_by, modified_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
          [
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
          ],
        );
        const { rows: held } = await db.query<Row>(
          'SELECT * FROM tags WHERE org_id = $1 AND module = $2 AND name_key = $3',
          [orgId, t.module, key(t.name)],
        );
        out.push({ tag: toTag(held[0]!), created: r.rowCount === 1 });
      }
      return out;
    });
  }

  async update(orgId: string, input: Parameters<TagRepository['update']>[1]) {
    return inTransaction(this.pool, async (db) => {
      const { rows: current } = await db.query<Row>(
        'SELECT * FROM tags WHERE org_id = $1 AND module = $2 AND id = $3 FOR UPDATE',
        [orgId, input.module, input.id],
      );
      if (!current[0]) return { ok: false as const, reason: 'missing' as const };
      const { rows: holder } = await db.query<Row>(
        'SELECT id FROM tags WHERE org_id = $1 AND module = $2 AND name_key = $3 AND id <> $4',
        [orgId, input.module, key(input.name), input.id],
      );
      if (holder[0]) return { ok: false as const, reason: 'duplicate' as const, id: holder[0].id as string };
      const colour =
        input.colourCode === undefined
          ? ((current[0].colour_code as string | null) ?? null)
          : input.colourCode;
      try {
        const { rows } = await db.query<Row>(
          `UPDATE tags SET name = $1, name_key = $2, colour_code = $3, modified_by = $4, modified_at = $5
            WHERE org_id = $6 AND id = $7 RETURNING *`,
          [input.name, key(input.name), colour, input.modifiedBy, input.modifiedAt, orgId, input.id],
        );
        return { ok: true as const, tag: toTag(rows[0]!) };
      } catch (error) {
        // A concurrent create took the name between the check and the update.
        if ((error as { code?: string }).code === '23505')
          return { ok: false as const, reason: 'duplicate' as const, id: '' };
        throw error;
      }
    });
  }

  async ofRecords(orgId: string, recordIds: readonly string[]) {
    const out = new Map<string, Array<{ name: string; id: string }>>();
    if (recordIds.length === 0) return out;
    const { rows } = await this.pool.query<Row>(
      `SELECT rt.record_id, t.id, t.name FROM record_tags rt
        JOIN tags t ON t.org_id = rt.org_id AND t.id = rt.tag_id
        WHERE rt.org_id = $1 AND rt.record_id = ANY($2::text[])
        ORDER BY rt.record_id, t.name_key COLLATE "C", t.id COLLATE "C"`,
      [orgId, [...new Set(recordIds)]],
    );
    for (const r of rows) {
      const id = r.record_id as string;
      const list = out.get(id) ?? [];
      list.push({ name: r.name as string, id: r.id as string });
      out.set(id, list);
    }
    return out;
  }

  async tagRecords(
    orgId: string,
    recordIds: readonly string[],
    tagIds: readonly string[],
    overwrite: boolean,
    at: number,
  ): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      if (overwrite)
        await db.query('DELETE FROM record_tags WHERE org_id = $1 AND record_id = ANY($2::text[])', [
          orgId,
          [...recordIds],
        ]);
      const pairs = recordIds.flatMap((r) => tagIds.map((t) => [orgId, r, t, at]));
      await insertMissing(
        db,
        'record_tags',
        [
          ['org_id', 'text'],
          ['record_id', 'text'],
          ['tag_id', 'text'],
          ['created_at', 'bigint'],
        ],
        pairs,
      );
    });
  }

  async untagRecords(orgId: string, recordIds: readonly string[], tagIds: readonly string[]): Promise<void> {
    await this.pool.query(
      'DELETE FROM record_tags WHERE org_id = $1 AND record_id = ANY($2::text[]) AND tag_id = ANY($3::text[])',
      [orgId, [...recordIds], [...tagIds]],
    );
  }
}

/** The tag rows of a seed, inside the import's transaction; counted only when given. */
export async function importPgTags(db: Queryable, d: SeedData, counts: SeedCounts): Promise<void> {
  if (d.tags)
    counts.tags = await insertMissing(
      db,
      'tags',
      [
        ['org_id', 'text'],
        ['id', 'text'],
        ['module', 'text'],
        ['name', 'text'],
        ['name_key', 'text'],
        ['colour_code', 'text'],
        ['created_by', 'text'],
        ['created_at', 'bigint'],
        ['modified_by', 'text'],
        ['modified_at', 'bigint'],
      ],
      d.tags.map((t) => [
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
      ]),
    );
  if (d.recordTags)
    counts.recordTags = await insertMissing(
      db,
      'record_tags',
      [
        ['org_id', 'text'],
        ['record_id', 'text'],
        ['tag_id', 'text'],
        ['created_at', 'bigint'],
      ],
      d.recordTags.map((x) => [x.orgId, x.recordId, x.tagId, x.createdAt]),
    );
}
