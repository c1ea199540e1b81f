import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errors } from '../domain/errors.js';
import { errorBody, JSON_CONTENT_TYPE, sendError } from './wire.js';

/**
 * The one place that turns failures into responses. Domain refusals carry their status and
 * body; anything else is an INTERNAL_ERROR whose cause goes to the log and never to the client.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      if (error.failure === 'INTERNAL_ERROR')
        request.log.error({ err: error.cause ?? error }, 'internal error');
      return sendError(reply, error);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendError(reply, errors.internal(error));
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, errors.urlPattern()));
}

/** Fastify's own routing failures (undecodable URL, over-long parameter) are bad URLs too. */
export function frameworkErrors(_error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  sendError(reply, errors.urlPattern());
}

/**
 * Requests too malformed to reach Fastify (bad request line, oversized headers). The socket gets
 * a complete response in the documented envelope and is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const appError = error.code === 'HPE_INVALID_METHOD' ? errors.requestMethod() : errors.urlPattern();
  const body = errorBody(appError);
  const reason = appError.status === 404 ? 'Not Found' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${appError.status} ${reason}\r\nContent-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
