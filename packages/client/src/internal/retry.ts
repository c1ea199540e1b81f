/** Retry policy: which answers are worth another attempt, and how long to wait first. */

export interface RetrySettings {
  /** First backoff delay. Default 500 ms. */
  initialDelayMs: number;
  /** Backoff ceiling. Default 8 000 ms. */
  maxDelayMs: number;
  /** `Retry-After` values above this are not waited for: the error is thrown at once. Default 60 000 ms. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

const IDEMPOTENT = new Set(['GET', 'HEAD', 'DELETE', 'PUT', 'OPTIONS']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Milliseconds the server asked us to wait (`retry-after-ms`, or `Retry-After` in seconds or as an
 * HTTP date), or undefined when it did not say.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with up to 25 % downward jitter, so a crowd of clients does not retry in step. */
export function backoffMs(attempt: number, settings: RetrySettings, random: () => number): number {
  const base = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** attempt);
  return Math.round(base * (1 - 0.25 * random()));
}

/** Sleeps, waking early (and rejecting) when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
