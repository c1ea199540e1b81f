import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AdminBaselineRepository } from '../../domain/admin-baseline-ports.js';
import type {
  ApiCreditLedger,
  AttachmentCatalog,
  AttachmentRepository,
  AuthRepository,
  BlobJournal,
  DirectoryRepository,
  InstallationSecrets,
  MetadataStore,
  NotificationRepository,
  OAuthRepository,
  OrganizationRepository,
  RecordDataRepository,
  RecordLinkRepository,
  RecordPhotoRepository,
  RecordRepository,
  RecordSearchRepository,
  RoleRepository,
  SeedRepository,
  TagRepository,
} from '../../domain/ports.js';
import { createSqlAdminBaselines } from '../sql/sql-admin-baselines.js';
import { createSqlApiCreditLedger } from '../sql/sql-api-credit-ledger.js';
import { createSqlAttachmentCatalog } from '../sql/sql-attachment-catalog.js';
import { createSqlAttachmentRepository } from '../sql/sql-attachment-repository.js';
import { createSqlAuthRepository } from '../sql/sql-auth-repository.js';
import { createSqlBlobJournal } from '../sql/sql-blob-journal.js';
import { createSqlDirectoryRepository } from '../sql/sql-directory-repository.js';
import { createSqlInstallationSecrets } from '../sql/sql-installation-secrets.js';
import { createSqlNotificationRepository } from '../sql/sql-notifications.js';
import { createSqlOAuthRepository } from '../sql/sql-oauth-repository.js';
import { createSqlOrganizationRepository } from '../sql/sql-organization-repository.js';
import { createSqlRecordLinks } from '../sql/sql-record-links.js';
import { createSqlRecordPhotos } from '../sql/sql-record-photos.js';
import { createSqlRecordRepository } from '../sql/sql-record-repository.js';
import { createSqlTagRepository } from '../sql/sql-record-tags.js';
import { createSqlRoleRepository } from '../sql/sql-role-repository.js';
import { createSqlSeedRepository } from '../sql/sql-seed-repository.js';
import { SqliteDialect } from '../sql/sqlite-dialect.js';
import { AuthGrantCache } from './auth-grant-cache.js';
import { GroupCommitter } from './group-commit.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { registerSqliteFunctions } from './sqlite-functions.js';
import { createSqliteOutboxWriter } from './sqlite-notifications.js';
import { createSqliteRecordDataRepository } from './sqlite-record-data-repository.js';
import { createSqliteRecordSearch } from './sqlite-record-search.js';
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

/**
 * Metadata in one SQLite file (better-sqlite3). Calls are synchronous underneath and resolve on
 * the same tick; each public method is one statement or one transaction, so no transaction ever
 * spans an `await` and concurrent requests cannot interleave inside one.
 */
export class SqliteMetadataStore implements MetadataStore {
  readonly db: Database.Database;
  /** The dialect the shared repositories (storage/sql/) run on. */
  readonly dialect: SqliteDialect;
  readonly auth: AuthRepository;
  readonly records: RecordRepository;
  readonly recordData: RecordDataRepository;
  readonly recordSearch: RecordSearchRepository;
  readonly recordLinks: RecordLinkRepository;
  readonly tags: TagRepository;
  readonly recordPhotos: RecordPhotoRepository;
  readonly roles: RoleRepository;
  readonly attachments: AttachmentRepository;
  readonly blobJournal: BlobJournal;
  readonly seed: SeedRepository;
  readonly #groupCommit: GroupCommitter;
  readonly #path: string;
  readonly #synchronous: SqliteSynchronous;
  #writerThread: WriterThread | null | undefined;
  readonly oauth: OAuthRepository;
  readonly organizations: OrganizationRepository;
  readonly attachmentCatalog: AttachmentCatalog;
  readonly apiCredits: ApiCreditLedger;
  readonly notifications: NotificationRepository;
  readonly directory: DirectoryRepository;
  readonly secrets: InstallationSecrets;
  readonly adminBaselines: AdminBaselineRepository;

  constructor(options: SqliteMetadataStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous}`);
    this.db.pragma('foreign_keys = ON');
    // Admin commands open the same file from another process; wait for their short writes.
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.#path = options.path;
    this.#synchronous = options.synchronous;
    registerSqliteFunctions(this.db);
    this.migrateNow();
    this.#groupCommit = new GroupCommitter(this.db);
    this.dialect = new SqliteDialect(this.db, {
      write: this.#write,
      withoutOwnFsync: (run) => this.#withoutOwnFsync(run),
    });
    this.auth = createSqlAuthRepository(this.dialect, new AuthGrantCache(this.db));
    this.records = createSqlRecordRepository(this.dialect);
    this.recordData = createSqliteRecordDataRepository(this.db, createSqliteOutboxWriter(this.db));
    this.notifications = createSqlNotificationRepository(this.dialect);
    this.recordSearch = createSqliteRecordSearch(this.db);
    this.recordLinks = createSqlRecordLinks(this.dialect);
    this.tags = createSqlTagRepository(this.dialect);
    this.recordPhotos = createSqlRecordPhotos(this.dialect);
    this.roles = createSqlRoleRepository(this.dialect);
    this.attachments = createSqlAttachmentRepository(this.dialect);
    this.blobJournal = createSqlBlobJournal(this.dialect);
    this.seed = createSqlSeedRepository(this.dialect);
    this.oauth = createSqlOAuthRepository(this.dialect);
    this.organizations = createSqlOrganizationRepository(this.dialect);
    this.attachmentCatalog = createSqlAttachmentCatalog(this.dialect);
    this.apiCredits = createSqlApiCreditLedger(this.dialect);
    this.directory = createSqlDirectoryRepository(this.dialect);
    this.secrets = createSqlInstallationSecrets(this.dialect);
    this.adminBaselines = createSqlAdminBaselines(this.dialect);
  }

  private migrateNow(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const applied = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map(
        (r) => r.version,
      ),
    );
    for (const m of SQLITE_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      this.db
        .transaction(() => {
          this.db.exec(m.sql);
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(m.version, m.name, Date.now());
        })
        .immediate();
    }
  }

  /**
   * Runs a write that needs no fsync of its own: an id reservation is used only by a write that
   * commits after it to the same WAL file, and that commit's fsync (FULL) makes every earlier
   * frame durable with it; if the process or machine dies first, the reservation may be lost, and
   * so is every use of it. Its fsync, on this thread, blocked the event loop for every upload and
   * insert (half the CPU profile of a 1 KB upload in docs/benchmarks.md).
   */
  #withoutOwnFsync<T>(run: () => T): T {
    if (this.#synchronous === 'NORMAL' || this.db.memory) return run();
    this.db.pragma('synchronous = NORMAL');
    try {
      return run();
    } finally {
      this.db.pragma(`synchronous = ${this.#synchronous}`);
    }
  }

  async migrate(): Promise<void> {
    this.migrateNow();
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
    if (this.db.open) this.db.close();
  }
}
