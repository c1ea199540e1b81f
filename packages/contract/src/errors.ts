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
  AUTHORIZATION_FAILED_UPLOAD_ATTACHMENT: {
    code: 'AUTHORIZATION_FAILED',
    status: 400,
    message: 'User does not have sufficient privilege to upload attachments',
  },
  AUTHORIZATION_FAILED_VIEW_ATTACHMENT: {
    code: 'AUTHORIZATION_FAILED',
    status: 400,
    message: 'User does not have sufficient privilege to view attachments',
  },
  MANDATORY_NOT_FOUND: { code: 'MANDATORY_NOT_FOUND', status: 400, message: 'required field not found' },
  INVALID_DATA: { code: 'INVALID_DATA', status: 400, message: 'invalid data' },
  // The one code with two statuses: Bigin answers a malformed link with INVALID_URL_PATTERN too,
  // but as a 400, not as the routing 404.
  INVALID_ATTACHMENT_URL: {
    code: 'INVALID_URL_PATTERN',
    status: 400,
    message: 'the given attachment URL is incorrect',
  },
  FILE_SIZE_MORE_THAN_ALLOWED_SIZE: {
    code: 'FILE_SIZE_MORE_THAN_ALLOWED_SIZE',
    status: 413,
    message: 'Please check if the size of the file is in the correct range',
  },
  DOWNLOAD_NOT_ALLOWED: {
    code: 'DOWNLOAD_NOT_ALLOWED',
    status: 400,
    message: 'As it is a linked attachment, you can not download it',
  },
  INTERNAL_ERROR: { code: 'INTERNAL_ERROR', status: 500, message: 'Internal Server Error' },
  // API credits or concurrency exhausted (docs/credits.md); Bigin's exact message is not published.
  TOO_MANY_REQUESTS: { code: 'TOO_MANY_REQUESTS', status: 429, message: 'too many requests' },
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
  REQUEST_BODY_TOO_DEEP: {
    code: 'INVALID_DATA',
    status: 400,
    message: 'the request body is nested too deeply',
  },
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
  // Notifications (docs/notifications.md).
  WATCH_LIMIT_EXCEEDED: {
    code: 'LIMIT_EXCEEDED',
    status: 400,
    message: 'the number of channels in the request exceeds the limit',
  },
  // Search, upsert, related records (issue 13; docs/search.md, docs/upsert.md, docs/related-records.md).
  SEARCH_PARAM_MISSING: { code: 'EXPECTED_PARAM_MISSING', status: 400, message: 'mandatory param missing' },
  INVALID_QUERY: { code: 'INVALID_QUERY', status: 400, message: 'invalid query formed' },
  SEARCH_LIMIT_REACHED: {
    code: 'LIMIT_REACHED',
    status: 400,
    message: 'Maximum response iteration limit reached',
  },
  // Tags (issue 13 item 5; docs/tags.md).
  TAGS_LIMIT_EXCEEDED: {
    code: 'LIMIT_EXCEEDED',
    status: 400,
    message: 'the number of tags in the request exceeds the limit',
  },
  // COQL (issue 13 item 7; docs/coql.md, decision D21). Bigin's own wording is not recorded; these
  // follow Zoho CRM's COQL error table, and INVALID_QUERY is search's failure.
  COQL_SYNTAX_ERROR: { code: 'SYNTAX_ERROR', status: 400, message: 'syntax error in the query' },
  COQL_LIMIT_EXCEEDED: { code: 'LIMIT_EXCEEDED', status: 400, message: 'limit exceeded' },
  COQL_MAX_RECORDS: { code: 'LIMIT_EXCEEDED', status: 400, message: 'Max records limit exceeded' },
  COQL_DUPLICATE_COLUMN: { code: 'DUPLICATE_DATA', status: 400, message: 'duplicate data' },
  // Record and organisation photos (issue 13 item 6; docs/photos.md, D20). Zoho CRM's photo pages'
  // wording, which Bigin's org-photo page shares; 415, not 413, for a photo that is too large.
  PHOTO_TOO_LARGE: {
    code: 'FILE_SIZE_MORE_THAN_ALLOWED_SIZE',
    status: 415,
    message: 'Please check if the file size is in the correct range',
  },
  PHOTO_INVALID_TYPE: { code: 'INVALID_DATA', status: 400, message: 'Invalid file type' },
  PHOTO_NO_FILE: { code: 'INVALID_DATA', status: 400, message: 'The request does not contain any file' },
  PHOTO_MORE_THAN_ONE_FILE: {
    code: 'INVALID_DATA',
    status: 400,
    message: 'The request contains more than one file',
  },
  AUTHORIZATION_FAILED_PHOTO: {
    code: 'AUTHORIZATION_FAILED',
    status: 400,
    message: 'User does not have sufficient privilege to access the photo of this record',
  },
  AUTHORIZATION_FAILED_ORG_PHOTO: {
    code: 'AUTHORIZATION_FAILED',
    status: 400,
    message: 'User does not have sufficient privilege to add organization photo.',
  },
  NOT_SUPPORTED_HERE: {
    code: 'NOT_SUPPORTED',
    status: 400,
    message: 'the requested action is not supported by this server',
  },
} as const satisfies Record<string, { code: string; status: number; message: string }>;

export type FailureName = keyof typeof FAILURES;
export type ErrorCode = (typeof FAILURES)[FailureName]['code'];

/**
 * Wire codes with the HTTP status each carries. INVALID_URL_PATTERN is the one code with two
 * (404 for a URL no route matches, 400 for a malformed attachment link); it maps to the routing
 * 404 here, the status of its first failure.
 */
export const ERROR_CODES: Readonly<Record<ErrorCode, number>> = Object.freeze(
  Object.fromEntries(
    Object.values(FAILURES)
      .reverse()
      .map((f) => [f.code, f.status]),
  ) as Record<ErrorCode, number>,
);
