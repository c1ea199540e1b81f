import type Database from 'better-sqlite3';
import type pg from 'pg';

/**
 * Both dialects' live schemas in one comparable shape. Types are compared by family, the mapping
 * the migrations follow: text (PostgreSQL TEXT or JSONB, SQLite TEXT, which holds JSON as text),
 * integer (BIGINT, INTEGER or BOOLEAN against SQLite INTEGER: times are milliseconds, flags 0/1),
 * blob, real. CHECK constraints are not compared.
 */
export interface SchemaSnapshot {
  tables: Record<string, TableSnapshot>;
}
export interface TableSnapshot {
  columns: Record<string, { family: string; notNull: boolean }>;
  primaryKey: string[];
  /** Indexes made by CREATE INDEX, by name. */
  indexes: Record<string, { columns: string[]; unique: boolean; partial: boolean }>;
  /** `cols -> table(cols)`, sorted. */
  foreignKeys: string[];
}

const FAMILY: Record<string, string> = {
  text: 'text',
  jsonb: 'text',
  json: 'text',
  'character varying': 'text',
  integer: 'integer',
  bigint: 'integer',
  smallint: 'integer',
  boolean: 'integer',
  bytea: 'blob',
  blob: 'blob',
  real: 'real',
  'double precision': 'real',
};
const family = (type: string) => FAMILY[type.toLowerCase()] ?? `unmapped ${type.toLowerCase()}`;

/** Tables that are the migration runner's own, not the schema's. */
const IGNORED_TABLES = new Set(['schema_migrations']);

export function sqliteSnapshot(db: Database.Database): SchemaSnapshot {
  const tables: SchemaSnapshot['tables'] = {};
  const names = (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as Array<{ name: string }>
  ).map((r) => r.name);
  for (const table of names) {
    if (IGNORED_TABLES.has(table)) continue;
    const info = db.pragma(`table_info(${JSON.stringify(table)})`) as Array<{
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }>;
    const columns: TableSnapshot['columns'] = {};
    // SQLite lets a PRIMARY KEY column be NULL unless declared NOT NULL; PostgreSQL never does.
    for (const c of info) columns[c.name] = { family: family(c.type), notNull: c.notnull === 1 || c.pk > 0 };
    const primaryKey = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const indexes: TableSnapshot['indexes'] = {};
    for (const ix of db.pragma(`index_list(${JSON.stringify(table)})`) as Array<{
      name: string;
      unique: number;
      origin: string;
      partial: number;
    }>) {
      if (ix.origin !== 'c') continue;
      const cols = (
        db.pragma(`index_xinfo(${JSON.stringify(ix.name)})`) as Array<{ name: string | null; key: number }>
      )
        .filter((c) => c.key === 1)
        .map((c) => c.name ?? '(expression)');
      indexes[ix.name] = { columns: cols, unique: ix.unique === 1, partial: ix.partial === 1 };
    }
    const fks = new Map<number, { table: string; from: string[]; to: Array<string | null> }>();
    for (const fk of db.pragma(`foreign_key_list(${JSON.stringify(table)})`) as Array<{
      id: number;
      table: string;
      from: string;
      to: string | null;
    }>) {
      const entry = fks.get(fk.id) ?? { table: fk.table, from: [], to: [] };
      entry.from.push(fk.from);
      entry.to.push(fk.to);
      fks.set(fk.id, entry);
    }
    const foreignKeys = [...fks.values()].map(
      (fk) => `${fk.from.join(',')} -> ${fk.table}(${fk.to.join(',')})`,
    );
    tables[table] = { columns, primaryKey, indexes, foreignKeys: foreignKeys.sort() };
  }
  return { tables };
}

