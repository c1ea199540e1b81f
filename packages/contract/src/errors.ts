/**
 * Every error the Bigin v2 API (as implemented here) can answer with, keyed by a failure name.
 * Several failures share one wire code with different messages (Bigin's INVALID_MODULE has two),
 * so the key is the failure and `code` is what goes on the wire. The HTTP status always comes
 * from this table, never from the place that raises the error.
 */
export const FAILURES = {
  INVALID_URL_PATTERN: {
    code: 'INVALID_URL_PATTERN',
    status: 404,
    message: 'Please check if the URL trying to access is a correct one',
  },
  INVALID_REQUEST_METHOD: {
    code: 'INVALID_REQUEST_METHOD',
    status: 400,
    message: 'The http request method type is not a valid one',
  },
  AUTHENTICATION_FAILURE: { code: 'AUTHENTICATION_FAILURE', status: 401, message: 'Authentication failed' },
  INVALID_TOKEN: { code: 'INVALID_TOKEN', status: 401, message: 'invalid oauth token' },
  INVALID_MODULE: {
    code: 'INVALID_MODULE',
    status: 400,
    message: 'the module name given seems to be invalid',
  },
  MODULE_NOT_SUPPORTED: {
    code: 'INVALID_MODULE',
    status: 400,
    message: 'The given module is not supported in API',
  },
  OAUTH_SCOPE_MISMATCH: {
    code: 'OAUTH_SCOPE_MISMATCH',
    status: 401,
    message: 'invalid oauth scope to access this URL',
  },
  NO_PERMISSION: { code: 'NO_PERMISSION', status: 403, message: 'permission denied' },
  AUTHORIZATION_FAILED_DELETE_ATTACHMENT: {
    code: 'AUTHORIZATION_FAILED',
    status: 400,
    message: 'User does not have sufficient privilege to delete attachments',
  },
  INVALID_RELATED_ID: {
    code: 'INVALID_DATA',
    status: 400,
    message: 'the related id given seems to be invalid',
  },
  INTERNAL_ERROR: { code: 'INTERNAL_ERROR', status: 500, message: 'Internal Server Error' },
  // Records API (docs/records.md).
  INVALID_JSON_BODY: {
    code: 'INVALID_DATA',
    status: 400,
    message: 'the request body is not a valid JSON object',
  },
  REQUEST_BODY_TOO_LARGE: {
    code: 'INVALID_DATA',
    status: 400,
    message: 'the request body exceeds the allowed size',
  },
  INVALID_DATA: { code: 'INVALID_DATA', status: 400, message: 'invalid data' },
  BODY_MANDATORY_NOT_FOUND: { code: 'MANDATORY_NOT_FOUND', status: 400, message: 'required field not found' },
  RECORDS_LIMIT_EXCEEDED: {
    code: 'LIMIT_EXCEEDED',
    status: 400,
    message: 'the number of records in the request exceeds the limit',
  },
  REQUIRED_PARAM_MISSING: {
    code: 'REQUIRED_PARAM_MISSING',
    status: 400,
    message: 'One of the expected parameter is missing',
  },
  DISCRETE_PAGINATION_LIMIT_EXCEEDED: {
    code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
    status: 400,
    message: 'You can only get the first 2000 records without using page_token param.',
  },
} as const satisfies Record<string, { code: string; status: number; message: string }>;

export type FailureName = keyof typeof FAILURES;
export type ErrorCode = (typeof FAILURES)[FailureName]['code'];

/** Wire codes with the one HTTP status each carries. */
export const ERROR_CODES: Readonly<Record<ErrorCode, number>> = Object.freeze(
  Object.fromEntries(Object.values(FAILURES).map((f) => [f.code, f.status])) as Record<ErrorCode, number>,
);
