import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  BiginClient,
  type ClientOptions,
  InternalError,
  InternalServerError,
  RateLimitError,
} from '../src/index.js';
import {
  connectionReset,
  errorBody,
  json,
  recordingSleep,
  type Step,
  scriptedFetch,
} from './support/fake-fetch.js';

const TOKEN = '1000.aaaabbbbccccddddeeeeffff00001111.22223333444455556666777788889999';
const REC = '2034020000000489124';
const ATT = '2034020000000711008';
const ok = () =>
  json(200, {
    data: [{ code: 'SUCCESS', details: { id: ATT }, message: 'record deleted', status: 'success' }],
  });

function client(steps: Step[], options: ClientOptions = {}) {
  const fetch = scriptedFetch(steps);
  const sleep = recordingSleep();
  const bigin = new BiginClient({ apiDomain: 'https://api.test' }, TOKEN, {
    fetch,
    sleep,
    random: () => 0,
    ...options,
  });
  return { bigin, fetch, sleep };
}

describe('request shape', () => {
  it('sends the Zoho-oauthtoken header to {apiDomain}/bigin/v2/… and returns data[0]', async () => {
    const { bigin, fetch } = client([ok()]);
    const result = await bigin.attachments.delete('Pipelines', REC, ATT);
    expect(result).toEqual({
      code: 'SUCCESS',
      details: { id: ATT },
      message: 'record deleted',
      status: 'success',
    });
    expect(fetch.sent).toHaveLength(1);
    expect(fetch.sent[0]).toMatchObject({
      url: `https://api.test/bigin/v2/Pipelines/${REC}/Attachments/${ATT}`,
      method: 'DELETE',
      headers: { authorization: `Zoho-oauthtoken ${TOKEN}` },
    });
  });

  it('resolves a data center to its documented API domain', async () => {
    const fetch = scriptedFetch([ok()]);
    const bigin = new BiginClient({ dataCenter: 'eu' }, TOKEN, { fetch });
    await bigin.attachments.delete('Contacts', REC, ATT);
    expect(fetch.sent[0]!.url).toBe(`https://www.zohoapis.eu/bigin/v2/Contacts/${REC}/Attachments/${ATT}`);
    expect(new BiginClient({ dataCenter: 'ca' }, TOKEN).accountsServer).toBe('https://accounts.zohocloud.ca');
    expect(() => new BiginClient({ dataCenter: 'xx' as 'eu' }, TOKEN)).toThrow(/unknown data center/);
  });
});

describe('retries', () => {
  it('honours Retry-After (seconds) on 429 and then succeeds', async () => {
    const { bigin, fetch, sleep } = client([
      json(429, errorBody('TOO_MANY_REQUESTS', 'too many requests'), { 'retry-after': '2' }),
      ok(),
    ]);
    await bigin.attachments.delete('Contacts', REC, ATT);
    expect(fetch.sent).toHaveLength(2);
    expect(sleep.waits).toEqual([2000]);
  });

  it("honours the server's Retry-After on a 500 during a store outage (idempotent calls)", async () => {
    const { bigin, fetch, sleep } = client([
      json(500, errorBody('INTERNAL_ERROR', 'Internal Server Error'), { 'retry-after': '1' }),
      ok(),
    ]);
    await bigin.attachments.delete('Contacts', REC, ATT);
    expect(fetch.sent).toHaveLength(2);
    expect(sleep.waits).toEqual([1000]);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const when = new Date(Date.now() + 30_000).toUTCString();
    const { bigin, sleep } = client([
      json(429, errorBody('TOO_MANY_REQUESTS', 'x'), { 'retry-after': when }),
      ok(),
    ]);
    await bigin.attachments.delete('Contacts', REC, ATT);
    expect(sleep.waits).toHaveLength(1);
    expect(sleep.waits[0]).toBeGreaterThan(20_000);
    expect(sleep.waits[0]).toBeLessThanOrEqual(30_000);
  });

  it('does not wait for a Retry-After beyond the ceiling: throws RateLimitError at once', async () => {
    const { bigin, fetch, sleep } = client([
      json(429, errorBody('TOO_MANY_REQUESTS', 'too many requests'), { 'retry-after': '86400' }),
    ]);
    const error = await bigin.attachments.delete('Contacts', REC, ATT).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(fetch.sent).toHaveLength(1);
    expect(sleep.waits).toEqual([]);
  });

  it('backs off exponentially on 500 and gives up after maxRetries with the error class and request id', async () => {
    const fail = () =>
      json(500, errorBody('INTERNAL_ERROR', 'Internal Server Error'), { 'x-request-id': 'req-42' });
    const { bigin, fetch, sleep } = client([fail(), fail(), fail()]);
    const error = await bigin.attachments.delete('Contacts', REC, ATT).catch((e) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({
      status: 500,
      code: 'INTERNAL_ERROR',
      message: 'Internal Server Error',
      requestId: 'req-42',
    });
    expect(fetch.sent).toHaveLength(3);
    expect(sleep.waits).toEqual([500, 1000]);
  });

  it('applies jitter downward by at most a quarter', async () => {
    const { bigin, sleep } = client([json(503, {}), ok()], { random: () => 1 });
    await bigin.attachments.delete('Contacts', REC, ATT);
    expect(sleep.waits).toEqual([375]);
  });

  it('retries a reset connection on an idempotent call', async () => {
    const { bigin, fetch } = client([connectionReset(), ok()]);
    await bigin.attachments.delete('Contacts', REC, ATT);
    expect(fetch.sent).toHaveLength(2);
  });

  it('never retries a non-idempotent call after a connection error or a 500', async () => {
    const a = client([connectionReset()]);
    const error = await a.bigin.records.insert('Contacts', { Last_Name: 'x' }).catch((e) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toContain('ECONNRESET');
    expect(a.fetch.sent).toHaveLength(1);

    const b = client([json(500, errorBody('INTERNAL_ERROR', 'Internal Server Error'))]);
    await expect(b.bigin.records.insert('Contacts', { Last_Name: 'x' })).rejects.toBeInstanceOf(
      InternalError,
    );
    expect(b.fetch.sent).toHaveLength(1);
  });

  it('retries a 429 on a replayable upload (bytes) but never a one-shot stream upload', async () => {
    const uploaded = () =>
      json(200, {
        data: [
          {
            code: 'SUCCESS',
            details: { id: ATT },
            message: 'attachment uploaded successfully',
            status: 'success',
          },
        ],
      });
    const a = client([json(429, errorBody('TOO_MANY_REQUESTS', 'x'), { 'retry-after': '1' }), uploaded()]);
    await expect(
      a.bigin.attachments.upload('Contacts', REC, { file: Buffer.from('hi'), fileName: 'a.txt' }),
    ).resolves.toMatchObject({
      id: ATT,
    });
    expect(a.fetch.sent).toHaveLength(2);

    const b = client([json(429, errorBody('TOO_MANY_REQUESTS', 'x'), { 'retry-after': '1' })]);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('one shot'));
        c.close();
      },
    });
    await expect(b.bigin.attachments.upload('Contacts', REC, stream)).rejects.toBeInstanceOf(RateLimitError);
    expect(b.fetch.sent).toHaveLength(1);
    expect(b.sleep.waits).toEqual([]);
  });

  it('takes maxRetries per call', async () => {
    const { bigin, fetch } = client([json(503, {}), json(503, {})]);
    await expect(bigin.attachments.delete('Contacts', REC, ATT, { maxRetries: 0 })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(fetch.sent).toHaveLength(1);
  });

  it('maps a non-JSON error answer to its status family with no code', async () => {
    const { bigin } = client([new Response('<html>bad gateway</html>', { status: 502 })], { maxRetries: 0 });
    const error = await bigin.attachments.delete('Contacts', REC, ATT).catch((e) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.code).toBeUndefined();
    expect(error.status).toBe(502);
  });
});

