import type Database from 'better-sqlite3';

/**
 * Unique fields compare case-insensitively beyond ASCII, which SQLite's lower() does not do. The
 * unique-field indexes (migration 14) are built on this function, so every connection that writes
 * `records` must have it before its first statement: the store registers it on opening, before
 * migrating, and the writer thread does the same in its own source (writer-thread.ts).
 */
export function biginFold(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

export function registerSqliteFunctions(db: Database.Database): void {
  db.function('bigin_fold', { deterministic: true }, biginFold);
}
