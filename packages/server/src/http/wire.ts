import type { FastifyReply } from 'fastify';
import type { AppError } from '../domain/errors.js';
import { biginStringify } from './bigin-json.js';

/** The JSON media type exactly as the real service sends it. */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/**
 * Headers on every recorded Bigin JSON answer, 200, 201 and 204 alike (reference §1.11–1.12).
 * Left out: per-deployment noise (`server-timing`, cookies, client versions) and
 * `x-accesstoken-reset`, which would need the token's expiry on every path.
 */
export const BIGIN_JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': JSON_CONTENT_TYPE,
  'content-disposition': 'attachment; filename=response.json',
  'cache-control': 'no-store, no-cache, must-revalidate, private',
  pragma: 'no-cache',
  expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
  'content-language': 'en-US',
});

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
    .send(typeof body === 'string' ? body : biginStringify(body));
}

/** Bigin's "nothing here": 204, empty body, and still the JSON headers (reference §1.11). */
export function sendNoContent(reply: FastifyReply): FastifyReply {
  return reply.code(204).headers(BIGIN_JSON_HEADERS).send();
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
