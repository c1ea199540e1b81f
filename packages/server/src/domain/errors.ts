import { FAILURES, type FailureName } from '@bigin-attachments/contract';

/**
 * The one error type domain code throws. `failure` selects code, status and message from the
 * contract table; `check` names the rule that refused the request (a row of the decision table),
 * so that the request's log line says why.
 */
export class AppError extends Error {
  readonly failure: FailureName;
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly check: string;

  constructor(failure: FailureName, check: string, details: Record<string, unknown> = {}, cause?: unknown) {
    const spec = FAILURES[failure];
    super(spec.message, cause === undefined ? undefined : { cause });
    this.name = 'AppError';
    this.failure = failure;
    this.code = spec.code;
    this.status = spec.status;
    this.details = details;
    this.check = check;
  }
}

/** Path segment positions after `/bigin/v2/`, as reported in `details.resource_path_index`. */
export const PATH_INDEX = { module: 0, recordId: 1, attachments: 2, attachmentId: 3 } as const;

/** One factory per refusal, named after the rule (decisions D4 rows). */
export const errors = {
  urlPattern: () => new AppError('INVALID_URL_PATTERN', 'D4.1 url-pattern'),
  requestMethod: () => new AppError('INVALID_REQUEST_METHOD', 'D4.2 request-method'),
  authorizationHeader: (why: string) =>
    new AppError('AUTHENTICATION_FAILURE', `D4.3 authorization-header: ${why}`),
  invalidToken: (why: string) => new AppError('INVALID_TOKEN', `D4.4 token: ${why}`),
  unknownModule: () =>
    new AppError('INVALID_MODULE', 'D4.5 module-unknown', { resource_path_index: PATH_INDEX.module }),
  moduleNotSupported: () =>
    new AppError('MODULE_NOT_SUPPORTED', 'D4.6 module-not-supported', {
      resource_path_index: PATH_INDEX.module,
    }),
  scopeMismatch: () => new AppError('OAUTH_SCOPE_MISMATCH', 'D4.7 scope'),
  noTabPermission: (why: string) =>
    new AppError('INVALID_MODULE', `D4.8 module-access: ${why}`, { resource_path_index: PATH_INDEX.module }),
  noFilesPermission: (permission: string) =>
    new AppError('NO_PERMISSION', `D4.9 files-permission: ${permission}`),
  recordNotFound: () =>
    new AppError('INVALID_RELATED_ID', 'D4.10 record', { resource_path_index: PATH_INDEX.recordId }),
  recordNotAccessible: () => new AppError('AUTHORIZATION_FAILED_DELETE_ATTACHMENT', 'D4.11 record-access'),
  attachmentNotFound: () =>
    new AppError('INVALID_RELATED_ID', 'D4.12 attachment', { resource_path_index: PATH_INDEX.attachmentId }),
  uploadNotAuthorized: () => new AppError('AUTHORIZATION_FAILED_UPLOAD_ATTACHMENT', 'D4.11 record-access'),
  viewNotAuthorized: () => new AppError('AUTHORIZATION_FAILED_VIEW_ATTACHMENT', 'D4.11 record-access'),
  /** D6: an upload with neither a file nor a link. */
  mandatoryNotFound: (why: string) => new AppError('MANDATORY_NOT_FOUND', `D6 upload-parts: ${why}`),
  /** D6: a request whose data cannot be used (both parts, malformed multipart, bad parameter). */
  invalidData: (check: string, details: Record<string, unknown> = {}) =>
    new AppError('INVALID_DATA', check, details),
  invalidAttachmentUrl: (why: string) => new AppError('INVALID_ATTACHMENT_URL', `D6 attachment-url: ${why}`),
  fileTooLarge: (maxBytes: number) =>
    new AppError('FILE_SIZE_MORE_THAN_ALLOWED_SIZE', `D6 upload-size: over ${maxBytes} bytes`),
  downloadNotAllowed: () => new AppError('DOWNLOAD_NOT_ALLOWED', 'D6 download: link attachment'),
  /** D9: over the organisation's API credits or concurrency (docs/credits.md). */
  tooManyRequests: (why: string) => new AppError('TOO_MANY_REQUESTS', `D9 api-limits: ${why}`),
  internal: (cause: unknown) => new AppError('INTERNAL_ERROR', 'D4.13 internal', {}, cause),
};
