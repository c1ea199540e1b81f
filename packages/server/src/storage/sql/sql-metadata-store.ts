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
import type { SqlDialect } from './dialect.js';
import { createSqlAdminBaselines } from './sql-admin-baselines.js';
import { createSqlApiCreditLedger } from './sql-api-credit-ledger.js';
import { createSqlAttachmentCatalog } from './sql-attachment-catalog.js';
import { createSqlAttachmentRepository } from './sql-attachment-repository.js';
import { createSqlAuthRepository, type TokenGrantCache } from './sql-auth-repository.js';
import { createSqlBlobJournal } from './sql-blob-journal.js';
import { createSqlDirectoryRepository } from './sql-directory-repository.js';
import { createSqlInstallationSecrets } from './sql-installation-secrets.js';
import { createSqlNotificationRepository } from './sql-notifications.js';
import { createSqlOAuthRepository } from './sql-oauth-repository.js';
import { createSqlOrganizationRepository } from './sql-organization-repository.js';
import { createSqlRecordDataRepository } from './sql-record-data-repository.js';
import { createSqlRecordLinks } from './sql-record-links.js';
import { createSqlRecordPhotos } from './sql-record-photos.js';
import { createSqlRecordRepository } from './sql-record-repository.js';
import { createSqlRecordSearch } from './sql-record-search.js';
import { createSqlTagRepository } from './sql-record-tags.js';
import { createSqlRoleRepository } from './sql-role-repository.js';
import { createSqlSeedRepository } from './sql-seed-repository.js';

/** What a dialect's store brings of its own to the shared repositories. */
export interface DialectParts {
  /** Keeps token grants between requests (SQLite); absent, every request reads its grant. */
  tokenCache?: TokenGrantCache;
}

/**
 * The repositories of a MetadataStore, each written once over the dialect (storage/sql/) and
 * wired here once: a store per dialect owns its connection, migrations and lifecycle, and adds a
 * repository by adding it here.
 */
export abstract class SqlMetadataStore implements MetadataStore {
  /** The dialect the shared repositories run on. */
  readonly dialect: SqlDialect;
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
  readonly oauth: OAuthRepository;
  readonly organizations: OrganizationRepository;
  readonly attachmentCatalog: AttachmentCatalog;
  readonly apiCredits: ApiCreditLedger;
  readonly notifications: NotificationRepository;
  readonly directory: DirectoryRepository;
  readonly secrets: InstallationSecrets;
  readonly adminBaselines: AdminBaselineRepository;

  protected constructor(d: SqlDialect, parts: DialectParts = {}) {
    this.dialect = d;
    this.auth = createSqlAuthRepository(d, parts.tokenCache);
    this.records = createSqlRecordRepository(d);
    this.recordData = createSqlRecordDataRepository(d);
    this.recordSearch = createSqlRecordSearch(d);
    this.recordLinks = createSqlRecordLinks(d);
    this.tags = createSqlTagRepository(d);
    this.recordPhotos = createSqlRecordPhotos(d);
    this.roles = createSqlRoleRepository(d);
    this.attachments = createSqlAttachmentRepository(d);
    this.blobJournal = createSqlBlobJournal(d);
    this.seed = createSqlSeedRepository(d);
    this.oauth = createSqlOAuthRepository(d);
    this.organizations = createSqlOrganizationRepository(d);
    this.attachmentCatalog = createSqlAttachmentCatalog(d);
    this.apiCredits = createSqlApiCreditLedger(d);
    this.notifications = createSqlNotificationRepository(d);
    this.directory = createSqlDirectoryRepository(d);
    this.secrets = createSqlInstallationSecrets(d);
    this.adminBaselines = createSqlAdminBaselines(d);
  }

  abstract migrate(): Promise<void>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
}
