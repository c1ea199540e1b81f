import type { TokenSource } from '../auth.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  type APIError,
  APIUserAbortError,
  BiginError,
  makeAPIError,
} from '../errors.js';
import type { RequestOptions } from '../types.js';
import { type ApiVersion, versionedPath } from './api-version.js';
import { redact, sanitizedCause } from './redact.js';
import { backoffMs, isIdempotent, isRetryableStatus, type RetrySettings, retryAfterMs } from './retry.js';
import type { PreparedBody, RequestBody } from './upload-body.js';

export const SDK_VERSION = '0.1.0';

export interface TransportSettings {
  apiDomain: string;
  /** v1 calls the same endpoints on `/bigin/v1/` (api-version.ts). */
  apiVersion: ApiVersion;
  fetch: typeof fetch;
  auth: TokenSource;
  timeout: number;
  maxRetries: number;
  retry: RetrySettings;
  sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  random: () => number;
  now: () => number;
  defaultHeaders: Record<string, string>;
}

export interface RequestSpec {
  method: string;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON value, or a prepared body (form or stream). */
  json?: unknown;
  body?: () => Promise<PreparedBody>;
  /** `stream`: hand back the successful Response unread (downloads). */
  expect?: 'json' | 'stream';
  headers?: Record<string, string>;
  /** Hand back (not throw) error answers carrying per-item results in `data[]` (bulk writes). */
  perItem?: boolean;
}

export interface JsonAnswer {
  status: number;
  /** Undefined for 204 / empty bodies. */
  body: unknown;
  headers: Headers;
  requestId: string | undefined;
}

export interface StreamAnswer {
  status: number;
  response: Response;
  requestId: string | undefined;
}

/**
 * One HTTP call with auth, timeout, abort, retries and error mapping. Retries: 429, 408 and 5xx
 * answers and connection failures, for idempotent methods; a 429 also for a replayable POST (the
 * server refused it unprocessed); never a one-shot stream. INVALID_TOKEN triggers one refresh and
 * one immediate repeat, outside the retry budget.
 */
export class Transport {
  constructor(readonly settings: TransportSettings) {}

  async requestJson(spec: RequestSpec, options: RequestOptions = {}): Promise<JsonAnswer> {
    const answer = await this.#request({ ...spec, expect: 'json' }, options);
    return answer as JsonAnswer;
  }

  async requestStream(spec: RequestSpec, options: RequestOptions = {}): Promise<StreamAnswer | JsonAnswer> {
    return this.#request({ ...spec, expect: 'stream' }, options);
  }

