import pg from 'pg';
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
import { PgDialect } from '../sql/pg-dialect.js';
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
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { PgRecordDataRepository } from './pg-record-data-repository.js';
import { PgRecordSearch } from './pg-record-search.js';
import { num, pgTypes, type Row } from './pg-support.js';

export interface PostgresMetadataStoreOptions {
  /** `postgres://user:password@host:port/database`; `?options=-c search_path=…` selects a schema. */
  connectionString: string;
  /** Most connections this process opens (pg's pool `max`). */
  poolSize: number;
  /** How long a request waits for a free connection before failing, in milliseconds. */
  connectionTimeoutMs?: number;
}

/** Arbitrary constant: every node migrating the same database takes this advisory lock first. */
const MIGRATION_LOCK = 7_220_190_431;

/**
 * Metadata in PostgreSQL, shared by any number of stateless server processes. One repository
 * per file, each taking the pool; this class only wires them, owns the pool and migrates.
 */
export class PostgresMetadataStore implements MetadataStore {
  readonly pool: pg.Pool;
  /** The dialect the shared repositories (storage/sql/) run on. */
  readonly dialect: PgDialect;
  readonly auth: AuthRepository;
  readonly records: RecordRepository;
  readonly roles: RoleRepository;
  readonly attachments: AttachmentRepository;
  readonly blobJournal: BlobJournal;
  readonly seed: SeedRepository;
  readonly attachmentCatalog: AttachmentCatalog;
  readonly recordData: RecordDataRepository;
  readonly recordSearch: RecordSearchRepository;
  readonly recordLinks: RecordLinkRepository;
  readonly tags: TagRepository;
  readonly recordPhotos: RecordPhotoRepository;
  readonly oauth: OAuthRepository;
  readonly organizations: OrganizationRepository;
  readonly apiCredits: ApiCreditLedger;
  readonly notifications: NotificationRepository;
  readonly directory: DirectoryRepository;
  readonly secrets: InstallationSecrets;
  readonly adminBaselines: AdminBaselineRepository;
  #closed: Promise<void> | null = null;

  constructor(options: PostgresMetadataStoreOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      types: pgTypes,
      // TCP keep-alive notices a connection silently lost in a failover, so it is not reused.
      keepAlive: true,
      // Shown in pg_stat_activity; `application_name` in the URL (or PGAPPNAME) overrides it.
      fallback_application_name: 'bigin-server',
    });
    // An idle connection that the server drops (restart, failover) must not crash the process;
    // the pool discards it and the next query opens a new one.
    this.pool.on('error', () => {});
    this.dialect = new PgDialect(this.pool);
    this.auth = createSqlAuthRepository(this.dialect);
    this.records = createSqlRecordRepository(this.dialect);
    this.roles = createSqlRoleRepository(this.dialect);
    this.attachments = createSqlAttachmentRepository(this.dialect);
    this.blobJournal = createSqlBlobJournal(this.dialect);
    this.seed = createSqlSeedRepository(this.dialect);
    this.attachmentCatalog = createSqlAttachmentCatalog(this.dialect);
    this.recordData = new PgRecordDataRepository(this.pool);
    this.recordSearch = new PgRecordSearch(this.pool);
    this.recordLinks = createSqlRecordLinks(this.dialect);
    this.tags = createSqlTagRepository(this.dialect);
    this.recordPhotos = createSqlRecordPhotos(this.dialect);
    this.oauth = createSqlOAuthRepository(this.dialect);
    this.organizations = createSqlOrganizationRepository(this.dialect);
    this.apiCredits = createSqlApiCreditLedger(this.dialect);
    this.notifications = createSqlNotificationRepository(this.dialect);
    this.directory = createSqlDirectoryRepository(this.dialect);
    this.secrets = createSqlInstallationSecrets(this.dialect);
    this.adminBaselines = createSqlAdminBaselines(this.dialect);
  }

  /**
   * Applies pending migrations, each in its own transaction. A session advisory lock serialises
   * nodes that start at the same moment: the second waits, then finds nothing left to do.
   */
  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await client.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        );
        const { rows } = await client.query<Row>('SELECT version FROM schema_migrations');
        const applied = new Set(rows.map((r) => num(r.version)));
        for (const m of POSTGRES_MIGRATIONS) {
          if (applied.has(m.version)) continue;
          // On the locked connection itself, so that a pool of one connection can migrate.
          await client.query('BEGIN');
          try {
            await client.query(m.sql);
            await client.query(
              'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
              [m.version, m.name, Date.now()],
            );
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Idempotent: waits for queries in flight, then closes every connection. */
  close(): Promise<void> {
    this.#closed ??= this.pool.end();
    return this.#closed;
  }
}
