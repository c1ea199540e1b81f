import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';
import Database from 'better-sqlite3';
import type { AdminBaselineRepository } from '../../domain/admin-baseline-ports.js';
import { sequenceOf } from '../../domain/ids.js';
import type { ProfilePermissions, RecordRef, Role } from '../../domain/model.js';
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
  RecordPhotoRepository,
  RecordRepository,
  RecordSearchRepository,
  RoleRepository,
  SeedCounts,
  SeedData,
  SeedRepository,
  TagRepository,
  TokenGrant,
} from '../../domain/ports.js';
import { AuthGrantCache } from './auth-grant-cache.js';
import { GroupCommitter } from './group-commit.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { createSqliteAdminBaselines } from './sqlite-admin-baselines.js';
import { createSqliteApiCreditLedger } from './sqlite-api-credit-ledger.js';
import { createSqliteAttachmentCatalog } from './sqlite-attachment-catalog-repository.js';
import { createSqliteDirectoryRepository } from './sqlite-directory-repository.js';
import { registerSqliteFunctions } from './sqlite-functions.js';
import { createSqliteInstallationSecrets } from './sqlite-installation-secrets.js';
import { createSqliteNotificationRepository, createSqliteOutboxWriter } from './sqlite-notifications.js';
import { createSqliteOAuthRepository } from './sqlite-oauth-repository.js';
import { createSqliteOrganizationRepository } from './sqlite-organization-repository.js';
import { createSqliteRecordDataRepository } from './sqlite-record-data-repository.js';
import { createSqliteRecordLinks } from './sqlite-record-links.js';
import { createSqliteRecordPhotos } from './sqlite-record-photos.js';
import { createSqliteRecordSearch } from './sqlite-record-search.js';
import { createSqliteTagRepository, importSqliteTags } from './sqlite-record-tags.js';
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
    this.auth = this.#authRepository();
    this.records = this.#recordRepository();
    this.recordData = createSqliteRecordDataRepository(this.db, createSqliteOutboxWriter(this.db));
    this.notifications = createSqliteNotificationRepository(this.db);
    this.recordSearch = createSqliteRecordSearch(this.db);
    this.recordLinks = createSqliteRecordLinks(this.db);
    this.tags = createSqliteTagRepository(this.db);
    this.recordPhotos = createSqliteRecordPhotos(this.db);
    this.roles = this.#roleRepository();
    this.attachments = this.#attachmentRepository();
    this.blobJournal = this.#blobJournal();
    this.seed = this.#seedRepository();
    this.oauth = createSqliteOAuthRepository(this.db);
    this.organizations = createSqliteOrganizationRepository(this.db);
    this.attachmentCatalog = createSqliteAttachmentCatalog(this.db, this.#write);
    this.apiCredits = createSqliteApiCreditLedger(this.db);
    this.directory = createSqliteDirectoryRepository(this.db);
    this.secrets = createSqliteInstallationSecrets(this.db);
    this.adminBaselines = createSqliteAdminBaselines(this.db);
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

  #roleRepository(): RoleRepository {
    const find = this.db.prepare(
      'SELECT id, name, reports_to, share_with_peers FROM roles WHERE org_id = ? AND id = ?',
    );
    // Depth-bounded so that a cycle in bad data cannot loop forever.
    const ancestors = this.db.prepare(`
      WITH RECURSIVE up (id, reports_to, depth) AS (
        SELECT id, reports_to, 0 FROM roles WHERE org_id = @org AND id = @role
        UNION ALL
        SELECT r.id, r.reports_to, up.depth + 1 FROM roles r JOIN up ON r.id = up.reports_to
        WHERE r.org_id = @org AND up.depth < 64
      )
      SELECT id FROM up WHERE depth > 0 ORDER BY depth`);
    return {
      find: async (orgId, roleId) => {
        const r = find.get(orgId, roleId) as Row | undefined;
        if (!r) return null;
        const role: Role = {
          id: str(r.id),
          name: str(r.name),
          reportsTo: strOrNull(r.reports_to),
          shareWithPeers: num(r.share_with_peers) === 1,
        };
        return role;
      },
      ancestors: async (orgId, roleId) =>
        (ancestors.all({ org: orgId, role: roleId }) as Row[]).map((r) => str(r.id)),
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

  #seedRepository(): SeedRepository {
    const db = this.db;
    const ins = {
      client: db.prepare(
        'INSERT OR IGNORE INTO oauth_clients (id, name, secret_hash, redirect_uris, created_at, client_type) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      org: db.prepare(`INSERT OR IGNORE INTO organizations
        (id, name, data_center, id_prefix, next_seq, disabled_modules, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)`),
      profile: db.prepare(
        'INSERT OR IGNORE INTO profiles (org_id, id, name, is_admin, permissions) VALUES (?, ?, ?, ?, ?)',
      ),
      role: db.prepare(
        'INSERT OR IGNORE INTO roles (org_id, id, name, reports_to, share_with_peers) VALUES (?, ?, ?, ?, ?)',
      ),
      user: db.prepare(`INSERT OR IGNORE INTO users
        (org_id, id, name, email, profile_id, role_id, active, time_zone, password_hash, details)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      orgMetadata: db.prepare(
        'INSERT OR IGNORE INTO org_metadata (org_id, customization, details) VALUES (?, ?, ?)',
      ),
      token: db.prepare(`INSERT OR IGNORE INTO access_tokens
        (hash, org_id, user_id, client_id, scopes, data_center, expires_at, revoked_at, created_at,
         refresh_token_hash, from_refresh)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      record: db.prepare(`INSERT OR IGNORE INTO records
        (org_id, id, module, name, owner_id, created_at, modified_at, deleted_at, fields, deleted_with,
         created_by, modified_by, deleted_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      attachment: db.prepare(`INSERT OR IGNORE INTO attachments
        (org_id, id, record_id, module, kind, file_name, content_type, size, blob_key, link_url, sha256,
         owner_id, created_by, modified_by, created_at, modified_at, deleted_at, deleted_by, deleted_with)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      refreshToken: db.prepare(`INSERT OR IGNORE INTO oauth_refresh_tokens
        (hash, client_id, org_id, user_id, scopes, data_center, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      consent: db.prepare(
        'INSERT OR IGNORE INTO oauth_consents (org_id, user_id, client_id, granted_at) VALUES (?, ?, ?, ?)',
      ),
      grantCode: db.prepare(`INSERT OR IGNORE INTO oauth_grant_codes
        (hash, client_id, org_id, user_id, scopes, data_center, redirect_uri, issue_refresh, expires_at, used_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    };
    const forgetJournal = db.prepare('DELETE FROM blob_journal WHERE blob_key = ?');
    const prefixOf = db.prepare('SELECT id_prefix, data_center FROM organizations WHERE id = ?');
    const bumpSeq = db.prepare('UPDATE organizations SET next_seq = MAX(next_seq, ?) WHERE id = ?');
    const reserve = db.prepare(
      'UPDATE organizations SET next_seq = next_seq + ? WHERE id = ? RETURNING next_seq',
    );
    const prefixTaken = db.prepare('SELECT 1 FROM organizations WHERE data_center = ? AND id_prefix = ?');
    const orgCount = db.prepare('SELECT COUNT(*) AS n FROM organizations');

    const importTx = db.transaction((d: SeedData): SeedCounts => {
      const c: SeedCounts = {
        clients: 0,
        organizations: 0,
        profiles: 0,
        roles: 0,
        users: 0,
        tokens: 0,
        records: 0,
        attachments: 0,
      };
      for (const x of d.clients)
        c.clients += ins.client.run(
          x.id,
          x.name,
          x.secretHash,
          JSON.stringify(x.redirectUris),
          x.createdAt,
          x.type ?? 'server',
        ).changes;
      for (const x of d.organizations)
        c.organizations += ins.org.run(
          x.id,
          x.name,
          x.dataCenter,
          x.idPrefix,
          JSON.stringify(x.disabledModules),
          x.createdAt,
        ).changes;
      for (const x of d.profiles)
        c.profiles += ins.profile.run(
          x.orgId,
          x.id,
          x.name,
          x.admin ? 1 : 0,
          JSON.stringify(x.permissions),
        ).changes;
      for (const x of d.roles)
        c.roles += ins.role.run(x.orgId, x.id, x.name, x.reportsTo, x.shareWithPeers ? 1 : 0).changes;
      for (const x of d.users)
        c.users += ins.user.run(
          x.orgId,
          x.id,
          x.name,
          x.email,
          x.profileId,
          x.roleId,
          x.active ? 1 : 0,
          x.timeZone,
          x.passwordHash ?? null,
          JSON.stringify(x.details ?? {}),
        ).changes;
      if (d.orgMetadata) {
        c.orgMetadata = 0;
        for (const x of d.orgMetadata)
          c.orgMetadata += ins.orgMetadata.run(
            x.orgId,
            JSON.stringify(x.customization),
            JSON.stringify(x.details),
          ).changes;
      }
      for (const x of d.tokens)
        c.tokens += ins.token.run(
          x.hash,
          x.orgId,
          x.userId,
          x.clientId,
          x.scopes,
          x.dataCenter,
          x.expiresAt,
          x.revokedAt,
          x.createdAt,
          x.refreshTokenHash ?? null,
          x.fromRefresh ? 1 : 0,
        ).changes;
      for (const x of d.records)
        c.records += ins.record.run(
          x.orgId,
          x.id,
          x.module,
          x.name,
          x.ownerId,
          x.createdAt,
          x.modifiedAt,
          x.deletedAt,
          JSON.stringify(x.fields ?? {}),
          // A record seeded as deleted was deleted directly, so it can be restored by its id.
          x.deletedWith !== undefined ? x.deletedWith : x.deletedAt === null ? null : x.id,
          x.createdBy ?? null,
          x.modifiedBy ?? null,
          x.deletedBy ?? null,
        ).changes;
      for (const a of d.attachments) {
        c.attachments += ins.attachment.run(
          a.orgId,
          a.id,
          a.recordId,
          a.module,
          a.kind,
          a.fileName,
          a.contentType,
          a.size,
          a.blobKey,
          a.linkUrl,
          a.sha256,
          a.ownerId,
          a.createdBy,
          a.modifiedBy,
          a.createdAt,
          a.modifiedAt,
          a.deletedAt,
          a.deletedBy,
          a.deletedWith ?? null,
        ).changes;
        if (a.blobKey) forgetJournal.run(a.blobKey);
      }
      // Only when given, so that a fixture's counts do not grow keys it never had.
      if (d.refreshTokens) {
        c.refreshTokens = 0;
        for (const x of d.refreshTokens)
          c.refreshTokens += ins.refreshToken.run(
            x.hash,
            x.clientId,
            x.orgId,
            x.userId,
            x.scopes,
            x.dataCenter,
            x.createdAt,
            x.revokedAt,
          ).changes;
      }
      if (d.consents) {
        c.consents = 0;
        for (const x of d.consents)
          c.consents += ins.consent.run(x.orgId, x.userId, x.clientId, x.grantedAt).changes;
      }
      if (d.grantCodes) {
        c.grantCodes = 0;
        for (const x of d.grantCodes)
          c.grantCodes += ins.grantCode.run(
            x.hash,
            x.clientId,
            x.orgId,
            x.userId,
            x.scopes,
            x.dataCenter,
            x.redirectUri,
            x.issueRefresh ? 1 : 0,
            x.expiresAt,
            x.usedAt,
            x.createdAt,
          ).changes;
      }
      importSqliteTags(db, d, c);
      // Keep generated ids clear of ids the seed chose under the organisation's own prefix.
      const maxSeq = new Map<string, number>();
      for (const x of [...d.records, ...d.attachments, ...(d.tags ?? [])]) {
        const prefix = (prefixOf.get(x.orgId) as Row | undefined)?.id_prefix;
        const seq = typeof prefix === 'string' ? sequenceOf(prefix, x.id) : null;
        if (seq !== null) maxSeq.set(x.orgId, Math.max(maxSeq.get(x.orgId) ?? 0, seq + 1));
      }
      for (const [orgId, next] of maxSeq) bumpSeq.run(next, orgId);
      return c;
    });

    return {
      import: async (data) => importTx.immediate(data),
      organizationCount: async () => num((orgCount.get() as Row).n),
      organization: async (orgId) => {
        const r = prefixOf.get(orgId) as Row | undefined;
        return r ? { idPrefix: str(r.id_prefix), dataCenter: str(r.data_center) as DataCenterId } : null;
      },
      idPrefixTaken: async (dc, prefix) => prefixTaken.get(dc, prefix) !== undefined,
      reserveSequence: async (orgId, count) => {
        const rows = this.#withoutOwnFsync(() => reserve.all(count, orgId)) as Row[];
        const row = rows[0];
        if (!row) throw new Error(`unknown organisation ${orgId}`);
        return num(row.next_seq) - count;
      },
    };
  }
}
