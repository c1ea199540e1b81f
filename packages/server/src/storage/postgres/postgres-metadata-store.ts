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
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { createPgAdminBaselines } from './pg-admin-baselines.js';
import { PgApiCreditLedger } from './pg-api-credit-ledger.js';
import { PgAttachmentCatalog } from './pg-attachment-catalog-repository.js';
import { PgAttachmentRepository } from './pg-attachment-repository.js';
import { PgAuthRepository } from './pg-auth-repository.js';
import { PgBlobJournal } from './pg-blob-journal.js';
import { PgDirectoryRepository } from './pg-directory-repository.js';
import { createPgInstallationSecrets } from './pg-installation-secrets.js';
import { PgNotificationRepository } from './pg-notifications.js';
import { PgOAuthRepository } from './pg-oauth-repository.js';
import { PgOrganizationRepository } from './pg-organization-repository.js';
import { PgRecordDataRepository } from './pg-record-data-repository.js';
import { PgRecordLinks } from './pg-record-links.js';
import { PgRecordPhotos } from './pg-record-photos.js';
import { PgRecordRepository } from './pg-record-repository.js';
import { PgRecordSearch } from './pg-record-search.js';
import { PgTagRepository } from './pg-record-tags.js';
import { PgRoleRepository } from './pg-role-repository.js';
import { PgSeedRepository } from './pg-seed-repository.js';
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
    this.auth = new PgAuthRepository(this.pool);
    this.records = new PgRecordRepository(this.pool);
    this.roles = new PgRoleRepository(this.pool);
    this.attachments = new PgAttachmentRepository(this.pool);
    this.blobJournal = new PgBlobJournal(this.pool);
    this.seed = new PgSeedRepository(this.pool);
    this.attachmentCatalog = new PgAttachmentCatalog(this.pool);
    this.recordData = new PgRecordDataRepository(this.pool);
    this.recordSearch = new PgRecordSearch(this.pool);
    this.recordLinks = new PgRecordLinks(this.pool);
    this.tags = new PgTagRepository(this.pool);
    this.recordPhotos = new PgRecordPhotos(this.pool);
    this.oauth = new PgOAuthRepository(this.pool);
    this.organizations = new PgOrganizationRepository(this.pool);
    this.apiCredits = new PgApiCreditLedger(this.pool);
    this.notifications = new PgNotificationRepository(this.pool);
    this.directory = new PgDirectoryRepository(this.pool);
    this.secrets = createPgInstallationSecrets(this.pool);
    this.adminBaselines = createPgAdminBaselines(this.pool);
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
