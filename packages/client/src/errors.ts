import { redact, redactValue } from './internal/redact.js';

/** The root of every error this SDK throws. `catch (e) { if (e instanceof BiginError) … }`. */
export class BiginError extends Error {
  override name = 'BiginError';
}

/** An error answer from the API: a flat `{code, details, message, status:"error"}` or a failed item. */
export class APIError extends BiginError {
  override name = 'APIError';
  /** HTTP status of the answer. */
  readonly status: number;
  /** Bigin's error code (`INVALID_TOKEN`, `INVALID_DATA`, …); undefined when the body was not Bigin JSON. */
  readonly code: string | undefined;
  /** Bigin's `details` object (`resource_path_index`, `api_name`, …), secrets redacted. */
  readonly details: Record<string, unknown>;
  /** The `x-request-id` the server answered with, for support requests and server logs. */
  readonly requestId: string | undefined;
  /** Response headers, `authorization`-like headers removed. */
  readonly headers: Record<string, string>;

  constructor(init: {
    status: number;
    code: string | undefined;
    message: string;
    details?: Record<string, unknown> | undefined;
    requestId?: string | undefined;
    headers?: Record<string, string> | undefined;
  }) {
    super(redact(init.message));
    this.status = init.status;
    this.code = init.code;
    this.details = redactValue(init.details ?? {});
    this.requestId = init.requestId;
    this.headers = init.headers ?? {};
  }
}

/** HTTP 400: invalid module, data, method or parameters, or a record-level privilege failure. */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
/** HTTP 401: missing, malformed, unknown, expired or under-scoped token. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
/** HTTP 403: the user's profile lacks the permission. */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
/** HTTP 404: the URL matches no API route. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
/** HTTP 413 (attachments) or 415 (photos, Bigin's status for an oversized photo): the upload is over the size limit. */
export class PayloadTooLargeError extends APIError {
  override name = 'PayloadTooLargeError';
}
/** HTTP 429: API credits or concurrency exhausted. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}
/** HTTP 5xx. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

export class InvalidModuleError extends BadRequestError {
  override name = 'InvalidModuleError';
}
export class InvalidDataError extends BadRequestError {
  override name = 'InvalidDataError';
}
export class InvalidRequestMethodError extends BadRequestError {
  override name = 'InvalidRequestMethodError';
}
export class AuthorizationFailedError extends BadRequestError {
  override name = 'AuthorizationFailedError';
}
export class MandatoryNotFoundError extends BadRequestError {
  override name = 'MandatoryNotFoundError';
}
export class RequiredParamMissingError extends BadRequestError {
  override name = 'RequiredParamMissingError';
}
export class DuplicateDataError extends BadRequestError {
  override name = 'DuplicateDataError';
}
export class DownloadNotAllowedError extends BadRequestError {
  override name = 'DownloadNotAllowedError';
}
export class LimitExceededError extends BadRequestError {
  override name = 'LimitExceededError';
}
export class DiscretePaginationLimitExceededError extends BadRequestError {
  override name = 'DiscretePaginationLimitExceededError';
}
export class InvalidTokenError extends AuthenticationError {
  override name = 'InvalidTokenError';
}
export class AuthenticationFailureError extends AuthenticationError {
  override name = 'AuthenticationFailureError';
}
export class OAuthScopeMismatchError extends AuthenticationError {
  override name = 'OAuthScopeMismatchError';
}
export class NoPermissionError extends PermissionDeniedError {
  override name = 'NoPermissionError';
}
export class InvalidUrlPatternError extends NotFoundError {
  override name = 'InvalidUrlPatternError';
}
export class FileSizeMoreThanAllowedSizeError extends PayloadTooLargeError {
  override name = 'FileSizeMoreThanAllowedSizeError';
}
export class TooManyRequestsError extends RateLimitError {
  override name = 'TooManyRequestsError';
}
export class InternalError extends InternalServerError {
  override name = 'InternalError';
}

/** The request never got an HTTP answer (DNS, refused, reset, TLS). */
export class APIConnectionError extends BiginError {
  override name = 'APIConnectionError';
  constructor(message = 'Connection error', options?: { cause?: unknown }) {
    super(redact(message), options);
  }
}
/** No answer within the call's `timeout`. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
  constructor(message = 'Request timed out') {
    super(message);
  }
}
/** The caller's `signal` aborted the call. */
export class APIUserAbortError extends BiginError {
  override name = 'APIUserAbortError';
  constructor(message = 'Request was aborted') {
    super(message);
  }
}

/**
 * Zoho Accounts refused a token request. Zoho answers these with HTTP 200 and
 * `{"error":"invalid_code"}` (or `invalid_client`, `invalid_redirect_uri`, `access_denied`, …).
 */
export class OAuthError extends BiginError {
  override name = 'OAuthError';
  /** Zoho's error string, e.g. `invalid_code`. */
  readonly error: string;
  readonly status: number;
  constructor(error: string, status: number, description?: string) {
    super(redact(description ? `${error}: ${description}` : error));
    this.error = redact(error);
    this.status = status;
  }
}

type APIErrorClass = new (init: ConstructorParameters<typeof APIError>[0]) => APIError;

const BY_STATUS: Array<[(status: number) => boolean, APIErrorClass]> = [
  [(s) => s === 400, BadRequestError],
  [(s) => s === 401, AuthenticationError],
  [(s) => s === 403, PermissionDeniedError],
  [(s) => s === 404, NotFoundError],
  [(s) => s === 413 || s === 415, PayloadTooLargeError],
  [(s) => s === 429, RateLimitError],
  [(s) => s >= 500, InternalServerError],
];

/** Wire code → class. A code class is used only when its status family matches the answer's status. */
const BY_CODE: Record<string, APIErrorClass> = {
  INVALID_MODULE: InvalidModuleError,
  INVALID_DATA: InvalidDataError,
  INVALID_REQUEST_METHOD: InvalidRequestMethodError,
  AUTHORIZATION_FAILED: AuthorizationFailedError,
  MANDATORY_NOT_FOUND: MandatoryNotFoundError,
  REQUIRED_PARAM_MISSING: RequiredParamMissingError,
  DUPLICATE_DATA: DuplicateDataError,
  DOWNLOAD_NOT_ALLOWED: DownloadNotAllowedError,
  LIMIT_EXCEEDED: LimitExceededError,
  DISCRETE_PAGINATION_LIMIT_EXCEEDED: DiscretePaginationLimitExceededError,
  INVALID_TOKEN: InvalidTokenError,
  AUTHENTICATION_FAILURE: AuthenticationFailureError,
  OAUTH_SCOPE_MISMATCH: OAuthScopeMismatchError,
  NO_PERMISSION: NoPermissionError,
  INVALID_URL_PATTERN: InvalidUrlPatternError,
  FILE_SIZE_MORE_THAN_ALLOWED_SIZE: FileSizeMoreThanAllowedSizeError,
  TOO_MANY_REQUESTS: TooManyRequestsError,
  INTERNAL_ERROR: InternalError,
};

/** The most specific class for an error answer. */
export function errorClassFor(status: number, code: string | undefined): APIErrorClass {
  const family = BY_STATUS.find(([match]) => match(status))?.[1] ?? APIError;
  const byCode = code ? BY_CODE[code] : undefined;
  return byCode && byCode.prototype instanceof family ? byCode : family;
}

export function makeAPIError(init: ConstructorParameters<typeof APIError>[0]): APIError {
  const Class = errorClassFor(init.status, init.code);
  return new Class(init);
}
