import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatBiginTime } from '../domain/bigin-time.js';
import type { AppError } from '../domain/errors.js';
import type { Principal } from '../domain/model.js';
import { biginStringify } from './bigin-json.js';

/** The JSON media type exactly as the real service sends it. */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/**
 * Headers on every recorded Bigin JSON answer, 200, 201 and 204 alike (reference §1.11–1.12,
 * decision D22). `clientversion` and `clientsubversion` are Bigin's build stamps; this server
 * sends fixed ones of the recorded form, so that clients that log or parse them see the shape.
 * Not sent: Bigin's cookies (load balancer and CSRF cookies of Zoho's web tier, which would
 * make cookie-jar clients carry state between calls); `server-timing` and
 * `x-accesstoken-reset` vary per answer and are added below.
 */
export const BIGIN_JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': JSON_CONTENT_TYPE,
  'content-disposition': 'attachment; filename=response.json',
  server: 'ZGS',
  'cache-control': 'no-store, no-cache, must-revalidate, private',
  pragma: 'no-cache',
  expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
  'content-language': 'en-US',
  vary: 'Sec-Fetch-Dest,Sec-Fetch-Mode,Sec-Fetch-Site,Sec-Fetch-User',
  clientversion: '10270107',
  clientsubversion: 'a1f4c7e2b9d03856e1f2a7c4b8d9e0f3',
});

/** Bigin's `server-timing` (reference §1.12), with this server's own elapsed time. */
function serverTiming(reply: FastifyReply): string {
  const ms = Math.max(0, Math.round(reply.elapsedTime));
  return `totalTime;desc="Total Execution Time";dur=${ms},murphySpanId;desc="";dur=0`;
}

export function errorBody(error: AppError): string {
  return biginStringify({
    code: error.code,
    details: error.details,
    message: error.message,
    status: 'error',
  });
}

/**
 * Sends a JSON answer with Bigin's headers. A value is written with `biginStringify` (HashMap key
 * order); a string is sent as it is and must already be in that order (preformatted hot paths).
 * Every route sends JSON through here, so routes added later get the order and headers too.
 */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .headers(BIGIN_JSON_HEADERS)
    .header('server-timing', serverTiming(reply))
    .send(typeof body === 'string' ? body : biginStringify(body));
}

/** Bigin's "nothing here": 204, empty body, and still the JSON headers (reference §1.11). */
export function sendNoContent(reply: FastifyReply): FastifyReply {
  return reply.code(204).headers(BIGIN_JSON_HEADERS).header('server-timing', serverTiming(reply)).send();
}

/** The caller's time zone, or null when it cannot be read (the header is then left out). */
export type ZoneLookup = (orgId: string, userId: string) => Promise<string | null>;

/**
 * `x-accesstoken-reset` on every JSON answer to an authenticated call: the access token's expiry
 * in the caller's time zone, as recorded (reference §1.8, §1.12; D22). The zone is remembered per
 * principal: the SQLite store hands out the same principal until the user's row changes, so a
 * zone change shows at once there; PostgreSQL builds a principal per call and reads the zone.
 */
export function registerTokenResetHeader(app: FastifyInstance, zoneOf: ZoneLookup): void {
  const zones = new WeakMap<Principal, string>();
  // A callback hook, answering at once when the zone is known (nearly always): an async hook
  // costs a promise and a continuation on every request.
  app.addHook('onSend', (request, reply, payload, done) => {
    const principal = request.principal;
    if (!principal || reply.getHeader('content-type') !== JSON_CONTENT_TYPE) return done(null, payload);
    const zone = zones.get(principal);
    if (zone !== undefined) {
      reply.header('x-accesstoken-reset', formatBiginTime(principal.tokenExpiresAt, zone));
      return done(null, payload);
    }
    zoneOf(principal.orgId, principal.userId)
      .catch(() => null)
      .then((found) => {
        if (found !== null) {
          zones.set(principal, found);
          reply.header('x-accesstoken-reset', formatBiginTime(principal.tokenExpiresAt, found));
        }
        done(null, payload);
      });
  });
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  reply.request.outcome = error.check;
  return sendJson(reply, error.status, errorBody(error));
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The named rule that decided the answer (a row of the decision table), for the log line. */
    outcome: string;
  }
}
