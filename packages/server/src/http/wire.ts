import type { FastifyReply } from 'fastify';
import type { AppError } from '../domain/errors.js';

/** The JSON media type exactly as the real service sends it. */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

export function errorBody(error: AppError): string {
  return JSON.stringify({
    code: error.code,
    details: error.details,
    message: error.message,
    status: 'error',
  });
}

export function sendJson(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('content-type', JSON_CONTENT_TYPE).send(body);
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
