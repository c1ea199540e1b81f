import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { call, ERR, JSON_TYPE } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { startTestServer, TEST_BACKEND } from '../support/test-server.js';

// D4 row 13: an unexpected failure (here the database is closed under a running server) answers
// INTERNAL_ERROR with nothing of the cause in the body; the cause goes to the log. Same on PostgreSQL.

it('answers 500 INTERNAL_ERROR with no internals and logs the cause with the request id', async () => {
  const A = orgIds(7777777, 'eeee');
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const t = await startTestServer({
    fixture: { organizations: [orgFixture(A)] },
    settings: { LOG_LEVEL: 'info' },
    logStream,
  });
  try {
    await t.server.stores.metadata.close();
    const res = await call(
      t.url,
      'DELETE',
      attachmentPath('Contacts', A.contactOf.rep1, A.attachment[0]!),
      A.token('admin'),
    );
    expect({ status: res.status, body: res.json, type: res.contentType }).toEqual({
      status: 500,
      body: ERR.internal,
      type: JSON_TYPE,
    });
    expect(res.text).not.toMatch(/database|sqlite|at |\//i);
    // A closed store is a defect, not an outage: no Retry-After (decisions D14).
    expect(res.headers.get('retry-after')).toBeNull();
    const requestId = res.headers.get('x-request-id');
    const errorLine = lines
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'unexpected error' || l.msg === 'internal error');
    expect(errorLine).toMatchObject({
      reqId: requestId,
      // The driver's own words: better-sqlite3's, or pg's for a pool that was ended.
      err: {
        message: expect.stringMatching(
          TEST_BACKEND === 'embedded' ? /database connection is not open/ : /pool after calling end/,
        ),
      },
    });
    const requestLine = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request');
    expect(requestLine).toMatchObject({ reqId: requestId, statusCode: 500, check: 'D4.13 internal' });
  } finally {
    await t.close();
  }
});
