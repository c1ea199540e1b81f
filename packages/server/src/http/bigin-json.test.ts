import { describe, expect, it } from 'vitest';
import { biginStringify, hashMapOrder, javaStringHash } from './bigin-json.js';

// Orders recorded from the real service (reference §1.9, §1.10, §19.3).
describe('HashMap key order', () => {
  it('hashes as Java does', () => {
    expect(javaStringHash('id')).toBe(3355);
    expect(javaStringHash('Modified_Time')).toBe(
      'Modified_Time'.split('').reduce((h, c) => (Math.imul(31, h) + c.charCodeAt(0)) | 0, 0),
    );
  });

  it.each([
    [
      ['status', 'message', 'details', 'code'],
      ['code', 'details', 'message', 'status'],
    ],
    [
      ['info', 'data'],
      ['data', 'info'],
    ],
    [
      ['info', 'users'],
      ['users', 'info'],
    ],
    [
      ['id', 'name', 'email'],
      ['name', 'id', 'email'],
    ],
    [
      ['id', 'Created_Time', 'Modified_Time', 'Created_By', 'Modified_By'],
      ['Modified_Time', 'Modified_By', 'Created_Time', 'id', 'Created_By'],
    ],
    [
      ['per_page', 'count', 'page', 'more_records'],
      ['per_page', 'count', 'page', 'more_records'],
    ],
  ])('orders %j as %j', (input, expected) => {
    expect(hashMapOrder(input)).toEqual(expected);
  });

  it('gives the records info order recorded, with its tie order', () => {
    const keys = [
      'per_page',
      'next_page_token',
      'count',
      'sort_by',
      'page',
      'previous_page_token',
      'page_token_expiry',
      'sort_order',
      'more_records',
    ];
    expect(hashMapOrder([...keys].reverse().sort((a, b) => keys.indexOf(a) - keys.indexOf(b)))).toEqual(keys);
  });

  it('writes nested objects each in their own order, arrays in element order', () => {
    expect(biginStringify({ data: [{ status: 's', code: 'c' }, 2], info: null, skip: undefined })).toBe(
      '{"data":[{"code":"c","status":"s"},2],"info":null}',
    );
  });
});
