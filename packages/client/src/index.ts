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
export type { FileUpload, LinkUpload, UploadInput, UploadSource } from './internal/upload-body.js';
export { Page, PagePromise } from './pagination.js';
export type {
  AttachmentDownload,
  Attachments,
  DownloadedFile,
  DownloadOptions,
  DownloadToFileOptions,
} from './resources/attachments.js';
export type { Records, SearchParams, UpsertResult, WriteOptions } from './resources/records.js';
export type * from './types.js';