/** A fetch that answers only when aborted, like a server that never replies. */
const hang: Step = (_req, init) =>
  new Promise<Response>((_resolve, reject) => {
    init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });

describe('timeouts and abort', () => {
  it('times out an attempt, retries it, then throws APIConnectionTimeoutError', async () => {
    const { bigin, fetch } = client([hang, hang], { maxRetries: 1 });
    const error = await bigin.attachments.delete('Contacts', REC, ATT, { timeout: 5 }).catch((e) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(fetch.sent).toHaveLength(2);
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const controller = new AbortController();
    const { bigin, fetch } = client([
      (req, init) => {
        queueMicrotask(() => controller.abort());
        return (hang as (r: typeof req, i: RequestInit) => Promise<Response>)(req, init);
      },
    ]);
    const error = await bigin.attachments
      .delete('Contacts', REC, ATT, { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(fetch.sent).toHaveLength(1);
  });

  it('wakes from a backoff wait when aborted', async () => {
    const controller = new AbortController();
    const fetch = scriptedFetch([
      () => {
        queueMicrotask(() => controller.abort());
        return json(503, {});
      },
    ]);
    // The real sleep with a long backoff: only the abort can end it.
    const bigin = new BiginClient({ apiDomain: 'https://api.test' }, TOKEN, {
      fetch,
      retry: { initialDelayMs: 3_600_000 },
    });
    const error = await bigin.attachments
      .delete('Contacts', REC, ATT, { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBeInstanceOf(APIUserAbortError);
  });
});

describe('redaction', () => {
  it('keeps the token out of connection errors, API errors and their inspection', async () => {
    const { bigin } = client(
      [
        new TypeError(`fetch failed for Authorization: Zoho-oauthtoken ${TOKEN}`),
        json(
          400,
          errorBody('INVALID_DATA', `bad token ${TOKEN}`, { token: TOKEN, note: `refresh_token=${TOKEN}` }),
        ),
      ],
      { maxRetries: 0 },
    );
    const connection = await bigin.attachments.delete('Contacts', REC, ATT).catch((e) => e);
    const api = await bigin.attachments.delete('Contacts', REC, ATT).catch((e) => e);
    for (const error of [connection, api]) {
      expect(inspect(error, { depth: 5 })).not.toContain(TOKEN);
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect(error.message).not.toContain(TOKEN);
    }
    expect(api.message).toBe('bad token [redacted]');
    expect(api.details).toEqual({ token: '[redacted]', note: 'refresh_token=[redacted]' });
  });
});