export async function postgresSnapshot(client: pg.Client | pg.Pool, schema: string): Promise<SchemaSnapshot> {
  const tables: SchemaSnapshot['tables'] = {};
  const columns = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    [schema],
  );
  for (const c of columns.rows) {
    if (IGNORED_TABLES.has(c.table_name)) continue;
    tables[c.table_name] ??= { columns: {}, primaryKey: [], indexes: {}, foreignKeys: [] };
    tables[c.table_name]!.columns[c.column_name] = {
      family: family(c.data_type),
      notNull: c.is_nullable === 'NO',
    };
  }
  const constraints = await client.query<{
    table_name: string;
    contype: string;
    cols: string[];
    ref: string | null;
    refcols: string[] | null;
  }>(
    `SELECT t.relname AS table_name, con.contype,
            ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS cols,
            r.relname AS ref,
            ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS refcols
       FROM pg_constraint con
       JOIN pg_class t ON t.oid = con.conrelid
       JOIN pg_namespace ns ON ns.oid = t.relnamespace
       LEFT JOIN pg_class r ON r.oid = con.confrelid
      WHERE ns.nspname = $1 AND con.contype IN ('p', 'f')`,
    [schema],
  );
  for (const c of constraints.rows) {
    const table = tables[c.table_name];
    if (!table) continue;
    if (c.contype === 'p') table.primaryKey = c.cols;
    else table.foreignKeys.push(`${c.cols.join(',')} -> ${c.ref}(${(c.refcols ?? []).join(',')})`);
  }
  const indexes = await client.query<{
    table_name: string;
    index_name: string;
    unique: boolean;
    partial: boolean;
    cols: string[];
  }>(
    `SELECT t.relname AS table_name, i.relname AS index_name, ix.indisunique AS unique,
            ix.indpred IS NOT NULL AS partial,
            ARRAY(SELECT COALESCE(a.attname, '(expression)') FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o)
                  LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n
                  WHERE k.o <= ix.indnkeyatts ORDER BY k.o)::text[] AS cols
       FROM pg_index ix
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace ns ON ns.oid = t.relnamespace
      WHERE ns.nspname = $1
        AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid)`,
    [schema],
  );
  for (const ix of indexes.rows) {
    const table = tables[ix.table_name];
    if (!table) continue;
    table.indexes[ix.index_name] = { columns: ix.cols, unique: ix.unique, partial: ix.partial };
  }
  for (const t of Object.values(tables)) t.foreignKeys.sort();
  return { tables };
}

/** Every difference between the two, one line each, `only in SQLite: …` or `differs: …`. */
export function schemaDifferences(sqlite: SchemaSnapshot, postgres: SchemaSnapshot): string[] {
  const out: string[] = [];
  const both = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const name of both(sqlite.tables, postgres.tables)) {
    const s = sqlite.tables[name];
    const p = postgres.tables[name];
    if (!s || !p) {
      out.push(`table ${name}: only in ${s ? 'SQLite' : 'PostgreSQL'}`);
      continue;
    }
    for (const col of both(s.columns, p.columns)) {
      const a = s.columns[col];
      const b = p.columns[col];
      if (!a || !b) out.push(`column ${name}.${col}: only in ${a ? 'SQLite' : 'PostgreSQL'}`);
      else if (a.family !== b.family)
        out.push(`column ${name}.${col}: type ${a.family} in SQLite, ${b.family} in PostgreSQL`);
      else if (a.notNull !== b.notNull)
        out.push(
          `column ${name}.${col}: ${a.notNull ? 'NOT NULL' : 'nullable'} in SQLite, ${b.notNull ? 'NOT NULL' : 'nullable'} in PostgreSQL`,
        );
    }
    if (s.primaryKey.join(',') !== p.primaryKey.join(','))
      out.push(`primary key of ${name}: (${s.primaryKey}) in SQLite, (${p.primaryKey}) in PostgreSQL`);
    for (const ix of both(s.indexes, p.indexes)) {
      const a = s.indexes[ix];
      const b = p.indexes[ix];
      if (!a || !b) out.push(`index ${name}.${ix}: only in ${a ? 'SQLite' : 'PostgreSQL'}`);
      else if (JSON.stringify(a) !== JSON.stringify(b))
        out.push(`index ${name}.${ix}: ${JSON.stringify(a)} in SQLite, ${JSON.stringify(b)} in PostgreSQL`);
    }
    for (const fk of new Set([...s.foreignKeys, ...p.foreignKeys]))
      if (!s.foreignKeys.includes(fk) || !p.foreignKeys.includes(fk))
        out.push(
          `foreign key ${name} ${fk}: only in ${s.foreignKeys.includes(fk) ? 'SQLite' : 'PostgreSQL'}`,
        );
  }
  return out;
}
