/** Seconds a client is asked to wait before retrying a call that failed on an unreachable store. */
export const OUTAGE_RETRY_AFTER_SECONDS = 1;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
/** PostgreSQL SQLSTATEs of a server going away or not accepting connections (classes 08, 57P). */
const PG_UNAVAILABLE = /^(08|57P0[1-3]|53300)/;
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|socket hang up/i;
const S3_UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'SlowDown',
  'TimeoutError',
  'NetworkingError',
  'RequestTimeout',
]);

/**
 * Whether a failure is a store being unreachable (PostgreSQL down or restarting, S3 unreachable
 * or answering 5xx, SQLite locked past its busy timeout) rather than a defect: such a call is
 * answered with the documented INTERNAL_ERROR plus `Retry-After` (decisions D14), since the same
 * call will succeed once the store is back, and nothing of it was acknowledged.
 */
export function isStoreOutage(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || PG_UNAVAILABLE.test(e.code))) return true;
  if (typeof e.name === 'string' && S3_UNAVAILABLE.has(e.name)) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isStoreOutage(x, depth + 1))) return true;
  return isStoreOutage(e.cause, depth + 1);
}
