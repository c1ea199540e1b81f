/** Small helpers for speaking the Bigin wire format in tests. */

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function auth(token: string): Record<string, string> {
  return { Authorization: `Zoho-oauthtoken ${token}` };
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  init: { headers?: Record<string, string>; body?: string | Uint8Array | Blob | FormData } = {},
): Promise<{ status: number; contentType: string | null; text: string; json: unknown; headers: Headers }> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { ...(token ? auth(token) : {}), ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    text,
    json,
    headers: res.headers,
  };
}

export function errorEnvelope(code: string, message: string, details: Record<string, unknown> = {}) {
  return { code, details, message, status: 'error' };
}

export const ERR = {
  urlPattern: errorEnvelope(
    'INVALID_URL_PATTERN',
    'Please check if the URL trying to access is a correct one',
  ),
  requestMethod: errorEnvelope('INVALID_REQUEST_METHOD', 'The http request method type is not a valid one'),
  authFailure: errorEnvelope('AUTHENTICATION_FAILURE', 'Authentication failed'),
  invalidToken: errorEnvelope('INVALID_TOKEN', 'invalid oauth token'),
  invalidModule: errorEnvelope('INVALID_MODULE', 'the module name given seems to be invalid', {
    resource_path_index: 0,
  }),
  moduleNotSupported: errorEnvelope('INVALID_MODULE', 'The given module is not supported in API', {
    resource_path_index: 0,
  }),
  scopeMismatch: errorEnvelope('OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL'),
  noPermission: errorEnvelope('NO_PERMISSION', 'permission denied'),
  authorizationFailed: errorEnvelope(
    'AUTHORIZATION_FAILED',
    'User does not have sufficient privilege to delete attachments',
  ),
  recordNotFound: errorEnvelope('INVALID_DATA', 'the related id given seems to be invalid', {
    resource_path_index: 1,
  }),
  attachmentNotFound: errorEnvelope('INVALID_DATA', 'the related id given seems to be invalid', {
    resource_path_index: 3,
  }),
  internal: errorEnvelope('INTERNAL_ERROR', 'Internal Server Error'),
};

export function deleteSuccess(id: string) {
  return { data: [{ code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' }] };
}
