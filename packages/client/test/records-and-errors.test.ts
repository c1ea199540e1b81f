import { FAILURES } from '@bigin-attachments/contract';
import { describe, expect, it } from 'vitest';
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  BiginClient,
  BiginError,
  errorClassFor,
  InternalServerError,
  InvalidUrlPatternError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
} from '../src/index.js';
import { redact } from '../src/internal/redact.js';
import { parseContentDisposition } from '../src/resources/attachments.js';
import { errorBody, json, type Step, scriptedFetch } from './support/fake-fetch.js';

const TOKEN = '1000.records0000000000000000000000000.00000000000000000000000000000000';

function client(steps: Step[]) {
  const fetch = scriptedFetch(steps);
  return { bigin: new BiginClient({ dataCenter: 'us' }, TOKEN, { fetch, sleep: async () => {} }), fetch };
}

describe('records requests', () => {
  it('refuses more than 100 records per call before sending anything', async () => {
    const { bigin, fetch } = client([]);
    await expect(
      bigin.records.deleteMany(
        'Contacts',
        Array.from({ length: 101 }, (_, i) => String(i)),
      ),
    ).rejects.toThrow(RangeError);
    expect(fetch.sent).toEqual([]);
  });

  it('encodes path segments, so an id cannot address another resource', async () => {
    const { bigin, fetch } = client([
      json(
        400,
        errorBody('INVALID_DATA', 'the related id given seems to be invalid', { resource_path_index: 1 }),
      ),
    ]);
    await expect(bigin.attachments.delete('Contacts', '1/Attachments/2', '3')).rejects.toBeInstanceOf(
      BadRequestError,
    );
    expect(fetch.sent[0]!.url).toBe(
      'https://www.zohoapis.com/bigin/v2/Contacts/1%2FAttachments%2F2/Attachments/3',
    );
  });
});

describe('error classes', () => {
  const families: Array<[number, new (...a: never[]) => APIError]> = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [413, PayloadTooLargeError],
    [415, PayloadTooLargeError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
  ];

  it.each(families)('maps HTTP %i to its status family', (status, Family) => {
    expect(errorClassFor(status, undefined)).toBe(Family);
    expect(errorClassFor(status, 'SOME_NEW_CODE')).toBe(Family);
  });

  it('maps every failure of the wire contract to a class of its status family', () => {
    for (const [name, failure] of Object.entries(FAILURES)) {
      const Class = errorClassFor(failure.status, failure.code);
      const error = new Class({ status: failure.status, code: failure.code, message: failure.message });
      const family = families.find(([s]) => s === failure.status)![1];
      expect(error, name).toBeInstanceOf(family);
      expect(error, name).toBeInstanceOf(BiginError);
    }
  });

  it.each([
    [400, 'INVALID_MODULE', 'InvalidModuleError'],
    [400, 'INVALID_DATA', 'InvalidDataError'],
    [400, 'INVALID_REQUEST_METHOD', 'InvalidRequestMethodError'],
    [400, 'AUTHORIZATION_FAILED', 'AuthorizationFailedError'],
    [400, 'MANDATORY_NOT_FOUND', 'MandatoryNotFoundError'],
    [400, 'REQUIRED_PARAM_MISSING', 'RequiredParamMissingError'],
    [400, 'DUPLICATE_DATA', 'DuplicateDataError'],
    [400, 'DOWNLOAD_NOT_ALLOWED', 'DownloadNotAllowedError'],
    [400, 'LIMIT_EXCEEDED', 'LimitExceededError'],
    [400, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED', 'DiscretePaginationLimitExceededError'],
    [401, 'INVALID_TOKEN', 'InvalidTokenError'],
    [401, 'AUTHENTICATION_FAILURE', 'AuthenticationFailureError'],
    [401, 'OAUTH_SCOPE_MISMATCH', 'OAuthScopeMismatchError'],
    [403, 'NO_PERMISSION', 'NoPermissionError'],
    [404, 'INVALID_URL_PATTERN', 'InvalidUrlPatternError'],
    [413, 'FILE_SIZE_MORE_THAN_ALLOWED_SIZE', 'FileSizeMoreThanAllowedSizeError'],
    [429, 'TOO_MANY_REQUESTS', 'TooManyRequestsError'],
    [500, 'INTERNAL_ERROR', 'InternalError'],
  ])('gives HTTP %i %s its own class, %s', (status, code, className) => {
    expect(errorClassFor(status, code).name).toBe(className);
  });

  it('uses a code class only within its family (INVALID_URL_PATTERN is 404 for paths, 400 for links)', () => {
    expect(errorClassFor(404, 'INVALID_URL_PATTERN')).toBe(InvalidUrlPatternError);
    expect(errorClassFor(400, 'INVALID_URL_PATTERN')).toBe(BadRequestError);
  });
});

describe('helpers', () => {
  it.each([
    ['attachment; filename="a b.pdf"', 'a b.pdf'],
    [`attachment; filename="r_sum_.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt`, 'résumé.txt'],
    ['attachment; filename=plain.txt', 'plain.txt'],
    ['attachment; filename="q\\"uote.txt"', 'q"uote.txt'],
    ['attachment', undefined],
  ])('reads the file name of %s', (header, name) => {
    expect(parseContentDisposition(header)).toBe(name);
  });

  it('redacts tokens, auth headers and credential parameters', () => {
    expect(
      redact(
        'Authorization: Zoho-oauthtoken abc.def token 1000.abc123.def456 client_secret=s3cr3t&x=1 {"refresh_token":"r"}',
      ),
    ).toBe(
      'Authorization: Zoho-oauthtoken [redacted] token [redacted] client_secret=[redacted]&x=1 {"refresh_token":"[redacted]"}',
    );
    expect(redact('my secret is hunter22', ['hunter22'])).toBe('my secret is [redacted]');
  });
});
