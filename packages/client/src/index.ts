export {
  AdminApiError,
  AdminClient,
  type AdminClientOptions,
  type FaultRuleInput,
  type JournalEntry,
  type JournalQuery,
  type NotificationChannel,
  type OrganizationDetail,
  type OrgLimitsInput,
  type RecycleBin,
} from './admin.js';
export {
  authorizationUrl,
  exchangeAuthorizationCode,
  type RefreshedTokens,
  RefreshTokenAuth,
  type RefreshTokenAuthOptions,
  StaticToken,
  type TokenResponse,
  type TokenSource,
} from './auth.js';
export { type Auth, BiginClient, type ClientOptions, type Endpoint } from './client.js';
export * from './errors.js';
export type { ApiVersion } from './internal/api-version.js';
export type {
  FileUpload,
  LinkUpload,
  UploadInput,
  UploadProgress,
  UploadProgressListener,
  UploadSource,
} from './internal/upload-body.js';
export { Page, PagePromise } from './pagination.js';
export type {
  AttachmentDownload,
  Attachments,
  DownloadedFile,
  DownloadOptions,
  DownloadToFileOptions,
  UploadOptions,
} from './resources/attachments.js';
export type { Coql, CoqlAnswer, CoqlIterateOptions } from './resources/coql.js';
export type { Settings, Users } from './resources/directory.js';
export type {
  Notifications,
  WatchCallback,
  WatchChannelInput,
  WatchEntry,
} from './resources/notifications.js';
export type { PhotoDownload, PhotoModule, PhotoResult, Photos } from './resources/photos.js';
export type { Records, SearchParams, UpsertResult, WriteOptions } from './resources/records.js';
export type { BiginTag, TagActionResult, Tags } from './resources/tags.js';
export type * from './types.js';
