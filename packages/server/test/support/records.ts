import { expect } from 'vitest';
import { call, JSON_TYPE } from './bigin.js';

/** Helpers for the records API tests. */

export type Answer = Awaited<ReturnType<typeof call>>;

export const recordsPath = (module: string, id?: string) => `/bigin/v2/${module}${id ? `/${id}` : ''}`;

export function sendJsonBody(baseUrl: string, method: string, path: string, token: string, body: unknown) {
  return call(baseUrl, method, path, token, {
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Asserts status, full JSON body and content type at once. */
export function expectJson(res: Answer, status: number, body: unknown): void {
  expect({ status: res.status, body: res.json, contentType: res.contentType }).toEqual({
    status,
    body,
    contentType: JSON_TYPE,
  });
}

/** Asserts a 204 with an empty body. */
export function expectNoContent(res: Answer): void {
  expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
}

export const itemError = (code: string, message: string, details: Record<string, unknown>) => ({
  code,
  details,
  message,
  status: 'error',
});

export const mandatory = (apiName: string, index: number) =>
  itemError('MANDATORY_NOT_FOUND', 'required field not found', {
    api_name: apiName,
    json_path: `$.data[${index}].${apiName}`,
  });

export const invalidId = (id: string) =>
  itemError('INVALID_DATA', 'the id given seems to be invalid', { id });

export const deleted = (id: string) => ({
  code: 'SUCCESS',
  details: { id },
  message: 'record deleted',
  status: 'success',
});

/** The id of the i-th successful item of a write answer. */
export function idOf(res: Answer, i = 0): string {
  const data = (res.json as { data: Array<{ details: { id: string } }> }).data;
  return data[i]!.details.id;
}

export const ID_19 = /^[0-9]{19}$/;
