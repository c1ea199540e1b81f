import type { AdminBaselineRepository } from '../admin-baseline-ports.js';
import type { NotificationRepository } from '../notifications-ports.js';
import type { AttachmentCatalog, AttachmentRepository, BlobJournal } from './attachments.js';
import type { AuthRepository, InstallationSecrets } from './auth.js';
import type { ApiCreditLedger } from './credits.js';
import type { DirectoryRepository, RoleRepository } from './directory.js';
import type { OAuthRepository } from './oauth.js';
import type { OrganizationRepository, SeedRepository } from './organizations.js';
import type { RecordPhotoRepository } from './photos.js';
import type {
  RecordDataRepository,
  RecordLinkRepository,
  RecordRepository,
  RecordSearchRepository,
} from './records.js';
import type { TagRepository } from './tags.js';

// The metadata store: every repository a backend provides, and its lifecycle.

export interface MetadataStore {
  readonly secrets: InstallationSecrets;
  readonly auth: AuthRepository;
  readonly organizations: OrganizationRepository;
  readonly attachmentCatalog: AttachmentCatalog;
  readonly records: RecordRepository;
  readonly recordData: RecordDataRepository;
  readonly recordSearch: RecordSearchRepository;
  readonly recordLinks: RecordLinkRepository;
  /** Tags and record tags (issue 13 item 5). */
  readonly tags: TagRepository;
  /** Record and organisation photos (issue 13 item 6). */
  readonly recordPhotos: RecordPhotoRepository;
  readonly roles: RoleRepository;
  readonly attachments: AttachmentRepository;
  readonly blobJournal: BlobJournal;
  readonly seed: SeedRepository;
  readonly oauth: OAuthRepository;
  readonly apiCredits: ApiCreditLedger;
  /** Notification channels and their outbox (issue 18, notifications-ports.ts). */
  readonly notifications: NotificationRepository;
  readonly directory: DirectoryRepository;
  /** What the admin API's reset restores (admin-baseline-ports.ts). */
  readonly adminBaselines: AdminBaselineRepository;
  /** Applies pending schema migrations, in order, each in its own transaction. */
  migrate(): Promise<void>;
  /** Resolves once the store answered a trivial query; rejects when it cannot (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
