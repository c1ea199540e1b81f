import type { HttpTimeouts } from '../config/schema.js';

/** The documented defaults (config/schema.ts), for an app built without a loaded config. */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersMs: 10_000,
  bodyIdleMs: 15_000,
  requestMs: 50_000,
  keepAliveMs: 5_000,
  drainMs: 2_000,
};

/**
 * Node's own limits, passed to http.createServer. Node checks the header and whole-request
 * deadlines only every `connectionsCheckingInterval` (30 s by default, which would let a
 * slowloris connection live half a minute past its deadline), so the check runs about four times
 * per shortest deadline, at most once a second. Node refuses a header deadline past the request's.
 */
export function nodeTimeouts(t: HttpTimeouts) {
  return {
    headersTimeout: Math.min(t.headersMs, t.requestMs),
    requestTimeout: t.requestMs,
    connectionsCheckingInterval: Math.max(
      250,
      Math.min(1000, Math.floor(Math.min(t.headersMs, t.requestMs) / 4)),
    ),
  };
}

/**
 * Fastify's names for the others: `connectionTimeout` is the socket's inactivity timeout (no byte
 * either way: a stalled body, a client that stopped reading a download), `keepAliveTimeout` the
 * idle time between requests; `requestTimeout` is set again here because Fastify assigns it to
 * the server after creating it.
 */
export function fastifyTimeouts(t: HttpTimeouts) {
  return { connectionTimeout: t.bodyIdleMs, keepAliveTimeout: t.keepAliveMs, requestTimeout: t.requestMs };
}
