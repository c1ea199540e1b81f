import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SqlMetadataStore } from '../sql/sql-metadata-store.js';
import { SqliteDialect } from '../sql/sqlite-dialect.js';
import { AuthGrantCache } from './auth-grant-cache.js';
import { GroupCommitter } from './group-commit.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { registerSqliteFunctions } from './sqlite-functions.js';
import { WalSync } from './wal-sync.js';
import { WriterThread, type WriteStep } from './writer-thread.js';

export type SqliteSynchronous = 'FULL' | 'NORMAL' | 'EXTRA';

export interface SqliteMetadataStoreOptions {
  /** Database file path. */
  path: string;
  /**
   * SQLite `synchronous` in WAL mode. FULL (default) fsyncs the WAL on every commit: an
   * acknowledged write survives power loss. NORMAL survives a process crash but may lose the
   * last commits on power loss.
   */
  synchronous: SqliteSynchronous;
}

const BUSY_TIMEOUT_MS = 5000;

/** Applies pending migrations, each in its own immediate transaction. */
function migrateSqlite(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map(
      (r) => r.version,
    ),
  );
  for (const m of SQLITE_MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
    }).immediate();
  }
}

/**
 * Metadata in one SQLite file (better-sqlite3). Calls are synchronous underneath and resolve on
 * the same tick; each public method is one statement or one transaction, so no transaction ever
 * spans an `await` and concurrent requests cannot interleave inside one. The repositories are the
 * shared ones (SqlMetadataStore); this class owns the file, its writer thread and migrations.
 */
export class SqliteMetadataStore extends SqlMetadataStore {
  readonly db: Database.Database;
  declare readonly dialect: SqliteDialect;
  readonly #groupCommit: GroupCommitter;
  readonly #path: string;
  readonly #synchronous: SqliteSynchronous;
  #writerThread: WriterThread | null | undefined;
  // Null where no fsync is owed: NORMAL (the operator's choice) and in-memory databases.
  readonly #walSync: WalSync | null;

  constructor(options: SqliteMetadataStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma('foreign_keys = ON');
    // Admin commands open the same file from another process; wait for their short writes.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    registerSqliteFunctions(db);
    migrateSqlite(db);
    // The dialect's writes reach this store's writer, which exists once the store does: no write
    // can be asked for before the constructor returns.
    let self: SqliteMetadataStore | null = null;
    super(
      new SqliteDialect(db, {
        write: (steps) => self!.#write(steps),
        reserve: (step) => self!.#reserve(step),
        commit: (run) => self!.#commit(run),
      }),
      {
        tokenCache: new AuthGrantCache(db),
      },
    );
    self = this;
    this.db = db;
    this.#path = options.path;
    this.#synchronous = options.synchronous;
    this.#groupCommit = new GroupCommitter(db);
    this.#walSync = options.synchronous === 'NORMAL' || db.memory ? null : new WalSync(`${options.path}-wal`);
  }

  /**
   * Runs a write at `synchronous = NORMAL`, without an fsync of its own: its frames reach the WAL
   * file, and the fsync that makes them durable comes after (#commit).
   */
  #withoutOwnFsync<T>(run: () => T): T {
    if (this.#synchronous === 'NORMAL' || this.db.memory) return run();
    // `db.pragma()` prepares anew each time, and must: SQLite applies `PRAGMA synchronous` while
    // preparing it, so a statement prepared once would do nothing when run (tried; the test in
    // without-own-fsync.test.ts catches it).
    this.db.pragma('synchronous = NORMAL');
    try {
      return run();
    } finally {
      this.db.pragma(`synchronous = ${this.#synchronous}`);
    }
  }

  /**
   * A write on this connection (a statement or a write transaction: OAuth grants, records,
   * admin), acknowledged once durable. It commits without an fsync of its own, which would stop
   * the event loop for every such write (a third of a token refresh's time, docs/benchmarks.md),
   * and then waits for the WAL's next fdatasync in the libuv pool, shared by every commit made
   * before it started (group commit). A write that throws committed nothing and waits for nothing.
   */
  async #commit<T>(run: () => T): Promise<T> {
    if (!this.#walSync) return run();
    const result = this.#withoutOwnFsync(run);
    await this.#walSync.sync();
    return result;
  }

  /** How many group fsyncs of this connection's writes have completed (tests count them). */
  get walSyncs(): number {
    return this.#walSync?.syncs ?? 0;
  }

  async migrate(): Promise<void> {
    migrateSqlite(this.db);
  }

  /**
   * The group-committing writer thread, started on first use (admin commands never start it); none
   * for an in-memory database, which a second connection cannot share: those writes group-commit
   * on this thread.
   */
  #writer(): WriterThread | null {
    if (this.#writerThread === undefined)
      this.#writerThread =
        this.#path === ':memory:'
          ? null
          : new WriterThread({
              path: this.#path,
              synchronous: this.#synchronous,
              busyTimeoutMs: BUSY_TIMEOUT_MS,
            });
    return this.#writerThread;
  }

  /** A `… RETURNING` write (an id reservation), group-committed; resolves with its rows once durable. */
  readonly #reserve = (step: WriteStep): Promise<Record<string, unknown>[]> => {
    const writer = this.#writer();
    if (writer) return writer.runReturning(step);
    return this.#groupCommit.enqueue(
      () => this.db.prepare(step.sql).all(...step.params) as Record<string, unknown>[],
    );
  };

  /**
   * Group-committed write: the statements run in order, all or none, and the promise resolves
   * with the rows each changed once they are committed (durable).
   */
  readonly #write = (steps: WriteStep[]): Promise<number[]> => {
    const writer = this.#writer();
    if (writer) return writer.runSteps(steps);
    return this.#groupCommit.enqueue(() =>
      steps.map((step) => this.db.prepare(step.sql).run(...step.params).changes),
    );
  };

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.#writerThread?.close();
    this.#walSync?.close();
    if (this.db.open) this.db.close();
  }
}