  #url(spec: RequestSpec): string {
    const url = new URL(
      this.settings.apiDomain.replace(/\/+$/, '') + versionedPath(spec.path, this.settings.apiVersion),
    );
    for (const [k, v] of Object.entries(spec.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  async #request(spec: RequestSpec, options: RequestOptions): Promise<StreamAnswer | JsonAnswer> {
    const s = this.settings;
    const maxRetries = options.maxRetries ?? s.maxRetries;
    const timeout = options.timeout ?? s.timeout;
    const idempotent = isIdempotent(spec.method);
    let authRetried = false;
    let bodySent = false;
    let replayable = true;
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw new APIUserAbortError();
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeout);
      const onUserAbort = () => controller.abort();
      options.signal?.addEventListener('abort', onUserAbort, { once: true });
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onUserAbort);
      };

      let token: string;
      let response: Response;
      try {
        token = await s.auth.getToken(controller.signal);
        const headers: Record<string, string> = {
          accept: 'application/json',
          ...s.defaultHeaders,
          ...spec.headers,
          ...options.headers,
          authorization: `Zoho-oauthtoken ${token}`,
        };
        let body: RequestBody | undefined;
        if (spec.json !== undefined) {
          body = JSON.stringify(spec.json);
          headers['content-type'] = 'application/json';
        } else if (spec.body) {
          if (bodySent && !replayable) throw new BiginError('a one-shot stream body cannot be sent twice');
          const prepared = await spec.body();
          body = prepared.body;
          replayable = prepared.replayable;
          Object.assign(headers, prepared.headers);
          bodySent = true;
        }
        const init: RequestInit & { duplex?: 'half' } = {
          method: spec.method,
          headers,
          signal: controller.signal,
        };
        if (body !== undefined) init.body = body;
        if (body instanceof ReadableStream) init.duplex = 'half';
        response = await s.fetch(this.#url(spec), init);
      } catch (error) {
        cleanup();
        if (options.signal?.aborted) throw new APIUserAbortError();
        if (error instanceof BiginError) throw error;
        const failure = timedOut
          ? new APIConnectionTimeoutError(`Request timed out after ${timeout} ms`)
          : new APIConnectionError(`Connection error: ${redact(describe(error), s.auth.secrets)}`, {
              cause: sanitizedCause(error, s.auth.secrets),
            });
        if (!(idempotent && replayable && attempt < maxRetries)) throw failure;
        await this.#wait(attempt, undefined, options.signal);
        continue;
      }

      const requestId = response.headers.get('x-request-id') ?? undefined;
      try {
        if (response.ok && spec.expect === 'stream' && response.status !== 204) {
          // The timeout covers waiting for the answer, not reading a large body.
          cleanup();
          return { status: response.status, response, requestId };
        }
        const text = await response.text();
        cleanup();
        const parsed = parseJson(text);
        if (response.ok) {
          return {
            status: response.status,
            body: parsed.ok ? parsed.value : undefined,
            headers: response.headers,
            requestId,
          };
        }
        // Per-item answers carry `data` (records), `watch` (notification channels), `tags` or `users`.
        if (
          spec.perItem &&
          parsed.ok &&
          isRecord(parsed.value) &&
          (Array.isArray(parsed.value.data) ||
            Array.isArray(parsed.value.watch) ||
            Array.isArray(parsed.value.tags) ||
            Array.isArray(parsed.value.users))
        ) {
          return { status: response.status, body: parsed.value, headers: response.headers, requestId };
        }
        const error = toApiError(response, parsed, text, requestId, s.auth.secrets);
        // The stale token is dropped even when this call cannot be repeated (a one-shot stream),
        // so the next call refreshes first instead of being refused too.
        if (error.code === 'INVALID_TOKEN' && !authRetried && s.auth.invalidate(token) && replayable) {
          authRetried = true;
          attempt--;
          continue;
        }
        const statusRetryable =
          isRetryableStatus(response.status) && replayable && (idempotent || response.status === 429);
        if (!statusRetryable || attempt >= maxRetries) throw error;
        const asked = retryAfterMs(response.headers, s.now());
        if (asked !== undefined && asked > s.retry.maxRetryAfterMs) throw error;
        await this.#wait(attempt, asked, options.signal);
      } catch (error) {
        cleanup();
        if (error instanceof BiginError) throw error;
        if (options.signal?.aborted) throw new APIUserAbortError();
        // The answer's body was cut off (connection reset, timeout while reading): as retryable
        // as a failure before the headers.
        const failure = timedOut
          ? new APIConnectionTimeoutError(`Request timed out after ${timeout} ms`)
          : new APIConnectionError(`Connection error: ${redact(describe(error), s.auth.secrets)}`, {
              cause: sanitizedCause(error, s.auth.secrets),
            });
        if (!(idempotent && replayable && attempt < maxRetries)) throw failure;
        await this.#wait(attempt, undefined, options.signal);
      }
    }
  }

  async #wait(attempt: number, askedMs: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    const s = this.settings;
    const ms = askedMs ?? backoffMs(attempt, s.retry, s.random);
    try {
      await s.sleep(ms, signal);
    } catch {
      throw new APIUserAbortError();
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code = cause && typeof cause === 'object' && 'code' in cause ? ` (${String(cause.code)})` : '';
    return `${error.message}${code}`;
  }
  return String(error);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads either a flat error envelope or the first failed item of a `data[]` answer. */
function toApiError(
  response: Response,
  parsed: { ok: true; value: unknown } | { ok: false },
  text: string,
  requestId: string | undefined,
  secrets: readonly string[],
): APIError {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    if (!/authorization|cookie/i.test(k)) headers[k] = v;
  });
  let envelope: Record<string, unknown> | undefined;
  if (parsed.ok && isRecord(parsed.value)) {
    const value = parsed.value;
    if (typeof value.code === 'string') envelope = value;
    else if (Array.isArray(value.data) && isRecord(value.data[0])) envelope = value.data[0];
  }
  return makeAPIError({
    status: response.status,
    code: typeof envelope?.code === 'string' ? envelope.code : undefined,
    message: redact(
      typeof envelope?.message === 'string'
        ? envelope.message
        : `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      secrets,
    ),
    details: isRecord(envelope?.details) ? envelope.details : {},
    requestId,
    headers,
  });
}

/** Turns a failed per-item result into the matching error class. */
export function itemError(
  item: { code: string; details: Record<string, unknown>; message: string },
  status: number,
  requestId: string | undefined,
): APIError {
  return makeAPIError({ status, code: item.code, message: item.message, details: item.details, requestId });
}
