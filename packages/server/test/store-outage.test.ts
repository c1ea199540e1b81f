import { describe, expect, it } from 'vitest';
import { isStoreOutage } from '../src/http/store-outage.js';

const err = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);

describe('isStoreOutage', () => {
  it.each([
    ['PostgreSQL refusing connections', err({ code: 'ECONNREFUSED' })],
    ['PostgreSQL shutting down', err({ code: '57P01' })],
    ['a lost PostgreSQL connection', err({}, 'Connection terminated unexpectedly')],
    ['a pool that cannot connect', err({}, 'timeout exceeded when trying to connect')],
    ['S3 answering 503', err({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } })],
    ['S3 unreachable, wrapped', err({ cause: err({ code: 'ECONNRESET' }) })],
    [
      'an AggregateError of refused connections',
      Object.assign(new AggregateError([err({ code: 'ECONNREFUSED' })]), {}),
    ],
    ['SQLite locked past its busy timeout', err({ code: 'SQLITE_BUSY' })],
  ])('is true for %s', (_n, e) => expect(isStoreOutage(e)).toBe(true));

  it.each([
    ['a defect', new TypeError('undefined is not a function')],
    ['a closed store', err({}, 'The database connection is not open')],
    ['an S3 access error', err({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })],
    ['a constraint violation', err({ code: '23505' })],
    ['nothing', undefined],
  ])('is false for %s', (_n, e) => expect(isStoreOutage(e)).toBe(false));
});
