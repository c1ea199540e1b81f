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
  MandatoryNotFoundError,
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

const item = (code: string, details: object, message: string, status = 'success') => ({
  code,
  details,
  message,
  status,
});

describe('records wire format', () => {
  it('inserts one record as {data:[…]} and resolves with its result', async () => {
    const { bigin, fetch } = client([
      json(201, { data: [item('SUCCESS', { id: '7618134000000648053' }, 'record added')] }),
    ]);
    const result = await bigin.records.insert(
      'Contacts',
      { Last_Name: 'Lovelace' },
      { trigger: ['workflow'] },
    );
    expect(result.details).toEqual({ id: '7618134000000648053' });
    expect(fetch.sent[0]).toMatchObject({
      url: 'https://www.zohoapis.com/bigin/v2/Contacts',
      method: 'POST',
    });
    expect(JSON.parse(fetch.sent[0]!.body!)).toEqual({
      data: [{ Last_Name: 'Lovelace' }],
      trigger: ['workflow'],
    });
  });

  it('throws the failed item of a single insert as its class', async () => {
    const { bigin } = client([
      json(400, {
        data: [
          item(
            'MANDATORY_NOT_FOUND',
            { api_name: 'Last_Name', json_path: '$.data[0].Last_Name' },
            'required field not found',
            'error',
          ),
        ],
      }),
    ]);
    const error = await bigin.records.insert('Contacts', {}).catch((e) => e);
    expect(error).toBeInstanceOf(MandatoryNotFoundError);
    expect(error).toMatchObject({
      status: 400,
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Last_Name' },
    });
  });

  it('returns every per-item result of a bulk insert, failures included, even on a 400', async () => {
    const results = [
      item('SUCCESS', { id: '1' }, 'record added'),
      item('DUPLICATE_DATA', { api_name: 'Email' }, 'duplicate data', 'error'),
    ];
    const { bigin } = client([json(400, { data: results })]);
    expect(await bigin.records.insert('Contacts', [{ Last_Name: 'a' }, { Last_Name: 'b' }])).toEqual(results);
  });

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

  it('gets a record, null on 204, lists with paging parameters, updates with PUT and deletes by ids', async () => {
    const { bigin, fetch } = client([
      json(200, { data: [{ id: '5', Last_Name: 'x' }] }),
      new Response(null, { status: 204 }),
      json(200, {
        data: [{ id: '1' }, { id: '2' }],
        info: { per_page: 2, count: 2, page: 1, more_records: true },
      }),
      json(200, { data: [{ id: '3' }], info: { per_page: 2, count: 1, page: 2, more_records: false } }),
      json(200, { data: [item('SUCCESS', { id: '5' }, 'record updated')] }),
      json(200, {
        data: [
          item('SUCCESS', { id: '5' }, 'record deleted'),
          item('INVALID_DATA', { id: '6' }, 'the id given seems to be invalid', 'error'),
        ],
      }),
    ]);
    expect(await bigin.records.get('Contacts', '5', { fields: ['Last_Name'] })).toEqual({
      id: '5',
      Last_Name: 'x',
    });
    expect(await bigin.records.get('Contacts', '6')).toBeNull();
    const ids = [];
    for await (const r of bigin.records.list('Accounts', {
      perPage: 2,
      fields: ['id', 'Account_Name'],
      sortBy: 'id',
      sortOrder: 'asc',
    }))
      ids.push(r.id);
    expect(ids).toEqual(['1', '2', '3']);
    expect((await bigin.records.update('Contacts', '5', { Last_Name: 'y' })).message).toBe('record updated');
    const deleted = await bigin.records.deleteMany('Contacts', ['5', '6']);
    expect(deleted.map((r) => r.status)).toEqual(['success', 'error']);
    expect(fetch.sent.map((r) => `${r.method} ${r.url.replace('https://www.zohoapis.com', '')}`)).toEqual([
      'GET /bigin/v2/Contacts/5?fields=Last_Name',
      'GET /bigin/v2/Contacts/6',
      'GET /bigin/v2/Accounts?fields=id%2CAccount_Name&page=1&per_page=2&sort_by=id&sort_order=asc',
      'GET /bigin/v2/Accounts?fields=id%2CAccount_Name&page=2&per_page=2&sort_by=id&sort_order=asc',
      'PUT /bigin/v2/Contacts/5',
      'DELETE /bigin/v2/Contacts?ids=5%2C6',
    ]);
    expect(JSON.parse(fetch.sent[4]!.body!)).toEqual({ data: [{ Last_Name: 'y', id: '5' }] });
  });

  it('follows next_page_token when the answer gives one (page numbers stop at 2,000 records)', async () => {
    const info = (page: number, more: boolean, token: string | null) => ({
      per_page: 200,
      next_page_token: token,
      count: 1,
      sort_by: 'id',
      page,
      previous_page_token: null,
      page_token_expiry: null,
      sort_order: 'desc',
      more_records: more,
    });
    const { bigin, fetch } = client([
      json(200, { data: [{ id: '3' }], info: info(10, true, 'tok-11') }),
      json(200, { data: [{ id: '2' }], info: info(11, true, 'tok-12') }),
      json(200, { data: [{ id: '1' }], info: info(12, false, null) }),
    ]);
    const ids = [];
    for await (const r of bigin.records.list('Contacts', { page: 10, fields: ['Last_Name'] })) ids.push(r.id);
    expect(ids).toEqual(['3', '2', '1']);
    expect(fetch.sent.map((r) => r.url.replace('https://www.zohoapis.com/bigin/v2/Contacts', ''))).toEqual([
      '?fields=Last_Name&page=10',
      '?page_token=tok-11&fields=Last_Name',
      '?page_token=tok-12&fields=Last_Name',
    ]);
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
