import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';
import Database from 'better-sqlite3';
import type { ProfilePermissions, RecordRef } from '../../domain/model.js';
import type {
  ApiCreditLedger,
  AttachmentCatalog,
  AttachmentRepository,
  AuthRepository,
  BlobJournal,
  DeletedAttachment,
  DirectoryRepository,
  InstallationSecrets,
  MetadataStore,
  NotificationRepository,
  OAuthRepository,
  OrganizationRepository,
  PurgeClaim,
  RecordDataRepository,
  RecordLinkRepository,
  RecordRepository,
  RecordSearchRepository,
  RoleRepository,
  SeedRepository,
  TagRepository,
  TokenGrant,
} from '../../domain/ports.js';
import { createSqlApiCreditLedger } from '../sql/sql-api-credit-ledger.js';
import { createSqlAttachmentCatalog } from '../sql/sql-attachment-catalog.js';
import { createSqlDirectoryRepository } from '../sql/sql-directory-repository.js';
import { createSqlInstallationSecrets } from '../sql/sql-installation-secrets.js';
import { createSqlNotificationRepository } from '../sql/sql-notifications.js';
import { createSqlOAuthRepository } from '../sql/sql-oauth-repository.js';
import { createSqlOrganizationRepository } from '../sql/sql-organization-repository.js';
import { createSqlRecordLinks } from '../sql/sql-record-links.js';
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
import { num, numOrNull, type Row, str, strOrNull, toAttachment } from './sqlite-rows.js';
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
    this.auth = this.#authRepository();
    this.records = this.#recordRepository();
    this.recordData = createSqliteRecordDataRepository(this.db, createSqliteOutboxWriter(this.db));
    this.notifications = createSqlNotificationRepository(this.dialect);
    this.recordSearch = createSqliteRecordSearch(this.db);
    this.recordLinks = createSqlRecordLinks(this.dialect);
    this.tags = createSqlTagRepository(this.dialect);
    this.roles = createSqlRoleRepository(this.dialect);
    this.attachments = this.#attachmentRepository();
    this.blobJournal = this.#blobJournal();
    this.seed = createSqlSeedRepository(this.dialect);
    this.oauth = createSqlOAuthRepository(this.dialect);
    this.organizations = createSqlOrganizationRepository(this.dialect);
    this.attachmentCatalog = createSqlAttachmentCatalog(this.dialect);
    this.apiCredits = createSqlApiCreditLedger(this.dialect);
    this.directory = createSqlDirectoryRepository(this.dialect);
    this.secrets = createSqlInstallationSecrets(this.dialect);
  }

  private migrateNow(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const applied = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => num(r.version)),
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

  #authRepository(): AuthRepository {
    const find = this.db.prepare(`
      SELECT t.hash, t.scopes, t.data_center AS token_dc, t.expires_at, t.revoked_at,
             o.id AS org_id, o.data_center AS org_dc, o.disabled_modules,
             u.id AS user_id, u.name AS user_name, u.role_id, u.active,
             p.id AS profile_id, p.name AS profile_name, p.is_admin, p.permissions
      FROM access_tokens t
      JOIN organizations o ON o.id = t.org_id
      JOIN users u ON u.org_id = t.org_id AND u.id = t.user_id
      JOIN profiles p ON p.org_id = u.org_id AND p.id = u.profile_id
      WHERE t.hash = ?`);
    const cache = new AuthGrantCache(this.db);
    const load = (hash: string): TokenGrant | null => {
      const r = find.get(hash) as Row | undefined;
      if (!r) return null;
      const grant: TokenGrant = {
        token: {
          hash: str(r.hash),
          scopes: str(r.scopes),
          dataCenter: str(r.token_dc) as DataCenterId,
          expiresAt: num(r.expires_at),
          revokedAt: numOrNull(r.revoked_at),
        },
        org: {
          id: str(r.org_id),
          dataCenter: str(r.org_dc) as DataCenterId,
          disabledModules: JSON.parse(str(r.disabled_modules)) as string[],
        },
        user: {
          id: str(r.user_id),
          name: str(r.user_name),
          roleId: str(r.role_id),
          active: num(r.active) === 1,
        },
        profile: {
          id: str(r.profile_id),
          name: str(r.profile_name),
          admin: num(r.is_admin) === 1,
          permissions: JSON.parse(str(r.permissions)) as ProfilePermissions,
        },
      };
      return grant;
    };
    return { findByTokenHash: async (hash) => cache.lookup(hash, load) };
  }

  #recordRepository(): RecordRepository {
    // A correlated subquery rather than a JOIN: same answer (owner_id is a foreign key), but
    // measured about three times faster per call in better-sqlite3 (docs/benchmarks.md).
    const find = this.db.prepare(`
      SELECT r.id, r.module, r.name, r.owner_id,
             (SELECT u.role_id FROM users u WHERE u.org_id = r.org_id AND u.id = r.owner_id) AS owner_role_id
      FROM records r
      WHERE r.org_id = ? AND r.id = ? AND r.module = ? AND r.deleted_at IS NULL`);
    return {
      findLive: async (orgId, module, recordId) => {
        const r = find.get(orgId, recordId, module) as Row | undefined;
        if (!r) return null;
        const record: RecordRef = {
          id: str(r.id),
          module: str(r.module) as ModuleApiName,
          name: str(r.name),
          ownerId: str(r.owner_id),
          ownerRoleId: str(r.owner_role_id),
        };
        return record;
      },
    };
  }

  #attachmentRepository(): AttachmentRepository {
    const db = this.db;
    const markDeleted = db.prepare(`
      UPDATE attachments SET deleted_at = ?, deleted_by = ?
      WHERE org_id = ? AND id = ? AND record_id = ? AND deleted_at IS NULL`);
    const findLive = db.prepare(
      'SELECT * FROM attachments WHERE org_id = ? AND id = ? AND record_id = ? AND deleted_at IS NULL',
    );
    const exists = db.prepare('SELECT 1 FROM attachments WHERE org_id = ? AND id = ?');
    const listDeleted = db.prepare(`
      SELECT org_id, id, record_id, module, file_name, size, deleted_at, deleted_by FROM attachments
      WHERE org_id = ? AND deleted_at IS NOT NULL AND purge_claimed_at IS NULL
      ORDER BY deleted_at DESC, id DESC LIMIT ? OFFSET ?`);
    const restore = db.prepare(`
      UPDATE attachments SET deleted_at = NULL, deleted_by = NULL
      WHERE org_id = ? AND id = ? AND deleted_at IS NOT NULL AND deleted_at >= ? AND purge_claimed_at IS NULL
        AND deleted_with IS NULL`);
    const selectClaimable = db.prepare(`
      SELECT org_id, id, blob_key FROM attachments
      WHERE deleted_at IS NOT NULL AND (purge_claimed_at IS NOT NULL OR deleted_at < ?)
      ORDER BY deleted_at LIMIT ?`);
    const claim = db.prepare('UPDATE attachments SET purge_claimed_at = ? WHERE org_id = ? AND id = ?');
    const remove = db.prepare(
      'DELETE FROM attachments WHERE org_id = ? AND id = ? AND purge_claimed_at IS NOT NULL',
    );
    const claimTx = db.transaction((deletedBefore: number, limit: number, at: number): PurgeClaim[] => {
      const rows = selectClaimable.all(deletedBefore, limit) as Row[];
      const claims = rows.map((r) => ({
        orgId: str(r.org_id),
        id: str(r.id),
        blobKey: strOrNull(r.blob_key),
      }));
      for (const c of claims) claim.run(at, c.orgId, c.id);
      return claims;
    });
    const finishTx = db.transaction((claims: readonly PurgeClaim[]) => {
      for (const c of claims) remove.run(c.orgId, c.id);
    });
    return {
      markDeleted: async ({ orgId, recordId, attachmentId, deletedBy, at }) => {
        const [changes] = await this.#write([
          { sql: markDeleted.source, params: [at, deletedBy, orgId, attachmentId, recordId] },
        ]);
        return changes === 1;
      },
      findLive: async (orgId, recordId, attachmentId) => {
        const r = findLive.get(orgId, attachmentId, recordId) as Row | undefined;
        return r ? toAttachment(r) : null;
      },
      existingIds: async (orgId, ids) => new Set(ids.filter((id) => exists.get(orgId, id) !== undefined)),
      listDeleted: async ({ orgId, limit, offset }) =>
        (listDeleted.all(orgId, limit, offset) as Row[]).map(
          (r): DeletedAttachment => ({
            orgId: str(r.org_id),
            id: str(r.id),
            recordId: str(r.record_id),
            module: str(r.module) as ModuleApiName,
            fileName: str(r.file_name),
            size: num(r.size),
            deletedAt: num(r.deleted_at),
            deletedBy: strOrNull(r.deleted_by),
          }),
        ),
      restore: async ({ orgId, attachmentId, deletedSince }) =>
        restore.run(orgId, attachmentId, deletedSince).changes === 1,
      claimPurge: async ({ deletedBefore, limit, at }) => claimTx.immediate(deletedBefore, limit, at),
      finishPurge: async (claims) => {
        finishTx.immediate(claims);
      },
    };
  }

  #blobJournal(): BlobJournal {
    const begin = this.db.prepare('INSERT OR IGNORE INTO blob_journal (blob_key, begun_at) VALUES (?, ?)');
    const stale = this.db.prepare(
      'SELECT blob_key FROM blob_journal WHERE begun_at < ? ORDER BY begun_at LIMIT ?',
    );
    const forget = this.db.prepare('DELETE FROM blob_journal WHERE blob_key = ?');
    const forgetTx = this.db.transaction((keys: readonly string[]) => {
      for (const k of keys) forget.run(k);
    });
    return {
      begin: async (key, at) => {
        await this.#write([{ sql: begin.source, params: [key, at] }]);
      },
      stale: async (before, limit) => (stale.all(before, limit) as Row[]).map((r) => str(r.blob_key)),
      forget: async (keys) => {
        forgetTx.immediate(keys);
      },
    };
  }
}
